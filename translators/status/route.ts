// Route parent conditions (Accepted, ResolvedRefs, PartiallyInvalid), one named constructor per
// message, and the assembly of one parent status entry, with the parentRef echoed (group and
// kind always present: conformance compares them by value).
import type { ParentReference, Route, RouteParentStatus } from '../api/gateway-api';
import { GATEWAY_GROUP } from '../api/gateway-api';
import type { Condition, KubeObject } from '../api/meta';
import type { RouteStatusUpdate } from '../result';
import type { CatalogueEntry } from './conditions';
import { condition, entry, finalizeConditions, listOf, ok, Reason, Type } from './conditions';
import type { Hint } from './hint-context';
import { backendsOf, invalidMeshHint, listenersOf, quoted, referenceGrantHint } from './hint-context';

/** Marks routeKindConflict's message, so the hint can tell it from the other NotAllowedByListeners. */
const KIND_CONFLICT = 'an HTTPRoute and a GRPCRoute cannot share a hostname on one listener';

const notAllowedHint: Hint = (ctx) => {
  if (ctx.message.includes(KIND_CONFLICT)) {
    return 'An HTTPRoute and a GRPCRoute serve an intersecting hostname on this listener; only the older route is accepted. Give the two routes disjoint hostnames, or attach one of them to another listener (sectionName).';
  }
  if (/is not implemented by meshgate/.test(ctx.message)) {
    return `meshgate does not serve ${ctx.object?.kind ?? 'this route kind'} (Kuma's gateway proxies no UDP): nothing will attach; remove the parentRef, or serve this traffic another way.`;
  }
  if (/ is in mesh /.test(ctx.message)) {
    const gw = ctx.parentGateway?.metadata;
    return `Routes attach only to Gateways of their own mesh: set the label kuma.io/mesh to the Gateway's mesh on the route or its namespace${gw ? ` (Gateway ${gw.namespace}/${gw.name})` : ''}, or attach the route to a Gateway of its mesh.`;
  }
  const ls = listenersOf(ctx);
  const gwNs = ctx.parentGateway?.metadata.namespace ?? '?';
  const parts = ls.map((l) => `${l.name} (${l.protocol}, from: ${l.allowedRoutes?.namespaces?.from ?? 'Same'}${l.allowedRoutes?.kinds?.length ? `, kinds: ${l.allowedRoutes.kinds.map((k) => k.kind).join('/')}` : ''})`);
  return `No listener admits a ${ctx.object?.kind ?? 'route'} from namespace "${ctx.object?.metadata.namespace ?? '?'}". Listeners: ${parts.join('; ') || '(none)'}. Set allowedRoutes.namespaces.from to All (or a Selector matching this namespace), move the route into "${gwNs}", or attach it to a listener whose protocol serves this route kind (HTTP/HTTPS for HTTPRoute and GRPCRoute, TLS for TLSRoute, TCP for TCPRoute).`;
};

const noMatchingHostnameHint: Hint = (ctx) => {
  const hosts = (ctx.object as Route | undefined)?.spec?.hostnames ?? [];
  const lh = listenersOf(ctx).map((l) => l.hostname ?? '*');
  const gw = ctx.parentGateway ? ` of Gateway ${ctx.parentGateway.metadata.namespace}/${ctx.parentGateway.metadata.name}` : '';
  return `Route hostnames ${quoted(hosts)} do not intersect listener hostnames ${quoted(lh)}${gw}: add a matching hostname to the route (or change the listener's hostname), or remove the route's hostnames.`;
};

const noMatchingParentHint: Hint = (ctx) => {
  const p = ctx.parentRef;
  if (p?.kind === 'Service') {
    return 'The parent Service must exist, have a cluster IP (not headless), expose the parentRef\'s port, and be in the route\'s mesh: see the message for which one fails.';
  }
  const all = (ctx.parentGateway?.spec?.listeners ?? []).map((l) => `${l.name}:${l.port}`);
  return `parentRef ${p?.sectionName ? `sectionName "${p.sectionName}" ` : ''}${p?.port ? `port ${p.port} ` : ''}matches no listener; the Gateway's listeners are ${quoted(all)}. Fix sectionName/port or add the listener.`;
};

