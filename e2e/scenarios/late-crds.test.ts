// Gateway API CRDs installed after the controller started (own clusters: the shared one has
// them). meshgate starts, says which CRDs are missing, is ready, and begins translating when
// they appear, with no restart. With every CRD but TLSRoute, everything but TLSRoute works
// (and TLSRoute too once its CRD is installed).
import { readFileSync } from 'node:fs';
import { gatewayApiManifests, installGatewayApiCrds, startCluster, type TestCluster } from '../cluster/harness';
import { kubeFrom } from '../support/kube';
import {
  gateway, gatewayClass, gatewayWhen, GW, httpListener, httpRoute, listenerStatus, namespace, parentCond, programmed, routeWhen, scenario, service,
  SYSTEM_NS, systemNamespace, waitFor, type Obj, type Scenario,
} from './fixture';

let late: TestCluster | undefined;
let noTls: Promise<TestCluster> | undefined;
const a = scenario('late-crds', [''], () => kubeFrom(late!.kubeconfigPath, late!.kubectl));
let bCluster: TestCluster | undefined;
const b = scenario('no-tlsroute', [''], () => kubeFrom(bCluster!.kubeconfigPath, bCluster!.kubectl));

const ALL_BUT_TLSROUTE = gatewayApiManifests().filter((m) => m.kind && m.kind !== 'TLSRoute').map((m) => m.kind!);

beforeAll(async () => {
  late = await startCluster({ name: 'late-crds', gatewayApiCrds: false });
  // The second cluster starts while the first test runs.
  noTls = startCluster({ name: 'no-tlsroute', gatewayApiCrds: { only: ALL_BUT_TLSROUTE } });
  noTls.catch(() => undefined);
}, 180_000);

afterAll(async () => {
  await a.ctl?.stop();
  await b.ctl?.stop();
  await late?.stop();
  await (bCluster ?? (await noTls?.catch(() => undefined)))?.stop();
});

/** The JSON log lines of the controller that match `msg`. */
function logLines(sc: Scenario, msg: string): Record<string, unknown>[] {
  return readFileSync(sc.ctl!.logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === msg);
}

const basics = (sc: Scenario) => {
  const [ns] = sc.namespaces;
  return [
    gatewayClass(sc.className, sc.controllerName), service(ns, 'web', [8080]),
    gateway(ns, 'edge', sc.className, [httpListener(), { name: 'tls', port: 8443, protocol: 'TLS', hostname: '*.example.com', tls: { mode: 'Passthrough' } }]),
    httpRoute(ns, 'web', [{ name: 'edge', sectionName: 'http' }], { name: 'web', port: 8080 }),
  ];
};

async function translated(sc: Scenario): Promise<void> {
  const [ns] = sc.namespaces;
  await gatewayWhen(sc, ns, 'edge', (g) => programmed(g) && listenerStatus(g, 'http')?.attachedRoutes === 1, 'Programmed, route attached', 30_000);
  await routeWhen(sc, 'httproute', ns, 'web', (r) => parentCond(r, sc.controllerName, 'Accepted')?.status === 'True', 'Accepted');
  const routes = await waitFor('MeshHTTPRoute', async () => { const l = await sc.kube.list<Obj>('meshhttproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${sc.controllerHash}` }); return l.length === 1 && l; });
  expect(routes[0].spec.targetRef).toEqual(expect.objectContaining({ kind: 'MeshGateway', name: `edge.${ns}` }));
  await waitFor('MeshGateway', () => sc.kube.get('meshgateway', `edge.${ns}`));
  await waitFor('Deployment', () => sc.kube.get('deployment', 'edge', ns));
}

test('no Gateway API CRDs at start: the controller is ready, then translates once they are installed', async () => {
  const [ns] = a.namespaces;
  await a.kube.apply([systemNamespace(), namespace(ns)]);
  const ctl = await a.start(); // resolves on /readyz 200
  const missing = logLines(a, 'CRDs not installed; the kinds they define are not watched until they are');
  expect(missing.length).toBeGreaterThanOrEqual(1);
  expect(missing[0].missing).toEqual(expect.arrayContaining(['gatewayclasses.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'tlsroutes.gateway.networking.k8s.io', 'referencegrants.gateway.networking.k8s.io']));
  expect(await ctl.metric('meshgate_ready')).toBe(1);

  await installGatewayApiCrds(late!);
  await a.kube.apply(basics(a));
  await translated(a);
  expect(await ctl.metric('meshgate_ready')).toBe(1); // the same process throughout
  const watching = logLines(a, 'watching').map((l) => l.kind);
  expect(watching).toEqual(expect.arrayContaining(['GatewayClass', 'Gateway', 'HTTPRoute', 'TLSRoute', 'ReferenceGrant']));
});

test('every Gateway API CRD but TLSRoute: everything but TLSRoute works; TLSRoute once its CRD is installed', async () => {
  bCluster = await noTls!;
  const [ns] = b.namespaces;
  await b.kube.apply([systemNamespace(), namespace(ns), ...basics(b)]);
  const ctl = await b.start();
  const missing = logLines(b, 'CRDs not installed; the kinds they define are not watched until they are');
  expect(missing[0]?.missing).toEqual(['tlsroutes.gateway.networking.k8s.io']);
  await translated(b);
  const gw = await b.kube.get<Obj>('gateway', 'edge', ns);
  expect(listenerStatus(gw, 'tls')?.attachedRoutes).toBe(0);

  // TLSRoute's CRD arrives later: TLSRoutes are watched and translated, still no restart.
  await installGatewayApiCrds(bCluster, { only: ['TLSRoute'] });
  await b.kube.apply([
    service(ns, 'db', [5432]),
    { apiVersion: GW, kind: 'TLSRoute', metadata: { name: 'db', namespace: ns }, spec: { parentRefs: [{ name: 'edge', sectionName: 'tls' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } },
  ]);
  await routeWhen(b, 'tlsroute', ns, 'db', (r) => parentCond(r, b.controllerName, 'Accepted')?.status === 'True', 'Accepted', 30_000);
  await gatewayWhen(b, ns, 'edge', (g) => listenerStatus(g, 'tls')?.attachedRoutes === 1, 'TLS listener has the route');
  await waitFor('MeshTCPRoute', async () => (await b.kube.list<Obj>('meshtcproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${b.controllerHash}` })).length === 1);
  expect(await ctl.metric('meshgate_ready')).toBe(1);
});

