// Fault: a stalled connection. kube-apiserver is frozen (SIGSTOP) for longer than meshgate's
// watch watchdog (--watch-stall-timeout=5s): connections stay open but nothing arrives, the
// "silent watch" case no TCP error reports. After SIGCONT, changes are picked up within seconds,
// and the watchdog's restarts show in meshgate_watch_restarts_total{reason="stall"}.
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { expectClusterMatchesTranslation } from '../support/converged';
import { eventually, findCondition, type Cond } from '../support/kube';
import { faultCluster, gateway, gatewayClass, httpListener, httpRoute, namespace, secs, service, sleep, type FaultEnv } from './fixture';

const controllerName = testControllerName('faults-stall');
const NS = 'fs';
const CLS = 'fs';
const PAUSE_MS = 12_000;
let env: FaultEnv | undefined;
let ctl: ControllerProcess | undefined;

jest.setTimeout(180_000);

afterAll(async () => {
  try { env?.cluster.resumeApiServer(); } catch { /* not running */ }
  await ctl?.stop();
  await env?.stop();
});

test('SIGSTOP of kube-apiserver past the watchdog: changes after SIGCONT are picked up within seconds', async () => {
  env = await faultCluster('stall');
  const { cluster, kube } = env;
  const route = (name: string, gw: string, path: string) => httpRoute(NS, name, [{ name: gw }], [{ name: 'web', port: 8080 }], { path });
  await kube.apply([namespace(NS), gatewayClass(CLS, controllerName), service(NS, 'web', [8080]), gateway(NS, 'one', CLS, [httpListener('http', 80)]), route('r1', 'one', '/one')]);
  ctl = await startController(cluster.kubeconfigPath, { controllerName, args: ['--watch-stall-timeout=5s'] });
  const first = await expectClusterMatchesTranslation(kube, controllerName, { settle: ctl });
  console.log(`initial convergence: ${secs(first.ms)}`);
  const stallsBefore = await ctl.metric('meshgate_watch_restarts_total', { reason: 'stall' });

  cluster.pauseApiServer();
  await sleep(PAUSE_MS);
  const stallsDuring = await ctl.metric('meshgate_watch_restarts_total', { reason: 'stall' });
  cluster.resumeApiServer();
  const resumed = Date.now();
  await kube.apply([gateway(NS, 'two', CLS, [httpListener('http', 80)]), route('r2', 'two', '/two'), route('r1', 'one', '/one-v2')]);
  const applied = Date.now();
  const two = await eventually(async () => {
    const g = await kube.get<{ status?: { conditions?: Cond[] } }>('gateway', 'two', NS);
    return findCondition(g?.status?.conditions, 'Programmed')?.status === 'True' && Date.now();
  }, 30_000, 'Gateway two Programmed');
  const done = await expectClusterMatchesTranslation(kube, controllerName, { settle: ctl, timeoutMs: 30_000 });
  const stalls = (await ctl.metric('meshgate_watch_restarts_total', { reason: 'stall' })) - stallsBefore;
  console.log(`apiserver frozen ${secs(PAUSE_MS)}: ${stallsDuring - stallsBefore} stall restarts during the freeze, ${stalls} in all; `
    + `changes written ${secs(applied - resumed)} after SIGCONT were picked up ${secs(two - applied)} later (Gateway two Programmed), `
    + `the whole cluster matched the translation ${secs(done.ms)} after that`);
  console.log(`writes ${JSON.stringify(await ctl.writes())}`);
  expect(stalls).toBeGreaterThan(0);
  expect(two - applied).toBeLessThan(10_000);
});
