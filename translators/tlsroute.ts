// TLSRoutes attached to one Gateway → SNI routing. Each (listener, hostname) a route wins becomes
// its own TLS MeshGateway listener (Kuma matches SNI per listener hostname) in the Gateway
// listener's mode: PASSTHROUGH, or TERMINATE with the listener's certificates (copied into the
// mesh), tagged with the route; one MeshTCPRoute per (route, Gateway) forwards those listeners to
// the backends. Many hostnames share one port; the oldest route wins a contested hostname.
import type { TLSRoute } from './api/gateway-api';
import type { MeshBackendRef, MeshGatewayListener } from './api/kuma';
import type { Condition } from './api/meta';
import { attachToGateway } from './attachment';
import { resolveBackend } from './backends';
import { meshOf } from './mesh';
import type { ListenerResult } from './listener';
import { tlsMode } from './listener';
import { LISTENER_NAME_TAG, LISTENER_PORT_TAG, ownerLabelValue, secretCopyName, SNI_TAG } from './naming';
import { nsNameOf } from './keys';
import { meshTCPRoute } from './tcproute';
import { parentStatus } from './route-status';
import type { GatewayScope } from './scope';
import { backendContext, markAttached, meshRejection, unitParents } from './scope';
import { routeKey } from './keys';
import { ok } from './status/conditions';
import { routeHostnamesTaken } from './status/route';
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
  const { snap } = scope;
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
  let wonProgrammed = false; // a MeshTCPRoute only where a MeshGateway listener selects it
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
      const l = a.listener.listener;
      for (const host of a.hostnames) {
        const key = `${l.port}|${host}`;
        const owner = claims.get(key);
        if (owner && owner.route !== me) { lost.push(`hostname ${host} on listener ${l.name} is already routed by older TLSRoute ${owner.route}`); continue; }
        won.push(l.name);
        if (a.listener.programmed) wonProgrammed = true;
        if (owner) continue; // this route already claimed it through another parentRef
        claims.set(key, { route: me, listener: l.name });
        if (a.listener.programmed) out.push(sniListener(scope, a.listener, host, tag));
      }
    }
    if (won.length === 0) {
      emit(routeHostnamesTaken(lost));
      continue;
    }
    emit(ok.accepted(), lost);
    for (const name of new Set(won)) markAttached(scope, name, rk);
  }
  if (backends.length > 0 && wonProgrammed) pushRouteObject(scope, rk, meshTCPRoute(scope, route, TLSROUTE_TAG, backends));
  return out;
}

/** `*` is not a valid Kuma tag value character; `_` cannot occur in DNS names, so no clash. */
export function sniTagValue(host: string): string {
  return host.replace(/\*/g, '_');
}

function sniListener(scope: GatewayScope, l: ListenerResult, host: string, routeTag: string): MeshGatewayListener {
  const { name, port } = l.listener;
  return {
    hostname: host,
    port,
    protocol: 'TLS',
    tls: tlsMode(l.listener) === 'Passthrough' ? { mode: 'PASSTHROUGH' } : terminate(scope, l),
    tags: { [LISTENER_NAME_TAG]: name, [LISTENER_PORT_TAG]: String(port), [SNI_TAG]: sniTagValue(host), [TLSROUTE_TAG]: routeTag },
  };
}

/** TLS Terminate: the listener's certificates, as the mesh-scoped copies HTTPS listeners use. */
function terminate(scope: GatewayScope, l: ListenerResult): MeshGatewayListener['tls'] {
  for (const c of l.certificates) scope.unit.secretCopies.push({ source: nsNameOf(c.secret), mesh: scope.mesh });
  return { mode: 'TERMINATE', certificates: l.certificates.map((c) => ({ secret: secretCopyName(scope.mesh, c.secret.metadata.namespace ?? '', c.secret.metadata.name) })) };
}
