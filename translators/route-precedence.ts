// Gateway API precedence between routes: the oldest creationTimestamp first, then
// "{namespace}/{name}" in alphabetical order. Used to break ties between conflicting rules.

export interface RouteLike {
  metadata?: { namespace?: string; name?: string; creationTimestamp?: string };
}

/** Milliseconds since the epoch, or undefined when missing or not a parsable timestamp. */
function createdAt(r: RouteLike): number | undefined {
  const ts = r?.metadata?.creationTimestamp;
  if (typeof ts !== 'string') return undefined;
  const ms = Date.parse(ts); // parsing only: no clock is read
  return Number.isNaN(ms) ? undefined : ms;
}

function key(r: RouteLike): string {
  const ns = r?.metadata?.namespace;
  const name = r?.metadata?.name;
  return `${typeof ns === 'string' ? ns : ''}/${typeof name === 'string' ? name : ''}`;
}

/**
 * Negative when `a` takes precedence over `b`. Routes without a usable timestamp sort after
 * those with one. Names compare by UTF-16 code unit (not localeCompare), so the order does not
 * depend on the host's locale; the spec compares the joined "{namespace}/{name}" string.
 */
export function compareRoutePrecedence(a: RouteLike, b: RouteLike): number {
  return compareKeys(createdAt(a), key(a), createdAt(b), key(b));
}

function compareKeys(ta: number | undefined, ka: string, tb: number | undefined, kb: string): number {
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return ta - tb;
  }
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * A sorted copy, highest precedence first; the input is not modified. Stable for exact ties.
 * Each route's timestamp and name are read once, not once per comparison.
 */
export function sortRoutesByPrecedence<T extends RouteLike>(routes: readonly T[]): T[] {
  if (routes.length < 2) return routes.slice(); // most Gateways have no route of most kinds
  const keyed = routes.map((r) => ({ r, t: createdAt(r), k: key(r) }));
  keyed.sort((a, b) => compareKeys(a.t, a.k, b.t, b.k));
  return keyed.map((x) => x.r);
}
