// Test helper: fast-check arbitraries for structurally random bundles (garbage values and missing
// fields included, mixed with well-formed objects that fit together), shared by the property tests.
import fc from 'fast-check';
import type { KubeObject } from '../api/meta';
import type { TranslationInput } from '../input';
import { addToInput, emptyInput } from '../input';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../naming';
import { tlsSecret } from '../testdata/certs';

const OURS = 'gateways.kuma.io/controller';

// ---- small pools, so that random objects actually reference each other ---------------------

const LONG = `${'very-long.gateway-name'.repeat(12)}`.slice(0, 250) + 'end';
const NAMESPACES = ['app', 'app', 'app', 'other'];
// Weighted towards a few names so that routes, Gateways, Services and Secrets find each other.
const NAMES = ['gw', 'gw', 'gw', 'web', 'web', 'web', 'a', 'x.y', '1st', LONG];
const HOSTS = ['www.example.com', '*.example.com', 'example.com', '*.com', 'db.example.com', 'Upper.example.com', '10.0.0.1', '', '*', 'a.b.example.com'];
const PORTS = [80, 80, 443, 443, 8080, 8443, 0, 70000];

const garbage = fc.jsonValue({ maxDepth: 2 });
/** Mostly `arb`, sometimes garbage, sometimes absent. */
const g = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> =>
  fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: garbage }, { weight: 1, arbitrary: fc.constant(undefined) });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const name = fc.constantFrom(...NAMES);
const ns = fc.constantFrom(...NAMESPACES);
const host = fc.constantFrom(...HOSTS);
const port = fc.constantFrom(...PORTS);

/** Drops undefined fields so generated objects look like parsed YAML. */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : clean(x))) as T; // YAML has null, not undefined
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, clean(x)])) as T;
  }
  return v;
}

const meta = (namespaced: boolean, names = name) =>
  fc.record(
    {
      name: names,
      namespace: namespaced ? ns : fc.constant(undefined),
      generation: opt(fc.integer({ min: 1, max: 5 })),
      creationTimestamp: opt(fc.constantFrom('2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z', 'not-a-date')),
      labels: opt(fc.dictionary(fc.constantFrom('kuma.io/mesh', 'team', 'gateway-access'), fc.constantFrom('default', 'm1', 'true', 'x'), { maxKeys: 2 })),
      annotations: opt(fc.dictionary(fc.constantFrom('kuma.io/mesh', 'note', 'gateways.meshgate.io/proxy-service'), fc.constantFrom('default', 'm1', 'web'), { maxKeys: 1 })),
    },
    { requiredKeys: ['name', 'namespace'] },
  );

const parentRef = fc.oneof(
  fc.record({
    group: opt(fc.constantFrom('gateway.networking.k8s.io', 'example.com')),
    kind: opt(fc.constantFrom('Gateway', 'Other')),
    name,
    namespace: opt(ns),
    sectionName: opt(fc.constantFrom('http', 'https', 'tls', 'l1', 'nope')),
    port: opt(port),
  }, { requiredKeys: ['name'] }),
  fc.record({ group: fc.constantFrom('', 'core'), kind: fc.constant('Service'), name, namespace: opt(ns), port: opt(port) }, { requiredKeys: ['group', 'kind', 'name'] }),
  fc.record({ group: fc.constant('gateway.networking.k8s.io'), kind: fc.constant('ListenerSet'), name, namespace: opt(ns), sectionName: opt(fc.constantFrom('http', 'l1', 'nope')), port: opt(port) }, { requiredKeys: ['group', 'kind', 'name'] }),
);

const backendRef = fc.record({
  group: opt(fc.constantFrom('', 'example.com')),
  kind: opt(fc.constantFrom('Service', 'Bucket')),
  name,
  namespace: opt(ns),
  port: g(fc.constantFrom(80, 8080, 5432, 0)),
  weight: opt(fc.integer({ min: -1, max: 100 })),
  filters: opt(fc.constant([{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'a', value: 'b' }] } }])),
}, { requiredKeys: ['name'] });

