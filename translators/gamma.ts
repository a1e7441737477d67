// HTTPRoutes and GRPCRoutes whose parent is a Service (GAMMA) → mesh routing. A producer route (same namespace
// as the Service) applies mesh-wide; a consumer route only to clients in the route's namespace.
// Several parentRefs to one Service merge into one MeshHTTPRoute.
import type { GRPCRoute, HTTPRoute, ParentReference } from './api/gateway-api';
import type { MeshHTTPRoute } from './api/kuma';
import { KUMA_API_VERSION } from './api/kuma';
import type { Condition, Service, ServicePort } from './api/meta';
import { convertHTTPRules } from './httproute-rules';
import { convertGRPCRules } from './grpcroute-rules';
import { meshNameProblem, meshOf } from './mesh';
import { generatedLabels, grpcServiceScopedRouteName, serviceScopedRouteName } from './naming';
import { parentStatus } from './route-status';
import { backendContext } from './scope';
import type { RouteKey, Snapshot } from './snapshot';
import { isServiceParent } from './snapshot';
import { ok } from './status/conditions';
import { routeInvalidMesh, routeRulesUnacceptable, routeServiceHeadless, routeServiceMissing, routeServiceNoPort, routeServiceOtherMesh } from './status/route';
import type { UnitOutput } from './unit';
import { addRouteParent, emptyUnit } from './unit';

export function translateGammaRoute(snap: Snapshot, rk: RouteKey): UnitOutput | undefined {
  const route = snap.route(rk);
  if (!route || (route.kind !== 'HTTPRoute' && route.kind !== 'GRPCRoute')) return undefined;
  const parents = (route.spec.parentRefs ?? []).filter(isServiceParent);
  if (parents.length === 0) return undefined;
  const unit = emptyUnit();
  const ns = route.metadata.namespace ?? '';
  const generation = route.metadata.generation ?? 1;
  const ctx = backendContext(snap, route.kind, ns, true);
  const converted = route.kind === 'GRPCRoute' ? convertGRPCRules(route.spec.rules ?? [], ctx) : convertHTTPRules(route.spec.rules ?? [], ctx);
  const problems = converted.problems.map((p) => `spec.rules[${p.ruleIndex}].${p.field}: ${p.message}`);
  const routeMesh = meshOf(route, snap.namespaces.get(ns));
  const bySvc = new Map<string, { svc: Service; ports: Set<number> }>();
  for (const ref of parents) {
    const svcNs = ref.namespace || ns;
    const svc = snap.services.get(`${svcNs}/${ref.name}`);
    let accepted: Condition = ok.accepted();
    const picked = svc ? pickPorts(svc, ref) : [];
    if (!svc) accepted = routeServiceMissing(`${svcNs}/${ref.name}`);
    else if (svc.spec?.clusterIP === 'None') accepted = routeServiceHeadless(`${svcNs}/${ref.name}`);
    else if (picked.length === 0) accepted = routeServiceNoPort(`${svcNs}/${ref.name}`, ref.port);
    else if (meshOf(svc, snap.namespaces.get(svcNs)) !== routeMesh) accepted = routeServiceOtherMesh(`${svcNs}/${ref.name}`, meshOf(svc, snap.namespaces.get(svcNs)), routeMesh);
    else if (meshNameProblem(routeMesh)) accepted = routeInvalidMesh(meshNameProblem(routeMesh)!);
    else if (converted.fatal) accepted = routeRulesUnacceptable(converted.fatal);
    addRouteParent(unit, rk, parentStatus(ref, snap.options.controllerName, generation, { accepted, backendFailures: converted.backendFailures, partiallyInvalid: problems }));
    if (accepted.status !== 'True' || !svc) continue;
    const entry = bySvc.get(`${svcNs}/${ref.name}`) ?? { svc, ports: new Set<number>() };
    for (const p of picked) entry.ports.add(p.port);
    bySvc.set(`${svcNs}/${ref.name}`, entry);
  }
  if (route.spec.hostnames?.length) {
    unit.diagnostics.push({ severity: 'info', object: { kind: route.kind, namespace: ns, name: route.metadata.name }, field: 'spec.hostnames', message: 'hostnames have no effect on routes whose parent is a Service' });
  }
  for (const { svc, ports } of bySvc.values()) unit.objects.push(meshRoute(snap, route, svc, [...ports].sort((a, b) => a - b), routeMesh, converted.rules));
  return unit;
}

function pickPorts(svc: Service, ref: ParentReference): ServicePort[] {
  const raw: unknown = svc.spec?.ports;
  const ports = Array.isArray(raw) ? raw.filter((p): p is ServicePort => typeof p === 'object' && p !== null && Number.isInteger(p.port)) : [];
  return ref.port === undefined ? ports : ports.filter((p) => p.port === ref.port);
}

function meshRoute(snap: Snapshot, route: HTTPRoute | GRPCRoute, svc: Service, ports: number[], mesh: string, rules: MeshHTTPRoute['spec']['to'][number]['rules']): MeshHTTPRoute {
  const ns = route.metadata.namespace ?? '';
  const svcNs = svc.metadata.namespace ?? '';
  const producer = ns === svcNs;
  return {
    apiVersion: KUMA_API_VERSION,
    kind: 'MeshHTTPRoute',
    metadata: {
      name: (route.kind === 'GRPCRoute' ? grpcServiceScopedRouteName : serviceScopedRouteName)(ns, route.metadata.name, svcNs, svc.metadata.name),
      namespace: snap.options.systemNamespace,
      labels: generatedLabels({ kind: route.kind, namespace: ns, name: route.metadata.name }, snap.options.controllerName, mesh, snap.options.zone, undefined),
    },
    spec: {
      targetRef: producer ? { kind: 'Mesh' } : { kind: 'MeshSubset', tags: { 'k8s.kuma.io/namespace': ns } },
      to: ports.map((port) => ({ targetRef: { kind: 'MeshService', name: `${svc.metadata.name}_${svcNs}_svc_${port}` }, rules })),
    },
  };
}
