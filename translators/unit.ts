// The output of one unit of translation (one Gateway, one GatewayClass or one GAMMA route),
// which the engine keeps and merges, and one route's part of a Gateway unit, which it memoises.
import type { GRPCRoute, HTTPRoute, RouteParentStatus } from './api/gateway-api';
import type { KubeObject } from './api/meta';
import type { Diagnostic, GatewayClassStatusUpdate, GatewayStatusUpdate, ListenerSetStatusUpdate } from './result';
import type { NsName, RouteKey } from './keys';
import type { GatewayScope } from './scope';

export interface SecretCopyRequest {
  /** The source Secret. */
  source: NsName;
  mesh: string;
}

export interface UnitOutput {
  objects: KubeObject[];
  gatewayStatus?: GatewayStatusUpdate;
  /** The Gateway unit's ListenerSets (GEP-1713). */
  listenerSetStatuses?: ListenerSetStatusUpdate[];
  classStatus?: GatewayClassStatusUpdate;
  routeParents: Map<RouteKey, RouteParentStatus[]>;
  secretCopies: SecretCopyRequest[];
  diagnostics: Diagnostic[];
  /** The route each route-generated object comes from (others come from the unit's own subject). */
  sources: Map<KubeObject, RouteKey>;
}

/** One HTTPRoute's contribution to a Gateway unit (httproute.ts). Never mutated once returned. */
export interface RoutePart {
  parents: RouteParentStatus[];
  /** Names of the listeners it is attached to. */
  attached: string[];
  objects: KubeObject[];
  /** The matches it took: `listener|hostname` slot, match key, slot, match key, … (flat: one array). */
  claims: string[];
  /** An older route had taken some of its matches: the part depends on the other routes too. */
  contested: boolean;
}

/** Per `listener|hostname` slot, the match keys routes took so far in one Gateway's translation. */
export class Claims {
  // A slot's keys: a short list (a slot usually holds a route's few matches), a Set past SMALL_SLOT.
  private readonly slots = new Map<string, string[] | Set<string>>();
  has(slot: string, key: string): boolean {
    const t = this.slots.get(slot);
    return t === undefined ? false : Array.isArray(t) ? t.includes(key) : t.has(key);
  }
  add(slot: string, key: string): void {
    const t = this.slots.get(slot);
    if (t === undefined) this.slots.set(slot, [key]);
    else if (!Array.isArray(t)) t.add(key);
    else if (t.includes(key)) return;
    else if (t.length < SMALL_SLOT) t.push(key);
    else this.slots.set(slot, new Set([...t, key]));
  }
}
const SMALL_SLOT = 8;

/**
 * Listeners on which a route lost to a route of the other kind (HTTPRoute vs GRPCRoute with
 * intersecting hostnames, grpcroute.ts), with the rejection message for each.
 */
export type LostListeners = ReadonlyMap<string, string>;

/** Converts one route of a Gateway, oldest first: httproute.ts's pure function, or the engine's memoised wrapper of it. */
export type RouteConverter = (scope: GatewayScope, rk: RouteKey, route: HTTPRoute | GRPCRoute, claimed: Claims, lost?: LostListeners) => RoutePart;

// Keys are defined in keys.ts; re-exported for the modules that import them from here.
export { memoisedKey, objectKey } from './keys';

export function emptyUnit(): UnitOutput {
  return { objects: [], routeParents: new Map(), secretCopies: [], diagnostics: [], sources: new Map() };
}

export function addRouteParent(u: UnitOutput, rk: RouteKey, p: RouteParentStatus): void {
  const list = u.routeParents.get(rk);
  if (list) list.push(p);
  else u.routeParents.set(rk, [p]);
}
