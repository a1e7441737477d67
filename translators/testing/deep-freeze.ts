// Test helper: freezes every plain object and array reachable from a value (through Maps, Sets and
// class instances, which stay mutable: they are bookkeeping, not outputs), so that a later
// in-place mutation of a shared output, memo or input throws instead of silently changing it.
export function deepFreeze<T>(v: T, seen = new Set<unknown>()): T {
  if (typeof v !== 'object' || v === null || seen.has(v)) return v;
  seen.add(v);
  if (v instanceof Map) for (const [k, x] of v) { deepFreeze(k, seen); deepFreeze(x, seen); }
  else if (v instanceof Set) for (const x of v) deepFreeze(x, seen);
  else if (!ArrayBuffer.isView(v)) for (const x of Object.values(v)) deepFreeze(x, seen);
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v) || proto === Object.prototype || proto === null) Object.freeze(v);
  return v;
}
