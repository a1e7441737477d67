// GAMMA (Kuma's remaining Gateway API support): an HTTPRoute whose parent is a Service becomes
// a MeshHTTPRoute targeting that Service's MeshService; a parentRef to a missing Service gets
// Accepted=False/NoMatchingParent.
// Own API server: GAMMA routes have no GatewayClass, so every meshgate watching all namespaces
// (other test files' controllers on the shared cluster) would translate them too.
import { startCluster, type TestCluster } from '../cluster/harness';
import { kubeFrom } from '../support/kube';
import { GW, namespace, parentCond, parentsOf, routeWhen, scenario, service, SYSTEM_NS, systemNamespace, waitFor, type Obj } from './fixture';
import { serviceScopedRouteName } from '../../translators/naming';

let cluster: TestCluster | undefined;
const s = scenario('gamma', [''], () => kubeFrom(cluster!.kubeconfigPath, cluster!.kubectl));
const [ns] = s.namespaces;
const serviceParent = (name: string, port?: number) => ({ group: '', kind: 'Service', name, ...(port ? { port } : {}) });
const route = (name: string, parent: string): Obj => ({
  apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: ns },
  spec: {
    parentRefs: [serviceParent(parent, 80)],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ name: 'backend-v2', port: 8080 }] }],
  },
});

beforeAll(async () => {
  cluster = await startCluster({ name: 'gamma', controllerManager: false });
}, 120_000);
afterAll(async () => {
  await s.ctl?.stop();
  await cluster?.stop();
});

test('an HTTPRoute with a Service parent becomes a MeshHTTPRoute; a missing Service parent is NoMatchingParent', async () => {
  await s.kube.apply([
    systemNamespace(), namespace(ns, { 'kuma.io/mesh': 'mesh-g' }),
    service(ns, 'frontend', [80]), service(ns, 'backend-v2', [8080]),
    route('to-v2', 'frontend'), route('orphan', 'no-such-service'),
  ]);
  const ctl = await s.start();

  const ok = await routeWhen(s, 'httproute', ns, 'to-v2', (r) => parentCond(r, s.controllerName, 'Accepted')?.status === 'True', 'Accepted');
  expect(parentsOf(ok, s.controllerName)).toEqual([expect.objectContaining({ parentRef: expect.objectContaining({ kind: 'Service', name: 'frontend', port: 80 }) })]);
  expect(parentCond(ok, s.controllerName, 'ResolvedRefs')?.status).toBe('True');

  const mhr = await waitFor('MeshHTTPRoute', () => s.kube.get<Obj>('meshhttproute', serviceScopedRouteName(ns, 'to-v2', ns, 'frontend'), SYSTEM_NS));
  expect(mhr.metadata.labels).toEqual(expect.objectContaining({ 'kuma.io/mesh': 'mesh-g', 'meshgate.io/owner-kind': 'HTTPRoute', 'meshgate.io/controller': s.controllerHash }));
  expect(mhr.spec).toEqual({
    targetRef: { kind: 'Mesh' }, // a producer route (same namespace as the Service): mesh-wide
    to: [{
      targetRef: { kind: 'MeshService', name: `frontend_${ns}_svc_80` },
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/v2' } }],
        default: { backendRefs: [{ kind: 'MeshService', name: `backend-v2_${ns}_svc_8080`, weight: 1 }] },
      }],
    }],
  });

  const orphan = await routeWhen(s, 'httproute', ns, 'orphan', (r) => parentCond(r, s.controllerName, 'Accepted') !== undefined, 'has status');
  expect(parentCond(orphan, s.controllerName, 'Accepted')).toEqual(expect.objectContaining({
    status: 'False', reason: 'NoMatchingParent', message: `Service "${ns}/no-such-service" does not exist`,
  }));
  await ctl.idle();
  const routes = await s.kube.list<Obj>('meshhttproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${s.controllerHash}` });
  expect(routes.map((r) => r.metadata.name)).toEqual([serviceScopedRouteName(ns, 'to-v2', ns, 'frontend')]);

  // The missing parent appears: the route is accepted and translated, without a restart.
  await s.kube.apply([service(ns, 'no-such-service', [80])]);
  await routeWhen(s, 'httproute', ns, 'orphan', (r) => parentCond(r, s.controllerName, 'Accepted')?.status === 'True', 'Accepted once the Service exists', 15_000);
  await waitFor('MeshHTTPRoute of orphan', () => s.kube.get<Obj>('meshhttproute', serviceScopedRouteName(ns, 'orphan', ns, 'no-such-service'), SYSTEM_NS));
});

test("Kuma's documented GAMMA manifest (Service parent without group, defaulted by the API server) is translated", async () => {
  // From Kuma's docs: parentRefs: [{name: demo-app, port: 5000, kind: Service}]. The API server
  // sets group gateway.networking.k8s.io; Kuma 2.14 accepts that group as well as "".
  await s.kube.apply([
    service(ns, 'demo-app', [5000]),
    {
      apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'demo-app', namespace: ns },
      spec: {
        parentRefs: [{ name: 'demo-app', port: 5000, kind: 'Service' }],
        rules: [{ backendRefs: [{ name: 'demo-app', port: 5000, weight: 1 }] }],
      },
    },
  ]);
  const ok = await routeWhen(s, 'httproute', ns, 'demo-app', (r) => parentCond(r, s.controllerName, 'Accepted')?.status === 'True', 'Accepted');
  expect(parentsOf(ok, s.controllerName)).toEqual([expect.objectContaining({ parentRef: expect.objectContaining({ group: 'gateway.networking.k8s.io', kind: 'Service', name: 'demo-app', port: 5000 }) })]);
  const mhr = await waitFor('MeshHTTPRoute of demo-app', () => s.kube.get<Obj>('meshhttproute', serviceScopedRouteName(ns, 'demo-app', ns, 'demo-app'), SYSTEM_NS));
  expect(mhr.spec).toEqual(expect.objectContaining({ targetRef: { kind: 'Mesh' }, to: [expect.objectContaining({ targetRef: { kind: 'MeshService', name: `demo-app_${ns}_svc_5000` } })] }));
});
