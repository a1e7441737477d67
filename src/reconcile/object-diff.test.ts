// The hashed form and the status comparison are rewritten for speed (they run for every key at a
// restart); these properties pin them to the plain definitions they replaced, so the hashes of
// objects already in clusters do not change and no write is added or lost.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { KubeObject } from '../../translators/api/meta';
import { desiredHash, stableStringify } from './object-diff';
import { jsonEqual } from './status-merge';

/** The definition: sorted keys, undefined values left out, through arrays and JSON.stringify. */
function plainStableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(plainStableStringify).join(',')}]`;
  return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${plainStableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

function stripTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripTimes);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'lastTransitionTime').map(([k, x]) => [k, stripTimes(x)]));
  return v;
}
function plainJsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => plainJsonEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => plainJsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const key = fc.constantFrom('type', 'status', 'reason', 'lastTransitionTime', 'conditions', 'parents', 'name', 'a', 'b', 'é', '"q"');
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 4 }), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;

describe('stableStringify', () => {
  it('prints what the plain definition prints, for any JSON-like value', () => {
    fc.assert(fc.property(json, (v) => { expect(stableStringify(v)).toBe(plainStableStringify(v)); }), { numRuns: 2000 });
  });

  it.each([
    [{ b: 1, a: [1, { d: undefined, c: 'x' }] }, '{"a":[1,{"c":"x"}],"b":1}'],
    [[undefined, null], '[,null]'],
    [{}, '{}'],
  ])('%j → %s', (v, out) => { expect(stableStringify(v)).toBe(out); });
});

describe('desiredHash', () => {
  it('is the same for equal objects with keys in another order, and differs when a value does', () => {
    const a = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } } as KubeObject;
    const b = { spec: { ports: [{ port: 80 }], type: 'LoadBalancer' }, metadata: { namespace: 'n', name: 's' }, kind: 'Service', apiVersion: 'v1' } as KubeObject;
    expect(desiredHash(a)).toBe(desiredHash(b));
    expect(desiredHash({ ...b, spec: { ports: [{ port: 81 }], type: 'LoadBalancer' } } as KubeObject)).not.toBe(desiredHash(a));
  });

  it('is the first 16 hex digits of the SHA-256 of the sorted JSON, as in clusters already (crypto.hash or createHash)', () => {
    const o = { spec: { type: 'LoadBalancer', ports: [{ port: 80 }] }, kind: 'Service', apiVersion: 'v1', metadata: { namespace: 'n', name: 's' } } as KubeObject;
    expect(desiredHash(o)).toBe(createHash('sha256').update(stableStringify(o)).digest('hex').slice(0, 16));
    expect(desiredHash(o)).toBe('3563ba20df2206b1');
  });
});

describe("jsonEqual(a, b, 'lastTransitionTime')", () => {
  it('answers as comparing both with every lastTransitionTime removed', () => {
    fc.assert(fc.property(json, json, (a, b) => {
      expect(jsonEqual(a, b, 'lastTransitionTime')).toBe(plainJsonEqual(stripTimes(a), stripTimes(b)));
    }), { numRuns: 3000 });
    // Pairs that differ only in times or undefined values, which random pairs rarely are.
    fc.assert(fc.property(json, fc.string({ maxLength: 3 }), (a, t) => {
      const base: unknown = JSON.parse(JSON.stringify(a ?? null));
      const timed: unknown = JSON.parse(JSON.stringify(base, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, lastTransitionTime: t } : v)));
      expect(jsonEqual(base, timed, 'lastTransitionTime')).toBe(true);
      expect(jsonEqual(base, timed, 'lastTransitionTime')).toBe(plainJsonEqual(stripTimes(base), stripTimes(timed)));
    }), { numRuns: 1000 });
  });

  it.each([
    [{ type: 'A', lastTransitionTime: 't1' }, { type: 'A', lastTransitionTime: 't2' }, true],
    [{ type: 'A', lastTransitionTime: 't1' }, { type: 'A' }, true],
    [{ type: 'A', x: undefined }, { type: 'A' }, true],
    [{ type: 'A' }, { type: 'B', lastTransitionTime: 't' }, false],
    [[{ lastTransitionTime: 't' }], [{}], true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [undefined, {}, false],
  ])('%j vs %j: %s', (a, b, eq) => { expect(jsonEqual(a, b, 'lastTransitionTime')).toBe(eq); });
});
