// The one serialisable input bundle. The informer layer assembles it from the cluster, the
// golden tests and `meshgate translate` load it from YAML, and the GUI shows it.
import type {
  BackendRef,
  Gateway,
  GatewayClass,
  HTTPRoute,
  HTTPRouteFilter,
  Listener,
  ParentReference,
  ReferenceGrant,
  TLSRoute,
} from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { MeshGatewayConfig } from './api/kuma';
import type { KubeObject, Namespace, Secret, Service } from './api/meta';

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
  referenceGrants: ReferenceGrant[];
  namespaces: Namespace[];
  services: Service[];
  secrets: Secret[];
  meshGatewayConfigs: MeshGatewayConfig[];
  /** Installed Gateway API CRDs; absent offline, where the version cannot be checked. */
  crds?: CRDInfo[];
  options: TranslationOptions;
}

export function emptyInput(options: Partial<TranslationOptions> = {}): TranslationInput {
  return {
    gatewayClasses: [],
    gateways: [],
    httpRoutes: [],
    tlsRoutes: [],
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
    case 'ReferenceGrant': input.referenceGrants.push(o); return true;
    case 'Namespace': input.namespaces.push(o); return true;
    case 'Service': input.services.push(o); return true;
    case 'Secret': input.secrets.push(o); return true;
    case 'MeshGatewayConfig': input.meshGatewayConfigs.push(o); return true;
    default: return false;
  }
}

// ---- CRD defaults -------------------------------------------------------------------------
// The API server applies these on create; objects read from files lack them. Applying them here
// makes offline and in-cluster translation agree. Each function returns a new object.

export function defaultParentRef(ref: ParentReference): ParentReference {
  return { group: GATEWAY_GROUP, kind: 'Gateway', ...ref };
}

export function defaultBackendRef(ref: BackendRef): BackendRef {
  return { group: '', kind: 'Service', weight: 1, ...ref };
}

function defaultFilter(f: HTTPRouteFilter): HTTPRouteFilter {
  if (f.type === 'RequestMirror' && f.requestMirror) {
    return { ...f, requestMirror: { ...f.requestMirror, backendRef: defaultBackendRef(f.requestMirror.backendRef) } };
  }
  return f;
}

export function defaultListener(l: Listener): Listener {
  const out: Listener = { ...l };
  out.allowedRoutes = {
    ...l.allowedRoutes,
    namespaces: { from: 'Same', ...l.allowedRoutes?.namespaces },
  };
  if (l.tls) {
    out.tls = {
      mode: 'Terminate',
      ...l.tls,
      certificateRefs: l.tls.certificateRefs?.map((r) => ({ group: '', kind: 'Secret', ...r })),
    };
  }
  return out;
}

export function defaultGateway(gw: Gateway): Gateway {
  return { ...gw, spec: { ...gw.spec, listeners: (gw.spec?.listeners ?? []).map(defaultListener) } };
}

export function defaultHTTPRoute(r: HTTPRoute): HTTPRoute {
  const rules = (r.spec?.rules?.length ? r.spec.rules : [{}]).map((rule) => ({
    ...rule,
    matches: (rule.matches?.length ? rule.matches : [{}]).map((m) => ({
      ...m,
      path: m.path ? { type: m.path.type ?? 'PathPrefix', value: m.path.value ?? '/' } : { type: 'PathPrefix', value: '/' },
      headers: m.headers?.map((h) => ({ ...h, type: h.type ?? 'Exact' })),
      queryParams: m.queryParams?.map((q) => ({ ...q, type: q.type ?? 'Exact' })),
    })),
    filters: rule.filters?.map(defaultFilter),
    backendRefs: rule.backendRefs?.map((b) => ({ ...defaultBackendRef(b), filters: b.filters?.map(defaultFilter) })),
  }));
  return { ...r, spec: { ...r.spec, parentRefs: (r.spec?.parentRefs ?? []).map(defaultParentRef), rules } };
}

export function defaultTLSRoute(r: TLSRoute): TLSRoute {
  return {
    ...r,
    spec: {
      ...r.spec,
      parentRefs: (r.spec?.parentRefs ?? []).map(defaultParentRef),
      rules: (r.spec?.rules ?? []).map((rule) => ({ ...rule, backendRefs: rule.backendRefs?.map(defaultBackendRef) })),
    },
  };
}
