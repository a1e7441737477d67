// What every route translator needs to know about the Gateway it is attaching to.
import type { Gateway, ParentReference } from './api/gateway-api';
import type { ListenerResult } from './listener';
import type { BackendContext } from './backends';
import { isReferencePermitted } from './reference-grant';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { RouteKey, Snapshot } from './snapshot';
import type { UnitOutput } from './unit';
import type { RouteKind } from './keys';
import type { Condition, Service } from './api/meta';
import { meshNameProblem } from './mesh';
import { routeInvalidMesh, routeMeshMismatch } from './status/route';
import { isGatewayParent, isListenerSetParent } from './dependencies';
import { nsName } from './keys';

export interface GatewayScope {
  snap: Snapshot;
  gw: Gateway;
  gwNamespace: string;
  mesh: string;
  meshGatewayName: string;
  /** Every listener of the unit: the Gateway's, then its attached ListenerSets' (names made unique: listenerset.ts). */
  listeners: ListenerResult[];
  /** The ListenerSets naming this Gateway (`ns/name`), attached or not (`rejected`: why not). */
  listenerSets: ReadonlyMap<string, UnitListenerSet>;
  unit: UnitOutput;
  /** listener name → routes accepted on it (a Set: a route counts once per listener). */
  attached: Map<string, Set<RouteKey>>;
  /** Listener name → the frozen `tags` selector its MeshHTTPRoutes share. */
  listenerTags: Map<string, Readonly<Record<string, string>>>;
}

export interface UnitListenerSet {
  namespace: string;
  listeners: ListenerResult[];
  /** Set when the ListenerSet is not attached: what its routes' parent entries say. */
  rejected?: Condition;
}

/** A route's parentRef handled by this unit: the Gateway's own listeners, or one ListenerSet's. */
export interface UnitParent {
  ref: ParentReference;
  /** Namespace of the parent object (allowedRoutes `Same` is relative to it). */
  namespace: string;
  listeners: ListenerResult[];
  rejected?: Condition;
}

/**
 * The parentRefs of `route` this unit answers for, in spec order: those naming the Gateway (its
 * own listeners only: GEP-1713) and those naming one of its ListenerSets (that set's listeners).
 */
export function unitParents(scope: GatewayScope, route: { metadata: { namespace?: string }; spec: { parentRefs?: ParentReference[] } }): UnitParent[] {
  const ns = route.metadata.namespace ?? '';
  const out: UnitParent[] = [];
  for (const ref of route.spec.parentRefs ?? []) {
    if (isGatewayParent(ref)) {
      if (ref.name === scope.gw.metadata.name && (ref.namespace || ns) === scope.gwNamespace) out.push({ ref, namespace: scope.gwNamespace, listeners: gatewayListeners(scope) });
    } else if (isListenerSetParent(ref) && scope.listenerSets.size > 0) {
      const set = scope.listenerSets.get(nsName(ref.namespace || ns, ref.name));
      if (set) out.push({ ref, namespace: set.namespace, listeners: set.listeners, rejected: set.rejected });
    }
  }
  return out;
}

/** The Gateway's own listeners (they come first in scope.listeners). */
export function gatewayListeners(scope: GatewayScope): ListenerResult[] {
  return scope.listenerSets.size === 0 ? scope.listeners : scope.listeners.filter((l) => !l.owner);
}

export function backendContext(snap: Snapshot, routeKind: RouteKind, routeNamespace: string, mesh: boolean): BackendContext {
  return new SnapshotBackends(snap, routeKind, routeNamespace, mesh);
}

/** One object per route, its lookups methods (not two closures per route). */
class SnapshotBackends implements BackendContext {
  readonly zone: string | undefined;
  constructor(private readonly snap: Snapshot, readonly routeKind: RouteKind, readonly routeNamespace: string, readonly mesh: boolean) {
    this.zone = snap.options.zone;
  }
  findService(ns: string, name: string): Service | undefined { return this.snap.services.get(`${ns}/${name}`); } // a lookup key: not kept, need not be flat
  isPermitted(toNs: string, to: { group: string; kind: string; name: string }): boolean {
    return isReferencePermitted(this.snap.grantsIn(toNs), { group: GATEWAY_GROUP, kind: this.routeKind, namespace: this.routeNamespace }, to);
  }
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
