// Building one route parent status entry: Accepted, ResolvedRefs and PartiallyInvalid, with the
// parentRef echoed (group and kind always present: conformance compares them by value).
import type { ParentReference, RouteParentStatus } from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { Condition } from './api/meta';
import { condition, finalizeConditions, listOf, ok, Reason, Type } from './status/conditions';

export function echoParentRef(ref: ParentReference): ParentReference {
  if (isEcho(ref)) return ref; // already defaulted and nothing else in it: share, do not copy
  const out: ParentReference = { group: ref.group ?? GATEWAY_GROUP, kind: ref.kind ?? 'Gateway', name: ref.name };
  if (ref.namespace !== undefined) out.namespace = ref.namespace;
  if (ref.sectionName !== undefined) out.sectionName = ref.sectionName;
  if (ref.port !== undefined) out.port = ref.port;
  return out;
}

const ECHO_FIELDS: ReadonlySet<string> = new Set(['group', 'kind', 'name', 'namespace', 'sectionName', 'port']);
function isEcho(ref: ParentReference): boolean {
  if (typeof ref.group !== 'string' || typeof ref.kind !== 'string') return false;
  for (const k in ref) if (!ECHO_FIELDS.has(k) || (ref as unknown as Record<string, unknown>)[k] === undefined) return false;
  return true;
}

/**
 * [Accepted, ResolvedRefs] both True with their default messages, per generation: what almost
 * every route parent says, shared (frozen) instead of allocated for each of 10,000 routes.
 */
const OK_CONDITIONS: (readonly Condition[])[] = [];
function okConditions(generation: number): Condition[] {
  if (generation > 64) return finalizeConditions([ok.accepted(), ok.resolvedRefs()], generation);
  return (OK_CONDITIONS[generation] ??= Object.freeze(finalizeConditions([ok.accepted(), ok.resolvedRefs()], generation).map((c) => Object.freeze(c)))) as Condition[];
}
const DEFAULT_ACCEPTED = ok.accepted();

export interface ParentOutcome {
  accepted: Condition; // True/Accepted or the rejection
  backendFailures: { reason: string; message: string }[];
  partiallyInvalid?: string[];
}

export function parentStatus(ref: ParentReference, controllerName: string, generation: number, o: ParentOutcome): RouteParentStatus {
  const plain = o.backendFailures.length === 0 && !o.partiallyInvalid?.length && sameCondition(o.accepted, DEFAULT_ACCEPTED);
  if (plain) return { parentRef: echoParentRef(ref), controllerName, conditions: okConditions(generation) };
  const conditions: Condition[] = [o.accepted];
  if (o.backendFailures.length === 0) conditions.push(ok.resolvedRefs());
  else {
    const first = o.backendFailures[0];
    const all = listOf(o.backendFailures.map((f) => f.message), '; ');
    conditions.push(condition(Type.ResolvedRefs, 'False', first.reason, all));
  }
  if (o.partiallyInvalid && o.partiallyInvalid.length > 0 && o.accepted.status === 'True') {
    conditions.push(condition(Type.PartiallyInvalid, 'True', Reason.UnsupportedValue, listOf(o.partiallyInvalid, '; ')));
  }
  return { parentRef: echoParentRef(ref), controllerName, conditions: finalizeConditions(conditions, generation) };
}

const keyOfRef = (r: ParentReference) => [r.group, r.kind, r.namespace ?? '', r.name, r.sectionName ?? '', r.port ?? ''].join('|');

export function sortParents(parents: RouteParentStatus[]): RouteParentStatus[] {
  return [...parents].sort((a, b) => { const x = keyOfRef(a.parentRef); const y = keyOfRef(b.parentRef); return x < y ? -1 : x > y ? 1 : 0; });
}

function sameCondition(a: Condition, b: Condition): boolean {
  return a.type === b.type && a.status === b.status && a.reason === b.reason && a.message === b.message;
}
