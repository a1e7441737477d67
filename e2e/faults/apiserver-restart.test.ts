// Fault: kube-apiserver SIGKILLed and restarted mid-stream, twice, while objects change right
// before the kill (a burst the controller is still writing), while it is down (writes retried
// until they land, i.e. the moment it is back, racing the controller's reconnect) and while the
// controller is still converging from the first restart. meshgate must converge to exactly a
// fresh translation of the final inputs: nothing lost, nothing left behind, nothing duplicated.
import { fnv1Digest, secretCopyName } from '../../translators/naming';
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { expectClusterMatchesTranslation } from '../support/converged';
import {
  certificate, faultCluster, gateway, gatewayClass, httpListener, httpRoute, httpsListener, meshGatewayConfig, namespace,
  referenceGrant, secs, service, sleep, tlsListener, tlsRoute, tlsSecret, untilDone, type FaultEnv, type Obj,
} from './fixture';

const controllerName = testControllerName('faults-apiserver-restart');
const hash = fnv1Digest(controllerName);
const A = 'fr-a';
const B = 'fr-b';
const CLS = 'fr';
let env: FaultEnv | undefined;
let ctl: ControllerProcess | undefined;

jest.setTimeout(240_000);

afterAll(async () => {
  await ctl?.stop();
  await env?.stop();
});

const route = (ns: string, name: string, path: string, parents = [{ name: 'edge', namespace: A }], backends = [{ name: 'web', namespace: A, port: 8080 }]) =>
  httpRoute(ns, name, parents, backends, { path });

