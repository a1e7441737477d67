// Gateway API precedence between routes: the oldest creationTimestamp first, then
// "{namespace}/{name}" in alphabetical order. Used to break ties between conflicting rules.

export interface RouteLike {
  metadata?: { namespace?: string; name?: string; creationTimestamp?: string };
}

/** Milliseconds since the epoch, or undefined when missing or not a parsable timestamp. */
function createdAt(r: RouteLike): number | undefined {
  const ts = r?.metadata?.creationTimestamp;
  if (typeof ts !== 'string') return undefined;
  let ms = PARSED.get(ts);
  if (ms === undefined) {
    ms = Date.parse(ts); // parsing only: no clock is read
    if (PARSED.size >= 4096) PARSED.clear();
    PARSED.set(ts, ms);
  }
  return Number.isNaN(ms) ? undefined : ms;
}
/** Sorting 1,000 routes parses each timestamp ~20 times: remember the last few thousand. */
const PARSED = new Map<string, number>();

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
  const ta = createdAt(a);
  const tb = createdAt(b);
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return ta - tb;
  }
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A sorted copy, highest precedence first; the input is not modified. Stable for exact ties. */
export function sortRoutesByPrecedence<T extends RouteLike>(routes: readonly T[]): T[] {
  return [...routes].sort(compareRoutePrecedence);
}