const certRef = fc.record({ group: opt(fc.constantFrom('', 'x.io')), kind: opt(fc.constantFrom('Secret', 'ConfigMap')), name, namespace: opt(ns) }, { requiredKeys: ['name'] });

const listener = fc.record({
  name: fc.constantFrom('http', 'https', 'tls', 'l1', 'l2'),
  port: g(port),
  protocol: g(fc.constantFrom('HTTP', 'HTTPS', 'TLS', 'TCP', 'bogus')),
  hostname: opt(host),
  tls: opt(fc.record({ mode: opt(fc.constantFrom('Terminate', 'Passthrough', 'Other')), certificateRefs: g(fc.array(certRef, { maxLength: 3 })) })),
  allowedRoutes: opt(fc.record({
    namespaces: opt(fc.record({ from: opt(fc.constantFrom('All', 'Same', 'Selector', 'None')), selector: opt(fc.record({ matchLabels: fc.constant({ 'gateway-access': 'true' }) })) })),
    kinds: opt(fc.array(fc.record({ group: opt(fc.constantFrom('gateway.networking.k8s.io', 'x')), kind: fc.constantFrom('HTTPRoute', 'TLSRoute', 'GRPCRoute') }), { maxLength: 2 })),
  })),
}, { requiredKeys: ['name', 'port', 'protocol'] });

const gatewayClass = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('GatewayClass'),
  metadata: meta(false, fc.constantFrom('kuma', 'other', 'kuma-2')),
  spec: g(fc.record({
    controllerName: fc.constantFrom(OURS, OURS, 'example.com/other'),
    parametersRef: opt(fc.record({ group: fc.constantFrom('kuma.io', ''), kind: fc.constantFrom('MeshGatewayConfig', 'ConfigMap'), name: fc.constantFrom('cfg', 'missing'), namespace: opt(ns) }, { requiredKeys: ['group', 'kind', 'name'] })),
  }, { requiredKeys: ['controllerName'] })),
});

const meshGatewayConfig = fc.record({
  apiVersion: fc.constant('kuma.io/v1alpha1'),
  kind: fc.constant('MeshGatewayConfig'),
  metadata: meta(false, fc.constantFrom('cfg', 'other-cfg')),
  spec: g(fc.record({
    replicas: opt(fc.integer({ min: -1, max: 3 })),
    serviceType: opt(fc.constantFrom('LoadBalancer', 'ClusterIP', 'NodePort', 'Bogus')),
    crossMesh: opt(fc.boolean()),
    tags: opt(fc.dictionary(fc.constantFrom('team', 'kuma.io/service'), fc.constantFrom('edge', ''), { maxKeys: 2 })),
    resources: opt(fc.constant({ limits: { memory: '128Mi' } })),
    serviceTemplate: opt(fc.constant({ metadata: { labels: { team: 'edge' }, annotations: { a: 'b' } }, spec: { loadBalancerIP: '10.1.1.1' } })),
    podTemplate: opt(fc.constant({ metadata: { labels: { team: 'edge' } }, spec: { serviceAccountName: 'sa', securityContext: { fsGroup: 1 } } })),
  })),
});

/** GEP-1713: `allowedListeners` of a Gateway. */
const allowedListeners = opt(fc.record({ namespaces: opt(fc.record({
  from: opt(fc.constantFrom('None', 'Same', 'All', 'Selector', 'Bogus')),
  selector: opt(fc.constantFrom({ matchLabels: { 'gateway-access': 'true' } }, { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, { matchLabels: 'x' })),
})) }));

const gateway = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('Gateway'),
  metadata: meta(true),
  spec: g(fc.record({
    gatewayClassName: fc.constantFrom('kuma', 'kuma', 'other', 'kuma-2', 'missing'),
    listeners: g(fc.array(g(listener), { maxLength: 4 })),
    infrastructure: opt(fc.record({
      labels: opt(fc.constant({ team: 'edge', 'app.kubernetes.io/managed-by': 'x' })),
      annotations: opt(fc.constant({ note: 'n' })),
      parametersRef: opt(fc.record({ group: fc.constantFrom('kuma.io', 'x'), kind: fc.constantFrom('MeshGatewayConfig', 'X'), name: fc.constantFrom('cfg', 'missing') })),
    })),
    addresses: opt(fc.constant([{ type: 'IPAddress', value: '1.2.3.4' }])),
    tls: opt(fc.record({ backend: opt(fc.record({ clientCertificateRef: certRef })), frontend: opt(fc.constant({})) })),
    allowedListeners,
  }, { requiredKeys: ['gatewayClassName'] })),
});

