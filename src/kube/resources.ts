// The API resources meshgate reads and writes, and how to build their URLs.
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export const R = {
  namespaces: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  services: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  secrets: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  events: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
  crds: { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false },
  gatewayClasses: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gatewayclasses', kind: 'GatewayClass', namespaced: false },
  gateways: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gateways', kind: 'Gateway', namespaced: true },
  listenerSets: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'listenersets', kind: 'ListenerSet', namespaced: true },
  httpRoutes: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', kind: 'HTTPRoute', namespaced: true },
  tlsRoutes: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'tlsroutes', kind: 'TLSRoute', namespaced: true },
  grpcRoutes: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'grpcroutes', kind: 'GRPCRoute', namespaced: true },
  tcpRoutes: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'tcproutes', kind: 'TCPRoute', namespaced: true },
  udpRoutes: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'udproutes', kind: 'UDPRoute', namespaced: true },
  referenceGrants: { group: 'gateway.networking.k8s.io', version: 'v1beta1', plural: 'referencegrants', kind: 'ReferenceGrant', namespaced: true },
  meshGatewayConfigs: { group: 'kuma.io', version: 'v1alpha1', plural: 'meshgatewayconfigs', kind: 'MeshGatewayConfig', namespaced: false },
  meshGateways: { group: 'kuma.io', version: 'v1alpha1', plural: 'meshgateways', kind: 'MeshGateway', namespaced: false },
  meshHTTPRoutes: { group: 'kuma.io', version: 'v1alpha1', plural: 'meshhttproutes', kind: 'MeshHTTPRoute', namespaced: true },
  meshTCPRoutes: { group: 'kuma.io', version: 'v1alpha1', plural: 'meshtcproutes', kind: 'MeshTCPRoute', namespaced: true },
} satisfies Record<string, ResourceType>;

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function crdName(r: ResourceType): string {
  return `${r.plural}.${r.group}`;
}

export function resourcePath(r: ResourceType, namespace?: string, name?: string, sub?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const n = name ? `/${encodeURIComponent(name)}` : '';
  return `${base}${ns}/${r.plural}${n}${sub ? `/${sub}` : ''}`;
}

export function resourceForKind(kind: string, apiVersion?: string): ResourceType | undefined {
  const r = Object.values(R).find((x) => x.kind === kind);
  if (!r) return undefined;
  if (!apiVersion || apiVersionOf(r) === apiVersion) return r;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { ...r, group, version };
}
