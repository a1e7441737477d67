import fc from 'fast-check';
import { compareRoutePrecedence, type RouteLike, sortRoutesByPrecedence } from './route-precedence';

const r = (namespace: string, name: string, creationTimestamp?: string): RouteLike => ({ metadata: { namespace, name, creationTimestamp } });
const ids = (routes: RouteLike[]) => routes.map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`);

describe('sortRoutesByPrecedence', () => {
  it.each<[string, RouteLike[], string[]]>([
    ['oldest first, whatever the name', [r('a', 'a', '2024-02-01T00:00:00Z'), r('z', 'z', '2024-01-01T00:00:00Z')], ['z/z', 'a/a']],
    ['same timestamp: namespace/name alphabetical', [r('b', 'a', '2024-01-01T00:00:00Z'), r('a', 'b', '2024-01-01T00:00:00Z'), r('a', 'a', '2024-01-01T00:00:00Z')], ['a/a', 'a/b', 'b/a']],
    ['missing timestamp sorts last', [r('a', 'a'), r('z', 'z', '2030-01-01T00:00:00Z')], ['z/z', 'a/a']],
    ['unparsable timestamp counts as missing', [r('a', 'a', 'yesterday'), r('b', 'b', '2024-01-01T00:00:00Z')], ['b/b', 'a/a']],
    ['both missing: by name', [r('n', 'b'), r('n', 'a')], ['n/a', 'n/b']],
    ['fractional seconds are ordered', [r('a', 'a', '2024-01-01T00:00:00.5Z'), r('b', 'b', '2024-01-01T00:00:00Z')], ['b/b', 'a/a']],
    ['offsets are honoured', [r('a', 'a', '2024-01-01T00:00:00Z'), r('b', 'b', '2024-01-01T01:00:00+02:00')], ['b/b', 'a/a']],
    // The spec compares the joined "{namespace}/{name}": '-' (0x2d) sorts before '/' (0x2f).
    ['joined key, not namespace then name', [r('a', 'x'), r('a-b', 'x')], ['a-b/x', 'a/x']],
    ['code-unit order, not locale order', [r('a', 'b'), r('a', 'B')], ['a/B', 'a/b']],
  ])('%s', (_name, routes, expected) => {
    expect(ids(sortRoutesByPrecedence(routes))).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = [r('b', 'b'), r('a', 'a')];
    sortRoutesByPrecedence(input);
    expect(ids(input)).toEqual(['b/b', 'a/a']);
  });

  it('keeps input order for exact ties', () => {
    const first = r('a', 'a', '2024-01-01T00:00:00Z');
    const second = r('a', 'a', '2024-01-01T00:00:00Z');
    const out = sortRoutesByPrecedence([first, second]);
    expect(out[0]).toBe(first);
    expect(out[1]).toBe(second);
  });

  it.each<[string, RouteLike, RouteLike, number]>([
    ['older wins', r('z', 'z', '2024-01-01T00:00:00Z'), r('a', 'a', '2024-01-02T00:00:00Z'), -1],
    ['timestamp beats none', r('z', 'z', '2024-01-01T00:00:00Z'), r('a', 'a'), -1],
    ['none loses', r('a', 'a'), r('z', 'z', '2024-01-01T00:00:00Z'), 1],
    ['equal', r('a', 'a'), r('a', 'a'), 0],
  ])('compareRoutePrecedence: %s', (_name, a, b, sign) => {
    expect(Math.sign(compareRoutePrecedence(a, b))).toBe(sign);
  });

  it('tolerates missing metadata and wrong types', () => {
    const odd = [{} as RouteLike, { metadata: { name: 5, creationTimestamp: 7 } } as unknown as RouteLike, r('a', 'a', '2024-01-01T00:00:00Z')];
    expect(sortRoutesByPrecedence(odd)[0]).toBe(odd[2]);
  });

  it('the order does not depend on the input order (distinct names)', () => {
    const route = fc.record({
      namespace: fc.constantFrom('a', 'b', 'a-b'),
      name: fc.string({ maxLength: 3 }),
      creationTimestamp: fc.option(fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', 'bad'), { nil: undefined }),
    });
    const unique = fc.uniqueArray(route, { selector: (x) => `${x.namespace}/${x.name}`, maxLength: 8 });
    fc.assert(
      fc.property(unique.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length }))), ([list, shuffled]) => {
        const a = sortRoutesByPrecedence(list.map((m) => ({ metadata: m })));
        const b = sortRoutesByPrecedence(shuffled.map((m) => ({ metadata: m })));
        expect(a).toEqual(b);
      }),
    );
  });
});
