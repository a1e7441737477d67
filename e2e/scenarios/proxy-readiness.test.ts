// Programmed means the proxy runs (issue #10 item 2), on the real API server: the Gateway waits
// (Programmed=False/Pending naming what is missing) until its Deployment has an available replica
// and its LoadBalancer Service an ingress, is Programmed then, and flips back when the replicas go
// away. Pod and load-balancer status are set by hand (e2e/support/proxy.ts); the Deployment's
// availableReplicas comes from the real ReplicaSet and Deployment controllers. Also: the API server
// admits the full proxy Deployment as Kuma builds it, and meshgate does not fight its defaults.
import { NEW_GATEWAY_HOLD_MS } from '../../src/reconcile/plan';
import { pem } from '../../translators/testdata/certs';
import { MANUAL_PROXY, setProxyReady, setServiceIngress } from '../support/proxy';
import { gateway, gatewayClass, gatewayCond, gatewayWhen, httpListener, namespace, scenario, systemNamespace, waitFor, type Obj } from './fixture';

const s = scenario('readiness', ['', 'sys']);
const [ns, sysNs] = s.namespaces;

afterAll(() => s.cleanup());

const programmedCond = (g: Obj) => gatewayCond(g, 'Programmed');
/** NEW_GATEWAY_HOLD_MS and a margin. */
const HOLD_WAIT_MS = NEW_GATEWAY_HOLD_MS + 30_000;

test('Programmed waits for an available replica and a load-balancer address, and flips back when the replicas go away', async () => {
  const gw = gateway(ns, 'edge', s.className, [httpListener()]);
  gw.spec.infrastructure = MANUAL_PROXY;
  await s.kube.apply([systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName), gw]);
  const ctl = await s.start();

  // Waiting: the ReplicaSet's pod exists but is not ready (no kubelet), the load balancer has no address.
  // The Deployment's and the Service's watch events arrive in either order, and a status written in
  // between ("Service ... does not exist yet") is true for that moment: wait for both to be seen.
  // A new Pending Gateway's status waits for Programmed, up to NEW_GATEWAY_HOLD_MS (ADR 0060).
  const waiting = await gatewayWhen(s, ns, 'edge', (g) => /has no available replica.*has no load-balancer address/.test(programmedCond(g)?.message ?? ''), 'Programmed=False naming the Deployment and the Service', HOLD_WAIT_MS);
  expect(programmedCond(waiting)).toMatchObject({
    status: 'False', reason: 'Pending',
    message: `waiting for the gateway proxy: Deployment ${ns}/edge has no available replica (0 of 1 ready); Service ${ns}/edge has no load-balancer address yet (status.loadBalancer.ingress is empty)`,
  });
  expect(waiting.status.addresses ?? []).toEqual([]); // the ClusterIP of a pending load balancer is no address

  // The API server took the whole container as built (env, probes, resources).
  const d = await s.kube.get<Obj>('deployment', 'edge', ns);
  const c = d!.spec.template.spec.containers[0];
  expect(c.env.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(['POD_NAME', 'POD_NAMESPACE', 'KUMA_DATAPLANE_RUNTIME_TOKEN_PATH', 'KUMA_DATAPLANE_DRAIN_TIME', 'KUMA_CONTROL_PLANE_CA_CERT']));
  expect(c.env.map((e: { name: string }) => e.name)).not.toContain('KUMA_DATAPLANE_NAME');
  expect(c.env.at(-1)).toMatchObject({ name: 'KUMA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES', valueFrom: { resourceFieldRef: { containerName: 'kuma-gateway', resource: 'limits.memory' } } });
  expect(c.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 9902 });

  // The proxy pod becomes ready: only the address is missing now.
  await setProxyReady(s.kube, ns, 'edge', true);
  const noAddress = await gatewayWhen(s, ns, 'edge', (g) => !/Deployment/.test(programmedCond(g)?.message ?? '') && programmedCond(g)?.status === 'False', 'Programmed=False naming only the Service', HOLD_WAIT_MS);
  expect(programmedCond(noAddress)?.message).toBe(`waiting for the gateway proxy: Service ${ns}/edge has no load-balancer address yet (status.loadBalancer.ingress is empty)`);

  // The load balancer assigns an address: Programmed, with that address.
  await setServiceIngress(s.kube, ns, 'edge', [{ ip: '198.51.100.7' }]);
  const ready = await gatewayWhen(s, ns, 'edge', (g) => programmedCond(g)?.status === 'True', 'Programmed=True');
  expect(programmedCond(ready)).toMatchObject({ reason: 'Programmed', observedGeneration: (ready.metadata as { generation?: number }).generation });
  expect(ready.status.addresses).toEqual([{ type: 'IPAddress', value: '198.51.100.7' }]);

  // Steady state: the live Deployment and Service satisfy meshgate (no rewrite loop over server defaults).
  await ctl.idle();
  const before = await ctl.writes();
  await new Promise((r) => setTimeout(r, 2000));
  await ctl.idle();
  expect(await ctl.writes()).toEqual(before);

  // The replicas go away (readiness probe fails): back to Pending.
  await setProxyReady(s.kube, ns, 'edge', false);
  const lost = await gatewayWhen(s, ns, 'edge', (g) => programmedCond(g)?.status === 'False', 'Programmed=False again');
  expect(programmedCond(lost)).toMatchObject({ reason: 'Pending', message: `waiting for the gateway proxy: Deployment ${ns}/edge has no available replica (0 of 1 ready)` });
  expect(lost.status.addresses).toEqual([{ type: 'IPAddress', value: '198.51.100.7' }]);
}, 2 * HOLD_WAIT_MS + 60_000);

test('a Gateway left to the stand-in kubelet becomes Programmed with the load balancer\'s address', async () => {
  await s.kube.apply([gateway(ns, 'auto', s.className, [httpListener()])]);
  const g = await gatewayWhen(s, ns, 'auto', (x) => programmedCond(x)?.status === 'True', 'Programmed=True', 60_000);
  expect(g.status.addresses).toEqual([{ type: 'IPAddress', value: expect.stringMatching(/^198\.51\./) }]);
});

test('the control plane\'s CA comes from Kuma\'s kuma-tls-cert Secret in the system namespace, and follows it', async () => {
  const caSecret = (crt: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kuma-tls-cert', namespace: sysNs }, stringData: { 'ca.crt': crt } });
  await s.kube.apply([namespace(sysNs), caSecret(pem('valid.crt'))]);
  await s.start([`--system-namespace=${sysNs}`]);
  const env = async () => {
    const d = await s.kube.get<Obj>('deployment', 'edge', ns);
    return Object.fromEntries((d?.spec.template.spec.containers[0].env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value]));
  };
  await waitFor('the proxy Deployment carries the CA and the system namespace\'s control-plane URL', async () => {
    const e = await env();
    return e.KUMA_CONTROL_PLANE_CA_CERT === pem('valid.crt') && e.KUMA_CONTROL_PLANE_URL === `https://kuma-control-plane.${sysNs}:5678`;
  });
  await s.kube.apply([caSecret(pem('expired.crt'))]);
  await waitFor('the Deployment follows a rotated CA', async () => (await env()).KUMA_CONTROL_PLANE_CA_CERT === pem('expired.crt'));
});
