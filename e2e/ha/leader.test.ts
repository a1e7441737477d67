// Leader election on the real API server: only the leader writes; SIGKILL of the leader → the
// follower takes over within lease duration + 2 s and converges what changed meanwhile; a leader
// that is frozen (SIGSTOP) past its lease and then resumes writes nothing.
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { eventually, findCondition, sharedKube, type Cond } from '../support/kube';

const kube = sharedKube();
const controllerName = testControllerName('ha');
const ns = 'e2e-ha';
const cls = 'e2e-ha';
const procs: ControllerProcess[] = [];
const LEASE = ['--leader-elect=true', '--leader-election-id=e2e-ha', '--leader-election-namespace=e2e-ha', '--lease-duration=6s', '--renew-deadline=4s', '--retry-period=1s'];

const gateway = (name: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: ns },
  spec: { gatewayClassName: cls, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
});
const base = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kuma-system' } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: cls }, spec: { controllerName } },
];

async function programmed(name: string): Promise<boolean> {
  const g = await kube.get<{ status?: { conditions?: Cond[] } }>('gateway', name, ns);
  return findCondition(g?.status?.conditions, 'Programmed')?.status === 'True';
}

async function leaderOf(): Promise<string | undefined> {
  const l = await kube.get<{ spec?: { holderIdentity?: string } }>('lease', 'e2e-ha', ns);
  return l?.spec?.holderIdentity || undefined;
}

async function start(identity: string): Promise<ControllerProcess> {
  const p = await startController(kube.kubeconfigPath, { controllerName, args: [...LEASE, `--identity=${identity}`] });
  procs.push(p);
  return p;
}

afterAll(async () => {
  for (const p of procs) { try { process.kill(p.pid, 'SIGCONT'); } catch { /* gone */ } await p.stop().catch(() => undefined); }
  await kube.remove([gateway('one'), gateway('two'), gateway('three'), base[2]]);
});

test('only the leader writes; SIGKILL → takeover within lease + 2 s; changes made meanwhile converge', async () => {
  await kube.apply([...base, gateway('one')]);
  const a = await start('replica-a');
  await eventually(async () => (await leaderOf()) === 'replica-a', 20_000, 'replica-a leads');
  const b = await start('replica-b');
  await eventually(() => programmed('one'), 30_000, 'gateway one programmed');
  await a.idle();
  expect(await b.totalWrites()).toBe(0);
  expect(await b.metric('meshgate_leader')).toBe(0);
  expect(await a.metric('meshgate_leader')).toBe(1);

  await a.kill('SIGKILL');
  const killedAt = Date.now();
  await kube.apply([gateway('two')]);
  await eventually(async () => (await b.metric('meshgate_leader')) === 1, 20_000, 'replica-b takes over');
  const takeoverMs = Date.now() - killedAt;
  console.log(`takeover after SIGKILL: ${takeoverMs} ms (lease 6 s)`);
  expect(takeoverMs).toBeLessThanOrEqual(6_000 + 2_000 + 1_000); // lease + retry period + scrape slack
  await eventually(() => programmed('two'), 30_000, 'gateway two programmed by the new leader');
  expect(await leaderOf()).toBe('replica-b');
});

test('a frozen leader that resumes after losing its lease writes nothing', async () => {
  const b = procs[1];
  const c = await start('replica-c');
  await b.idle();
  const before = await b.totalWrites();
  process.kill(b.pid, 'SIGSTOP');
  await eventually(async () => (await leaderOf()) === 'replica-c', 20_000, 'replica-c takes the lease from frozen replica-b');
  process.kill(b.pid, 'SIGCONT');
  await kube.apply([gateway('three')]);
  await eventually(() => programmed('three'), 30_000, 'gateway three programmed by replica-c');
  await new Promise((r) => setTimeout(r, 3000));
  expect(await b.totalWrites()).toBe(before);
  expect(await b.metric('meshgate_leader')).toBe(0);
  expect(await c.metric('meshgate_leader')).toBe(1);
});
