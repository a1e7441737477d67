// The controller on the shared real API server: a Gateway and an HTTPRoute become a MeshGateway,
// a MeshHTTPRoute, a Deployment and a Service; status is written; a restart writes nothing.
import { startController, testControllerName, type ControllerProcess } from './controller';
import { eventually, findCondition, sharedKube, type Cond } from './kube';

const kube = sharedKube();
const controllerName = testControllerName('smoke');
const ns = 'e2e-smoke';
let ctl: ControllerProcess | undefined;

const manifests = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kuma-system' } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'e2e-smoke' }, spec: { controllerName } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: ns }, spec: { gatewayClassName: 'e2e-smoke', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { ports: [{ port: 8080 }], selector: { app: 'web' } } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: ns }, spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } },
];

afterAll(async () => {
  await ctl?.stop();
  await kube.remove(manifests.slice(2));
});

test('translates, writes status, and a restart over a converged cluster writes nothing', async () => {
  await kube.apply(manifests);
  ctl = await startController(kube.kubeconfigPath, { controllerName });
  const gw = await eventually(async () => {
    const g = await kube.get<{ status?: { conditions?: Cond[]; listeners?: { attachedRoutes: number }[] } }>('gateway', 'edge', ns);
    return findCondition(g?.status?.conditions, 'Programmed')?.status === 'True' && g;
  }, 30_000, 'Gateway Programmed');
  expect(gw.status?.listeners?.[0].attachedRoutes).toBe(1);
  expect(await kube.get('meshgateway', `edge.${ns}`)).toBeDefined();
  expect(await kube.get('deployment', 'edge', ns)).toBeDefined();
  const routes = await kube.list('meshhttproute', { namespace: 'kuma-system', selector: 'meshgate.io/owner-kind=HTTPRoute' });
  expect(routes.length).toBeGreaterThanOrEqual(1);
  await ctl.idle();
  expect(await ctl.totalWrites()).toBeGreaterThan(0);
  await ctl.stop();

  ctl = await startController(kube.kubeconfigPath, { controllerName });
  await ctl.idle(2000);
  expect(await ctl.writes()).toEqual({});
});
