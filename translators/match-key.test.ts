import fc from 'fast-check';
import type { MeshHTTPRouteMatch } from './api/kuma';
import { matchKey } from './httproute';

const str = fc.string({ unit: fc.constantFrom('a', '1', ':', 'm', 'h', 'q', '-', 'p'), maxLength: 3 });
const kv = fc.record({ type: fc.constantFrom('Exact' as const, 'RegularExpression' as const), name: str, value: str });

describe('matchKey', () => {
  it('moving characters between neighbouring fields changes the key', () => {
    // A key without length prefixes would confuse name "a:" value "b" with name "a" value ":b".
    fc.assert(fc.property(kv, kv, fc.nat(3), (q, other, n) => {
      const moved = { ...q, name: q.name + q.value.slice(0, n), value: q.value.slice(n) };
      fc.pre(moved.name !== q.name);
      return matchKey({ queryParams: [q, other] }) !== matchKey({ queryParams: [moved, other] })
        && matchKey({ headers: [q] }) !== matchKey({ headers: [moved] })
        && matchKey({ path: { type: 'Exact', value: q.name }, method: q.value }) !== matchKey({ path: { type: 'Exact', value: moved.name }, method: moved.value });
    }));
  });

  it('is the same for equal matches, whatever the order their fields were set in', () => {
    fc.assert(fc.property(kv, str, (q, method) => {
      const a: MeshHTTPRouteMatch = { path: { type: 'PathPrefix', value: `/${method}` }, method, queryParams: [q] };
      const b: MeshHTTPRouteMatch = { queryParams: [{ value: q.value, name: q.name, type: q.type }], method, path: { value: `/${method}`, type: 'PathPrefix' } };
      return matchKey(a) === matchKey(b);
    }));
  });

  it('tells apart what JSON would: a header without a value, headers from query parameters, one list entry from two', () => {
    const keys = [
      matchKey({ headers: [{ type: 'Present', name: 'x' }] }),
      matchKey({ headers: [{ type: 'Present', name: 'x', value: '' }] }),
      matchKey({ headers: [{ type: 'Exact', name: 'x', value: 'y' }] }),
      matchKey({ queryParams: [{ type: 'Exact', name: 'x', value: 'y' }] }),
      matchKey({ queryParams: [{ type: 'Exact', name: 'x', value: 'y' }, { type: 'Exact', name: 'x', value: 'y' }] }),
      matchKey({ method: 'GET' }),
      matchKey({ path: { type: 'Exact', value: 'GET' } }),
      matchKey({}),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
