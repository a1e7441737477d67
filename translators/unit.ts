// The output of one unit of translation (one Gateway, one GatewayClass or one GAMMA route),
// which the engine memoises and merges.
import type { RouteParentStatus } from './api/gateway-api';
import type { KubeObject } from './api/meta';
import type { Diagnostic, GatewayClassStatusUpdate, GatewayStatusUpdate } from './result';
import type { RouteKey } from './snapshot';
import type { RouteMemo } from './route-memo';

export interface SecretCopyRequest {
  /** `ns/name` of the source Secret. */
  source: string;
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

/** `apiVersion|kind|namespace|name`: the key of a generated object (engine maps, foreign objects). */
// Keys and names that are kept are built with join(), which makes one flat string: a template
// literal makes a tree of concatenation nodes, and V8 hashes and compares Map keys without
// flattening them, so each kept key would retain its whole tree (about 6 nodes per key).
export const objectKey = (o: KubeObject): string => [o.apiVersion, o.kind, o.metadata.namespace ?? '', o.metadata.name].join('|');

export function emptyUnit(): UnitOutput {
  return { objects: [], routeParents: new Map(), secretCopies: [], diagnostics: [], routeMemo: new Map() };
}

export function addRouteParent(u: UnitOutput, rk: RouteKey, p: RouteParentStatus): void {
  const list = u.routeParents.get(rk) ?? [];
  list.push(p);
  u.routeParents.set(rk, list);
}

/** objectKey, computed once per object (memoised objects come back on every replay). */
const KEYS = new WeakMap<KubeObject, string>();
export function memoisedKey(o: KubeObject): string {
  let k = KEYS.get(o);
  if (k === undefined) KEYS.set(o, (k = objectKey(o)));
  return k;
}
