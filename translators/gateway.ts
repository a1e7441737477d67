// One Gateway → MeshGateway + Deployment + Service + the routes attached to it + its status.
// This is the unit of incremental translation: it reads only its class, config, listeners'
// Secrets, the routes naming it and what those reference.
import type { Gateway, GRPCRoute, HTTPRoute, ListenerSet, TCPRoute, TLSRoute, UDPRoute } from './api/gateway-api';
import type { GatewayStatusUpdate } from './result';
import { blockedListenerSets, emitListenerSetStatuses, listenerSetsOf, scopeListenerSets } from './listenerset';
import type { MeshGateway, MeshGatewayConfig, MeshGatewayListener } from './api/kuma';
import { KUMA_API_VERSION, KUMA_GROUP } from './api/kuma';
import type { Condition, KubeObject } from './api/meta';
import type { ClassResult } from './gatewayclass';
import { configProblem } from './gatewayclass';
import { convertHTTPRoute, translateHTTPRoutes } from './httproute';
import { convertGRPCRoute, hasGRPCRouteCRD, routeKindConflicts, translateGRPCRoutes } from './grpcroute';
import { controlPlaneCA } from './control-plane-ca';
import { buildDeployment, buildService, serviceType } from './infra';
import { gatewayAddresses, proxyProgrammed, proxyState } from './readiness';
import type { ListenerResult } from './listener';
import { validateListeners } from './listener';
import { meshNameProblem, meshOf } from './mesh';
import { gatewayServiceTag, gatewayWorkloadNames, generatedLabels, LISTENER_NAME_TAG, LISTENER_PORT_TAG, MANAGED_BY_LABEL, MANAGED_BY_VALUE, meshGatewayName, secretCopyName, SERVICE_TAG } from './naming';
import { isReferencePermitted } from './reference-grant';
import { sortRoutesByPrecedence } from './route-precedence';
import type { GatewayScope } from './scope';
import { gatewayListeners } from './scope';
import type { Snapshot } from './snapshot';
import { ok, Type } from './status/conditions';
import {
  blockedGatewayConditions, gatewayAddressesUnsupported, gatewayClassNotAccepted, gatewayClientCertFailed, gatewayConditions, gatewayInvalidMesh,
  gatewayListenersNotResolved, gatewayParametersInvalid, gatewayParametersNotFound, gatewayParametersWrongKind, gatewayStatus, listenerStatuses,
} from './status/gateway';
import { resolveCertificateRef } from './tls-secret';
import type { CertLookup } from './tls-secret';
import { translateTLSRoutes } from './tlsroute';
import { translateTCPRoutes, translateUDPRoutes } from './tcproute';
import type { RouteConverter, UnitOutput } from './unit';
import { emptyUnit } from './unit';
import type { RouteKey } from './keys';
import { nsName, nsNameOf, objectKey } from './keys';
import { pendingRouteParents } from './pending';
import { dropNameLosers } from './name-collisions';
import { proxyServiceProblem, rejectUnexposedPorts, unmanagedAddresses, unmanagedProgrammed, unmanagedProxy } from './unmanaged';

export function certLookup(snap: Snapshot): CertLookup {
  return {
    findSecret: (ns, name) => snap.secrets.get(nsName(ns, name)),
    isPermitted: (toNs, from, to) => isReferencePermitted(snap.grantsIn(toNs), from, to),
    secretNamespaces: snap.options.secretNamespaces,
  };
}

/** The pure converter of either kind that becomes MeshHTTPRoutes (the engine memoises this one: route-memo.ts). */
export const convertMeshHTTPRoutePart: RouteConverter = (scope, rk, route, claimed, lost) =>
  (route.kind === 'GRPCRoute' ? convertGRPCRoute : convertHTTPRoute)(scope, rk, route, claimed, lost);

