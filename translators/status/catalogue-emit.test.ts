// Every catalogue entry can be emitted: for each (scope, type, status, reason) a minimal input that
// translate() turns into that condition. The table must cover the catalogue exactly, so an entry
// no input can produce (a reason never emitted) fails here, and so does a new entry without a case.
import type { KubeObject } from '../api/meta';
import { translate } from '../index';
import type { TranslationInput, TranslationOptions } from '../input';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from '../input';
import { tlsSecret } from '../testdata/certs';
import { CATALOGUE, conditionsOf } from './catalogue';
import { entryKey } from './conditions';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const GW = 'gateway.networking.k8s.io/v1';
const MANAGED = { 'app.kubernetes.io/managed-by': 'meshgate' };
const NOW = '2026-06-01T00:00:00Z';

const gatewayClass = (spec: object = {}): KubeObject => ({ apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName, ...spec } } as Any);
const gateway = (listeners: unknown[], spec: object = {}, meta: object = {}): KubeObject =>
  ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'app', generation: 1, ...meta }, spec: { gatewayClassName: 'kuma', listeners, ...spec } } as Any);
const http = (extra: object = {}) => ({ name: 'http', port: 80, protocol: 'HTTP', ...extra });
const https = (name: string, extra: object = {}, secret = 'cert') => ({ name, port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: secret }] }, ...extra });
const tls = { name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } };
const service = (name = 'web', ns = 'app', ports: object[] = [{ port: 80 }], extra: object = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, ...extra }, spec: { clusterIP: '10.96.0.10', ports } } as Any);
const route = (spec: object = {}, meta: object = {}): KubeObject => ({
  apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app', generation: 1, creationTimestamp: '2025-01-01T00:00:00Z', ...meta },
  spec: { parentRefs: [{ name: 'gw', namespace: 'app' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }], ...spec },
} as Any);
const rule = (r: object) => ({ rules: [{ backendRefs: [{ name: 'web', port: 80 }], ...r }] });
const tlsRoute = (name: string, created: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', metadata: { name, namespace: 'app', generation: 1, creationTimestamp: created },
  spec: { parentRefs: [{ name: 'gw' }], hostnames: ['a.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
} as Any);
const tcpRoute = (name: string, created: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name, namespace: 'app', generation: 1, creationTimestamp: created },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
} as Any);
const badParams = { parametersRef: { group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'missing' } };
const deployment = (spec: object, status: object): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw', namespace: 'app', labels: MANAGED }, spec, status } as Any);
const udp = { name: 'udp', port: 81, protocol: 'UDP' };

interface Case { objects: KubeObject[]; options?: Partial<TranslationOptions>; patch?: (input: TranslationInput) => void }
const withGateway = (listeners: unknown[], ...more: KubeObject[]): Case => ({ objects: [gatewayClass(), gateway(listeners), service(), ...more] });
const BASE: Case = withGateway([http()], route());
const onRoute = (r: KubeObject, ...more: KubeObject[]): Case => withGateway([http()], r, ...more);