const pathMatch = fc.record({ type: opt(fc.constantFrom('Exact', 'PathPrefix', 'RegularExpression', 'Bad')), value: opt(fc.constantFrom('/', '/a', '/a/', 'x', '/(?=x)', '/[', '/b[0-9]+')) });
const kv = fc.record({ type: opt(fc.constantFrom('Exact', 'RegularExpression', 'Bad')), name: fc.constantFrom('X-A', 'x-a', 'q', ''), value: fc.constantFrom('1', '[', 'v') });
const match = fc.record({ path: g(pathMatch), headers: g(fc.array(kv, { maxLength: 2 })), queryParams: g(fc.array(kv, { maxLength: 2 })), method: opt(fc.constantFrom('GET', 'POST', 'FETCH')) }, { requiredKeys: [] });
const headerMod = fc.record({ set: opt(fc.constant([{ name: 'X-A', value: 'on' }])), add: opt(fc.constant([{ name: 'b', value: '1' }])), remove: opt(fc.constant(['c'])) });
const filter = fc.oneof(
  fc.record({ type: fc.constant('RequestHeaderModifier'), requestHeaderModifier: g(headerMod) }),
  fc.record({ type: fc.constant('ResponseHeaderModifier'), responseHeaderModifier: g(headerMod) }),
  fc.record({ type: fc.constant('RequestRedirect'), requestRedirect: g(fc.record({ scheme: opt(fc.constantFrom('http', 'https', 'ftp')), hostname: opt(host), port: opt(port), statusCode: opt(fc.constantFrom(301, 302, 304)), path: opt(fc.record({ type: fc.constantFrom('ReplaceFullPath', 'ReplacePrefixMatch', 'X'), replaceFullPath: opt(fc.constant('/f')), replacePrefixMatch: opt(fc.constant('/p')) })) })) }),
  fc.record({ type: fc.constant('URLRewrite'), urlRewrite: g(fc.record({ hostname: opt(host), path: opt(fc.record({ type: fc.constantFrom('ReplaceFullPath', 'ReplacePrefixMatch'), replaceFullPath: opt(fc.constant('/f')), replacePrefixMatch: opt(fc.constant('/p')) })) })) }),
  fc.record({ type: fc.constant('RequestMirror'), requestMirror: g(fc.record({ backendRef: g(backendRef), percent: opt(fc.integer({ min: -1, max: 101 })), fraction: opt(fc.record({ numerator: fc.integer({ min: -1, max: 5 }), denominator: opt(fc.integer({ min: 0, max: 4 })) })) })) }),
  fc.record({ type: fc.constantFrom('ExtensionRef', 'CORS', 'Unknown') }),
);
const httpRule = fc.record({
  matches: g(fc.array(g(match), { maxLength: 2 })),
  filters: g(fc.array(g(filter), { maxLength: 2 })),
  backendRefs: g(fc.array(g(backendRef), { maxLength: 2 })),
  timeouts: opt(fc.constant({ request: '1s' })),
});

const listenerSet = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('ListenerSet'),
  metadata: meta(true),
  spec: g(fc.record({
    parentRef: g(fc.record({ group: opt(fc.constantFrom('gateway.networking.k8s.io', 'example.com')), kind: opt(fc.constantFrom('Gateway', 'Other')), name, namespace: opt(ns) }, { requiredKeys: ['name'] })),
    listeners: g(fc.array(g(listener), { maxLength: 3 })),
  })),
});

