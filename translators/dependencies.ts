// What each unit of translation reads, declared once (ADR 0028). The snapshot derives from these
// declarations the reverse indexes that turn one input change into the units it dirties, and the
// engine's route memos stay valid exactly as long as nothing their route declares here changed.
// A read left out here is a stale result: the incremental == full property test catches it, and
// dependencies.test.ts checks that every entry below is needed.
//
// Adding a route kind (GRPCRoute, TCPRoute): give it a RouteKind in keys.ts, store it in the
// snapshot like HTTPRoute, and make sure `route.units` and `route.reads` below cover what its
// translator reads (both take any route kind: parentRefs and rules.backendRefs are shared shapes).
import type { Gateway, GatewayClass, GRPCRoute, HTTPRoute, ListenerSet, ParentReference, TCPRoute, TLSRoute, UDPRoute } from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import { controlPlaneCASecretKey } from './control-plane-ca';
import type { TranslationOptions } from './input';
import type { NsName } from './keys';
import { nsName } from './keys';
import { gatewayWorkloadNames } from './naming';
import { proxyServiceKeys } from './unmanaged';

/** The input kinds a declaration can name (the snapshot's maps). */
export type InputKind = 'GatewayClass' | 'Gateway' | 'ListenerSet' | 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute' | 'ReferenceGrant' | 'Namespace' | 'Service' | 'Secret' | 'MeshGatewayConfig' | 'Deployment';

/** For some input kinds, the snapshot keys (`ns/name`; the name for cluster-scoped kinds) a subject reads. */
export type Reads<S> = Partial<Record<InputKind, (subject: S, options: TranslationOptions) => string[]>>;

/** Any route kind: what the declarations read of a route is common to all of them. */
export type AnyRoute = HTTPRoute | GRPCRoute | TLSRoute | TCPRoute | UDPRoute;

export interface Dependencies {
  /** A GatewayClass unit: its status and the ClassResult its Gateways read. */
  gatewayClass: Reads<GatewayClass>;
  /** A Gateway unit apart from its routes' parts. (The class is read as the engine's ClassResult: the engine re-marks its Gateways when that changes.) */
  gateway: Reads<Gateway>;
  /** A ListenerSet's listeners are part of its parent Gateway's unit. */
  listenerSet: {
    /** The Gateway unit it belongs to (its parentRef), which reads it. */
    gateways: (ls: ListenerSet) => NsName[];
    /** What its listeners read besides the ListenerSet (read by that Gateway unit). */
    reads: Reads<ListenerSet>;
  };
  route: {
    /** The ListenerSets it names: their Gateway's unit holds its part for them, which reads them. */
    listenerSets: (r: AnyRoute) => NsName[];
    /** The units holding this route's part: the Gateways it names (also how a Gateway finds its routes), and its own GAMMA unit. */
    gateways: (r: AnyRoute) => NsName[];
    gamma: (r: AnyRoute) => boolean;
    /** What a route's part reads besides the route and its Gateway (its memo is compared against the Gateway's validated listeners). */
    reads: Reads<AnyRoute>;
  };
  /** Read by every unit and every route part: a change re-translates everything (rare kinds). */
  everything: InputKind[];
  /** The certificate expiry instant (options.now): read by these Gateways (and the Gateways of these ListenerSets) only. */
  readsNow: (gw: { spec: { listeners: Gateway['spec']['listeners'] } }) => boolean;
}

