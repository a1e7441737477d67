// The one serialisable input bundle. The informer layer assembles it from the cluster, the
// golden tests and `meshgate translate` load it from YAML, and the GUI shows it.
import type {
  BackendRef,
  Gateway,
  GatewayClass,
  GRPCRoute,
  HTTPRoute,
  Listener,
  ListenerSet,
  ParentReference,
  ReferenceGrant,
  SecretObjectReference,
  TCPRoute,
  TLSRoute,
  UDPRoute,
} from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { MeshGatewayConfig } from './api/kuma';
import type { Deployment, KubeObject, Namespace, Secret, Service } from './api/meta';

export interface TranslationOptions {
  controllerName: string;
  /** Where Secret copies and gateway MeshHTTPRoutes/MeshTCPRoutes live. */
  systemNamespace: string;
  proxyImage: string;
  /** Kuma zone; when set, Service backends are pinned to it (MeshServiceSubset). */
  zone?: string;
  /**
   * RFC 3339 instant used only to flag expired certificates. Passed in (never read from a clock)
   * so translation stays pure; the controller rounds it to the hour to keep memoisation useful.
   */
  now?: string;
  /** Kuma control plane the gateway proxies connect to; default https://kuma-control-plane.<systemNamespace>:5678. */
  controlPlaneURL?: string;
  /** PEM of the control plane's CA for the gateway proxies (KUMA_CONTROL_PLANE_CA_CERT); wins over controlPlaneCASecret. */
  controlPlaneCACert?: string;
  /**
   * Secret in systemNamespace whose `ca.crt` is the control plane's CA when controlPlaneCACert is
   * unset; default `kuma-tls-cert` (what Kuma's chart mounts as its CA). The Secret comes in the bundle.
   */
  controlPlaneCASecret?: string;
  /** Namespaces whose Secrets may back certificateRefs; absent = all (see --secret-namespaces). */
  secretNamespaces?: string[];
}

export const DEFAULT_OPTIONS: TranslationOptions = {
  controllerName: 'gateways.kuma.io/controller',
  systemNamespace: 'kuma-system',
  proxyImage: 'docker.io/kumahq/kuma-dp:2.14.3',
};

/** A Gateway API CRD as far as SupportedVersion cares: its name and bundle-version annotation. */
export interface CRDInfo {
  name: string;
  bundleVersion?: string;
}

export interface TranslationInput {
  gatewayClasses: GatewayClass[];
  gateways: Gateway[];
  httpRoutes: HTTPRoute[];
  tlsRoutes: TLSRoute[];
  /** GRPCRoutes; absent = none (bundles written before GRPCRoute support lack the list). */
  grpcRoutes?: GRPCRoute[];
  /** TCPRoutes; absent = none (bundles written before these kinds still load). */
  tcpRoutes?: TCPRoute[];
  /** ListenerSets (GEP-1713); absent = none (the CRD may not be installed). */
  listenerSets?: ListenerSet[];
  /** Status only: meshgate serves no UDP (Kuma's gateway proxies none); such routes are told so. */
  udpRoutes?: UDPRoute[];
  referenceGrants: ReferenceGrant[];
  namespaces: Namespace[];
  services: Service[];
  secrets: Secret[];
  meshGatewayConfigs: MeshGatewayConfig[];
  /**
   * The generated proxy Deployments with their status (readiness decides Programmed). Absent
   * offline: nothing runs there, so Gateways are Programmed=False/Pending.
   */
  deployments?: Deployment[];
  /** Installed Gateway API CRDs; absent offline, where the version cannot be checked. */
  crds?: CRDInfo[];
  /**
   * Keys (translators/keys.ts ObjectKey) of generated objects whose name is held by an object
   * meshgate did not create (found by the writer); their Gateway says so. Absent: none.
   */
  foreign?: string[];
  options: TranslationOptions;
}

export function emptyInput(options: Partial<TranslationOptions> = {}): TranslationInput {
  return {
    gatewayClasses: [],
    gateways: [],
    httpRoutes: [],
    tlsRoutes: [],
    tcpRoutes: [],
    udpRoutes: [],
    referenceGrants: [],
    namespaces: [],
    services: [],
    secrets: [],
    meshGatewayConfigs: [],
    options: { ...DEFAULT_OPTIONS, ...options },
  };
}

/** Sorts an object into the right bundle list by kind; returns false for kinds it does not take. */
export function addToInput(input: TranslationInput, obj: KubeObject): boolean {
  const o = obj as never;
  switch (obj.kind) {
    case 'GatewayClass': input.gatewayClasses.push(o); return true;
    case 'Gateway': input.gateways.push(o); return true;
    case 'HTTPRoute': input.httpRoutes.push(o); return true;
    case 'TLSRoute': input.tlsRoutes.push(o); return true;
    case 'GRPCRoute': (input.grpcRoutes ??= []).push(o); return true;
    case 'TCPRoute': (input.tcpRoutes ??= []).push(o); return true;
    case 'UDPRoute': (input.udpRoutes ??= []).push(o); return true;
    case 'ListenerSet': (input.listenerSets ??= []).push(o); return true;
    case 'ReferenceGrant': input.referenceGrants.push(o); return true;
    case 'Namespace': input.namespaces.push(o); return true;
    case 'Service': input.services.push(o); return true;
    case 'Secret': input.secrets.push(o); return true;
    case 'MeshGatewayConfig': input.meshGatewayConfigs.push(o); return true;
    case 'Deployment': (input.deployments ??= []).push(o); return true;
    default: return false;
  }
}