const routeStatus = opt(fc.record({
  parents: fc.array(fc.record({ parentRef: fc.record({ name }), controllerName: fc.constantFrom(OURS, 'example.com/other'), conditions: fc.constant([]) }), { maxLength: 2 }),
}));

const httpRoute = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('HTTPRoute'),
  metadata: meta(true),
  spec: g(fc.record({ parentRefs: g(fc.array(g(parentRef), { maxLength: 3 })), hostnames: g(fc.array(host, { maxLength: 2 })), rules: g(fc.array(g(httpRule), { maxLength: 3 })) })),
  status: routeStatus,
});

const tlsRoute = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1alpha2'),
  kind: fc.constant('TLSRoute'),
  metadata: meta(true),
  spec: g(fc.record({ parentRefs: g(fc.array(g(parentRef), { maxLength: 3 })), hostnames: g(fc.array(host, { maxLength: 3 })), rules: g(fc.array(fc.record({ backendRefs: g(fc.array(g(backendRef), { maxLength: 2 })) }), { maxLength: 2 })) })),
  status: routeStatus,
});

// GRPCRoute: random method matches (valid, invalid, regular expressions) over the same parents and backends.
const grpcMethod = fc.record({ type: opt(fc.constantFrom('Exact', 'RegularExpression', 'Bad')), service: opt(fc.constantFrom('a.B', 'grpc.health.v1.Health', 'a/b', '(x')), method: opt(fc.constantFrom('Get', 'a.b', 'G.*')) });
const grpcRoute = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('GRPCRoute'),
  metadata: meta(true),
  spec: g(fc.record({
    parentRefs: g(fc.array(g(parentRef), { maxLength: 3 })), hostnames: g(fc.array(host, { maxLength: 2 })),
    rules: g(fc.array(g(fc.record({ matches: g(fc.array(g(fc.record({ method: g(grpcMethod), headers: g(fc.array(kv, { maxLength: 2 })) }, { requiredKeys: [] })), { maxLength: 2 })), filters: g(fc.array(g(filter), { maxLength: 2 })), backendRefs: g(fc.array(g(backendRef), { maxLength: 2 })) })), { maxLength: 3 })),
  })),
  status: routeStatus,
});

/** Random TCPRoutes and UDPRoutes (TLSRoute's shape without hostnames). */
const l4Route = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1alpha2'),
  kind: fc.constantFrom('TCPRoute', 'UDPRoute'),
  metadata: meta(true),
  spec: g(fc.record({ parentRefs: g(fc.array(g(parentRef), { maxLength: 3 })), rules: g(fc.array(fc.record({ backendRefs: g(fc.array(g(backendRef), { maxLength: 2 })) }), { maxLength: 2 })) })),
  status: routeStatus,
});

const referenceGrant = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1beta1'),
  kind: fc.constant('ReferenceGrant'),
  metadata: meta(true),
  spec: g(fc.record({
    from: g(fc.array(fc.record({ group: fc.constantFrom('gateway.networking.k8s.io', ''), kind: fc.constantFrom('Gateway', 'HTTPRoute', 'TLSRoute'), namespace: ns }), { maxLength: 2 })),
    to: g(fc.array(fc.record({ group: fc.constant(''), kind: fc.constantFrom('Service', 'Secret'), name: opt(name) }), { maxLength: 2 })),
  })),
});

const namespace = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Namespace'), metadata: meta(false, ns) });

const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: fc.tuple(meta(true), fc.boolean()).map(([m, managed]) => (managed ? { ...m, labels: { ...m.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } : m)),
  spec: g(fc.record({
    type: opt(fc.constantFrom('ClusterIP', 'LoadBalancer', 'ExternalName')),
    clusterIP: opt(fc.constantFrom('None', '10.96.0.1')),
    ports: g(fc.array(fc.record({ port: fc.constantFrom(80, 8080, 5432, 443), name: opt(fc.constantFrom('http', 'db')), appProtocol: opt(fc.constantFrom('http', 'mysql')), targetPort: opt(fc.constantFrom(80, 8443, 'https')), protocol: opt(fc.constantFrom('TCP', 'UDP')) }), { maxLength: 2 })),
  })),
  status: opt(fc.constant({ loadBalancer: { ingress: [{ ip: '203.0.113.1' }, { hostname: 'lb.example.com' }] } })),
});

