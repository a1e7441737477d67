// TLSRoutes attached to one Gateway → SNI passthrough. Each (listener, hostname) a route wins
// becomes its own TLS/PASSTHROUGH MeshGateway listener (Kuma matches SNI per listener hostname),
// tagged with the route, and one MeshTCPRoute per (route, Gateway) forwards those listeners to
// the backends. Many hostnames share one port; the oldest route wins a contested hostname.
import type { TLSRoute } from './api/gateway-api';
import type { MeshBackendRef, MeshGatewayListener, MeshTCPRoute } from './api/kuma';
import { KUMA_API_VERSION } from './api/kuma';
import type { Condition } from './api/meta';
import { attachToGateway } from './attachment';
import { resolveBackend } from './backends';
import { meshNameProblem, meshOf } from './mesh';
import { LISTENER_NAME_TAG, LISTENER_PORT_TAG, MESH_LABEL, ownerLabels, ownerLabelValue, parentScopedRouteName, SNI_TAG, zoneOriginLabels } from './naming';
import { parentsToGateway } from './httproute';
import { parentStatus } from './route-status';
import type { GatewayScope } from './scope';
import { backendContext, markAttached } from './scope';
import type { RouteKey } from './keys';
import { routeKey } from './keys';
import { ok } from './status/conditions';
import { routeHostnamesTaken, routeInvalidMesh, routeMeshMismatch } from './status/route';
import { addRouteParent } from './unit';
import { pushRouteObject } from './name-collisions';

export const TLSROUTE_TAG = 'meshgate.io/tlsroute';

interface Claim {
  route: string; // ns/name
  listener: string;
}

/** Returns the SNI listeners to add to the MeshGateway. */
export function translateTLSRoutes(scope: GatewayScope, routes: TLSRoute[]): MeshGatewayListener[] {
  const claims = new Map<string, Claim>(); // `${port}|${sni}` → winner
  const sniListeners: MeshGatewayListener[] = [];
  for (const route of routes) sniListeners.push(...translateOne(scope, route, claims));
  return sniListeners;
}

function translateOne(scope: GatewayScope, route: TLSRoute, claims: Map<string, Claim>): MeshGatewayListener[] {
  const { snap, gw } = scope;
  const ns = route.metadata.namespace ?? '';
  const rk = routeKey('TLSRoute', ns, route.metadata.name);
  const me = `${ns}/${route.metadata.name}`;
  const generation = route.metadata.generation ?? 1;
  const bctx = backendContext(snap, 'TLSRoute', ns, false);
  const backends: MeshBackendRef[] = [];
  const failures: { reason: string; message: string }[] = [];
  for (const rule of route.spec.rules ?? []) {
    for (const b of rule.backendRefs ?? []) {
      const r = resolveBackend(bctx, b);
      // Kuma's MeshTCPRoute refuses the unresolved-backend placeholder: an unresolved backend is
      // left out (its connections are refused), and with none left no MeshTCPRoute is written.
      if (r.ok) backends.push(r.ref);
      else failures.push({ reason: r.reason, message: r.message });
    }
  }
  const routeMesh = meshOf(route, snap.namespaces.get(ns));
  const facts = { kind: 'TLSRoute' as const, namespace: ns, hostnames: route.spec.hostnames, namespaceLabels: snap.namespaceLabels(ns) };
  const out: MeshGatewayListener[] = [];
  const tag = ownerLabelValue(ns, route.metadata.name);
  for (const ref of parentsToGateway(route, scope.gwNamespace, gw.metadata.name)) {
    const emit = (accepted: Condition, lost: string[] = []) =>
      addRouteParent(scope.unit, rk, parentStatus(ref, snap.options.controllerName, generation, { accepted, backendFailures: failures, partiallyInvalid: lost }));
    const att = attachToGateway(facts, ref, scope.gwNamespace, scope.listeners);
    if (!att.ok) { emit(att.accepted); continue; }
    if (meshNameProblem(routeMesh)) { emit(routeInvalidMesh(meshNameProblem(routeMesh)!)); continue; }
    if (routeMesh !== scope.mesh) {
      emit(routeMeshMismatch(routeMesh, `${scope.gwNamespace}/${gw.metadata.name}`, scope.mesh, false));
      continue;
    }
    const won: string[] = [];
    const lost: string[] = [];
    for (const a of att.attachments) {
      const l = a.listener.listener;
      for (const host of a.hostnames) {
        const key = `${l.port}|${host}`;
        const owner = claims.get(key);
        if (owner && owner.route !== me) { lost.push(`hostname ${host} on listener ${l.name} is already routed by older TLSRoute ${owner.route}`); continue; }
        won.push(l.name);
        if (owner) continue; // this route already claimed it through another parentRef
        claims.set(key, { route: me, listener: l.name });
        if (a.listener.programmed) out.push(sniListener(l.name, l.port, host, tag));
      }
    }
    if (won.length === 0) {
      emit(routeHostnamesTaken(lost));
      continue;
    }
    emit(ok.accepted(), lost);
    for (const name of new Set(won)) markAttached(scope, name, rk);
  }
  if (backends.length > 0 && (out.length > 0 || wonAny(scope, rk))) pushRouteObject(scope, rk, meshTCPRoute(scope, route, tag, backends));
  return out;
}

function wonAny(scope: GatewayScope, rk: RouteKey): boolean {
  for (const s of scope.attached.values()) if (s.has(rk)) return true;
  return false;
}

/** `*` is not a valid Kuma tag value character; `_` cannot occur in DNS names, so no clash. */
export function sniTagValue(host: string): string {
  return host.replace(/\*/g, '_');
}

function sniListener(listenerName: string, port: number, host: string, routeTag: string): MeshGatewayListener {
  return {
    hostname: host,
    port,
    protocol: 'TLS',
    tls: { mode: 'PASSTHROUGH' },
    tags: { [LISTENER_NAME_TAG]: listenerName, [LISTENER_PORT_TAG]: String(port), [SNI_TAG]: sniTagValue(host), [TLSROUTE_TAG]: routeTag },
  };
}

function meshTCPRoute(scope: GatewayScope, route: TLSRoute, tag: string, backendRefs: MeshBackendRef[]): MeshTCPRoute {
  const ns = route.metadata.namespace ?? '';
  const name = parentScopedRouteName(ns, route.metadata.name, {
    group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: scope.gwNamespace, name: scope.gw.metadata.name,
  });
  return {
    apiVersion: KUMA_API_VERSION,
    kind: 'MeshTCPRoute',
    metadata: {
      name,
      namespace: scope.snap.options.systemNamespace,
      labels: { ...ownerLabels('TLSRoute', ns, route.metadata.name, scope.snap.options.controllerName), [MESH_LABEL]: scope.mesh, ...zoneOriginLabels(scope.snap.options.zone) },
    },
    spec: {
      targetRef: { kind: 'MeshGateway', name: scope.meshGatewayName, tags: { [TLSROUTE_TAG]: tag } },
      to: [{ targetRef: { kind: 'Mesh' }, rules: [{ default: { backendRefs } }] }],
    },
  };
}
