// Unmanaged Gateways (ADR 0055) on the real API server: a platform team runs its own kuma-dp
// gateway proxy (a Deployment and a LoadBalancer Service meshgate did not create) and annotates
// the Gateway with gateways.meshgate.io/proxy-service. meshgate generates the MeshGateway selecting
// that proxy's kuma.io/service tag and no Deployment or Service; the listener on a port the
// Service lacks is PortUnavailable; Programmed and addresses follow the Service (missing, then
// created, then given a load-balancer address). Removing the annotation makes meshgate create its
// own proxy objects; putting it back removes them again.
import { setServiceIngress } from '../support/proxy';
import {
  gateway, gatewayClass, gatewayCond, gatewayWhen, httpListener, httpRoute, listenerCond, listenerStatus, namespace, scenario, service, systemNamespace,
  waitFor, waitGone, type Obj,
} from './fixture';

const s = scenario('unmanaged');
const [ns] = s.namespaces;
const ANNOTATION = 'gateways.meshgate.io/proxy-service';
const TAG = `edge-proxy_${ns}_svc`;

afterAll(() => s.cleanup());

/** The user's proxy: kuma-dp in gateway mode, its pods tagged as Kuma's builtin gateway pods are. */
const userDeployment: Obj = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge-proxy', namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'edge-proxy' } },
    template: {
      metadata: { labels: { app: 'edge-proxy' }, annotations: { 'kuma.io/gateway': 'builtin', 'kuma.io/tags': JSON.stringify({ 'kuma.io/service': TAG }) } },
      spec: { containers: [{ name: 'kuma-gateway', image: 'docker.io/kumahq/kuma-dp:2.14.3', args: ['run', '--log-level=info'] }] },
    },
  },
};
const userService: Obj = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge-proxy', namespace: ns },
  spec: { type: 'LoadBalancer', selector: { app: 'edge-proxy' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] },
};
const edge = (annotated: boolean): Obj => {
  const g = gateway(ns, 'edge', s.className, [httpListener('http', 80), httpListener('alt', 8080)]);
  if (annotated) g.metadata.annotations = { [ANNOTATION]: 'edge-proxy' };
  return g;
};
const meshGateway = () => s.kube.get<Obj>('meshgateway', `edge.${ns}`);
const selectorOf = (mgw: Obj | undefined) => mgw?.spec?.selectors?.[0]?.match?.['kuma.io/service'];
const programmedCond = (g: Obj) => gatewayCond(g, 'Programmed');