export const DEPENDENCIES: Dependencies = {
  gatewayClass: {
    MeshGatewayConfig: (gc) => stringList(gc.spec?.parametersRef?.name),
  },
  gateway: {
    GatewayClass: (gw) => stringList(gw.spec?.gatewayClassName),
    MeshGatewayConfig: (gw) => stringList(gw.spec.infrastructure?.parametersRef?.name),
    // Listener certificates, the backend client certificate and the control-plane CA every proxy Deployment carries.
    Secret: (gw, options) => [...certificateRefs(gw), controlPlaneCASecretKey(options)],
    // The generated Service and Deployment: their status says whether the proxy runs (readiness.ts);
    // for an unmanaged Gateway the proxy Service its annotation names (unmanaged.ts: ports, addresses, Programmed).
    Service: (gw) => [nsName(gw.metadata.namespace, gatewayWorkloadNames(gw.metadata.name).service), ...proxyServiceKeys(gw)],
    Deployment: (gw) => [nsName(gw.metadata.namespace, gatewayWorkloadNames(gw.metadata.name).deployment)],
  },
  listenerSet: {
    gateways: (ls) => (isGatewayParent(ls.spec.parentRef) && typeof ls.spec.parentRef.name === 'string' ? [nsName(ls.spec.parentRef.namespace || ls.metadata.namespace, ls.spec.parentRef.name)] : []),
    // Listener certificates, as for a Gateway's listeners.
    reads: { Secret: (ls) => listenerCertificateRefs(ls.metadata.namespace, ls.spec.listeners) },
  },
  route: {
    listenerSets: (r) => parentRefs(r).filter(isListenerSetParent).map((p) => nsName(p.namespace || r.metadata.namespace, p.name)),
    gateways: (r) => parentRefs(r).filter(isGatewayParent).map((p) => nsName(p.namespace || r.metadata.namespace, p.name)),
    // HTTPRoutes and GRPCRoutes with a Service parent (gamma.ts); TLSRoutes and L4 routes have no mesh form.
    gamma: (r) => (r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute') && parentRefs(r).some(isServiceParent),
    reads: {
      Service: (r) => [...serviceParents(r), ...backendServices(r)],
    },
  },
  everything: ['Namespace', 'ReferenceGrant'],
  // Listeners with certificates: HTTPS, and TLS in Terminate mode (the CRD's default).
  readsNow: (gw) => gw.spec.listeners.some((l) => l.protocol === 'HTTPS' || (l.protocol === 'TLS' && (l.tls?.mode ?? 'Terminate') === 'Terminate')),
};

export function isGatewayParent(p: ParentReference): boolean {
  return (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (p.kind ?? 'Gateway') === 'Gateway';
}

export function isListenerSetParent(p: ParentReference): boolean {
  return p.group === GATEWAY_GROUP && p.kind === 'ListenerSet';
}

/**
 * A Service parent (GAMMA). Kuma 2.14 accepts group "" and gateway.networking.k8s.io: Kuma's own
 * docs omit the group, and the API server then defaults it to gateway.networking.k8s.io.
 */
export function isServiceParent(p: ParentReference): boolean {
  return p.kind === 'Service' && (p.group === '' || p.group === undefined || p.group === 'core' || p.group === GATEWAY_GROUP);
}

const stringList = (v: unknown): string[] => (typeof v === 'string' ? [v] : []);
const parentRefs = (r: AnyRoute): ParentReference[] => r.spec.parentRefs ?? [];

function serviceParents(r: AnyRoute): string[] {
  return parentRefs(r).filter(isServiceParent).map((p) => nsName(p.namespace || r.metadata.namespace, p.name));
}

function listenerCertificateRefs(ns: string | undefined, listeners: Gateway['spec']['listeners']): string[] {
  const out: string[] = [];
  for (const l of listeners) for (const ref of l.tls?.certificateRefs ?? []) out.push(nsName(ref.namespace || ns, ref.name));
  return out;
}

function certificateRefs(gw: Gateway): string[] {
  const ns = gw.metadata.namespace;
  const out = listenerCertificateRefs(ns, gw.spec.listeners);
  const backendCert = gw.spec.tls?.backend?.clientCertificateRef;
  if (backendCert) out.push(nsName(backendCert.namespace || ns, backendCert.name));
  return out;
}

/** `ns/name` of every Service a route's rules reference (backendRefs and mirrors). */
function backendServices(r: AnyRoute): string[] {
  const ns = r.metadata.namespace ?? '';
  const backends: string[] = [];
  // Rules may hold garbage from unchecked files: only well-formed references are indexed.
  type Ref = { namespace?: string; name: string };
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null) : []);
  for (const rule of list(r.spec.rules)) {
    for (const b of list(rule.backendRefs) as unknown as Ref[]) backends.push(nsName(b.namespace || ns, b.name));
    for (const f of list(rule.filters) as { requestMirror?: { backendRef?: Ref } }[]) {
      const m = f.requestMirror?.backendRef;
      if (m && typeof m === 'object') backends.push(nsName(m.namespace || ns, m.name));
    }
  }
  return backends;
}
