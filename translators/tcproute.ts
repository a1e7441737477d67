// TCPRoutes attached to one Gateway → the Gateway's TCP listeners as MeshGateway TCP listeners,
// each tagged with the one route that serves it, and one MeshTCPRoute per (route, Gateway)
// forwarding those listeners to the route's weighted backends. TCP has nothing to match on (no
// hostname, no SNI), so a listener is served by one route: the oldest that attaches to it; the
// others get Accepted=False/RouteConflict on that listener (see docs/tcp-tls.md).
// UDPRoutes (status only) are at the end: Kuma's gateway proxies no UDP.
import type { ParentReference, TCPRoute, UDPRoute } from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { MeshBackendRef, MeshGatewayListener, MeshTCPRoute } from './api/kuma';
import { KUMA_API_VERSION } from './api/kuma';
import type { Condition } from './api/meta';
import { attachToGateway } from './attachment';
import type { ListenerResult } from './listener';
import { resolveBackend } from './backends';
import type { RouteKey } from './keys';
import { routeKey } from './keys';
import { meshOf } from './mesh';
import { pushRouteObject } from './name-collisions';
import { generatedLabels, LISTENER_NAME_TAG, LISTENER_PORT_TAG, ownerLabelValue, parentScopedRouteName } from './naming';
import { parentStatus } from './route-status';
import type { GatewayScope } from './scope';
import { backendContext, markAttached, meshRejection, unitParents } from './scope';
import { listOf, ok } from './status/conditions';
import { routeKindNotImplemented, routeListenersTaken } from './status/route';
import { addRouteParent } from './unit';

export const TCPROUTE_TAG = 'meshgate.io/tcproute';

type L4Route = TCPRoute | UDPRoute;

interface Resolved {
  backends: MeshBackendRef[];
  failures: { reason: string; message: string }[];
}

/** Backends of a TCPRoute or UDPRoute: resolved ones, and the failures for ResolvedRefs. */
function resolveRules(scope: GatewayScope, route: L4Route): Resolved {
  const ns = route.metadata.namespace ?? '';
  const bctx = backendContext(scope.snap, route.kind, ns, false);
  const out: Resolved = { backends: [], failures: [] };
  for (const rule of route.spec.rules ?? []) {
    for (const b of rule.backendRefs ?? []) {
      const r = resolveBackend(bctx, b);
      // MeshTCPRoute refuses the unresolved-backend placeholder: an unresolved backend is left
      // out (its share of connections goes to the others; with none left, none is written).
      if (r.ok) out.backends.push(r.ref);
      else out.failures.push({ reason: r.reason, message: r.message });
    }
  }
  return out;
}

/** Returns the TCP listeners to add to the MeshGateway (one per programmed TCP listener). */
export function translateTCPRoutes(scope: GatewayScope, routes: TCPRoute[]): MeshGatewayListener[] {
  const winners = new Map<string, TCPRoute>(); // listener name → the route serving it
  for (const route of routes) translateOne(scope, route, winners);
  const out: MeshGatewayListener[] = [];
  for (const l of scope.listeners) {
    if (!l.programmed || l.listener.protocol !== 'TCP') continue;
    const tags: Record<string, string> = { [LISTENER_NAME_TAG]: l.listener.name, [LISTENER_PORT_TAG]: String(l.listener.port) };
    const w = winners.get(l.listener.name);
    if (w) tags[TCPROUTE_TAG] = ownerLabelValue(w.metadata.namespace ?? '', w.metadata.name);
    // Gateway API ignores a TCP listener's hostname; Kuma would not match on it either.
    out.push({ hostname: '*', port: l.listener.port, protocol: 'TCP', tags });
  }
  return out;
}

