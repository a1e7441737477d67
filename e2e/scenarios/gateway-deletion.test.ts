// Deleting a Gateway removes everything generated for it: the Deployment and Service through
// the real garbage collector (ownerReferences to the Gateway), and the MeshGateway,
// MeshHTTPRoutes and Secret copies through meshgate's owner-label sweep, also when meshgate was
// down while the Gateway was deleted. Routes lose meshgate's parent entry. Nothing is orphaned.
import { pem } from '../../translators/testdata/certs';
import {
  gateway, gatewayClass, gatewayWhen, generatedBy, httpListener, httpRoute, httpsListener, listenerStatus, namespace, parentsOf, programmed, routeWhen,
  scenario, service, SYSTEM_NS, systemNamespace, tlsSecretFrom, waitFor, waitGone, type Obj, type Scenario,
} from './fixture';
import { secretCopyName } from '../../translators/naming';

const s = scenario('gw-deletion');
const [ns] = s.namespaces;
const cert = tlsSecretFrom(ns, 'cert', { crt: pem('valid.crt'), key: pem('valid.key') });

afterAll(() => s.cleanup());

const setup = (gw: string) => [
  gateway(ns, gw, s.className, [httpListener(), httpsListener('https', 443, 'cert', { hostname: 'www.example.com' })]),
  httpRoute(ns, `${gw}-a`, [{ name: gw }], { name: 'web', port: 8080 }, { path: '/a' }),
  httpRoute(ns, `${gw}-b`, [{ name: gw, sectionName: 'https' }], { name: 'web', port: 8080 }, { path: '/b' }),
];

/** Waits for the full set of objects generated for Gateway `gw`; returns them. */
async function converged(sc: Scenario, gw: string) {
  const g = await gatewayWhen(sc, ns, gw, (x) => programmed(x) && listenerStatus(x, 'http')?.attachedRoutes === 1 && listenerStatus(x, 'https')?.attachedRoutes === 2, 'Programmed with its routes');
  const owner = `${ns}_${gw}`;
  const mine = (o: Obj) => o.metadata.labels?.['meshgate.io/owner']?.startsWith(`${owner}-`);
  const deploy = await waitFor('Deployment', () => sc.kube.get<Obj>('deployment', gw, ns));
  const svc = await waitFor('Service', () => sc.kube.get<Obj>('service', gw, ns));
  const mgw = await waitFor('MeshGateway', () => sc.kube.get<Obj>('meshgateway', `${gw}.${ns}`));
  const routes = await waitFor('3 MeshHTTPRoutes', async () => {
    const rs = (await generatedBy(sc, 'meshhttproute', 'HTTPRoute')).filter((r) => r.spec.targetRef.name === `${gw}.${ns}`);
    return rs.length === 3 && rs; // route a: listeners http + https; route b: https
  });
  for (const o of [deploy, svc]) {
    expect(o.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Gateway', name: gw, uid: g.metadata.uid, controller: true })]);
  }
  expect(mine(mgw)).toBe(true);
  return { g, deploy, svc, mgw, routes };
}

async function assertAllGone(gw: string, routes: Obj[]): Promise<void> {
  await waitGone(s, 'deployment', gw, ns);
  await waitGone(s, 'service', gw, ns);
  await waitGone(s, 'meshgateway', `${gw}.${ns}`);
  for (const r of routes) await waitGone(s, 'meshhttproute', r.metadata.name, SYSTEM_NS);
  // ReplicaSets of the Deployment (made by kube-controller-manager) go with it.
  await waitFor('no ReplicaSets left', async () => (await s.kube.list<Obj>('replicasets', { namespace: ns, selector: `app=${gw}` })).length === 0);
  // The routes lose meshgate's parent entry for the deleted Gateway.
  for (const name of [`${gw}-a`, `${gw}-b`]) {
    await routeWhen(s, 'httproute', ns, name, (r) => parentsOf(r, s.controllerName).length === 0, 'no parent status of this controller');
  }
}

test('deleting a Gateway while meshgate runs removes everything generated for it', async () => {
  await s.kube.apply([systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName), cert, service(ns, 'web', [8080]), ...setup('one')]);
  await s.start();
  const { routes } = await converged(s, 'one');
  await waitFor('Secret copy', () => s.kube.get('secret', secretCopyName('default', ns, 'cert'), SYSTEM_NS));

  await s.kube.remove([setup('one')[0]]);
  await assertAllGone('one', routes);
  // Nobody uses the certificate any more: the copy is swept too.
  await waitGone(s, 'secret', secretCopyName('default', ns, 'cert'), SYSTEM_NS);
  expect(await s.kube.list('deployment,service,meshgateway', { namespace: undefined, selector: `meshgate.io/controller=${s.controllerHash}` })).toEqual([]);
  expect(await generatedBy(s, 'meshhttproute,meshtcproute,secret', 'HTTPRoute')).toEqual([]);
});

test('deleting a Gateway while meshgate is down: the garbage collector and the start-up sweep remove everything', async () => {
  await s.kube.apply(setup('two'));
  const ctl = await s.start();
  const { routes } = await converged(s, 'two');
  await waitFor('Secret copy', () => s.kube.get('secret', secretCopyName('default', ns, 'cert'), SYSTEM_NS));
  await ctl.stop();

  await s.kube.remove([setup('two')[0]]);
  // meshgate is stopped: only kube-controller-manager's garbage collector can remove these.
  await waitGone(s, 'deployment', 'two', ns);
  await waitGone(s, 'service', 'two', ns);
  expect(await s.kube.get('meshgateway', `two.${ns}`)).toBeDefined();

  const restarted = await s.start();
  await assertAllGone('two', routes);
  await waitGone(s, 'secret', secretCopyName('default', ns, 'cert'), SYSTEM_NS);
  await restarted.idle();
  const w = await restarted.writes();
  // The sweep: 1 MeshGateway + 3 MeshHTTPRoutes + 1 Secret copy deleted; 2 route statuses rewritten.
  // (and an Event on the source Secret: SecretCopyRemoved).
  expect(w).toEqual({ 'MeshGateway delete': 1, 'MeshHTTPRoute delete': 3, 'Secret delete': 1, 'HTTPRoute status': 2, 'Event event': 1 });
  const events = await s.kube.list<Obj & { reason: string; involvedObject: { kind: string; name: string } }>('events', { namespace: ns });
  // One from the first test's process, one from this one.
  expect(events.filter((e) => e.reason === 'SecretCopyRemoved' && e.involvedObject.kind === 'Secret' && e.involvedObject.name === 'cert')).toHaveLength(2);
  // Every write succeeded (a DELETE body once desynchronised the connection: the next request got a 400).
  expect(await restarted.metric('meshgate_writes_total', { result: 'error' })).toBe(0);
});