test('SIGKILL of kube-apiserver mid-stream, twice: converges to a fresh translation of the final inputs', async () => {
  env = await faultCluster('apiserver-restart');
  const { cluster, kube } = env;
  const certA = certificate('a', ['*.a.example.com']);
  const certB = certificate('b', ['*.b.example.com']);
  const base: Obj[] = [
    namespace(A), namespace(B, { team: 'b' }),
    meshGatewayConfig('fr-cfg', { replicas: 1, serviceType: 'ClusterIP' }),
    gatewayClass(CLS, controllerName, 'fr-cfg'),
    tlsSecret(A, 'cert-a', certA), tlsSecret(B, 'cert-b', certB),
    service(A, 'web', [8080]), service(A, 'api', [9090]), service(B, 'backend', [8080, 8443]),
    referenceGrant(B, 'gw-certs', [{ kind: 'Gateway', namespace: A }], [{ kind: 'Secret', name: 'cert-b' }]),
    referenceGrant(B, 'routes-to-backend', [{ kind: 'HTTPRoute', namespace: A }, { kind: 'TLSRoute', namespace: A }], [{ kind: 'Service' }]),
    gateway(A, 'edge', CLS, [
      httpListener('http', 80, { allowedRoutes: { namespaces: { from: 'All' } } }),
      httpsListener('https', 443, [{ name: 'cert-a' }, { name: 'cert-b', namespace: B }], { hostname: '*.a.example.com', allowedRoutes: { namespaces: { from: 'All' } } }),
    ]),
    gateway(A, 'passthrough', CLS, [tlsListener('tls', 8443, '*.tls.example.com', { allowedRoutes: { kinds: [{ kind: 'TLSRoute' }], namespaces: { from: 'All' } } })]),
    gateway(B, 'internal', CLS, [httpListener('http', 8080, { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'b' } } } } })]),
    route(A, 'r0', '/r0'), route(A, 'r1', '/r1', [{ name: 'edge', namespace: A }, { name: 'internal', namespace: B }]),
    route(A, 'r2', '/r2', [{ name: 'edge', namespace: A }], [{ name: 'backend', namespace: B, port: 8080 }]),
    route(B, 'r3', '/r3', [{ name: 'internal', namespace: B }, { name: 'edge', namespace: A }], [{ name: 'backend', namespace: B, port: 8080 }]),
    route(A, 'r4', '/r4', [{ name: 'edge', namespace: A }], [{ name: 'api', namespace: A, port: 9090 }]),
    tlsRoute(A, 't0', [{ name: 'passthrough', namespace: A }], ['x.tls.example.com'], [{ name: 'backend', namespace: B, port: 8443 }]),
  ];
  await kube.apply(base);
  ctl = await startController(cluster.kubeconfigPath, { controllerName });
  const first = await expectClusterMatchesTranslation(kube, controllerName, { settle: ctl });
  console.log(`initial convergence: ${secs(first.ms)} (${first.objects} generated objects, ${first.statuses} statuses)`);
  expect((await kube.list('meshgateway')).length).toBe(3);

  // ---- Round 1: a burst the controller is busy writing, then SIGKILL --------------------------
  const burst = Array.from({ length: 12 }, (_, i) => route(A, `b${i}`, `/b${i}`, i % 2 ? [{ name: 'edge', namespace: A }, { name: 'internal', namespace: B }] : [{ name: 'edge', namespace: A }]));
  await kube.apply([...burst, route(A, 'r0', '/r0-v2')]);
  await kube.remove([route(A, 'r1', '')]);
  await sleep(300);
  const writesBeforeKill = await ctl.totalWrites();
  await cluster.stopApiServer({ graceful: false });
  const killedAt = Date.now();
  // Changes made "during the outage": retried until the API server takes them, racing meshgate.
  const certA2 = certificate('a2', ['*.a.example.com', 'rotated.a.example.com']);
  const outageOps = Promise.all([
    untilDone('delete gateway passthrough (its TLSRoute stays)', () => kube.remove([gateway(A, 'passthrough', CLS, [])])),
    untilDone('create gateway fr-b/new', () => kube.apply([gateway(B, 'new', CLS, [httpsListener('https', 443, [{ name: 'cert-b' }], { hostname: '*.b.example.com' })]), route(B, 'r5', '/r5', [{ name: 'new', namespace: B }], [{ name: 'backend', namespace: B, port: 8080 }])])),
    untilDone('rotate cert-a', () => kube.apply([tlsSecret(A, 'cert-a', certA2)])),
    untilDone('config replicas 2', () => kube.apply([meshGatewayConfig('fr-cfg', { replicas: 2, serviceType: 'ClusterIP' })])),
    untilDone('delete r2 and b3', () => kube.remove([route(A, 'r2', ''), route(A, 'b3', '')])),
    untilDone('relabel fr-b (internal no longer admits its own routes)', () => kube.apply([namespace(B, { team: 'c' })])),
    untilDone('delete service api', () => kube.remove([service(A, 'api', [])])),
    untilDone('update r4 to two parents', () => kube.apply([route(A, 'r4', '/r4', [{ name: 'edge', namespace: A }, { name: 'new', namespace: B }], [{ name: 'api', namespace: A, port: 9090 }])])),
  ]);
  await sleep(5000);
  await cluster.startApiServer();
  const back1 = Date.now();
  await outageOps;
  const opsDone1 = Date.now();
  console.log(`round 1: apiserver down ${secs(back1 - killedAt)}; outage writes landed ${secs(opsDone1 - back1)} after it was back; meshgate had made ${writesBeforeKill} writes before the kill`);

  // ---- Round 2: SIGKILL again while meshgate is still converging from round 1 -----------------
  await sleep(500);
  await cluster.stopApiServer({ graceful: false });
  const round2 = Promise.all([
    untilDone('delete gateway internal', () => kube.remove([gateway(B, 'internal', CLS, [])])),
    untilDone('delete grant for backend', () => kube.remove([referenceGrant(B, 'routes-to-backend', [], [])])),
    untilDone('re-create r1 on edge', () => kube.apply([route(A, 'r1', '/r1-again')])),
    untilDone('class without params', () => kube.apply([gatewayClass(CLS, controllerName)])),
  ]);
  await sleep(2000);
  await cluster.startApiServer();
  const back2 = Date.now();
  await round2;
  const lastChange = Date.now();

  const done = await expectClusterMatchesTranslation(kube, controllerName, { settle: ctl, timeoutMs: 90_000 });
  const convergedAt = back2 + (lastChange - back2) + done.ms;
  console.log(`round 2: converged ${secs(convergedAt - back2)} after kube-apiserver was back (${secs(done.ms)} after the last change landed); ${done.objects} generated objects, ${done.statuses} statuses`);
  const conflicts = await ctl.metric('meshgate_writes_total', { result: 'conflict' });
  const errors = await ctl.metric('meshgate_writes_total', { result: 'error' });
  console.log(`writes: ${await ctl.totalWrites()} (${conflicts} answered 409 Conflict, ${errors} failed):`, JSON.stringify(await ctl.writes()));
  const restarts: Record<string, number> = {};
  for (const reason of ['relist', 'error', 'stall', 'timeout']) restarts[reason] = await ctl.metric('meshgate_watch_restarts_total', { reason });
  console.log('watch restarts by reason:', JSON.stringify(restarts));

  // Spot checks on top of the full comparison.
  const meshGateways = (await kube.list<Obj>('meshgateway')).map((o) => o.metadata.name).sort();
  expect(meshGateways).toEqual(['edge.fr-a', 'new.fr-b']);
  expect(await kube.get('deployment', 'passthrough', A)).toBeUndefined();
  expect(await kube.get('deployment', 'internal', B)).toBeUndefined();
  const deploy = await kube.get<{ spec: { replicas: number } }>('deployment', 'edge', A);
  expect(deploy?.spec.replicas).toBe(1); // params removed again in round 2
  const copies = await kube.list<Obj>('secret', { namespace: 'kuma-system', selector: `meshgate.io/controller=${hash}` });
  expect(copies.map((c) => c.metadata.name).sort()).toEqual([secretCopyName('default', 'fr-a', 'cert-a'), secretCopyName('default', 'fr-b', 'cert-b')].sort());
  expect(restarts.relist + restarts.error).toBeGreaterThan(0);
  // No write storms while informers reconnect: status writes on a stale view are not retried on a
  // timer (409), and a deleted Gateway's Deployment/Service are not re-created for the GC to delete.
  expect(conflicts).toBeLessThan(60);
  for (const kind of ['Deployment', 'Service']) expect(await ctl.metric('meshgate_writes_total', { kind, verb: 'apply' })).toBeLessThanOrEqual(15);
  expect(convergedAt - back2).toBeLessThan(60_000);
});
