// Gateway API v1 shapes (v1.6.1), the subset meshgate reads. Optional everywhere the CRD
// defaults a field: manifests read from files lack API-server defaulting (see input.ts).
import type { Condition, KubeObject, LabelSelector } from './meta';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export interface ParametersReference {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface GatewayClass extends KubeObject {
  kind: 'GatewayClass';
  spec: { controllerName: string; parametersRef?: ParametersReference; description?: string };
  status?: { conditions?: Condition[]; supportedFeatures?: { name: string }[] };
}

export interface SecretObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
}

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface AllowedRoutes {
  namespaces?: { from?: 'All' | 'Selector' | 'Same' | string; selector?: LabelSelector };
  kinds?: RouteGroupKind[];
}

export interface GatewayTLSConfig {
  mode?: 'Terminate' | 'Passthrough' | string;
  certificateRefs?: SecretObjectReference[];
  options?: Record<string, string>;
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: GatewayTLSConfig;
  allowedRoutes?: AllowedRoutes;
}

export interface GatewaySpec {
  gatewayClassName: string;
  listeners: Listener[];
  addresses?: { type?: string; value?: string }[];
  infrastructure?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    parametersRef?: { group: string; kind: string; name: string };
  };
  tls?: {
    backend?: { clientCertificateRef?: SecretObjectReference };
    frontend?: unknown;
  };
  /** Which ListenerSets may attach (GEP-1713); absent or `None`: none. */
  allowedListeners?: { namespaces?: { from?: 'All' | 'Selector' | 'Same' | 'None' | string; selector?: LabelSelector } };
}

export interface ListenerStatus {
  name: string;
  supportedKinds: { group: string; kind: string }[];
  attachedRoutes: number;
  conditions: Condition[];
}

export interface GatewayStatusAddress {
  type: string;
  value: string;
}

export interface Gateway extends KubeObject {
  kind: 'Gateway';
  spec: GatewaySpec;
  status?: { conditions?: Condition[]; listeners?: ListenerStatus[]; addresses?: GatewayStatusAddress[]; attachedListenerSets?: number };
}

/** GEP-1713: listeners of a parent Gateway declared in another object (possibly another namespace). */
export interface ListenerSet extends KubeObject {
  kind: 'ListenerSet';
  spec: {
    parentRef: { group?: string; kind?: string; name: string; namespace?: string };
    listeners: Listener[];
  };
  status?: { conditions?: Condition[]; listeners?: ListenerStatus[] };
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPPathMatch {
  type?: 'Exact' | 'PathPrefix' | 'RegularExpression' | string;
  value?: string;
}

export interface HTTPHeaderMatch {
  type?: 'Exact' | 'RegularExpression' | string;
  name: string;
  value: string;
}

export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPHeaderMatch[];
  queryParams?: HTTPHeaderMatch[];
  method?: string;
}

export interface HTTPHeader {
  name: string;
  value: string;
}

export interface HTTPHeaderFilter {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}

export interface HTTPPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch' | string;
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestRedirect?: {
    scheme?: string;
    hostname?: string;
    path?: HTTPPathModifier;
    port?: number;
    statusCode?: number;
  };
  urlRewrite?: { hostname?: string; path?: HTTPPathModifier };
  requestMirror?: {
    backendRef: BackendRef;
    percent?: number;
    fraction?: { numerator: number; denominator?: number };
  };
  extensionRef?: { group: string; kind: string; name: string };
  cors?: unknown;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}

export interface RouteStatus {
  parents: RouteParentStatus[];
}

export interface HTTPRoute extends KubeObject {
  kind: 'HTTPRoute';
  spec: { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: HTTPRouteRule[] };
  status?: RouteStatus;
}

export interface TLSRouteRule {
  name?: string;
  backendRefs?: BackendRef[];
}

export interface TLSRoute extends KubeObject {
  kind: 'TLSRoute';
  spec: { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: TLSRouteRule[] };
  status?: RouteStatus;
}

// ---- tcp-tls: TCPRoute (translated) and UDPRoute (status only: Kuma's gateway proxies no UDP) ----
export interface TCPRoute extends KubeObject {
  kind: 'TCPRoute';
  spec: { parentRefs?: ParentReference[]; hostnames?: undefined; rules?: TLSRouteRule[] }; // no hostnames in TCP or UDP
  status?: RouteStatus;
}

export interface UDPRoute extends KubeObject {
  kind: 'UDPRoute';
  spec: { parentRefs?: ParentReference[]; hostnames?: undefined; rules?: TLSRouteRule[] }; // no hostnames in TCP or UDP
  status?: RouteStatus;
}
// ---- end tcp-tls ----

export interface ReferenceGrant extends KubeObject {
  kind: 'ReferenceGrant';
  spec: {
    from: { group: string; kind: string; namespace: string }[];
    to: { group: string; kind: string; name?: string }[];
  };
}

// ---- GRPCRoute (v1, standard) ------------------------------------------------------------
export interface GRPCMethodMatch {
  type?: 'Exact' | 'RegularExpression' | string;
  service?: string;
  method?: string;
}

export interface GRPCRouteMatch {
  method?: GRPCMethodMatch;
  headers?: HTTPHeaderMatch[];
}

export interface GRPCRouteRule {
  name?: string;
  matches?: GRPCRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
}

export interface GRPCRoute extends KubeObject {
  kind: 'GRPCRoute';
  spec: { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: GRPCRouteRule[] };
  status?: RouteStatus;
}

export type Route = HTTPRoute | GRPCRoute | TLSRoute | TCPRoute | UDPRoute;
