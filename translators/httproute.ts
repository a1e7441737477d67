// HTTPRoutes (and GRPCRoutes, grpcroute.ts) attached to one Gateway → one MeshHTTPRoute per (route,
// parentRef, listener), plus each parent's status. Routes are visited oldest first so that, where two
// routes claim the same listener, hostnames and match, the older keeps it (Kuma would break the tie by name).
import type { GRPCRoute, HTTPRoute, ParentReference } from './api/gateway-api';
import type { MeshHTTPRoute, MeshHTTPRouteMatch, MeshHTTPRule } from './api/kuma';
import { KUMA_API_VERSION } from './api/kuma';
import { attachToGateway } from './attachment';
import type { BackendContext } from './backends';
import type { ConvertedRules } from './httproute-rules';
import { convertHTTPRules } from './httproute-rules';
import { meshOf } from './mesh';
import { generatedLabels, LISTENER_NAME_TAG, parentScopedRouteName } from './naming';
import { parentStatus } from './route-status';
import type { GatewayScope } from './scope';
import { backendContext, markAttached, meshRejection, unitParents } from './scope';
import { isGatewayParent } from './snapshot';
import type { RouteKey } from './keys';
import { routeKey } from './keys';
import { ok } from './status/conditions';
import type { Condition } from './api/meta';
import { routeNotAllowedByListeners, routeRulesUnacceptable } from './status/route';
import type { LostListeners, RouteConverter, RoutePart } from './unit';
import { addRouteParent, Claims } from './unit';
import { pushRouteObject } from './name-collisions';

export function parentsToGateway(route: { metadata: { namespace?: string } ; spec: { parentRefs?: ParentReference[] } }, gwNamespace: string, gwName: string): ParentReference[] {
  const ns = route.metadata.namespace ?? '';
  return (route.spec.parentRefs ?? []).filter((p) => isGatewayParent(p) && p.name === gwName && (p.namespace || ns) === gwNamespace);
}

/** What differs between the route kinds that become MeshHTTPRoutes on a Gateway. */
export interface MeshHTTPRouteKind<R extends HTTPRoute | GRPCRoute> {
  kind: R['kind'];
  convert(rules: NonNullable<R['spec']['rules']>, ctx: BackendContext): ConvertedRules;
  name(routeNamespace: string, routeName: string, parent: Parameters<typeof parentScopedRouteName>[2]): string;
}

const HTTP_KIND: MeshHTTPRouteKind<HTTPRoute> = { kind: 'HTTPRoute', convert: convertHTTPRules, name: parentScopedRouteName };

/**
 * Converts each route (of one kind: HTTPRoute or GRPCRoute) with `convert` (the pure converter, or
 * the engine's memoised wrapper of it: route-memo.ts) and adds its part to the unit. `lost`: the
 * listeners a route lost to a route of the other kind (grpcroute.ts routeKindConflicts).
 */
export function translateMeshHTTPRoutes<R extends HTTPRoute | GRPCRoute>(scope: GatewayScope, routes: R[], convert: RouteConverter, lost?: (route: R) => LostListeners | undefined): void {
  const claimed = new Claims();
  for (const route of routes) {
    const rk = routeKey(route.kind, route.metadata.namespace ?? '', route.metadata.name);
    const part = convert(scope, rk, route, claimed, lost?.(route));
    for (const p of part.parents) addRouteParent(scope.unit, rk, p);
    for (const l of part.attached) markAttached(scope, l, rk);
    for (const o of part.objects) pushRouteObject(scope, rk, o);
  }
}

export function translateHTTPRoutes(scope: GatewayScope, routes: HTTPRoute[], convert: RouteConverter = convertHTTPRoute, lost?: (route: HTTPRoute) => LostListeners | undefined): void {
  translateMeshHTTPRoutes(scope, routes, convert, lost);
}

/**
 * The pure converter of one route kind: one route's part of a Gateway unit. Pure apart from
 * `claimed`, where it takes the matches no older route took (and reads those that one did: the
 * part is then `contested`, as it is when it lost listeners to a route of the other kind).
 */
export function meshHTTPRouteConverter<R extends HTTPRoute | GRPCRoute>(kind: MeshHTTPRouteKind<R>) {
  return (scope: GatewayScope, _rk: RouteKey, route: R, claimed: Claims, lost?: LostListeners): RoutePart => convertOne(scope, kind, route, claimed, lost);
}

export const convertHTTPRoute = meshHTTPRouteConverter(HTTP_KIND) as RouteConverter;

const NO_PROBLEMS: string[] = [];