function translateOne(scope: GatewayScope, route: TCPRoute, winners: Map<string, TCPRoute>): void {
  const { snap } = scope;
  const ns = route.metadata.namespace ?? '';
  const me = `${ns}/${route.metadata.name}`;
  const rk = routeKey('TCPRoute', ns, route.metadata.name);
  const { backends, failures } = resolveRules(scope, route);
  const generation = route.metadata.generation ?? 1;
  const routeMesh = meshOf(route, snap.namespaces.get(ns));
  const facts = { kind: 'TCPRoute' as const, namespace: ns, hostnames: undefined, namespaceLabels: snap.namespaceLabels(ns) };
  let wonProgrammed = false;
  for (const { ref, namespace, listeners, rejected } of unitParents(scope, route)) {
    const emit = (accepted: Condition, lost: string[] = []) =>
      addRouteParent(scope.unit, rk, parentStatus(ref, snap.options.controllerName, generation, { accepted, backendFailures: failures, partiallyInvalid: lost }));
    if (rejected) { emit(rejected); continue; }
    const att = attachToGateway(facts, ref, namespace, listeners);
    if (!att.ok) { emit(att.accepted); continue; }
    const meshProblem = meshRejection(scope, routeMesh, false);
    if (meshProblem) { emit(meshProblem); continue; }
    const won: string[] = [];
    const lost: string[] = [];
    for (const a of att.attachments) {
      const name = a.listener.listener.name;
      const owner = winners.get(name);
      const ownerName = owner && `${owner.metadata.namespace ?? ''}/${owner.metadata.name}`;
      if (owner && ownerName !== me) { lost.push(`listener ${name} is already served by older TCPRoute ${ownerName}`); continue; }
      winners.set(name, route);
      won.push(name);
      if (a.listener.programmed) wonProgrammed = true;
    }
    if (won.length === 0) { emit(routeListenersTaken(lost)); continue; }
    emit(ok.accepted(), lost);
    for (const name of won) markAttached(scope, name, rk);
  }
  if (backends.length > 0 && wonProgrammed) pushRouteObject(scope, rk, meshTCPRoute(scope, route, TCPROUTE_TAG, backends));
}

/**
 * The MeshTCPRoute of a TCPRoute (or TLSRoute: tlsroute.ts) on one Gateway, selecting the
 * MeshGateway listeners tagged `tagKey: <route>`. The route kind is part of the name's hash, so a
 * TLSRoute and a TCPRoute of one name on one Gateway never share a MeshTCPRoute name.
 */
export function meshTCPRoute(scope: GatewayScope, route: { kind: string; metadata: { namespace?: string; name: string } }, tagKey: string, backendRefs: MeshBackendRef[]): MeshTCPRoute {
  const ns = route.metadata.namespace ?? '';
  const parent = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: scope.gwNamespace, name: scope.gw.metadata.name };
  // TLSRoute keeps its original name (no section); sectionNames are lower-case, so 'TCPRoute' is no listener's.
  const name = parentScopedRouteName(ns, route.metadata.name, route.kind === 'TLSRoute' ? parent : { ...parent, sectionName: route.kind });
  return {
    apiVersion: KUMA_API_VERSION,
    kind: 'MeshTCPRoute',
    metadata: {
      name,
      namespace: scope.snap.options.systemNamespace,
      labels: generatedLabels({ kind: route.kind, namespace: ns, name: route.metadata.name }, scope.snap.options.controllerName, scope.mesh, scope.snap.options.zone, scope.gw.metadata.name),
    },
    spec: {
      targetRef: { kind: 'MeshGateway', name: scope.meshGatewayName, tags: { [tagKey]: ownerLabelValue(ns, route.metadata.name) } },
      to: [{ targetRef: { kind: 'Mesh' }, rules: [{ default: { backendRefs } }] }],
    },
  };
}

// ---- UDPRoute: status only -------------------------------------------------------------------

/**
 * Every parentRef of a UDPRoute naming this Gateway gets Accepted=False/NotAllowedByListeners
 * saying meshgate serves no UDP (no listener of meshgate's can admit the kind: UDP listeners are
 * refused with UnsupportedProtocol), and ResolvedRefs computed as for any route. Never silence.
 */
export function translateUDPRoutes(scope: GatewayScope, routes: UDPRoute[]): void {
  for (const route of routes) {
    const ns = route.metadata.namespace ?? '';
    const rk: RouteKey = routeKey('UDPRoute', ns, route.metadata.name);
    const { failures } = resolveRules(scope, route);
    for (const { ref, listeners } of unitParents(scope, route)) {
      addRouteParent(scope.unit, rk, parentStatus(ref, scope.snap.options.controllerName, route.metadata.generation ?? 1, {
        accepted: routeKindNotImplemented(udpMessage(scope, ref, listeners)),
        backendFailures: failures,
      }));
    }
  }
}

function udpMessage(scope: GatewayScope, ref: ParentReference, listeners: ListenerResult[]): string {
  const udp = listeners.filter((l) => l.listener.protocol === 'UDP' && (ref.sectionName === undefined || l.name === ref.sectionName)).map((l) => l.name);
  const which = udp.length > 0 ? ` (its UDP listeners, refused with UnsupportedProtocol: ${listOf(udp)})` : '';
  return `UDPRoute is not implemented by meshgate: Kuma's gateway proxies no UDP, so no listener of Gateway ${scope.gwNamespace}/${scope.gw.metadata.name} can serve it${which}`;
}
