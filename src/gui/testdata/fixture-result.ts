// The hand-made TranslationResult for fixture.ts, shaped like translate()'s output (owner labels,
// names from naming.ts, statuses per the Gateway API contract).
import type { ParentReference } from '../../../translators/api/gateway-api';
import type { Condition, KubeObject } from '../../../translators/api/meta';
import type { TranslationInput } from '../../../translators/input';
import {
  MESH_LABEL, gatewayServiceTag, meshGatewayName, ownerLabels, parentScopedRouteName, secretCopyName,
} from '../../../translators/naming';
import type { RouteParentStatus } from '../../../translators/api/gateway-api';
import type { OwnerRef, StatusUpdate, TranslationResult } from '../../../translators/result';
import { objectKey } from '../../../translators/keys';

const CTRL = 'gateways.kuma.io/controller';
const GW = 'gateway.networking.k8s.io';
const c = (type: string, status: Condition['status'], reason: string, message = reason): Condition => ({ type, status, reason, message, observedGeneration: 1 });
const okRoute = [c('Accepted', 'True', 'Accepted'), c('ResolvedRefs', 'True', 'ResolvedRefs')];

function gatewayObjects(input: TranslationInput, ns: string, name: string): KubeObject[] {
  const labels = ownerLabels('Gateway', ns, name, CTRL);
  const gw = input.gateways.find((g) => g.metadata.name === name && g.metadata.namespace === ns)!;
  const meshgw = {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'MeshGateway',
    mesh: 'default',
    metadata: { name: meshGatewayName(ns, name), labels: { ...labels, [MESH_LABEL]: 'default' } },
    spec: {
      selectors: [{ match: { 'kuma.io/service': gatewayServiceTag(ns, name) } }],
      conf: {
        listeners: gw.spec.listeners
          .filter((l) => l.name !== 'https-partner')
          .map((l) => ({
            hostname: l.hostname ?? '*',
            port: l.port,
            protocol: l.protocol,
            ...(l.tls ? { tls: l.tls.mode === 'Passthrough' ? { mode: 'PASSTHROUGH' } : { mode: 'TERMINATE', certificates: [{ secret: secretCopyName('default', ns, 'web-cert') }] } } : {}),
            tags: { 'gateways.kuma.io/listener-name': l.name },
          })),
      },
    },
  };
  const deploy = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, [MESH_LABEL]: 'default' } }, spec: { containers: [{ name: 'kuma-gateway', image: input.options.proxyImage }] } } },
  };
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: { type: 'ClusterIP', selector: { app: name }, ports: gw.spec.listeners.map((l) => ({ name: l.name, port: l.port, protocol: 'TCP' })) },
  };
  return [meshgw, deploy, svc];
}

