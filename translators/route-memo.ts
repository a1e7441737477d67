// A route's part of a Gateway unit, remembered between translations of that Gateway. A Gateway
// with 1,000 routes is re-translated whole whenever one of them changes; a route whose inputs are
// all unchanged replays its previous parent entries, MeshHTTPRoutes and claims instead of being
// converted again. Pure: the memo is data passed from one translation to the next, and replaying
// it yields exactly what recomputing would (the property tests compare incremental with full).
import type { GRPCRoute, HTTPRoute, RouteParentStatus } from './api/gateway-api';
import type { KubeObject } from './api/meta';
import type { GatewayScope } from './scope';
import { markAttached } from './scope';
import type { RouteKey } from './snapshot';
import { addRouteParent } from './unit';
import { pushRouteObject } from './name-collisions';

export interface RouteMemo {
  /** What the output depends on: the route's spec and metadata as seen, the Gateway side, the rest of the world. */
  spec: unknown;
  labels: unknown;
  annotations: unknown;
  generation: number | undefined;
  uid: string | undefined;
  scope: string;
  world: number;
  /** What the route contributed, in order. */
  parents: RouteParentStatus[];
  attached: string[];
  objects: KubeObject[];
  /** Every match it claimed: `listener|hostname` slot, match key, slot, match key, … (flat: one array). */
  claims: string[];
  /** False when an older route had claimed some of its matches: its output then depends on others. */
  clean: boolean;
}

export function startMemo(route: HTTPRoute | GRPCRoute, scope: GatewayScope): RouteMemo {
  const m = route.metadata;
  return {
    spec: route.spec, labels: m.labels, annotations: m.annotations, generation: m.generation, uid: m.uid,
    scope: scope.signature, world: scope.snap.worldVersion, parents: [], attached: [], objects: [], claims: [], clean: true,
  };
}

/**
 * Replays the memo of `route` if it is still valid and none of its matches has been claimed by an
 * older route in this translation; returns false (nothing done) otherwise.
 */
export function replayMemo(scope: GatewayScope, rk: RouteKey, route: HTTPRoute | GRPCRoute, claimed: Map<string, Set<string>>): boolean {
  const memo = scope.previousMemo?.get(rk);
  if (!memo || !memo.clean || memo.scope !== scope.signature || memo.world !== scope.snap.worldVersion) return false;
  const m = route.metadata;
  if (memo.spec !== route.spec || memo.labels !== m.labels || memo.annotations !== m.annotations || memo.generation !== m.generation || memo.uid !== m.uid) return false;
  const c = memo.claims;
  for (let i = 0; i < c.length; i += 2) if (claimed.get(c[i])?.has(c[i + 1])) return false;
  for (let i = 0; i < c.length; i += 2) {
    let taken = claimed.get(c[i]);
    if (!taken) claimed.set(c[i], (taken = new Set()));
    taken.add(c[i + 1]);
  }
  for (const p of memo.parents) addRouteParent(scope.unit, rk, p);
  for (const l of memo.attached) markAttached(scope, l, rk);
  for (const o of memo.objects) pushRouteObject(scope, rk, o);
  if (scope.remember) scope.unit.routeMemo.set(rk, memo);
  return true;
}

/** What translation depends on from the Gateway side: listeners as validated, mesh, names. */
export function scopeSignature(scope: Omit<GatewayScope, 'signature'>): string {
  return JSON.stringify([
    scope.gwNamespace, scope.gw.metadata.name, scope.mesh, scope.meshGatewayName,
    scope.listeners.map((l) => [l.listener.name, l.listener.port, l.listener.protocol, l.listener.hostname, l.listener.allowedRoutes, l.accepted, l.programmed, l.supportedKinds]),
  ]);
}
