// GRPCRoutes attached to one Gateway → MeshHTTPRoutes, exactly as HTTPRoutes (httproute.ts) but
// with method matches as path matches (grpcroute-rules.ts), and the one rule between the two
// kinds: on one listener, an HTTPRoute and a GRPCRoute whose hostnames intersect cannot both be
// accepted; the older (then the first by "{namespace}/{name}") is, the other is rejected there.
import type { GRPCRoute, HTTPRoute } from './api/gateway-api';
import { attachToGateway } from './attachment';
import { convertGRPCRules } from './grpcroute-rules';
import { intersectHostname } from './hostnames';
import type { MeshHTTPRouteKind } from './httproute';
import { meshHTTPRouteConverter, translateMeshHTTPRoutes } from './httproute';
import { unitParents } from './scope';
import type { CRDInfo } from './input';
import { grpcParentScopedRouteName } from './naming';
import { sortRoutesByPrecedence } from './route-precedence';
import type { GatewayScope } from './scope';
import { listOf } from './status/conditions';
import { routeKindConflictDetail } from './status/route';
import type { LostListeners, RouteConverter } from './unit';

export const GRPCROUTE_CRD = 'grpcroutes.gateway.networking.k8s.io';

/** Whether GRPCRoutes can exist: the CRD is installed, or the CRDs are unknown (offline). */
export function hasGRPCRouteCRD(crds: CRDInfo[] | undefined): boolean {
  return !crds || crds.some((c) => c.name === GRPCROUTE_CRD);
}

const GRPC_KIND: MeshHTTPRouteKind<GRPCRoute> = { kind: 'GRPCRoute', convert: convertGRPCRules, name: grpcParentScopedRouteName };

/** The pure converter of one GRPCRoute (the engine memoises it like HTTPRoutes'). */
export const convertGRPCRoute = meshHTTPRouteConverter(GRPC_KIND) as RouteConverter;

export function translateGRPCRoutes(scope: GatewayScope, routes: GRPCRoute[], convert: RouteConverter = convertGRPCRoute, lost?: (route: GRPCRoute) => LostListeners | undefined): void {
  translateMeshHTTPRoutes(scope, routes, convert, lost);
}

type MeshRoute = HTTPRoute | GRPCRoute;

/**
 * For each route that loses a listener to a route of the other kind: listener name → why.
 * Empty unless the Gateway has routes of both kinds. A route counts once its parentRef attaches
 * to the listener (kind, namespace and hostname allowed), in precedence order over both kinds.
 */
export function routeKindConflicts(scope: GatewayScope, http: HTTPRoute[], grpc: GRPCRoute[]): Map<MeshRoute, LostListeners> {
  const lost = new Map<MeshRoute, Map<string, string>>();
  if (http.length === 0 || grpc.length === 0) return lost;
  /** listener → hostnames taken, with the route that took them. */
  const taken = new Map<string, { route: MeshRoute; hostnames: string[] }[]>();
  for (const route of sortRoutesByPrecedence<MeshRoute>([...http, ...grpc])) {
    const ns = route.metadata.namespace ?? '';
    const facts = { kind: route.kind, namespace: ns, hostnames: route.spec.hostnames, namespaceLabels: scope.snap.namespaceLabels(ns) };
    for (const { ref, namespace, listeners, rejected } of unitParents(scope, route)) {
      if (rejected) continue;
      const att = attachToGateway(facts, ref, namespace, listeners);
      if (!att.ok) continue;
      for (const a of att.attachments) {
        const name = a.listener.listener.name;
        const slot = taken.get(name) ?? [];
        const clash = slot.find((t) => t.route.kind !== route.kind && overlap(t.hostnames, a.hostnames));
        if (!clash) {
          slot.push({ route, hostnames: a.hostnames });
          taken.set(name, slot);
          continue;
        }
        let m = lost.get(route);
        if (!m) lost.set(route, (m = new Map()));
        const winner = `${clash.route.kind} ${clash.route.metadata.namespace ?? ''}/${clash.route.metadata.name}`;
        m.set(name, routeKindConflictDetail(name, listOf(a.hostnames), winner));
      }
    }
  }
  return lost;
}

/** Do two lists of effective hostnames (`*` = any) share a hostname? */
function overlap(a: string[], b: string[]): boolean {
  return a.some((x) => b.some((y) => x === '*' || y === '*' || intersectHostname(x, y) !== undefined));
}