const backendNotFoundHint: Hint = (ctx) => {
  const o = ctx.object;
  const ns = o?.metadata.namespace ?? '';
  const missing = backendsOf(o as Route)
    .filter((b) => (b.kind ?? 'Service') === 'Service' && !ctx.serviceExists(b.namespace || ns, b.name))
    .map((b) => `${b.namespace || ns}/${b.name}`);
  if (missing.length) return `Service ${quoted([...new Set(missing)])} does not exist: create it, or fix the backendRef name/namespace.`;
  return 'A backendRef names a Service or port that does not exist, or has no port: check backendRefs name, namespace and port against the Service.';
};

const E = {
  accepted: entry('Route', Type.Accepted, 'True', Reason.Accepted),
  unsupportedValue: entry('Route', Type.Accepted, 'False', Reason.UnsupportedValue, () =>
    'The route is not served: an entry of spec.hostnames is not a valid hostname, or no rule has a value meshgate can serve (the message names the first problem): fix it.'),
  noMatchingParent: entry('Route', Type.Accepted, 'False', Reason.NoMatchingParent, noMatchingParentHint),
  notAllowedByListeners: entry('Route', Type.Accepted, 'False', Reason.NotAllowedByListeners, notAllowedHint),
  noMatchingListenerHostname: entry('Route', Type.Accepted, 'False', Reason.NoMatchingListenerHostname, noMatchingHostnameHint),
  invalidMesh: entry('Route', Type.Accepted, 'False', Reason.InvalidMesh, invalidMeshHint),
  incompatibleFilters: entry('Route', Type.Accepted, 'False', Reason.IncompatibleFilters, () =>
    'A rule combines RequestRedirect and URLRewrite, which cannot be used together: keep only one of them.'),
  hostnameConflict: entry('Route', Type.Accepted, 'False', Reason.HostnameConflict, () =>
    'Older TLSRoutes already route every hostname of this route on these listeners (the oldest wins): use other hostnames, or remove them from the older route.'),
  routeConflict: entry('Route', Type.Accepted, 'False', Reason.RouteConflict, () =>
    'A TCP listener is served by one TCPRoute, the oldest, and every listener this route names already has one: attach it to a free TCP listener (sectionName), or delete the older route.'),
  generatedNameConflict: entry('Route', Type.Accepted, 'False', Reason.GeneratedNameConflict, () =>
    'Another object already generates a Kuma object of the same name, and it is older: rename this object (or its namespace), or delete the other one.'),
  pending: entry('Route', Type.Accepted, 'Unknown', Reason.Pending, (ctx) =>
    `The parent Gateway${ctx.parentGateway ? ` ${ctx.parentGateway.metadata.namespace}/${ctx.parentGateway.metadata.name}` : ''} is not accepted: fix its problems (see the message) and the route attaches.`),
  resolvedRefs: entry('Route', Type.ResolvedRefs, 'True', Reason.ResolvedRefs),
  backendNotFound: entry('Route', Type.ResolvedRefs, 'False', Reason.BackendNotFound, backendNotFoundHint),
  invalidKind: entry('Route', Type.ResolvedRefs, 'False', Reason.InvalidKind, () =>
    'A backendRef has a group/kind meshgate cannot route to: use a core Service (group "", kind Service).'),
  refNotPermitted: entry('Route', Type.ResolvedRefs, 'False', Reason.RefNotPermitted, referenceGrantHint),
  unsupportedProtocol: entry('Route', Type.ResolvedRefs, 'False', Reason.UnsupportedProtocol_, () =>
    'The backend Service port has an appProtocol Kuma cannot serve for this route kind: change appProtocol (HTTPRoute: http, https, kubernetes.io/h2c, grpc, tcp; GRPCRoute, which needs HTTP/2: grpc, http2, kubernetes.io/h2c, or none) or use another port.'),
  partiallyInvalid: entry('Route', Type.PartiallyInvalid, 'True', Reason.UnsupportedValue, () =>
    'Some rules are not served as written: the message names each rule field and why (dropped, or ignored where Kuma configures it with another policy); change that rule.'),
};
export const ROUTE_ENTRIES = Object.values(E);

const BACKEND_FAILURES: ReadonlyMap<string, CatalogueEntry> = new Map(
  [E.backendNotFound, E.invalidKind, E.refNotPermitted, E.unsupportedProtocol].map((e) => [e.reason, e]),
);

