// Every declared dependency is needed: for each entry of dependencies.ts, a change to what it names
// must reach the units that read it. Each scenario is checked twice: with the declarations as they
// are, the engine after the change equals a full translation; with that one entry left out, it does
// not (a stale result). An entry without a scenario fails the last test: add one with it.
import type { KubeObject } from './api/meta';
import { controlPlaneCASecretKey } from './control-plane-ca';
import type { Dependencies } from './dependencies';
import { DEPENDENCIES } from './dependencies';
import type { Changes } from './engine';
import { TranslationEngine } from './engine';
import { translate } from './index';
import type { TranslationInput } from './input';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from './input';
import { pem, tlsSecret } from './testdata/certs';

const GW = 'gateway.networking.k8s.io/v1';
const MANAGED = { 'app.kubernetes.io/managed-by': 'meshgate' };
const obj = (o: unknown) => o as KubeObject;
const gatewayClass = (spec: object = {}) => obj({ apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName, ...spec } });
const http = { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } };
const https = { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } };
const gateway = (spec: object = {}, generation = 1) => obj({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', generation }, spec: { gatewayClassName: 'kuma', listeners: [http], ...spec } });
const route = (ns: string, spec: object) => obj({ apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: ns, generation: 1 }, spec });
const toEdge = (backendNs?: string) => ({ parentRefs: [{ name: 'edge', namespace: 'app' }], rules: [{ backendRefs: [{ name: 'web', namespace: backendNs, port: 80 }] }] });
const service = (ns: string, name: string, extra: object = {}) => obj({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, ...extra }, spec: { clusterIP: '10.0.0.9', ports: [{ port: 80 }] } });
const deployment = () => obj({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge', namespace: 'app', labels: MANAGED }, spec: { replicas: 1 }, status: { availableReplicas: 1 } });
const config = () => obj({ apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGatewayConfig', metadata: { name: 'cfg' }, spec: { replicas: 2 } });
const cfgRef = { group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'cfg' };

/** A Gateway running on the user's proxy behind Service app/edge-proxy. */
function unmanaged(): KubeObject {
  const gw = gateway();
  return obj({ ...gw, metadata: { ...gw.metadata, annotations: { 'gateways.meshgate.io/proxy-service': 'edge-proxy' } } });
}
// A ListenerSet of `edge`, which allows them from its namespace.
const open = { allowedListeners: { namespaces: { from: 'Same' } } };
const listenerSet = (listeners: object[] = [{ name: 'extra', port: 8080, protocol: 'HTTP' }]) =>
  obj({ apiVersion: GW, kind: 'ListenerSet', metadata: { name: 'ls', namespace: 'app', generation: 1 }, spec: { parentRef: { name: 'edge' }, listeners } });
const toListenerSet = { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'ls' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] };

interface Scenario { start: KubeObject[]; change: Changes }

/** Per declared entry, changes that only that entry makes the engine see. */
const SCENARIOS: Record<string, Scenario[]> = {
  'gatewayClass.MeshGatewayConfig': [{ start: [gatewayClass({ parametersRef: cfgRef }), gateway()], change: { upsert: [config()] } }],
  'gateway.GatewayClass': [{ start: [gateway()], change: { upsert: [gatewayClass()] } }],
  'gateway.MeshGatewayConfig': [{ start: [gatewayClass(), gateway({ infrastructure: { parametersRef: cfgRef } })], change: { upsert: [config()] } }],
  'gateway.Secret': [
    { start: [gatewayClass(), gateway({ listeners: [https] })], change: { upsert: [tlsSecret('app', 'cert')] } },
    // The control-plane CA every proxy Deployment carries.
    { start: [gatewayClass(), gateway()], change: { upsert: [caSecret()] } },
  ],
  'gateway.Service': [
    { start: [gatewayClass(), gateway(), deployment()], change: { upsert: [service('app', 'edge', { labels: MANAGED })] } },
    // An unmanaged Gateway's proxy Service (unmanaged.ts): it appears, then stops exposing the listener's port.
    { start: [gatewayClass(), unmanaged()], change: { upsert: [service('app', 'edge-proxy')] } },
    { start: [gatewayClass(), unmanaged(), service('app', 'edge-proxy')], change: { upsert: [obj({ ...service('app', 'edge-proxy'), spec: { clusterIP: '10.0.0.9', ports: [{ port: 81 }] } })] } },
  ],
  'gateway.Deployment': [{ start: [gatewayClass(), gateway(), service('app', 'edge', { labels: MANAGED })], change: { upsert: [deployment()] } }],
  'listenerSet.gateways': [{ start: [gatewayClass(), gateway(open)], change: { upsert: [listenerSet()] } }],
  'listenerSet.reads.Secret': [{ start: [gatewayClass(), gateway(open), listenerSet([https])], change: { upsert: [tlsSecret('app', 'cert')] } }],
  'route.listenerSets': [{ start: [gatewayClass(), gateway(open), listenerSet(), service('app', 'web')], change: { upsert: [route('app', toListenerSet)] } }],
  'route.reads.Service': [
    { start: [gatewayClass(), gateway(), route('app', toEdge())], change: { upsert: [service('app', 'web')] } },
    // The Gateway is re-translated anyway, its listeners unchanged: the route's memo must not be replayed.
    { start: [gatewayClass(), gateway(), route('app', toEdge())], change: { upsert: [service('app', 'web'), gateway({ infrastructure: { labels: { team: 'a' } } }, 2)] } },
    // A GAMMA route's parent Service.
    { start: [route('app', { parentRefs: [{ group: '', kind: 'Service', name: 'web' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] })], change: { upsert: [service('app', 'web')] } },
  ],
  'everything.Namespace': [{ start: [gatewayClass(), gateway(), route('team', toEdge('team')), service('team', 'web')], change: { upsert: [obj({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { 'kuma.io/mesh': 'other' } } })] } }],
  'everything.ReferenceGrant': [{
    start: [gatewayClass(), gateway(), route('team', toEdge('app')), service('app', 'web')],
    change: { upsert: [obj({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'app' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team' }], to: [{ group: '', kind: 'Service' }] } })] },
  }],
  readsNow: [{ start: [gatewayClass(), gateway({ listeners: [https] }), tlsSecret('app', 'cert')], change: { now: { value: '2200-01-01T00:00:00Z' } } }],
};

function caSecret(): KubeObject {
  const [namespace, name] = controlPlaneCASecretKey(DEFAULT_OPTIONS).split('/');
  return obj({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: { 'ca.crt': Buffer.from(pem('valid.crt')).toString('base64') } });
}

function bundle(objects: KubeObject[], now?: string): TranslationInput {
  const input = emptyInput(now ? { now } : {});
  for (const o of objects) addToInput(input, o);
  return input;
}

/** Does the engine, built with `deps` and then given the change, equal a full translation of the result? */
function incrementalIsFull(deps: Dependencies, s: Scenario): boolean {
  // Built by apply() (not fromInput, a one-shot that keeps no route memos), as a controller does.
  const engine = new TranslationEngine(emptyInput().options, { deps });
  engine.apply({ upsert: s.start });
  engine.apply(s.change);
  const byKey = new Map(s.start.map((o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]));
  for (const o of s.change.upsert ?? []) byKey.set(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o);
  const full = translate(bundle([...byKey.values()], s.change.now?.value));
  // The scenario must change something, or leaving a dependency out could not be seen.
  expect(full).not.toEqual(translate(bundle(s.start)));
  return JSON.stringify(engine.result()) === JSON.stringify(full);
}

/** The declarations with one entry left out. */
function without(entry: string): Dependencies {
  const [group, ...rest] = entry.split('.');
  const omit = <T extends object>(o: T, k: string): T => Object.fromEntries(Object.entries(o).filter(([x]) => x !== k)) as T;
  switch (group) {
    case 'gatewayClass': return { ...DEPENDENCIES, gatewayClass: omit(DEPENDENCIES.gatewayClass, rest[0]) };
    case 'gateway': return { ...DEPENDENCIES, gateway: omit(DEPENDENCIES.gateway, rest[0]) };
    case 'route':
      if (rest[0] === 'listenerSets') return { ...DEPENDENCIES, route: { ...DEPENDENCIES.route, listenerSets: () => [] } };
      return { ...DEPENDENCIES, route: { ...DEPENDENCIES.route, reads: omit(DEPENDENCIES.route.reads, rest[1]) } };
    case 'listenerSet':
      if (rest[0] === 'gateways') return { ...DEPENDENCIES, listenerSet: { ...DEPENDENCIES.listenerSet, gateways: () => [] } };
      return { ...DEPENDENCIES, listenerSet: { ...DEPENDENCIES.listenerSet, reads: omit(DEPENDENCIES.listenerSet.reads, rest[1]) } };
    case 'everything': return { ...DEPENDENCIES, everything: DEPENDENCIES.everything.filter((k) => k !== rest[0]) };
    case 'readsNow': return { ...DEPENDENCIES, readsNow: () => false };
    default: throw new Error(`unknown entry ${entry}`);
  }
}

const DECLARED = [
  ...Object.keys(DEPENDENCIES.gatewayClass).map((k) => `gatewayClass.${k}`),
  ...Object.keys(DEPENDENCIES.gateway).map((k) => `gateway.${k}`),
  ...Object.keys(DEPENDENCIES.route.reads).map((k) => `route.reads.${k}`),
  'route.listenerSets', 'listenerSet.gateways',
  ...Object.keys(DEPENDENCIES.listenerSet.reads).map((k) => `listenerSet.reads.${k}`),
  ...DEPENDENCIES.everything.map((k) => `everything.${k}`),
  'readsNow',
];

describe('declared dependencies (dependencies.ts)', () => {
  it.each(Object.keys(SCENARIOS))('%s: with it, incremental equals full; without it, a stale result', (entry) => {
    for (const s of SCENARIOS[entry]) expect(incrementalIsFull(DEPENDENCIES, s)).toBe(true);
    expect(SCENARIOS[entry].map((s) => incrementalIsFull(without(entry), s))).not.toContain(true);
  });

  it('gateway.Service: the unmanaged proxy Service is needed besides the generated one', () => {
    const generatedOnly: Dependencies = { ...DEPENDENCIES, gateway: { ...DEPENDENCIES.gateway, Service: (gw) => [`${gw.metadata.namespace}/${gw.metadata.name}`] } };
    const unmanagedScenarios = SCENARIOS['gateway.Service'].slice(1);
    expect(unmanagedScenarios.map((s) => incrementalIsFull(generatedOnly, s))).toEqual([false, false]);
  });

  it('every declared entry has a scenario here', () => {
    expect(DECLARED.filter((e) => !(e in SCENARIOS))).toEqual([]);
  });
});