test('an unmanaged Gateway uses the existing proxy; without the annotation meshgate runs its own, and back', async () => {
  await s.kube.apply([systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName), userDeployment, service(ns, 'web', [8080]), edge(true),
    httpRoute(ns, 'web', [{ name: 'edge' }], { name: 'web', port: 8080 })]);
  const ctl = await s.start();

  // The proxy Service does not exist yet: Programmed=False naming it; the MeshGateway selects the proxy's tag.
  const waiting = await gatewayWhen(s, ns, 'edge', (g) => /proxy Service/.test(programmedCond(g)?.message ?? ''), 'Programmed=False naming the proxy Service');
  expect(programmedCond(waiting)).toMatchObject({ status: 'False', reason: 'Pending', message: `waiting for the proxy Service ${ns}/edge-proxy (annotation ${ANNOTATION}): it does not exist` });
  expect(listenerCond(waiting, 'alt', 'Accepted')?.status).toBe('True'); // nothing to check the port against yet
  expect(selectorOf(await waitFor('MeshGateway', meshGateway))).toBe(TAG);

  // The Service appears, exposing port 80 only, with no load-balancer address yet.
  await s.kube.apply([userService]);
  const noAddress = await gatewayWhen(s, ns, 'edge', (g) => listenerCond(g, 'alt', 'Accepted')?.status === 'False' && /load-balancer address/.test(programmedCond(g)?.message ?? ''),
    'alt PortUnavailable and Programmed=False for want of an address');
  expect(listenerCond(noAddress, 'alt', 'Accepted')).toMatchObject({
    reason: 'PortUnavailable',
    message: `port 8080 is not available on Service ${ns}/edge-proxy (annotation ${ANNOTATION}): it exposes no TCP port 8080 (its TCP ports: 80)`,
  });
  expect(listenerCond(noAddress, 'alt', 'Programmed')).toMatchObject({ status: 'False', reason: 'Invalid' });
  expect(gatewayCond(noAddress, 'Accepted')).toMatchObject({ status: 'True', reason: 'ListenersNotValid', message: 'some listeners are not valid: alt' });
  expect(listenerCond(noAddress, 'http', 'Accepted')?.status).toBe('True');

  // The load balancer assigns an address: Programmed, with it.
  await setServiceIngress(s.kube, ns, 'edge-proxy', [{ ip: '203.0.113.9' }]);
  const ready = await gatewayWhen(s, ns, 'edge', (g) => programmedCond(g)?.status === 'True' && listenerStatus(g, 'http')?.attachedRoutes === 1, 'Programmed=True with the route attached');
  expect(ready.status.addresses).toEqual([{ type: 'IPAddress', value: '203.0.113.9' }]);
  expect(listenerStatus(ready, 'alt')?.attachedRoutes).toBe(0);
  const mgw = await meshGateway();
  expect(mgw?.spec.conf.listeners.map((l: { port: number }) => l.port)).toEqual([80]);

  // meshgate created no proxy objects, and left the user's alone.
  await ctl.idle();
  expect(await s.kube.get('deployment', 'edge', ns)).toBeUndefined();
  expect(await s.kube.get('service', 'edge', ns)).toBeUndefined();
  const theirs = await s.kube.get<Obj>('service', 'edge-proxy', ns);
  expect(theirs?.metadata.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
  expect((await s.kube.get<Obj>('deployment', 'edge-proxy', ns))?.spec.template.metadata.annotations['kuma.io/tags']).toBe(JSON.stringify({ 'kuma.io/service': TAG }));

  // Managed again: meshgate's own Deployment and Service appear, the MeshGateway selects them, both listeners serve.
  await s.kube.apply([edge(false)]);
  const deploy = await waitFor('meshgate\'s Deployment', () => s.kube.get<Obj>('deployment', 'edge', ns));
  const svc = await waitFor('meshgate\'s Service', () => s.kube.get<Obj>('service', 'edge', ns));
  for (const o of [deploy, svc]) expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('meshgate');
  expect(svc.spec.ports.map((p: { port: number }) => p.port)).toEqual([80, 8080]);
  await waitFor('MeshGateway selecting meshgate\'s proxy', async () => selectorOf(await meshGateway()) === `edge_${ns}_svc`);
  await gatewayWhen(s, ns, 'edge', (g) => listenerCond(g, 'alt', 'Accepted')?.status === 'True' && gatewayCond(g, 'Accepted')?.reason === 'Accepted', 'both listeners accepted');

  // Unmanaged again: meshgate's proxy objects are swept, the user's stay.
  await s.kube.apply([edge(true)]);
  await waitGone(s, 'deployment', 'edge', ns);
  await waitGone(s, 'service', 'edge', ns);
  await waitFor('MeshGateway selecting the user\'s proxy', async () => selectorOf(await meshGateway()) === TAG);
  const back = await gatewayWhen(s, ns, 'edge', (g) => programmedCond(g)?.status === 'True' && listenerCond(g, 'alt', 'Accepted')?.reason === 'PortUnavailable', 'unmanaged and Programmed again');
  expect(back.status.addresses).toEqual([{ type: 'IPAddress', value: '203.0.113.9' }]);
  expect(await s.kube.get('service', 'edge-proxy', ns)).toBeDefined();
  expect(await s.kube.get('deployment', 'edge-proxy', ns)).toBeDefined();
});