export const routeInvalidHostname = (index: number, problem: string) => E.unsupportedValue.make(`spec.hostnames[${index}]: ${problem}`);
/** `what`: the parentRef's sectionName and/or port, as text. */
export const routeNoMatchingParent = (what: string) => E.noMatchingParent.make(`no listener matches ${what}`);
export const routeNotAllowedByListeners = (detail: string) => E.notAllowedByListeners.make(detail);
/**
 * An HTTPRoute and a GRPCRoute with intersecting hostnames on one listener (translators/grpcroute.ts):
 * `listener` lost to `winner` (`Kind ns/name`) for `hostnames`. Joined with '; ' when several listeners were lost.
 */
export const routeKindConflictDetail = (listener: string, hostnames: string, winner: string) =>
  `listener ${listener}: hostnames ${hostnames} intersect those of ${winner}, which takes precedence (${KIND_CONFLICT}; the older is accepted)`;
/** `withAdvice`: say which label to set (HTTPRoutes do; TLSRoutes' message predates it). */
export const routeMeshMismatch = (routeMesh: string, gateway: string, gatewayMesh: string, withAdvice: boolean) =>
  E.notAllowedByListeners.make(`route is in mesh "${routeMesh}" but Gateway ${gateway} is in mesh "${gatewayMesh}"${withAdvice ? `; set label kuma.io/mesh=${gatewayMesh} on the route or its namespace` : ''}`);
export const routeNoMatchingListenerHostname = (routeHostnames: string[], listenerHostnames: string[]) =>
  E.noMatchingListenerHostname.make(`route hostnames ${listOf(routeHostnames)} do not intersect listener hostnames ${listOf(listenerHostnames)}`);
export const routeInvalidMesh = (problem: string) => E.invalidMesh.make(problem);
/** What makes a whole route unacceptable (httproute-rules.ts `fatal`). */
export const routeRulesUnacceptable = (fatal: { reason: 'IncompatibleFilters' | 'UnsupportedValue'; message: string }) =>
  (fatal.reason === 'IncompatibleFilters' ? E.incompatibleFilters : E.unsupportedValue).make(fatal.message);
/** A TLSRoute all of whose hostnames older TLSRoutes hold; `lost` says which and by whom. */
export const routeHostnamesTaken = (lost: string[]) => E.hostnameConflict.make(listOf(lost, '; '));
/** TCPRoute: every listener it attaches to is served by an older TCPRoute. */
export const routeListenersTaken = (lost: string[]) => E.routeConflict.make(listOf(lost, '; '));
/** A route kind meshgate does not implement (UDPRoute) on one of its Gateways: the message says why. */
export const routeKindNotImplemented = (message: string) => E.notAllowedByListeners.make(message);
/** `owner`: the older route, as `Kind ns/name`. */
export const routeGeneratedNameConflict = (kind: string, name: string, owner: string) =>
  E.generatedNameConflict.make(`the generated ${kind} "${name}" has the name of the one generated for the older ${owner}; rename this route or its namespace`);
export const routeGatewayNotAccepted = (gateway: string, why: string) => E.pending.make(`Gateway ${gateway} is not accepted: ${why}`);
export const routeServiceMissing = (service: string) => E.noMatchingParent.make(`Service "${service}" does not exist`);
export const routeServiceHeadless = (service: string) => E.noMatchingParent.make(`Service "${service}" is headless; mesh routes need a ClusterIP Service`);
export const routeServiceNoPort = (service: string, port: number | undefined) =>
  E.noMatchingParent.make(`Service "${service}" has no port matching the parentRef${port !== undefined ? ` (port ${port})` : ''}`);
export const routeServiceOtherMesh = (service: string, serviceMesh: string, routeMesh: string) =>
  E.noMatchingParent.make(`Service "${service}" is in mesh "${serviceMesh}", the route in mesh "${routeMesh}"`);

