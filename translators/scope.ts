// What every route translator needs to know about the Gateway it is attaching to.
import type { Gateway } from './api/gateway-api';
import type { ListenerResult } from './listener';
import type { BackendContext } from './backends';
import { isReferencePermitted } from './reference-grant';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { RouteKey, Snapshot } from './snapshot';
import type { UnitOutput } from './unit';
import type { RouteMemo } from './route-memo';

export interface GatewayScope {
  snap: Snapshot;
  gw: Gateway;
  gwNamespace: string;
  mesh: string;
  meshGatewayName: string;
  listeners: ListenerResult[];
  unit: UnitOutput;
  /** listener name → routes accepted on it (a Set: a route counts once per listener). */
  attached: Map<string, Set<RouteKey>>;
  /** Listener name → the frozen `tags` selector its MeshHTTPRoutes share. */
  listenerTags: Map<string, Readonly<Record<string, string>>>;
  /** scopeSignature(): route memos made under another signature are stale. */
  signature: string;
  /** Route memos of this Gateway's previous translation (route-memo.ts). */
  previousMemo?: Map<RouteKey, RouteMemo>;
  /** Record route memos for the next translation (not in a one-shot translation). */
  remember: boolean;
}

export function backendContext(snap: Snapshot, routeKind: 'HTTPRoute' | 'TLSRoute' | 'GRPCRoute', routeNamespace: string, mesh: boolean): BackendContext {
  return {
    routeKind,
    routeNamespace,
    mesh,
    zone: snap.options.zone,
    findService: (ns, name) => snap.services.get(`${ns}/${name}`),
    isPermitted: (toNs, to) => isReferencePermitted(snap.grantsIn(toNs), { group: GATEWAY_GROUP, kind: routeKind, namespace: routeNamespace }, to),
  };
}

export function markAttached(scope: GatewayScope, listenerName: string, rk: RouteKey): void {
  let s = scope.attached.get(listenerName);
  if (!s) scope.attached.set(listenerName, (s = new Set()));
  s.add(rk);
}