function meshRoute(kind: 'MeshHTTPRoute' | 'MeshTCPRoute', routeNs: string, routeName: string, parent: ParentReference, hostnames: string[], backend: object, sys: string): KubeObject {
  const name = parentScopedRouteName(routeNs, routeName, { group: GW, kind: 'Gateway', namespace: parent.namespace!, name: parent.name, ...(parent.sectionName ? { sectionName: parent.sectionName } : {}) });
  const targetRef = { kind: 'MeshGateway', name: meshGatewayName(parent.namespace!, parent.name) };
  const rule = kind === 'MeshHTTPRoute'
    ? { matches: [{ path: { type: 'PathPrefix', value: '/' } }], default: { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-served-by', value: 'meshgate' }] } }], backendRefs: [backend] } }
    : { default: { backendRefs: [backend] } };
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind,
    metadata: { name, namespace: sys, labels: { ...ownerLabels(kind === 'MeshHTTPRoute' ? 'HTTPRoute' : 'TLSRoute', routeNs, routeName, CTRL), [MESH_LABEL]: 'default' } },
    spec: { targetRef, to: [{ targetRef: { kind: 'Mesh' }, ...(kind === 'MeshHTTPRoute' ? { hostnames } : {}), rules: [rule] }] },
  } as KubeObject;
}

const svcBackend = (ns: string, name: string, port: number) => ({ kind: 'MeshService', labels: { 'kuma.io/display-name': name, 'k8s.kuma.io/namespace': ns }, sectionName: String(port), weight: 1 });

export function fixtureResult(input: TranslationInput): TranslationResult {
  const sys = input.options.systemNamespace;
  const key = input.secrets[0]!.data!;
  const copy = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretCopyName('default', 'infra', 'web-cert'), namespace: sys, labels: { ...ownerLabels('Secret', 'infra', 'web-cert', CTRL), [MESH_LABEL]: 'default' }, annotations: { 'meshgate.io/source': 'infra/web-cert' } },
    type: 'system.kuma.io/secret',
    data: { value: Buffer.from(Buffer.from(key['tls.key']!, 'base64').toString() + Buffer.from(key['tls.crt']!, 'base64').toString()).toString('base64') },
  };
  const web = { namespace: 'infra', name: 'web' };
  // Each generated object with the object it comes from, as the result's `owners` names it.
  const owned: [OwnerRef, KubeObject[]][] = [
    [{ kind: 'Gateway', ...web }, gatewayObjects(input, 'infra', 'web')],
    [{ kind: 'Gateway', namespace: 'apps', name: 'internal' }, gatewayObjects(input, 'apps', 'internal')],
    [{ kind: 'Secret', namespace: 'infra', name: 'web-cert' }, [copy]],
    [{ kind: 'HTTPRoute', namespace: 'apps', name: 'shop' }, [meshRoute('MeshHTTPRoute', 'apps', 'shop', web, ['shop.example.com'], svcBackend('apps', 'shop', 8080), sys)]],
    [{ kind: 'HTTPRoute', namespace: 'apps', name: 'api' }, [meshRoute('MeshHTTPRoute', 'apps', 'api', { ...web, sectionName: 'http' }, ['api.example.com'], { kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 }, sys)]],
    [{ kind: 'TLSRoute', namespace: 'apps', name: 'db' }, [meshRoute('MeshTCPRoute', 'apps', 'db', { ...web, sectionName: 'tls' }, [], svcBackend('apps', 'db', 5432), sys)]],
  ];
  const objects = owned.flatMap(([, objs]) => objs);
  const owners = Object.fromEntries(owned.flatMap(([owner, objs]) => objs.map((o) => [objectKey(o), owner])));
  const parent = (p: ParentReference, conditions: Condition[]): RouteParentStatus => ({ parentRef: { group: GW, kind: 'Gateway', ...p }, controllerName: CTRL, conditions });
  const statuses: StatusUpdate[] = [
    { target: { apiVersion: `${GW}/v1`, kind: 'GatewayClass', name: 'meshgate' }, generation: 1, conditions: [c('Accepted', 'True', 'Accepted'), c('SupportedVersion', 'True', 'SupportedVersion')], supportedFeatures: [{ name: 'Gateway' }, { name: 'HTTPRoute' }, { name: 'TLSRoute' }] },
    { target: { apiVersion: `${GW}/v1`, kind: 'GatewayClass', name: 'meshgate-tuned' }, generation: 1, conditions: [c('Accepted', 'False', 'InvalidParameters', 'parametersRef kuma.io/MeshGatewayConfig "missing-config" not found'), c('SupportedVersion', 'True', 'SupportedVersion')], supportedFeatures: [] },
    {
      target: { apiVersion: `${GW}/v1`, kind: 'Gateway', namespace: 'infra', name: 'web' },
      generation: 1,
      conditions: [c('Accepted', 'True', 'ListenersNotValid', 'some listeners are invalid'), c('Programmed', 'True', 'Programmed'), c('ResolvedRefs', 'False', 'ListenersNotResolved', 'listener https-partner has unresolved references')],
      listeners: [
        { name: 'http', supportedKinds: [{ group: GW, kind: 'HTTPRoute' }], attachedRoutes: 1, conditions: [c('Accepted', 'True', 'Accepted'), c('Programmed', 'True', 'Programmed'), c('ResolvedRefs', 'True', 'ResolvedRefs')] },
        { name: 'https', supportedKinds: [{ group: GW, kind: 'HTTPRoute' }], attachedRoutes: 1, conditions: [c('Accepted', 'True', 'Accepted'), c('Programmed', 'True', 'Programmed'), c('ResolvedRefs', 'True', 'ResolvedRefs'), c('meshgate.io/CertificateValid', 'True', 'CertificateValid', 'certificate infra/web-cert covers shop.example.com; expires 2126-10-29T01:45:57Z')] },
        { name: 'https-partner', supportedKinds: [{ group: GW, kind: 'HTTPRoute' }], attachedRoutes: 0, conditions: [c('Accepted', 'True', 'Accepted'), c('Programmed', 'False', 'Invalid', 'listener has unresolved certificate references'), c('ResolvedRefs', 'False', 'RefNotPermitted', 'reference to Secret "team-b/partner-cert" not permitted by any ReferenceGrant')] },
        { name: 'tls', supportedKinds: [{ group: GW, kind: 'TLSRoute' }], attachedRoutes: 1, conditions: [c('Accepted', 'True', 'Accepted'), c('Programmed', 'True', 'Programmed'), c('ResolvedRefs', 'True', 'ResolvedRefs')] },
      ],
      addresses: [{ type: 'IPAddress', value: '10.96.0.20' }],
    },
    {
      target: { apiVersion: `${GW}/v1`, kind: 'Gateway', namespace: 'apps', name: 'internal' },
      generation: 1,
      conditions: [c('Accepted', 'True', 'Accepted'), c('Programmed', 'True', 'Programmed'), c('ResolvedRefs', 'True', 'ResolvedRefs')],
      listeners: [{ name: 'http', supportedKinds: [{ group: GW, kind: 'HTTPRoute' }], attachedRoutes: 0, conditions: [c('Accepted', 'True', 'Accepted'), c('Programmed', 'True', 'Programmed'), c('ResolvedRefs', 'True', 'ResolvedRefs')] }],
      addresses: [{ type: 'IPAddress', value: '10.96.0.21' }],
    },
    { target: { apiVersion: `${GW}/v1`, kind: 'HTTPRoute', namespace: 'apps', name: 'api' }, generation: 1, parents: [parent({ ...web, sectionName: 'http' }, [c('Accepted', 'True', 'Accepted'), c('ResolvedRefs', 'False', 'BackendNotFound', 'backend Service "apps/api-v2" not found')])] },
    { target: { apiVersion: `${GW}/v1`, kind: 'HTTPRoute', namespace: 'apps', name: 'blog' }, generation: 1, parents: [parent(web, [c('Accepted', 'False', 'NoMatchingListenerHostname', 'no listener hostname intersects the route hostnames'), c('ResolvedRefs', 'True', 'ResolvedRefs')])] },
    { target: { apiVersion: `${GW}/v1`, kind: 'HTTPRoute', namespace: 'apps', name: 'shop' }, generation: 1, parents: [parent(web, okRoute)] },
    { target: { apiVersion: `${GW}/v1`, kind: 'HTTPRoute', namespace: 'team-b', name: 'admin' }, generation: 1, parents: [parent({ namespace: 'apps', name: 'internal' }, [c('Accepted', 'False', 'NotAllowedByListeners', 'no listener allows routes from namespace team-b'), c('ResolvedRefs', 'True', 'ResolvedRefs')])] },
    { target: { apiVersion: `${GW}/v1`, kind: 'TLSRoute', namespace: 'apps', name: 'db' }, generation: 1, parents: [parent({ ...web, sectionName: 'tls' }, okRoute)] },
  ];
  return {
    objects,
    owners,
    statuses,
    diagnostics: [{ severity: 'warning', object: { kind: 'HTTPRoute', namespace: 'apps', name: 'shop' }, field: 'spec.rules[0].timeouts', message: 'timeouts.backendRequest is ignored: Kuma has no per-backend request timeout' }],
  };
}