/** ResolvedRefs=False: the first failure's reason, every failure's message. */
export function routeRefsNotResolved(failures: readonly { reason: string; message: string }[]): Condition {
  const all = listOf(failures.map((f) => f.message), '; ');
  const e = BACKEND_FAILURES.get(failures[0].reason);
  // A reason not in the catalogue (a route kind added without its entry) still reaches the user.
  return e ? e.make(all) : condition(Type.ResolvedRefs, 'False', failures[0].reason, all);
}
export const routePartiallyInvalid = (problems: string[]) => E.partiallyInvalid.make(listOf(problems, '; '));

export function echoParentRef(ref: ParentReference): ParentReference {
  if (isEcho(ref)) return ref; // already defaulted and nothing else in it: share, do not copy
  const out: ParentReference = { group: ref.group ?? GATEWAY_GROUP, kind: ref.kind ?? 'Gateway', name: ref.name };
  if (ref.namespace !== undefined) out.namespace = ref.namespace;
  if (ref.sectionName !== undefined) out.sectionName = ref.sectionName;
  if (ref.port !== undefined) out.port = ref.port;
  return out;
}

const ECHO_FIELDS: ReadonlySet<string> = new Set(['group', 'kind', 'name', 'namespace', 'sectionName', 'port']);
function isEcho(ref: ParentReference): boolean {
  if (typeof ref.group !== 'string' || typeof ref.kind !== 'string') return false;
  for (const k in ref) if (!ECHO_FIELDS.has(k) || (ref as unknown as Record<string, unknown>)[k] === undefined) return false;
  return true;
}

/**
 * [Accepted, ResolvedRefs] both True with their default messages, per generation: what almost
 * every route parent says, shared (frozen) instead of allocated for each of 10,000 routes.
 */
const OK_CONDITIONS: (readonly Condition[])[] = [];
function okConditions(generation: number): Condition[] {
  if (generation > 64) return finalizeConditions([ok.accepted(), ok.resolvedRefs()], generation);
  return (OK_CONDITIONS[generation] ??= Object.freeze(finalizeConditions([ok.accepted(), ok.resolvedRefs()], generation).map((c) => Object.freeze(c)))) as Condition[];
}
const DEFAULT_ACCEPTED = ok.accepted();

export interface ParentOutcome {
  accepted: Condition; // True/Accepted or the rejection
  backendFailures: { reason: string; message: string }[];
  partiallyInvalid?: string[];
}

export function parentStatus(ref: ParentReference, controllerName: string, generation: number, o: ParentOutcome): RouteParentStatus {
  const plain = o.backendFailures.length === 0 && !o.partiallyInvalid?.length && sameCondition(o.accepted, DEFAULT_ACCEPTED);
  if (plain) return { parentRef: echoParentRef(ref), controllerName, conditions: okConditions(generation) };
  const conditions: Condition[] = [o.accepted];
  conditions.push(o.backendFailures.length === 0 ? ok.resolvedRefs() : routeRefsNotResolved(o.backendFailures));
  if (o.partiallyInvalid && o.partiallyInvalid.length > 0 && o.accepted.status === 'True') conditions.push(routePartiallyInvalid(o.partiallyInvalid));
  return { parentRef: echoParentRef(ref), controllerName, conditions: finalizeConditions(conditions, generation) };
}

/** The route's status (`at`: from its key): meshgate's parent entries from all its units, sorted, at most 32 (the CRD's limit). */
export function routeStatus(route: KubeObject, at: { kind: RouteStatusUpdate['target']['kind']; namespace: string; name: string }, parents: RouteParentStatus[]): RouteStatusUpdate {
  return {
    target: { apiVersion: route.apiVersion, kind: at.kind, namespace: at.namespace, name: at.name, uid: route.metadata.uid },
    generation: route.metadata.generation ?? 1,
    parents: parents.length > 1 ? sortParents(parents).slice(0, 32) : parents,
  };
}

const keyOfRef = (r: ParentReference) => [r.group, r.kind, r.namespace ?? '', r.name, r.sectionName ?? '', r.port ?? ''].join('|');

export function sortParents(parents: RouteParentStatus[]): RouteParentStatus[] {
  return [...parents].sort((a, b) => { const x = keyOfRef(a.parentRef); const y = keyOfRef(b.parentRef); return x < y ? -1 : x > y ? 1 : 0; });
}

function sameCondition(a: Condition, b: Condition): boolean {
  return a.type === b.type && a.status === b.status && a.reason === b.reason && a.message === b.message;
}
