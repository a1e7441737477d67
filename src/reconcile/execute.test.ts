// The executor's owner check before a create: one GET per owner however many creates ask at once,
// and a create whose owner is gone (or was replaced: another uid) is not made.
import type { KubeObject } from '../../translators/api/meta';
import { objectKeyOf } from '../../translators/keys';
import type { KubeClient } from '../kube/client';
import { Executor } from './execute';

const owner = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'edge', uid: 'uid-1', controller: true };
const child = (kind: string, apiVersion: string, uid = 'uid-1') => ({
  apiVersion, kind, metadata: { name: 'edge', namespace: 'app', ownerReferences: [{ ...owner, uid }] },
}) as KubeObject;
const apply = (o: KubeObject) => ({ op: 'apply' as const, key: objectKeyOf({ apiVersion: o.apiVersion, kind: o.kind, namespace: 'app', name: 'edge' }), body: o, requireOwners: true });

function executor(gateway: { status: number; uid?: string }) {
  const calls: string[] = [];
  const release: (() => void)[] = [];
  const client = {
    request: (m: string, p: string) => {
      calls.push(`${m} ${p}`);
      if (m !== 'GET') return Promise.resolve({ status: 200, body: {}, headers: {} });
      // GETs answer when released: the test decides what is in flight together.
      return new Promise((resolve) => release.push(() => resolve({ status: gateway.status, body: { metadata: { uid: gateway.uid } }, headers: {} })));
    },
  } as unknown as KubeClient;
  const exec = new Executor({ client, caches: new Map(), log: { debug: () => undefined, warn: () => undefined } as never, events: { record: async () => undefined } });
  const releaseAll = async () => { while (release.length) { release.shift()!(); await Promise.resolve(); } };
  return { exec, calls, releaseAll };
}

describe('Executor: owners exist before a create', () => {
  it('creates asking about the same owner at once share one GET', async () => {
    const { exec, calls, releaseAll } = executor({ status: 200, uid: 'uid-1' });
    const done = Promise.all([exec.perform(apply(child('Deployment', 'apps/v1'))), exec.perform(apply(child('Service', 'v1')))]);
    await Promise.resolve();
    await releaseAll();
    expect(await done).toEqual([true, true]);
    expect(calls.filter((c) => c.startsWith('GET'))).toEqual(['GET /apis/gateway.networking.k8s.io/v1/namespaces/app/gateways/edge']);
    expect(calls.filter((c) => c.startsWith('PATCH'))).toHaveLength(2);
  });

  it('a later create asks again (nothing is remembered once the GET answered)', async () => {
    const { exec, calls, releaseAll } = executor({ status: 200, uid: 'uid-1' });
    const first = exec.perform(apply(child('Deployment', 'apps/v1')));
    await releaseAll();
    await first;
    const second = exec.perform(apply(child('Service', 'v1')));
    await Promise.resolve();
    await releaseAll();
    await second;
    expect(calls.filter((c) => c.startsWith('GET'))).toHaveLength(2);
  });

  it.each([
    ['the owner is gone', { status: 404 }, 'uid-1'],
    ['the owner was replaced (another uid)', { status: 200, uid: 'uid-2' }, 'uid-1'],
  ])('%s: no create', async (_, gateway, uid) => {
    const { exec, calls, releaseAll } = executor(gateway);
    const done = Promise.all([exec.perform(apply(child('Deployment', 'apps/v1', uid))), exec.perform(apply(child('Service', 'v1', uid)))]);
    await Promise.resolve();
    await releaseAll();
    expect(await done).toEqual([false, false]);
    expect(calls.filter((c) => c.startsWith('PATCH'))).toEqual([]);
  });
});