/** `convertRoute`: how each HTTPRoute and GRPCRoute is converted (the engine passes a memoised one: route-memo.ts). */
export function translateGateway(snap: Snapshot, gwKey: string, cls: ClassResult | undefined, convertRoute?: RouteConverter): UnitOutput | undefined {
  const gw = snap.gateways.get(gwKey);
  if (!gw || !cls) return undefined; // not ours: no objects, no status
  const unit = emptyUnit();
  const generation = gw.metadata.generation ?? 1;
  const ns = gw.metadata.namespace ?? '';
  const blocked = gatewayBlocker(snap, gw, cls);
  if (blocked) {
    unit.gatewayStatus = withListenerSets(gw, gatewayStatus(gw, generation, blockedGatewayConditions(blocked), [], []), snap.listenerSetsOfGateway(gwKey).size, 0);
    pendingRouteParents(snap, unit, gw, blocked.message);
    blockedListenerSets(snap, unit, gw, gwKey, blocked.message);
    return unit;
  }
  const config = effectiveConfig(snap, gw, cls);
  const mesh = meshOf(gw, snap.namespaces.get(ns));
  // Unmanaged (unmanaged.ts): the proxy's own Service decides which listener ports exist, ListenerSets' too.
  const byo = unmanagedProxy(gw, snap.services);
  const sets = listenerSetsOf(snap, gw, gwKey);
  const listeners = rejectUnexposedPorts(validateListeners(gw.spec.listeners, {
    gatewayNamespace: ns,
    crossMesh: config?.spec?.crossMesh === true,
    frontendValidation: gw.spec.tls?.frontend !== undefined,
    certs: certLookup(snap),
    now: snap.options.now,
    noGRPCRoute: !hasGRPCRouteCRD(snap.crds),
  }, sets.allowed), byo);
  const scope: GatewayScope = {
    snap, gw, gwNamespace: ns, mesh, meshGatewayName: meshGatewayName(ns, gw.metadata.name), listeners, listenerSets: scopeListenerSets(sets, listeners, gwKey),
    unit, attached: new Map(), listenerTags: new Map(),
  };
  const { http, grpc, tls, tcp, udp } = attachedRoutes(snap, gwKey, sets.all);
  // HTTPRoutes and GRPCRoutes sharing a hostname on a listener; nothing to do without GRPCRoutes.
  const lost = routeKindConflicts(scope, http, grpc);
  const convert = convertRoute ?? convertMeshHTTPRoutePart;
  translateHTTPRoutes(scope, http, convert, lost.size ? (r) => lost.get(r) : undefined);
  translateGRPCRoutes(scope, grpc, convert, (r) => lost.get(r));
  const routed = [...translateTLSRoutes(scope, tls), ...translateTCPRoutes(scope, tcp)];
  translateUDPRoutes(scope, udp); // status only
  const sni = dropNameLosers(scope, routed);
  emitGatewayObjects(scope, config, sni, byo?.ref.serviceTag);
  const proxy = proxyState(gw, snap.deployments, snap.services);
  const addresses = byo ? unmanagedAddresses(byo) : gatewayAddresses(proxy, serviceType(config?.spec ?? {}));
  const foreign = snap.foreign.size === 0 ? [] : unit.objects.filter((o) => snap.foreign.has(objectKey(o)));
  const programmed = () => (byo ? unmanagedProgrammed(byo, addresses) : proxyProgrammed(gw, proxy, config?.spec ?? {}, addresses));
  const own = gatewayListeners(scope); // the Gateway's status covers its own listeners only (GEP-1713)
  const conditions = gatewayConditions(own, programmed, takenNames(snap, gw, foreign, !byo), gatewayResolvedRefs(snap, gw, own));
  const attachedSets = emitListenerSetStatuses(scope, sets, conditions);
  unit.gatewayStatus = withListenerSets(gw, gatewayStatus(gw, generation, conditions, listenerStatuses(own, scope.attached, generation), addresses), sets.all.length, attachedSets);
  return unit;
}

/** status.attachedListenerSets where the Gateway allows or has ListenerSets (elsewhere the field stays unset). */
function withListenerSets(gw: Gateway, st: GatewayStatusUpdate, sets: number, attached: number): GatewayStatusUpdate {
  return sets > 0 || gw.spec.allowedListeners !== undefined ? { ...st, attachedListenerSets: attached } : st;
}

function gatewayBlocker(snap: Snapshot, gw: Gateway, cls: ClassResult): Condition | undefined {
  if (!cls.accepted) {
    return gatewayClassNotAccepted(gw.spec.gatewayClassName, cls.conditions.find((c) => c.type === Type.Accepted)?.message);
  }
  const ref = gw.spec.infrastructure?.parametersRef;
  if (ref) {
    if (ref.group !== KUMA_GROUP || ref.kind !== 'MeshGatewayConfig') {
      return gatewayParametersWrongKind(ref.kind, ref.group);
    }
    const cfg = snap.meshGatewayConfigs.get(ref.name);
    if (!cfg) return gatewayParametersNotFound(ref.name);
    const problem = configProblem(cfg);
    if (problem) return gatewayParametersInvalid(ref.name, problem);
  }
  const badProxyService = proxyServiceProblem(gw);
  if (badProxyService) return badProxyService;
  const badMesh = meshNameProblem(meshOf(gw, snap.namespaces.get(gw.metadata.namespace ?? '')));
  if (badMesh) return gatewayInvalidMesh(badMesh);
  if (gw.spec.addresses && gw.spec.addresses.length > 0) {
    return gatewayAddressesUnsupported();
  }
  return undefined;
}

function effectiveConfig(snap: Snapshot, gw: Gateway, cls: ClassResult): MeshGatewayConfig | undefined {
  const ref = gw.spec.infrastructure?.parametersRef;
  return (ref && snap.meshGatewayConfigs.get(ref.name)) || cls.config;
}