// The conditions of a name collision: see translators/testdata/names-collision.in.yaml.
const COLLISION: Case = {
  objects: [
    gatewayClass(), gateway([http({ allowedRoutes: { namespaces: { from: 'All' } } })], {}, { namespace: 'infra' }),
    service('web', 'b-c', [{ port: 8080 }]), service('web', '5688e799', [{ port: 8080 }]),
    route({ parentRefs: [{ name: 'gw', namespace: 'infra', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] }, { name: 'a', namespace: 'b-c' }),
    route({ parentRefs: [{ name: 'gw', namespace: 'infra', sectionName: 'http' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/newer' } }], backendRefs: [{ name: 'web', port: 8080 }] }] },
      { name: 'a-b-c', namespace: '5688e799', creationTimestamp: '2025-06-01T00:00:00Z' }),
  ],
};
const hostnameConflict = withGateway([http({ name: 'a', hostname: 'x.example.com' }), http({ name: 'b', hostname: 'x.example.com' })]);
const protocolConflict: Case = { ...withGateway([http(), https('s', { port: 80 })]), patch: (i) => i.secrets.push(tlsSecret('app', 'cert')) };
const cert = (which: 'valid' | 'expired', listeners: unknown[]): Case => ({ ...withGateway(listeners), options: { now: NOW }, patch: (i) => i.secrets.push(tlsSecret('app', 'cert', which)) });
const overlapping = (secretB: string): Case => cert('valid', [https('a', { hostname: 'a.example.com' }), https('b', { hostname: '*.example.com' }, secretB)]);

// ListenerSets (GEP-1713) of the Gateway `gw`, which allows them from its namespace (`open`).
const listenerSet = (listeners: unknown[]): KubeObject =>
  ({ apiVersion: GW, kind: 'ListenerSet', metadata: { name: 'ls', namespace: 'app', generation: 1 }, spec: { parentRef: { name: 'gw' }, listeners } } as Any);
const open = { allowedListeners: { namespaces: { from: 'Same' } } };
const withSet = (listeners: unknown[], more: KubeObject[] = [], cls = gatewayClass()): Case =>
  ({ objects: [cls, gateway([http()], open), service(), listenerSet(listeners), ...more] });
const extra = http({ name: 'extra', port: 8080 });
const programmedGateway = [deployment({ replicas: 1 }, { availableReplicas: 1 }),
  { ...service('gw', 'app', [{ port: 80 }], { labels: MANAGED }), spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ port: 80 }, { port: 8080 }] } } as Any];
const notAllowed: Case = { objects: [gatewayClass(), gateway([http()]), listenerSet([extra])] };
const parentNotAccepted = withSet([extra], [], gatewayClass(badParams));

/** entryKey → the input that emits it. */
const CASES: Record<string, Case> = {
  'GatewayClass|Accepted|True|Accepted': BASE,
  'GatewayClass|Accepted|False|InvalidParameters': { objects: [gatewayClass(badParams)] },
  'GatewayClass|SupportedVersion|True|SupportedVersion': BASE,
  'GatewayClass|SupportedVersion|False|UnsupportedVersion': { ...BASE, patch: (i) => { i.crds = [{ name: 'gateways.gateway.networking.k8s.io', bundleVersion: 'v1.0.0' }]; } },

  'Gateway|Accepted|True|Accepted': BASE,
  'Gateway|Accepted|True|ListenersNotValid': withGateway([http(), udp]),
  'Gateway|Accepted|False|ListenersNotValid': withGateway([udp]),
  'Gateway|Accepted|False|Invalid': { objects: [gatewayClass(badParams), gateway([http()])] },
  'Gateway|Accepted|False|InvalidParameters': { objects: [gatewayClass(), gateway([http()], { infrastructure: badParams })] },
  'Gateway|Accepted|False|InvalidMesh': { objects: [gatewayClass(), gateway([http()], {}, { labels: { 'kuma.io/mesh': 'Not_A_Mesh' } })] },
  'Gateway|Accepted|False|UnsupportedAddress': { objects: [gatewayClass(), gateway([http()], { addresses: [{ type: 'IPAddress', value: '192.0.2.1' }] })] },
  'Gateway|Programmed|True|Programmed': withGateway([http()], deployment({ replicas: 1 }, { availableReplicas: 1 }),
    { ...service('gw', 'app', [{ port: 80 }], { labels: MANAGED }), spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ port: 80 }] } } as Any),
  'Gateway|Programmed|False|Invalid': withGateway([http()], service('gw')),
  'Gateway|Programmed|False|Pending': BASE,
  'Gateway|Programmed|False|NoResources': withGateway([http()], deployment({ replicas: 0 }, {})),
  'Gateway|ResolvedRefs|True|ResolvedRefs': BASE,
  'Gateway|ResolvedRefs|False|RefNotPermitted': { objects: [gatewayClass(), gateway([http()], { tls: { backend: { clientCertificateRef: { name: 'client', namespace: 'other' } } } })] },
  'Gateway|ResolvedRefs|False|InvalidClientCertificateRef': { objects: [gatewayClass(), gateway([http()], { tls: { backend: { clientCertificateRef: { name: 'client' } } } })] },
  'Gateway|ResolvedRefs|False|ListenersNotResolved': withGateway([https('s')]),

  'ListenerSet|Accepted|True|Accepted': withSet([extra]),
  'ListenerSet|Accepted|True|ListenersNotValid': withSet([extra, udp]),
  'ListenerSet|Accepted|False|NotAllowed': notAllowed,
  'ListenerSet|Accepted|False|ParentNotAccepted': parentNotAccepted,
  'ListenerSet|Accepted|False|ListenersNotValid': withSet([udp]),
  'ListenerSet|Programmed|True|Programmed': withSet([extra], programmedGateway),
  'ListenerSet|Programmed|False|NotAllowed': notAllowed,
  'ListenerSet|Programmed|False|ParentNotAccepted': parentNotAccepted,
  'ListenerSet|Programmed|False|ListenersNotValid': withSet([udp]),
  'ListenerSet|Programmed|False|Pending': withSet([extra]),
  'ListenerSet|Programmed|False|Invalid': withSet([extra], [service('gw')]),

  'Listener|Accepted|True|Accepted': BASE,
  'Listener|Accepted|False|UnsupportedProtocol': withGateway([udp]),
  'Listener|Accepted|False|PortUnavailable': { objects: [gatewayClass(), gateway([http({ port: 8080 })], {}, { annotations: { 'gateways.meshgate.io/proxy-service': 'web' } }), service()] },
  'Listener|Accepted|False|UnsupportedValue': withGateway([http({ tls: { mode: 'Terminate' } })]),
  'Listener|Accepted|False|HostnameConflict': hostnameConflict,
  'Listener|Programmed|False|HostnameConflict': hostnameConflict,
  'Listener|Conflicted|True|HostnameConflict': hostnameConflict,
  'Listener|Accepted|False|ProtocolConflict': protocolConflict,
  'Listener|Programmed|False|ProtocolConflict': protocolConflict,
  'Listener|Conflicted|True|ProtocolConflict': protocolConflict,
  'Listener|Conflicted|False|NoConflicts': BASE,
  'Listener|Programmed|True|Programmed': BASE,
  'Listener|Programmed|False|Invalid': withGateway([http({ allowedRoutes: { namespaces: { from: 'Selector' } } })]),
  'Listener|Programmed|False|InvalidTLSConfig': withGateway([{ name: 's', port: 443, protocol: 'HTTPS' }]),
  'Listener|ResolvedRefs|True|ResolvedRefs': BASE,
  'Listener|ResolvedRefs|False|InvalidRouteKinds': withGateway([http({ allowedRoutes: { kinds: [{ kind: 'TCPRoute' }] } })]),
  'Listener|ResolvedRefs|False|InvalidCertificateRef': withGateway([https('s')]),
  'Listener|ResolvedRefs|False|RefNotPermitted': withGateway([{ ...https('s'), tls: { certificateRefs: [{ name: 'cert', namespace: 'other' }] } }]),
  'Listener|OverlappingTLSConfig|True|OverlappingHostnames': overlapping('other-cert'),
  'Listener|OverlappingTLSConfig|True|OverlappingCertificates': overlapping('cert'),
  'Listener|meshgate.io/CertificateValid|True|CertificateValid': cert('valid', [https('s', { hostname: 'www.example.com' })]),
  'Listener|meshgate.io/CertificateValid|False|CertificateExpired': cert('expired', [https('s')]),
  'Listener|meshgate.io/CertificateValid|False|CertificateHostnameMismatch': cert('valid', [https('s', { hostname: 'a.b.example.com' })]),

  'Route|Accepted|True|Accepted': BASE,
  'Route|Accepted|False|UnsupportedValue': onRoute(route({ hostnames: ['Not_A_Host'] })),
  'Route|Accepted|False|NoMatchingParent': onRoute(route({ parentRefs: [{ name: 'gw', sectionName: 'nope' }] })),
  'Route|Accepted|False|NotAllowedByListeners': onRoute(route({ parentRefs: [{ name: 'gw', namespace: 'app' }] }, { namespace: 'other' })),
  'Route|Accepted|False|NoMatchingListenerHostname': withGateway([http({ hostname: 'a.example.com' })], route({ hostnames: ['b.example.com'] })),
  'Route|Accepted|False|InvalidMesh': onRoute(route({}, { labels: { 'kuma.io/mesh': 'Not_A_Mesh' } })),
  'Route|Accepted|False|IncompatibleFilters': onRoute(route(rule({ filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 302 } }, { type: 'URLRewrite', urlRewrite: { hostname: 'x.example.com' } }] }))),
  'Route|Accepted|False|HostnameConflict': withGateway([tls], tlsRoute('older', '2025-01-01T00:00:00Z'), tlsRoute('newer', '2025-06-01T00:00:00Z')),
  'Route|Accepted|False|RouteConflict': withGateway([{ name: 'db', port: 5432, protocol: 'TCP' }], tcpRoute('older', '2025-01-01T00:00:00Z'), tcpRoute('newer', '2025-06-01T00:00:00Z')),
  'Route|Accepted|False|GeneratedNameConflict': COLLISION,
  'Route|Accepted|Unknown|Pending': { objects: [gatewayClass(badParams), gateway([http()]), service(), route()] },
  'Route|ResolvedRefs|True|ResolvedRefs': BASE,
  'Route|ResolvedRefs|False|BackendNotFound': onRoute(route({ rules: [{ backendRefs: [{ name: 'missing', port: 80 }] }] })),
  'Route|ResolvedRefs|False|InvalidKind': onRoute(route({ rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }] })),
  'Route|ResolvedRefs|False|RefNotPermitted': onRoute(route({ rules: [{ backendRefs: [{ name: 'web', namespace: 'other', port: 80 }] }] })),
  'Route|ResolvedRefs|False|UnsupportedProtocol': { objects: [gatewayClass(), gateway([http()]), service('web', 'app', [{ port: 80, appProtocol: 'example.com/custom' }]), route()] },
  'Route|PartiallyInvalid|True|UnsupportedValue': onRoute(route(rule({ timeouts: { request: '1s' } }))),
};

function emitted(c: Case) {
  const input = emptyInput(c.options);
  for (const o of c.objects) addToInput(input, o);
  c.patch?.(input);
  return conditionsOf(translate(input));
}

describe('every catalogue entry can be emitted', () => {
  test('the table has one case per catalogue entry, and no other', () => {
    const keys = CATALOGUE.map((e) => entryKey(e.scope, e.type, e.status, e.reason));
    expect(new Set(keys).size).toBe(keys.length); // one entry per (scope, type, status, reason)
    expect(Object.keys(CASES).sort()).toEqual([...keys].sort());
  });

  test.each(Object.entries(CASES))('%s', (key, c) => {
    const got = emitted(c).map((e) => ({ key: entryKey(e.scope, e.type, e.status, e.reason), where: e.where, message: e.message }));
    expect(got.map((g) => g.key)).toContain(key);
  });
});