function convertOne<R extends HTTPRoute | GRPCRoute>(scope: GatewayScope, kind: MeshHTTPRouteKind<R>, route: R, claimed: Claims, lost: LostListeners | undefined): RoutePart {
  const { snap, gw } = scope;
  // A part that lost listeners to another kind depends on other routes: never replayed.
  const part: RoutePart = { parents: NONE, attached: NONE, objects: NONE, claims: [], contested: (lost?.size ?? 0) > 0 };
  const ns = route.metadata.namespace ?? '';
  const generation = route.metadata.generation ?? 1;
  const converted = kind.convert((route.spec.rules ?? []) as NonNullable<R['spec']['rules']>, backendContext(snap, kind.kind, ns, false));
  const failures = converted.backendFailures;
  const problems = converted.problems.length === 0 ? NO_PROBLEMS : converted.problems.map((p) => `spec.rules[${p.ruleIndex}].${p.field}: ${p.message}`);
  const routeMesh = meshOf(route, snap.namespaces.get(ns));
  const facts = { kind: kind.kind, namespace: ns, hostnames: route.spec.hostnames, namespaceLabels: snap.namespaceLabels(ns) };
  const emit = (ref: ParentReference, accepted: Condition = ok.accepted()): void => {
    part.parents = append(part.parents, parentStatus(ref, snap.options.controllerName, generation, { accepted, backendFailures: failures, partiallyInvalid: problems }));
  };
  let labels: Record<string, string> | undefined;
  let matchKeys: string[][] | undefined;
  // The previous MeshHTTPRoute's groups and to[]: a route on two listeners with the same
  // hostnames and rules shares one to[] (outputs are never mutated).
  let lastGroups: RouteGroup[] | undefined;
  let lastTo: MeshHTTPRoute['spec']['to'] | undefined;
  for (const { ref, namespace, listeners, rejected } of unitParents(scope, route)) {
    if (rejected) { emit(ref, rejected); continue; }
    const found = attachToGateway(facts, ref, namespace, listeners);
    if (!found.ok) { emit(ref, found.accepted); continue; }
    const att = lost?.size ? { attachments: found.attachments.filter((a) => !lost.has(a.listener.listener.name)) } : found;
    if (att.attachments.length === 0) {
      emit(ref, routeNotAllowedByListeners(found.attachments.map((a) => lost!.get(a.listener.listener.name)!).join('; ')));
      continue;
    }
    const meshProblem = meshRejection(scope, routeMesh, true);
    if (meshProblem) { emit(ref, meshProblem); continue; }
    if (converted.fatal) { emit(ref, routeRulesUnacceptable(converted.fatal)); continue; }
    emit(ref);
    matchKeys ??= converted.rules.map((rule) => rule.matches.map(matchKey));
    for (const a of att.attachments) {
      const listenerName = a.listener.listener.name;
      part.attached = append(part.attached, listenerName);
      if (!a.listener.programmed) continue;
      const groups = unclaimedByHostname(converted.rules, matchKeys, listenerName, a.hostnames, claimed, part);
      if (groups.length === 0) continue;
      // One labels object for all of the route's MeshHTTPRoutes: outputs are never mutated.
      labels ??= generatedLabels({ kind: kind.kind, namespace: ns, name: route.metadata.name }, snap.options.controllerName, scope.mesh, snap.options.zone, gw.metadata.name);
      const to = lastGroups && sameGroups(lastGroups, groups) ? lastTo! : toEntries(groups, (route.spec.hostnames?.length ?? 0) > 0);
      lastGroups = groups;
      lastTo = to;
      part.objects = append(part.objects, meshHTTPRoute(scope, route, kind, ref, listenerName, labels, to));
    }
  }
  return part;
}

// A part's lists start as this shared empty list and get their first element as a one-element
// literal: a part is kept (route memos), and a list grown by push() from [] holds 16 slots.
const NONE: never[] = Object.freeze([]) as unknown as never[];
function append<T>(list: T[], x: T): T[] {
  if (list === NONE) return [x];
  list.push(x);
  return list;
}

/** Rules kept for some of a route's hostnames on one listener. */
interface RouteGroup { hostnames: string[]; rules: MeshHTTPRule[] }

function sameGroups(a: RouteGroup[], b: RouteGroup[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].rules !== b[i].rules || !sameStrings(a[i].hostnames, b[i].hostnames)) return false;
  return true;
}

