// What every route translator needs to know about the Gateway it is attaching to.
import type { Gateway } from './api/gateway-api';
import type { ListenerResult } from './listener';
import type { BackendContext } from './backends';
import { isReferencePermitted } from './reference-grant';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { RouteKey, Snapshot } from './snapshot';
import type { UnitOutput } from './unit';
import type { RouteKind } from './keys';
import type { Condition } from './api/meta';
import { meshNameProblem } from './mesh';
import { routeInvalidMesh, routeMeshMismatch } from './status/route';

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
}

export function backendContext(snap: Snapshot, routeKind: RouteKind, routeNamespace: string, mesh: boolean): BackendContext {
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

/**
 * Why a route of mesh `routeMesh` cannot attach to this Gateway: an invalid mesh name, or another
 * mesh (`withAdvice`: the message says which label to set). Undefined when it can.
 */
export function meshRejection(scope: GatewayScope, routeMesh: string, withAdvice: boolean): Condition | undefined {
  const problem = meshNameProblem(routeMesh);
  if (problem) return routeInvalidMesh(problem);
  if (routeMesh !== scope.mesh) return routeMeshMismatch(routeMesh, `${scope.gwNamespace}/${scope.gw.metadata.name}`, scope.mesh, withAdvice);
  return undefined;
}
