// Fault: watches expire. While meshgate's watches are down (the controller process is frozen with
// SIGSTOP, as in a long pause or a partition, and kube-apiserver is SIGKILLed and restarted so
// every watch connection is gone) a Gateway is deleted and other objects change; etcd is then
// compacted. When meshgate resumes it re-watches from resourceVersions the new API server (watch
// cache) and etcd (compacted) no longer have: 410 Gone → relist. The relist must turn the
// vanished Gateway into deletes: nothing of it may be left behind.
import { fnv1Digest, ownerLabelValue } from '../../translators/naming';
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { clusterDiff, expectClusterMatchesTranslation } from '../support/converged';
import { eventually } from '../support/kube';
import {
  certificate, faultCluster, gateway, gatewayClass, generatedFor, httpListener, httpRoute, httpsListener, namespace, secs,
  service, SYSTEM_NS, tlsSecret, type FaultEnv, type Obj,
} from './fixture';

const controllerName = testControllerName('faults-watch-expiry');
const hash = fnv1Digest(controllerName);
const NS = 'fw';
const CLS = 'fw';
let env: FaultEnv | undefined;
let ctl: ControllerProcess | undefined;

jest.setTimeout(180_000);

afterAll(async () => {
  if (ctl) { try { process.kill(ctl.pid, 'SIGCONT'); } catch { /* gone */ } await ctl.stop(); }
  await env?.stop();
});

test('a Gateway deleted while the watches were down and etcd was compacted leaves nothing behind (410 → relist)', async () => {
  env = await faultCluster('watch-expiry');
  const { cluster, kube } = env;
  const doomed = gateway(NS, 'doomed', CLS, [httpListener('http', 80), httpsListener('https', 443, [{ name: 'doomed-cert' }], { hostname: '*.doomed.example.com' })]);
  const keep = gateway(NS, 'keep', CLS, [httpListener('http', 80), httpsListener('https', 443, [{ name: 'keep-cert' }], { hostname: '*.keep.example.com' })]);
  const routeTo = (name: string, parents: string[], path: string) => httpRoute(NS, name, parents.map((p) => ({ name: p })), [{ name: 'web', port: 8080 }], { path });
  await kube.apply([
    namespace(NS), gatewayClass(CLS, controllerName), service(NS, 'web', [8080]),
    tlsSecret(NS, 'doomed-cert', certificate('doomed', ['*.doomed.example.com'])), tlsSecret(NS, 'keep-cert', certificate('keep', ['*.keep.example.com'])),
    doomed, keep,
    routeTo('only-doomed', ['doomed'], '/d'), routeTo('both', ['doomed', 'keep'], '/b'), routeTo('only-keep', ['keep'], '/k'), routeTo('goes-away', ['keep'], '/g'),
  ]);
  ctl = await startController(cluster.kubeconfigPath, { controllerName, args: ['--watch-timeout=30s'] });
  const first = await expectClusterMatchesTranslation(kube, controllerName, { settle: ctl });
  console.log(`initial convergence: ${secs(first.ms)} (${first.objects} generated objects)`);
  const doomedOwner = ownerLabelValue(NS, 'doomed');
  expect(await generatedFor(kube, hash, 'meshgateway', doomedOwner)).toHaveLength(1);
  const routesOfDoomed = async () => (await kube.list<Obj & { spec: { targetRef: { name: string } } }>('meshhttproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${hash}` }))
    .filter((r) => r.spec.targetRef.name === 'doomed.fw');
  expect((await routesOfDoomed()).length).toBeGreaterThanOrEqual(4); // only-doomed and both, on two listeners
  expect(await kube.get('secret', 'gapi-fw-doomed-cert', SYSTEM_NS)).toBeDefined();
  expect(await kube.get('deployment', 'doomed', NS)).toBeDefined();
  const relistsBefore = await ctl.metric('meshgate_watch_restarts_total', { reason: 'relist' });

  // meshgate's watches go down: the process is frozen and every connection of the API server dies.
  process.kill(ctl.pid, 'SIGSTOP');
  await cluster.restartApiServer({ graceful: false });
  await kube.remove([doomed, routeTo('goes-away', [], '')]);
  await kube.apply([routeTo('new', ['keep'], '/n'), tlsSecret(NS, 'keep-cert', certificate('keep2', ['*.keep.example.com']))]);
  // The API server's garbage collector removes the doomed Gateway's Deployment and Service
  // (ownerReferences) on its own; everything else of it is meshgate's to delete.
  // (kube-controller-manager reconnects after the restart with client-go's backoff: allow for it.)
  const deletedAt = Date.now();
  await eventually(async () => (await kube.get('deployment', 'doomed', NS)) === undefined && (await kube.get('service', 'doomed', NS)) === undefined, 90_000, 'Deployment and Service GC');
  console.log(`garbage collector removed the doomed Gateway's Deployment and Service after ${secs(Date.now() - deletedAt)}`);
  const revision = await cluster.compactEtcd();
  // The comparison must see what a blind meshgate left behind (it checks the checker).
  const stale = await clusterDiff(kube, controllerName);
  expect(stale.diffs.some((d) => d.startsWith('left behind: MeshGateway doomed.fw'))).toBe(true);
  expect(stale.diffs.some((d) => d.startsWith('left behind: Secret kuma-system/gapi-fw-doomed-cert'))).toBe(true);
  expect(stale.diffs.some((d) => d.startsWith('missing MeshHTTPRoute'))).toBe(true);
  console.log(`while meshgate was frozen: etcd compacted at revision ${revision}; ${stale.diffs.length} differences, e.g. ${stale.diffs.slice(0, 3).join('; ')}`);

  const resumed = Date.now();
  process.kill(ctl.pid, 'SIGCONT');
  const done = await expectClusterMatchesTranslation(kube, controllerName, { settle: ctl, timeoutMs: 60_000 });
  console.log(`converged ${secs(Date.now() - resumed)} after meshgate resumed (${done.objects} generated objects)`);
  expect(await generatedFor(kube, hash, 'meshgateway', doomedOwner)).toHaveLength(0);
  expect(await routesOfDoomed()).toHaveLength(0);
  expect(await kube.get('secret', 'gapi-fw-doomed-cert', SYSTEM_NS)).toBeUndefined();
  expect(await kube.get('deployment', 'doomed', NS)).toBeUndefined();
  expect(await kube.get('service', 'doomed', NS)).toBeUndefined();
  const both = await kube.get<Obj & { status?: { parents?: { parentRef: { name: string }; controllerName: string }[] } }>('httproute', 'both', NS);
  expect(both?.status?.parents?.filter((p) => p.controllerName === controllerName).map((p) => p.parentRef.name)).toEqual(['keep']);
  const relists = (await ctl.metric('meshgate_watch_restarts_total', { reason: 'relist' })) - relistsBefore;
  console.log(`watch restarts: relist +${relists}, error ${await ctl.metric('meshgate_watch_restarts_total', { reason: 'error' })}; writes ${JSON.stringify(await ctl.writes())}`);
  expect(relists).toBeGreaterThan(0);
});