const secret = fc.oneof(
  fc.tuple(ns, name, fc.constantFrom('valid', 'mismatched', 'expired', 'not-pem') as fc.Arbitrary<'valid' | 'mismatched' | 'expired' | 'not-pem'>).map(([n, nm, which]) => tlsSecret(n, nm, which)),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Secret'), metadata: meta(true), type: opt(fc.constantFrom('Opaque', 'kubernetes.io/tls')), data: g(fc.dictionary(fc.constantFrom('tls.crt', 'tls.key'), fc.constantFrom('', 'bm90', '%%%'))) }),
);

export const anyObject: fc.Arbitrary<KubeObject> = fc
  .oneof(gatewayClass, meshGatewayConfig, gateway, gateway, listenerSet, httpRoute, httpRoute, grpcRoute, tlsRoute, l4Route, referenceGrant, namespace, service, secret)
  .map((o) => clean(o) as unknown as KubeObject);

const CLUSTER_SCOPED = new Set(['GatewayClass', 'MeshGatewayConfig', 'Namespace']);
export const keyOf = (o: { kind: string; metadata: { namespace?: string; name: string } }) =>
  `${o.kind}|${CLUSTER_SCOPED.has(o.kind) ? '' : o.metadata.namespace ?? ''}|${o.metadata.name}`;

export function bundleOf(objects: Iterable<KubeObject>, zone?: string): TranslationInput {
  const input = emptyInput(zone ? { zone } : {});
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(keyOf(o))) continue; // one object per key, as in a cluster
    seen.add(keyOf(o));
    addToInput(input, o);
  }
  return input;
}