function attachedRoutes(snap: Snapshot, gwKey: string, sets: ListenerSet[]): { http: HTTPRoute[]; grpc: GRPCRoute[]; tls: TLSRoute[]; tcp: TCPRoute[]; udp: UDPRoute[] } {
  const http: HTTPRoute[] = [];
  const grpc: GRPCRoute[] = [];
  const tls: TLSRoute[] = [];
  const tcp: TCPRoute[] = [];
  const udp: UDPRoute[] = [];
  let keys: Iterable<RouteKey> = snap.routesOfGateway(gwKey);
  if (sets.length > 0) {
    const all = new Set(keys);
    for (const ls of sets) for (const rk of snap.routesOfListenerSet(nsNameOf(ls))) all.add(rk);
    keys = all;
  }
  for (const rk of keys) {
    const r = snap.route(rk);
    if (!r) continue;
    if (r.kind === 'HTTPRoute') http.push(r);
    else if (r.kind === 'GRPCRoute') grpc.push(r);
    else if (r.kind === 'TCPRoute') tcp.push(r);
    else if (r.kind === 'UDPRoute') udp.push(r);
    else tls.push(r as TLSRoute);
  }
  return { http: sortRoutesByPrecedence(http), grpc: sortRoutesByPrecedence(grpc), tls: sortRoutesByPrecedence(tls), tcp: sortRoutesByPrecedence(tcp), udp: sortRoutesByPrecedence(udp) };
}

/**
 * `routed`: the TLS (per SNI) and TCP listeners, whose tags name the route serving them.
 * `unmanagedTag`: the proxy is the user's (unmanaged.ts): select it by this tag, generate no Deployment or Service.
 */
function emitGatewayObjects(scope: GatewayScope, config: MeshGatewayConfig | undefined, routed: MeshGatewayListener[], unmanagedTag?: string): void {
  const { snap, gw, listeners, mesh, unit } = scope;
  const ns = scope.gwNamespace;
  const crossMesh = config?.spec?.crossMesh === true;
  const mgwListeners: MeshGatewayListener[] = [];
  for (const l of listeners) {
    if (!l.programmed || l.listener.protocol === 'TLS' || l.listener.protocol === 'TCP') continue;
    const entry: MeshGatewayListener = {
      hostname: l.listener.hostname || '*',
      port: l.listener.port,
      protocol: l.listener.protocol as 'HTTP' | 'HTTPS',
      tags: { [LISTENER_NAME_TAG]: l.listener.name, [LISTENER_PORT_TAG]: String(l.listener.port) },
    };
    if (crossMesh) entry.crossMesh = true;
    if (l.listener.protocol === 'HTTPS') {
      entry.tls = { mode: 'TERMINATE', certificates: l.certificates.map((c) => ({ secret: secretCopyName(mesh, c.secret.metadata.namespace ?? '', c.secret.metadata.name) })) };
      for (const c of l.certificates) unit.secretCopies.push({ source: nsNameOf(c.secret), mesh });
    }
    mgwListeners.push(entry);
  }
  mgwListeners.push(...routed);
  const serviceTag = unmanagedTag ?? gatewayServiceTag(ns, gw.metadata.name);
  if (mgwListeners.length > 0) {
    const mgw: MeshGateway = {
      apiVersion: KUMA_API_VERSION,
      kind: 'MeshGateway',
      mesh,
      metadata: { name: scope.meshGatewayName, labels: generatedLabels({ kind: 'Gateway', namespace: ns, name: gw.metadata.name }, snap.options.controllerName, mesh, undefined, gw.metadata.name) },
      spec: { selectors: [{ match: { [SERVICE_TAG]: serviceTag } }], conf: { listeners: mgwListeners } },
    };
    unit.objects.push(mgw);
  }
  // Kuma's port order: first appearance in spec.listeners (so a Service Kuma made is adopted unchanged).
  const ports = [...new Set(listeners.filter((l) => l.accepted).map((l) => l.listener.port))];
  if (ports.length === 0 || unmanagedTag !== undefined) return;
  const params = { gateway: gw, mesh, config: config?.spec ?? {}, ports, serviceTag, options: snap.options, controlPlaneCACert: controlPlaneCA(snap) };
  const svc = buildService(params);
  if (svc) unit.objects.push(svc);
  unit.objects.push(buildDeployment(params));
}

/** Generated objects (`Kind ns/name`, sorted) whose name an object meshgate did not create already has. */
function takenNames(snap: Snapshot, gw: Gateway, foreign: KubeObject[], generatesService: boolean): string[] {
  const svcName = `${gw.metadata.namespace}/${gatewayWorkloadNames(gw.metadata.name).service}`;
  const svc = snap.services.get(svcName);
  // The Service is watched (its owner is known at once); other kinds are found by the writer.
  const taken = new Set(foreign.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`));
  if (generatesService && svc && svc.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) taken.add(`Service ${svcName}`);
  return [...taken].sort();
}

function gatewayResolvedRefs(snap: Snapshot, gw: Gateway, listeners: ListenerResult[]): Condition {
  const ref = gw.spec.tls?.backend?.clientCertificateRef;
  if (ref) {
    const r = resolveCertificateRef(certLookup(snap), gw.metadata.namespace ?? '', ref);
    if (!r.ok) return gatewayClientCertFailed(r.reason, r.message);
  }
  const unresolved = listeners.filter((l) => l.conditions.some((c) => c.type === Type.ResolvedRefs && c.status === 'False'));
  if (unresolved.length > 0) return gatewayListenersNotResolved(unresolved.map((l) => l.listener.name));
  return ok.resolvedRefs();
}
