// The output of one unit of translation (one Gateway, one GatewayClass or one GAMMA route),
// which the engine memoises and merges.
import type { RouteParentStatus } from './api/gateway-api';
import type { KubeObject } from './api/meta';
import type { Diagnostic, GatewayClassStatusUpdate, GatewayStatusUpdate } from './result';
import type { NsName, RouteKey } from './keys';
import type { RouteMemo } from './route-memo';

export interface SecretCopyRequest {
  /** The source Secret. */
  source: NsName;
  mesh: string;
}

export interface UnitOutput {
  objects: KubeObject[];
  gatewayStatus?: GatewayStatusUpdate;
  classStatus?: GatewayClassStatusUpdate;
  routeParents: Map<RouteKey, RouteParentStatus[]>;
  secretCopies: SecretCopyRequest[];
  diagnostics: Diagnostic[];
  /** Per-route memos for the next translation of the same Gateway (route-memo.ts). */
  routeMemo: Map<RouteKey, RouteMemo>;
}

// Keys are defined in keys.ts; re-exported for the modules that import them from here.
export { memoisedKey, objectKey } from './keys';

export function emptyUnit(): UnitOutput {
  return { objects: [], routeParents: new Map(), secretCopies: [], diagnostics: [], routeMemo: new Map() };
}

export function addRouteParent(u: UnitOutput, rk: RouteKey, p: RouteParentStatus): void {
  const list = u.routeParents.get(rk) ?? [];
  list.push(p);
  u.routeParents.set(rk, list);
}
