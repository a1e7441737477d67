// kuma.io/v1alpha1 shapes meshgate reads (MeshGatewayConfig) and writes (the rest).
// Field layout follows Kuma 2.14 so everything written is also valid for Kuma.
import type { KubeObject } from './meta';

export const KUMA_GROUP = 'kuma.io';
export const KUMA_API_VERSION = 'kuma.io/v1alpha1';

export interface MeshGatewayCommonConfig {
  replicas?: number;
  serviceType?: 'LoadBalancer' | 'ClusterIP' | 'NodePort' | string;
  resources?: {
    limits?: Record<string, string | number>;
    requests?: Record<string, string | number>;
  };
  serviceTemplate?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: { loadBalancerIP?: string };
  };
  podTemplate?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: {
      serviceAccountName?: string;
      securityContext?: { fsGroup?: number };
      container?: { securityContext?: { readOnlyRootFilesystem?: boolean } };
    };
  };
}

export interface MeshGatewayConfig extends KubeObject {
  kind: 'MeshGatewayConfig';
  spec?: MeshGatewayCommonConfig & { crossMesh?: boolean; tags?: Record<string, string> };
}

export interface MeshGatewayListener {
  hostname: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP';
  tls?: { mode: 'TERMINATE' | 'PASSTHROUGH'; certificates?: { secret: string }[] };
  tags: Record<string, string>;
  crossMesh?: boolean;
}

export interface MeshGateway extends KubeObject {
  kind: 'MeshGateway';
  mesh: string;
  spec: {
    selectors: { match: Record<string, string> }[];
    conf: { listeners: MeshGatewayListener[] };
  };
}

export interface TargetRef {
  kind: string;
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  tags?: Record<string, string>;
  sectionName?: string;
}

export interface MeshBackendRef extends TargetRef {
  weight?: number;
  port?: number;
}

export interface MeshHTTPRouteMatch {
  path?: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  method?: string;
  queryParams?: { type: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  headers?: { type: 'Exact' | 'RegularExpression' | 'Present' | 'Absent' | 'Prefix'; name: string; value?: string }[];
}

export interface MeshHeaderModifier {
  set?: { name: string; value: string }[];
  add?: { name: string; value: string }[];
  remove?: string[];
}

export interface MeshPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface MeshHTTPFilter {
  type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestRedirect' | 'URLRewrite' | 'RequestMirror';
  requestHeaderModifier?: MeshHeaderModifier;
  responseHeaderModifier?: MeshHeaderModifier;
  requestRedirect?: {
    scheme?: string;
    hostname?: string;
    path?: MeshPathModifier;
    port?: number;
    statusCode?: number;
  };
  urlRewrite?: { hostname?: string; path?: MeshPathModifier };
  requestMirror?: { backendRef: MeshBackendRef; percentage?: number | string };
}

export interface MeshHTTPRule {
  matches: MeshHTTPRouteMatch[];
  default: { filters?: MeshHTTPFilter[]; backendRefs?: MeshBackendRef[] };
}

export interface MeshHTTPRoute extends KubeObject {
  kind: 'MeshHTTPRoute';
  spec: {
    targetRef: TargetRef;
    to: { targetRef: TargetRef; hostnames?: string[]; rules: MeshHTTPRule[] }[];
  };
}

export interface MeshTCPRoute extends KubeObject {
  kind: 'MeshTCPRoute';
  spec: {
    targetRef: TargetRef;
    to: { targetRef: TargetRef; rules: { default: { backendRefs: MeshBackendRef[] } }[] }[];
  };
}