function sameStrings(a: string[], b: string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const MESH_TARGET = Object.freeze({ kind: 'Mesh' as const });

/** The to[] entries; a route without hostnames lists none (it takes the listener's). */
function toEntries(groups: RouteGroup[], withHostnames: boolean): MeshHTTPRoute['spec']['to'] {
  return groups.map((g) => (withHostnames ? { targetRef: MESH_TARGET, rules: g.rules, hostnames: g.hostnames } : { targetRef: MESH_TARGET, rules: g.rules }));
}

/**
 * Drops the matches an older route already claimed on the same listener and hostname. Claims are
 * per hostname, so a route whose hostnames only partly overlap an older route's loses the match
 * for the shared hostnames only; hostnames left with the same rules share one to[] entry.
 * `claimed`: `listener|hostname` → match keys taken.
 */
function unclaimedByHostname(rules: MeshHTTPRule[], matchKeys: string[][], listener: string, hostnames: string[], claimed: Claims, part: RoutePart): RouteGroup[] {
  if (hostnames.length === 1) {
    // The usual case: one hostname, one group (the caller's list is the group's).
    const kept = unclaimedRules(rules, matchKeys, [listener, hostnames[0]].join('|'), claimed, part, undefined);
    return kept.length === 0 ? [] : [{ hostnames, rules: kept }];
  }
  // Few hostnames: groups in a short list searched by signature, not a Map per listener.
  const groups: (RouteGroup & { sig: string })[] = [];
  const sig: string[] = [];
  for (const host of hostnames) {
    sig.length = 0;
    const kept = unclaimedRules(rules, matchKeys, [listener, host].join('|'), claimed, part, sig);
    if (kept.length === 0) continue;
    const s = sig.join('');
    let g: (RouteGroup & { sig: string }) | undefined;
    for (const x of groups) if (x.sig === s) { g = x; break; }
    if (g) g.hostnames.push(host);
    else groups.push({ sig: s, hostnames: [host], rules: kept });
  }
  // All hostnames kept all rules: reuse the caller's list rather than the copy built above.
  const only = groups.length === 1 && groups[0].sig === '' ? groups[0] : undefined;
  if (only && only.hostnames.length === hostnames.length) return [{ hostnames, rules: only.rules }];
  return groups;
}

/**
 * The rules left for one `listener|hostname` slot once the matches older routes took there are
 * dropped; takes the others. `sig` (if given) gets which matches each changed rule kept.
 */
function unclaimedRules(rules: MeshHTTPRule[], matchKeys: string[][], slot: string, claimed: Claims, part: RoutePart, sig: string[] | undefined): MeshHTTPRule[] {
  // The usual case: nothing of this route was claimed before; every rule is kept as it is.
  let out: MeshHTTPRule[] | undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    let keep: boolean[] | undefined;
    for (let j = 0; j < rule.matches.length; j++) {
      const k = matchKeys[i][j];
      if (claimed.has(slot, k)) { (keep ??= rule.matches.map(() => true))[j] = false; part.contested = true; }
      else { claimed.add(slot, k); part.claims.push(slot, k); }
    }
    if (!keep) { out?.push(rule); continue; }
    out ??= rules.slice(0, i);
    sig?.push(`${i}:${keep.map((x) => (x ? '1' : '0')).join('')};`);
    const matches = rule.matches.filter((_, j) => keep![j]);
    if (matches.length > 0) out.push({ ...rule, matches });
  }
  return out ?? rules;
}

/**
 * Equal for equal matches, different otherwise (every string is length-prefixed, so the key can be
 * read back). Was JSON.stringify, which took a twentieth of translating 10,000 routes.
 */
export function matchKey(m: MeshHTTPRouteMatch): string {
  let k = m.path ? `p${field(m.path.type)}${field(m.path.value)}` : '';
  if (m.method !== undefined) k += `m${field(m.method)}`;
  for (const h of m.headers ?? []) k += `h${field(h.type)}${field(h.name)}${h.value === undefined ? '-' : field(h.value)}`;
  for (const q of m.queryParams ?? []) k += `q${field(q.type)}${field(q.name)}${field(q.value)}`;
  return k;
}

const field = (s: string): string => `${s.length}:${s}`;

function meshHTTPRoute<R extends HTTPRoute | GRPCRoute>(scope: GatewayScope, route: R, kind: MeshHTTPRouteKind<R>, ref: ParentReference, listenerName: string, labels: Record<string, string>, to: MeshHTTPRoute['spec']['to']): MeshHTTPRoute {
  const ns = route.metadata.namespace ?? '';
  const name = kind.name(ns, route.metadata.name, {
    group: ref.group ?? '', kind: ref.kind ?? 'Gateway', namespace: ref.namespace || ns, name: ref.name,
    sectionName: listenerName, port: ref.port,
  });
  return {
    apiVersion: KUMA_API_VERSION,
    kind: 'MeshHTTPRoute',
    metadata: {
      name,
      namespace: scope.snap.options.systemNamespace,
      labels,
    },
    spec: {
      targetRef: { kind: 'MeshGateway', name: scope.meshGatewayName, tags: listenerTags(scope, listenerName) },
      to,
    },
  };
}

/** The MeshGateway listener selector, one object per listener shared by its routes. */
function listenerTags(scope: GatewayScope, listenerName: string): Record<string, string> {
  let tags = scope.listenerTags.get(listenerName);
  if (!tags) scope.listenerTags.set(listenerName, (tags = Object.freeze({ [LISTENER_NAME_TAG]: listenerName })));
  return tags;
}