// Mostly well-formed objects that fit together (so that routes do attach and objects are
// generated), mixed with the random ones above.
const validHost = opt(fc.constantFrom('www.example.com', '*.example.com', 'db.example.com'));
const goodListener = fc.oneof(
  fc.record({ name: fc.constant('http'), port: fc.constant(80), protocol: fc.constant('HTTP'), hostname: validHost }),
  fc.record({ name: fc.constant('https'), port: fc.constant(443), protocol: fc.constant('HTTPS'), hostname: validHost, tls: fc.record({ certificateRefs: fc.constant([{ name: 'gw' }]) }) }),
  fc.record({ name: fc.constant('tls'), port: fc.constant(8443), protocol: fc.constant('TLS'), hostname: validHost, tls: fc.constant({ mode: 'Passthrough' }) }),
  fc.record({ name: fc.constant('l1'), port: fc.constant(8080), protocol: fc.constant('HTTP'), allowedRoutes: fc.constant({ namespaces: { from: 'All' } }) }),
  fc.record({ name: fc.constant('tcp'), port: fc.constant(5432), protocol: fc.constant('TCP') }),
  fc.record({ name: fc.constant('tlst'), port: fc.constant(9443), protocol: fc.constant('TLS'), hostname: validHost, tls: fc.constant({ mode: 'Terminate', certificateRefs: [{ name: 'gw' }] }) }),
  fc.record({ name: fc.constant('udp'), port: fc.constant(53), protocol: fc.constant('UDP') }),
);
// Unmanaged Gateways (unmanaged.ts): the proxy Service named by annotation, valid or not, with or without a tag.
const proxyAnnotations = opt(fc.record({
  'gateways.meshgate.io/proxy-service': fc.constantFrom('web', 'gw', 'app/web', 'other/gw', 'Bad_Name', ''),
  'gateways.meshgate.io/proxy-service-tag': opt(fc.constantFrom('edge_app_svc', 'edge_other_svc', '*')),
}));
const goodGateway = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('Gateway'),
  metadata: fc.tuple(meta(true), proxyAnnotations).map(([m, a]) => (a ? { ...m, annotations: { ...m.annotations, ...clean(a) } } : m)),
  spec: fc.record({
    gatewayClassName: fc.constant('kuma'), listeners: fc.uniqueArray(goodListener, { minLength: 1, maxLength: 4, selector: (l) => l.name }),
    // Mostly admitting ListenerSets, so that they do attach.
    allowedListeners: fc.constantFrom(undefined, { namespaces: { from: 'Same' } }, { namespaces: { from: 'All' } }, { namespaces: { from: 'All' } }, { namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-access': 'true' } } } }),
  }),
});
/** ListenerSet listeners: some on ports of their own, some like the Gateway's (to conflict). */
const setListener = fc.oneof(
  fc.record({ name: fc.constantFrom('http', 'extra'), port: fc.constant(9080), protocol: fc.constant('HTTP'), hostname: validHost, allowedRoutes: opt(fc.constant({ namespaces: { from: 'All' } })) }),
  fc.record({ name: fc.constant('tcp'), port: fc.constantFrom(6432, 5432), protocol: fc.constant('TCP') }),
  goodListener,
);
const goodListenerSet = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('ListenerSet'),
  metadata: meta(true, fc.constantFrom('ls', 'ls', 'gw')),
  spec: fc.record({ parentRef: fc.oneof(fc.constant({ name: 'gw', namespace: 'app' }), fc.record({ name, namespace: opt(ns) }, { requiredKeys: ['name'] })), listeners: fc.uniqueArray(setListener, { minLength: 1, maxLength: 3, selector: (l) => l.name }) }),
});
const goodParent = fc.oneof(
  fc.record({ name, sectionName: opt(fc.constantFrom('http', 'https', 'tls', 'l1', 'tcp', 'tlst', 'udp')), port: opt(fc.constantFrom(80, 443, 8443, 5432, 9443)) }, { requiredKeys: ['name'] }),
  fc.record({ group: fc.constant('gateway.networking.k8s.io'), kind: fc.constant('ListenerSet'), name: fc.constantFrom('ls', 'ls', 'gw'), namespace: opt(fc.constant('app')), sectionName: opt(fc.constantFrom('http', 'extra', 'tls', 'l1', 'tcp')) }, { requiredKeys: ['group', 'kind', 'name'] }),
);
const goodBackend = fc.record({ name, port: fc.constantFrom(80, 8080), weight: opt(fc.integer({ min: 0, max: 3 })) });
const goodHTTPRoute = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('HTTPRoute'),
  metadata: meta(true),
  spec: fc.record({
    parentRefs: fc.array(fc.oneof(goodParent, goodParent, fc.record({ group: fc.constant(''), kind: fc.constant('Service'), name, port: opt(fc.constantFrom(80, 8080)) }, { requiredKeys: ['group', 'kind', 'name'] })), { minLength: 1, maxLength: 2 }),
    hostnames: opt(fc.array(fc.constantFrom('www.example.com', 'a.example.com', '*.example.com'), { maxLength: 2 })),
    rules: fc.array(fc.record({ matches: opt(fc.array(fc.record({ path: pathMatch }), { maxLength: 2 })), filters: opt(fc.array(filter, { maxLength: 1 })), backendRefs: fc.array(goodBackend, { maxLength: 2 }) }), { maxLength: 2 }),
  }),
});
const goodTLSRoute = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1alpha2'),
  kind: fc.constant('TLSRoute'),
  metadata: meta(true),
  spec: fc.record({ parentRefs: fc.array(goodParent, { minLength: 1, maxLength: 2 }), hostnames: fc.array(fc.constantFrom('db.example.com', 'x.example.com', '*.example.com'), { minLength: 1, maxLength: 2 }), rules: fc.constant([{ backendRefs: [{ name: 'web', port: 80 }] }]) }),
});
const goodGRPCRoute = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('GRPCRoute'),
  metadata: meta(true),
  spec: fc.record({
    parentRefs: fc.array(fc.oneof(goodParent, goodParent, fc.record({ group: fc.constant(''), kind: fc.constant('Service'), name, port: opt(fc.constantFrom(80, 8080)) }, { requiredKeys: ['group', 'kind', 'name'] })), { minLength: 1, maxLength: 2 }),
    hostnames: opt(fc.array(fc.constantFrom('www.example.com', 'a.example.com', '*.example.com'), { maxLength: 2 })),
    rules: fc.array(fc.record({ matches: opt(fc.array(fc.record({ method: grpcMethod }), { maxLength: 2 })), backendRefs: fc.array(goodBackend, { maxLength: 2 }) }), { maxLength: 2 }),
  }),
});
/** TCPRoute (served) and UDPRoute (status only) of the same shape. */
const goodL4Route = fc.record({
  apiVersion: fc.constantFrom('gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2'),
  kind: fc.constantFrom('TCPRoute', 'UDPRoute'),
  metadata: meta(true),
  spec: fc.record({ parentRefs: fc.array(goodParent, { minLength: 1, maxLength: 2 }), rules: fc.constant([{ backendRefs: [{ name: 'web', port: 80, weight: 2 }, { name: 'web', port: 8080 }] }]) }),
});
const goodService = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: meta(true),
  spec: fc.constant({ clusterIP: '10.96.0.9', ports: [{ name: 'http', port: 80 }, { port: 8080 }] }),
});
const goodSecret = fc.tuple(ns, name).map(([n, nm]) => tlsSecret(n, nm));

