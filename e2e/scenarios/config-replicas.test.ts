// Kuma scenario "should create the right number of pods after updating MeshGatewayConfig":
// GatewayClass.parametersRef → MeshGatewayConfig; replicas 3 → 4 rewrites the Deployment.
import { gateway, gatewayClass, gatewayCond, gatewayWhen, httpListener, meshGatewayConfig, namespace, programmed, scenario, systemNamespace, waitFor, type Obj } from './fixture';

const s = scenario('replicas');
const [ns] = s.namespaces;
const configName = 'e2e-replicas';
const config = (replicas: number) => meshGatewayConfig(configName, { replicas, serviceType: 'ClusterIP' });

afterAll(() => s.cleanup([config(0)]));

test('MeshGatewayConfig replicas 3 → 4 changes the Deployment replicas', async () => {
  await s.kube.apply([systemNamespace(), namespace(ns), config(3), gatewayClass(s.className, s.controllerName, configName), gateway(ns, 'edge', s.className, [httpListener()])]);
  const ctl = await s.start();
  await waitFor('GatewayClass Accepted', async () => gatewayCond(await s.kube.get<Obj>('gatewayclass', s.className), 'Accepted')?.status === 'True');
  await gatewayWhen(s, ns, 'edge', programmed, 'Programmed');
  const deploy = await waitFor('Deployment with 3 replicas', async () => { const d = await s.kube.get<Obj>('deployment', 'edge', ns); return d?.spec.replicas === 3 && d; });
  expect((await s.kube.get<Obj>('service', 'edge', ns))?.spec.type).toBe('ClusterIP');
  await ctl.idle();
  const before = await ctl.writes();

  await s.kube.apply([config(4)]);
  const updated = await waitFor('Deployment with 4 replicas', async () => { const d = await s.kube.get<Obj>('deployment', 'edge', ns); return d?.spec.replicas === 4 && d; }, 15_000);
  expect(updated.metadata.uid).toBe(deploy.metadata.uid); // updated in place, not recreated
  await ctl.idle();
  const after = await ctl.writes();
  // Exactly one write: the Deployment. The MeshGateway, Service and statuses do not change.
  const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
  expect(delta).toEqual({ 'Deployment apply': 1 });
});
