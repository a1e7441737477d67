// A hand-made bundle and result for the GUI's tests and benchmark: one healthy path and one of
// each common failure. The key/certificate are throwaway test material (self-signed, CN
// shop.example.com); tests assert that neither ever reaches the browser.
import type { Gateway, GatewayClass, HTTPRoute, ReferenceGrant, TLSRoute } from '../../../translators/api/gateway-api';
import type { KubeObject, Namespace, Secret, Service } from '../../../translators/api/meta';
import { emptyInput, type TranslationInput } from '../../../translators/input';
import type { TranslationResult } from '../../../translators/result';
import { fixtureResult } from './fixture-result';

export const TEST_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZAndW3/DDAVhKN49
XdVjBzyPZHBCkbU9YfBx4MhMBRKhRANCAAR67E8cGmBs5ErpssBxpgEjTokIa7b9
znL7mte0lEaqiB2geSvef/JRlVD86pt1UScQvHh8vvVIg/Fv5LhYGqhj
-----END PRIVATE KEY-----
`;

export const TEST_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBwTCCAWegAwIBAgIUB/5EJ4xY350xYqd3YEpp8RwmV6swCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAgFw0yNjExMjIwMTQ1NTdaGA8y
MTI2MTAyOTAxNDU1N1owGzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABHrsTxwaYGzkSumywHGmASNOiQhrtv3Ocvua
17SURqqIHaB5K95/8lGVUPzqm3VRJxC8eHy+9UiD8W/kuFgaqGOjgYYwgYMwHQYD
VR0OBBYEFCI5QGOeT9K2qOn4P/89UYiPW/ZaMB8GA1UdIwQYMBaAFCI5QGOeT9K2
qOn4P/89UYiPW/ZaMA8GA1UdEwEB/wQFMAMBAf8wMAYDVR0RBCkwJ4IQc2hvcC5l
eGFtcGxlLmNvbYITcGFydG5lci5leGFtcGxlLmNvbTAKBggqhkjOPQQDAgNIADBF
AiBe3KMlEYNY4452UIQtjucZCVusjaBm2Ebw4Iqa7hPoAAIhAO6LMFj5iV1YiJef
Fu56Rm9bg/MSxwVksHLqEyx4gZXg
-----END CERTIFICATE-----
`;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Strings that must never appear in any GUI response. */
export function secretValues(): string[] {
  const copy = TEST_KEY_PEM + TEST_CERT_PEM;
  const keyBody = TEST_KEY_PEM.split('\n')[1]!;
  return [b64(TEST_KEY_PEM), b64(TEST_CERT_PEM), TEST_KEY_PEM, TEST_CERT_PEM, keyBody, b64(copy), 'stringdata-canary-7f3a'];
}

const meta = (name: string, namespace?: string, extra: Partial<KubeObject['metadata']> = {}) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `uid-${namespace ?? 'cluster'}-${name}`,
  generation: 1,
  ...extra,
});

const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
});

const svc = (namespace: string, name: string, port: number): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name, namespace),
  spec: { type: 'ClusterIP', clusterIP: '10.96.1.10', selector: { app: name }, ports: [{ name: 'main', port, targetPort: port, protocol: 'TCP' }] },
});

const tlsSecret = (namespace: string, name: string): Secret => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: meta(name, namespace, {
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { 'tls.key': b64(TEST_KEY_PEM) } }) },
  }),
  type: 'kubernetes.io/tls',
  data: { 'tls.crt': b64(TEST_CERT_PEM), 'tls.key': b64(TEST_KEY_PEM) },
  stringData: { note: 'stringdata-canary-7f3a' },
});

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export function fixtureInput(): TranslationInput {
  const input = emptyInput();
  input.namespaces = [ns('infra', { 'kuma.io/mesh': 'default' }), ns('apps'), ns('team-b'), ns('kuma-system')];
  input.meshGatewayConfigs = [
    { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGatewayConfig', metadata: meta('meshgate-defaults'), spec: { replicas: 2, serviceType: 'ClusterIP' } },
  ];
  const cls = (name: string, config: string): GatewayClass => ({
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'GatewayClass',
    metadata: meta(name),
    spec: { controllerName: 'gateways.kuma.io/controller', parametersRef: { group: 'kuma.io', kind: 'MeshGatewayConfig', name: config } },
  });
  input.gatewayClasses = [cls('meshgate', 'meshgate-defaults'), cls('meshgate-tuned', 'missing-config')];
  const web: Gateway = {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: meta('web', 'infra'),
    spec: {
      gatewayClassName: 'meshgate',
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } },
        { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'shop.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'web-cert' }] }, allowedRoutes: { namespaces: { from: 'All' } } },
        { name: 'https-partner', port: 8443, protocol: 'HTTPS', hostname: 'partner.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'partner-cert', namespace: 'team-b' }] }, allowedRoutes: { namespaces: { from: 'All' } } },
        { name: 'tls', port: 9443, protocol: 'TLS', hostname: '*.example.com', tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'All' } } },
      ],
    },
  };
  const internal: Gateway = {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: meta('internal', 'apps'),
    spec: { gatewayClassName: 'meshgate', listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }] },
  };
  input.gateways = [web, internal];
  const route = (namespace: string, name: string, hostnames: string[], parent: { namespace: string; name: string; sectionName?: string }, backend: { name: string; port: number; namespace?: string }): HTTPRoute => ({
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: meta(name, namespace),
    spec: {
      parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', ...parent }],
      hostnames,
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-served-by', value: 'meshgate' }] } }],
          backendRefs: [{ group: '', kind: 'Service', weight: 1, ...backend }],
        },
      ],
    },
  });
  input.httpRoutes = [
    route('apps', 'shop', ['shop.example.com'], { namespace: 'infra', name: 'web' }, { name: 'shop', port: 8080 }),
    route('apps', 'blog', ['blog.other.org'], { namespace: 'infra', name: 'web' }, { name: 'shop', port: 8080 }),
    route('apps', 'api', ['api.example.com'], { namespace: 'infra', name: 'web', sectionName: 'http' }, { name: 'api-v2', port: 8080 }),
    route('team-b', 'admin', [], { namespace: 'apps', name: 'internal' }, { name: 'shop', port: 8080, namespace: 'apps' }),
  ];
  const db: TLSRoute = {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'TLSRoute',
    metadata: meta('db', 'apps'),
    spec: {
      parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', namespace: 'infra', name: 'web', sectionName: 'tls' }],
      hostnames: ['db.example.com'],
      rules: [{ backendRefs: [{ group: '', kind: 'Service', name: 'db', port: 5432, weight: 1 }] }],
    },
  };
  input.tlsRoutes = [db];
  input.services = [svc('apps', 'shop', 8080), svc('apps', 'db', 5432)];
  input.secrets = [tlsSecret('infra', 'web-cert'), tlsSecret('team-b', 'partner-cert')];
  const grant: ReferenceGrant = {
    apiVersion: `${GATEWAY_GROUP}/v1beta1`,
    kind: 'ReferenceGrant',
    metadata: meta('team-b-to-shop', 'apps'),
    spec: { from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: 'team-b' }], to: [{ group: '', kind: 'Service', name: 'shop' }] },
  };
  input.referenceGrants = [grant];
  input.options = { ...input.options, now: '2026-01-01T00:00:00Z' };
  return input;
}

/** The input with its hand-made translation (independent of translators/index.ts). */
export function fixture(): { input: TranslationInput; result: TranslationResult } {
  const input = fixtureInput();
  return { input, result: fixtureResult(input) };
}