/** meshgate's class (valid) first, then random objects of every kind. */
const ourClass = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'kuma' }, spec: { controllerName: OURS } } as KubeObject;
/** A Gateway, a ListenerSet naming it and a route naming the set, made to fit (random objects rarely do). */
const listenerSetKit = fc.tuple(goodGateway, goodListenerSet, goodHTTPRoute).map(([gw, ls, r]) => [
  { ...gw, metadata: { ...gw.metadata, name: 'gw', namespace: 'app' } },
  { ...ls, metadata: { ...ls.metadata, name: 'ls', namespace: 'app' }, spec: { ...ls.spec, parentRef: { name: 'gw' } } },
  { ...r, metadata: { ...r.metadata, namespace: 'app' }, spec: { ...r.spec, parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'ls' }, ...r.spec.parentRefs] } },
].map((o) => clean(o) as unknown as KubeObject));
export const bundleArb = fc
  .tuple(fc.boolean(), fc.array(fc.oneof(goodGateway, goodGateway, goodListenerSet, goodListenerSet, goodHTTPRoute, goodHTTPRoute, goodGRPCRoute, goodService, goodSecret, goodTLSRoute, goodL4Route, gateway, httpRoute, grpcRoute, tlsRoute).map((o) => clean(o) as unknown as KubeObject), { maxLength: 8 }), fc.array(anyObject, { maxLength: 6 }), opt(fc.constant('zone-1')), opt(listenerSetKit))
  .map(([withClass, core, rest, zone, kit]) => bundleOf([...(withClass ? [ourClass] : []), ...(kit ?? []), ...core, ...rest], zone));

export const LISTS = ['gatewayClasses', 'gateways', 'listenerSets', 'httpRoutes', 'grpcRoutes', 'tlsRoutes', 'tcpRoutes', 'udpRoutes', 'referenceGrants', 'namespaces', 'services', 'secrets', 'meshGatewayConfigs'] as const;

/** A deterministic Fisher–Yates shuffle driven by a seed (no Math.random in the result). */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function shuffleBundle(input: TranslationInput, seed: number): TranslationInput {
  const out: TranslationInput = { ...input };
  LISTS.forEach((k, i) => { (out as unknown as Record<string, unknown[]>)[k] = shuffled((input[k] ?? []) as unknown[], seed + i * 7919); });
  return out;
}