// ---- CRD defaults -------------------------------------------------------------------------
// The API server applies these on create; objects read from files lack them. Applying them here
// makes offline and in-cluster translation agree. Each function returns a new object.

// Files are not schema-checked: list fields that are not lists count as empty, and list entries
// that are not objects are dropped where nothing downstream could use them (listeners,
// parentRefs, certificateRefs) or passed through where rule conversion reports them.
const isObj = (v: unknown): v is Record<string, never> => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.filter(isObj) as T[]) : []);
/**
 * Route hostnames: absent stays absent; anything else is kept as a list, garbage included, so that
 * attachment rejects it (UnsupportedValue naming spec.hostnames[i]) — dropping it would widen the
 * route to every hostname.
 */
const strings = (v: unknown): string[] | undefined => (v === undefined || v === null ? undefined : ((Array.isArray(v) ? v : [v]) as string[]));

export function defaultParentRef(ref: ParentReference): ParentReference {
  return { group: GATEWAY_GROUP, kind: 'Gateway', ...ref };
}

export function defaultBackendRef(ref: BackendRef): BackendRef {
  return { group: '', kind: 'Service', weight: 1, ...ref };
}

export function defaultListener(l: Listener): Listener {
  const out: Listener = { ...l };
  const allowed = isObj(l.allowedRoutes) ? l.allowedRoutes : {};
  out.allowedRoutes = {
    ...allowed,
    namespaces: { from: 'Same', ...(isObj(allowed.namespaces) ? allowed.namespaces : {}) },
  };
  if (isObj(l.tls)) {
    out.tls = {
      mode: 'Terminate',
      ...l.tls,
      certificateRefs: l.tls.certificateRefs === undefined ? undefined : objects<SecretObjectReference>(l.tls.certificateRefs).map((r) => ({ group: '', kind: 'Secret', ...r })),
    };
  } else delete out.tls;
  return out;
}

export function defaultGateway(gw: Gateway): Gateway {
  const spec = isObj(gw.spec) ? gw.spec : ({} as Gateway['spec']);
  return { ...gw, spec: { ...spec, listeners: objects<Listener>(spec.listeners).map(defaultListener) } };
}

/** parentRef group and kind (CRD defaults) and listeners defaulted as a Gateway's. */
export function defaultListenerSet(ls: ListenerSet): ListenerSet {
  const spec = isObj(ls.spec) ? ls.spec : ({} as ListenerSet['spec']);
  const parentRef = isObj(spec.parentRef) ? { group: GATEWAY_GROUP, kind: 'Gateway', ...(spec.parentRef as ListenerSet['spec']['parentRef']) } : { group: GATEWAY_GROUP, kind: 'Gateway', name: '' };
  return { ...ls, spec: { ...spec, parentRef, listeners: objects<Listener>(spec.listeners).map(defaultListener) } };
}

/**
 * Route-level defaults only (parentRef group and kind, hostnames as a list). Rule defaults (a rule
 * with no matches matches `PathPrefix /`, match types `Exact`/`PathPrefix`, backend group, kind and
 * weight) are applied where rules are converted (httproute-rules.ts), so the rules of a route are
 * never copied. Copy-on-write: an object the API server already defaulted is returned as it is.
 */
export function defaultHTTPRoute<R extends HTTPRoute | GRPCRoute>(r: R): R {
  const spec = isObj(r.spec) ? r.spec : ({} as R['spec']);
  const parentRefs = defaultParentRefs(spec.parentRefs);
  const hostnames = strings(spec.hostnames);
  if (spec === r.spec && parentRefs === spec.parentRefs && hostnames === spec.hostnames) return r;
  return { ...r, spec: { ...spec, parentRefs, hostnames } };
}

// ---- GRPCRoute (grpc) ----
/** Route-level defaults as for HTTPRoute; rule defaults are applied in grpcroute-rules.ts. */
export const defaultGRPCRoute = (r: GRPCRoute): GRPCRoute => defaultHTTPRoute(r);
// ---- end GRPCRoute ----

/** The list itself when every entry is an object with group and kind set. */
function defaultParentRefs(v: unknown): ParentReference[] {
  if (Array.isArray(v) && v.every((p) => isObj(p) && typeof p.group === 'string' && typeof p.kind === 'string')) return v as ParentReference[];
  return objects<ParentReference>(v).map(defaultParentRef);
}

/** TLSRoute, TCPRoute and UDPRoute share the shape meshgate reads: parentRefs, hostnames (TLS only), rules of backendRefs. */
export function defaultTLSRoute<R extends TLSRoute | TCPRoute | UDPRoute>(r: R): R {
  const spec: TLSRoute['spec'] = isObj(r.spec) ? r.spec : {};
  return {
    ...r,
    spec: {
      ...spec,
      parentRefs: defaultParentRefs(spec.parentRefs),
      hostnames: strings(spec.hostnames),
      rules: objects<TLSRoute['spec'] extends { rules?: (infer X)[] } ? X : never>(spec.rules).map((rule) => ({ ...rule, backendRefs: objects<BackendRef>(rule.backendRefs).map(defaultBackendRef) })),
    },
  } as R;
}
