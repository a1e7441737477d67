// HTTPRoutes attached to one Gateway → one MeshHTTPRoute per (route, parentRef, listener), plus
// each parent's status. Routes are visited oldest first so that, where two routes claim the
// same listener, hostnames and match, the older keeps it (Kuma would break the tie by name).
import type { HTTPRoute, ParentReference } from './api/gateway-api';
import type { MeshHTTPRoute, MeshHTTPRule } from './api/kuma';
import { KUMA_API_VERSION } from './api/kuma';
import { attachToGateway } from './attachment';
import { convertHTTPRules } from './httproute-rules';
import { meshOf } from './mesh';
import { LISTENER_NAME_TAG, MESH_LABEL, ownerLabels, parentScopedRouteName } from './naming';
import { parentStatus } from './route-status';
import type { GatewayScope } from './scope';
import { backendContext, markAttached } from './scope';
import { isGatewayParent, routeKey } from './snapshot';
import { condition, ok, Reason, Type } from './status/conditions';
import { addRouteParent } from './unit';

export function parentsToGateway(route: { metadata: { namespace?: string } ; spec: { parentRefs?: ParentReference[] } }, gwNamespace: string, gwName: string): ParentReference[] {
  const ns = route.metadata.namespace ?? '';
  return (route.spec.parentRefs ?? []).filter((p) => isGatewayParent(p) && p.name === gwName && (p.namespace || ns) === gwNamespace);
}

export function translateHTTPRoutes(scope: GatewayScope, routes: HTTPRoute[]): void {
  const claimed = new Set<string>();
  for (const route of routes) translateOne(scope, route, claimed);
}

function translateOne(scope: GatewayScope, route: HTTPRoute, claimed: Set<string>): void {
  const { snap, gw } = scope;
  const ns = route.metadata.namespace ?? '';
  const rk = routeKey('HTTPRoute', ns, route.metadata.name);
  const generation = route.metadata.generation ?? 1;
  const converted = convertHTTPRules(route.spec.rules ?? [], backendContext(snap, 'HTTPRoute', ns, false));
  const failures = converted.backendFailures;
  const problems = converted.problems.map((p) => `spec.rules[${p.ruleIndex}].${p.field}: ${p.message}`);
  const routeMesh = meshOf(route, snap.namespaces.get(ns));
  const facts = { kind: 'HTTPRoute' as const, namespace: ns, hostnames: route.spec.hostnames, namespaceLabels: snap.namespaceLabels(ns) };
  for (const ref of parentsToGateway(route, scope.gwNamespace, gw.metadata.name)) {
    const emit = (accepted = ok.accepted()) =>
      addRouteParent(scope.unit, rk, parentStatus(ref, snap.options.controllerName, generation, { accepted, backendFailures: failures, partiallyInvalid: problems }));
    const att = attachToGateway(facts, ref, scope.gwNamespace, scope.listeners);
    if (!att.ok) { emit(att.accepted); continue; }
    if (routeMesh !== scope.mesh) {
      emit(condition(Type.Accepted, 'False', Reason.NotAllowedByListeners, `route is in mesh "${routeMesh}" but Gateway ${scope.gwNamespace}/${gw.metadata.name} is in mesh "${scope.mesh}"; set label kuma.io/mesh=${scope.mesh} on the route or its namespace`));
      continue;
    }
    if (converted.fatal) { emit(condition(Type.Accepted, 'False', converted.fatal.reason, converted.fatal.message)); continue; }
    emit();
    for (const a of att.attachments) {
      markAttached(scope, a.listener.listener.name, rk);
      if (!a.listener.programmed) continue;
      const rules = unclaimedRules(converted.rules, `${a.listener.listener.name}|${a.hostnames.join(',')}`, claimed);
      if (rules.length === 0) continue;
      scope.unit.objects.push(meshHTTPRoute(scope, route, ref, a.listener.listener.name, route.spec.hostnames?.length ? a.hostnames : undefined, rules));
    }
  }
}

/** Drops matches an older route already claimed on the same listener and hostnames. */
function unclaimedRules(rules: MeshHTTPRule[], scopeKey: string, claimed: Set<string>): MeshHTTPRule[] {
  const out: MeshHTTPRule[] = [];
  for (const rule of rules) {
    const matches = rule.matches.filter((m) => {
      const k = `${scopeKey}|${JSON.stringify(m)}`;
      if (claimed.has(k)) return false;
      claimed.add(k);
      return true;
    });
    if (matches.length > 0) out.push(matches.length === rule.matches.length ? rule : { ...rule, matches });
  }
  return out;
}

function meshHTTPRoute(scope: GatewayScope, route: HTTPRoute, ref: ParentReference, listenerName: string, hostnames: string[] | undefined, rules: MeshHTTPRule[]): MeshHTTPRoute {
  const ns = route.metadata.namespace ?? '';
  const name = parentScopedRouteName(ns, route.metadata.name, {
    group: ref.group ?? '', kind: ref.kind ?? 'Gateway', namespace: ref.namespace || ns, name: ref.name,
    sectionName: listenerName, port: ref.port,
  });
  const to: MeshHTTPRoute['spec']['to'][number] = { targetRef: { kind: 'Mesh' }, rules };
  if (hostnames) to.hostnames = hostnames;
  return {
    apiVersion: KUMA_API_VERSION,
    kind: 'MeshHTTPRoute',
    metadata: {
      name,
      namespace: scope.snap.options.systemNamespace,
      labels: { ...ownerLabels('HTTPRoute', ns, route.metadata.name, scope.snap.options.controllerName), [MESH_LABEL]: scope.mesh },
    },
    spec: {
      targetRef: { kind: 'MeshGateway', name: scope.meshGatewayName, tags: { [LISTENER_NAME_TAG]: listenerName } },
      to: [to],
    },
  };
}
