// Merging meshgate's desired status into the live object's status: only meshgate's own condition
// types and `parents[]` entries change; `lastTransitionTime` moves only when a condition's
// status flips. Pure (the writer passes `now`), so it is table-tested.
import type { RouteParentStatus } from '../../translators/api/gateway-api';
import type { Condition } from '../../translators/api/meta';
import type { GatewayClassStatusUpdate, GatewayStatusUpdate, ListenerSetStatusUpdate, RouteStatusUpdate, StatusUpdate } from '../../translators/result';

type AnyStatus = Record<string, unknown> | undefined;

export function mergeConditions(live: Condition[] | undefined, desired: Condition[], now: string): Condition[] {
  const prev = new Map((live ?? []).map((c) => [c.type, c]));
  const mine = new Set(desired.map((c) => c.type));
  const out: Condition[] = desired.map((c) => {
    const p = prev.get(c.type);
    return { ...c, lastTransitionTime: p && p.status === c.status && p.lastTransitionTime ? p.lastTransitionTime : now };
  });
  // Conditions of types meshgate does not set are another writer's: keep them as they are.
  for (const c of live ?? []) if (!mine.has(c.type)) out.push(c);
  return out;
}

const parentKey = (p: RouteParentStatus['parentRef']) =>
  [p.group ?? 'gateway.networking.k8s.io', p.kind ?? 'Gateway', p.namespace ?? '', p.name, p.sectionName ?? '', p.port ?? ''].join('|');

export function mergeStatus(live: AnyStatus, desired: StatusUpdate, controllerName: string, now: string): Record<string, unknown> {
  const kind = desired.target.kind;
  if (kind === 'GatewayClass') {
    const d = desired as GatewayClassStatusUpdate;
    return { ...live, conditions: mergeConditions(live?.conditions as Condition[], d.conditions, now), supportedFeatures: d.supportedFeatures };
  }
  if (kind === 'Gateway' || kind === 'ListenerSet') {
    const d = desired as GatewayStatusUpdate | ListenerSetStatusUpdate;
    const liveListeners = new Map(((live?.listeners as GatewayStatusUpdate['listeners']) ?? []).map((l) => [l.name, l]));
    const out: Record<string, unknown> = {
      ...live,
      conditions: mergeConditions(live?.conditions as Condition[], d.conditions, now),
      listeners: d.listeners.map((l) => ({ ...l, conditions: mergeConditions(liveListeners.get(l.name)?.conditions, l.conditions, now).filter((c) => l.conditions.some((x) => x.type === c.type)) })),
    };
    if ('addresses' in d) {
      out.addresses = d.addresses;
      // GEP-1713: set where the Gateway allows or has ListenerSets; a stale count is removed (null in a merge patch).
      if (d.attachedListenerSets !== undefined) out.attachedListenerSets = d.attachedListenerSets;
      else if (live?.attachedListenerSets !== undefined) out.attachedListenerSets = null;
    }
    return out;
  }
  const d = desired as RouteStatusUpdate;
  const liveParents = (live?.parents as RouteParentStatus[]) ?? [];
  const others = liveParents.filter((p) => p.controllerName !== controllerName);
  const prevMine = new Map(liveParents.filter((p) => p.controllerName === controllerName).map((p) => [parentKey(p.parentRef), p]));
  const mine = d.parents.map((p) => ({ ...p, conditions: mergeConditions(prevMine.get(parentKey(p.parentRef))?.conditions, p.conditions, now).filter((c) => p.conditions.some((x) => x.type === c.type)) }));
  return { ...live, parents: [...others, ...mine].slice(0, 32) };
}

/**
 * Deep equality for JSON values (status blocks), order-sensitive for arrays; undefined values count
 * as absent, and so do keys named `ignore` at any depth (lastTransitionTime: see plan.ts).
 */
export function jsonEqual(a: unknown, b: unknown, ignore?: string): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i], ignore)) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k of Object.keys(ao)) {
    if (k === ignore || ao[k] === undefined) continue;
    n++;
    if (!jsonEqual(ao[k], bo[k], ignore)) return false;
  }
  for (const k of Object.keys(bo)) if (k !== ignore && bo[k] !== undefined) n--;
  return n === 0;
}
