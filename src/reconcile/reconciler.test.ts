// The writer's scheduling of Gateway status writes while routes stream in: counts-only changes are
// batched (written after ATTACHED_ROUTES_QUIET_MS without change, at least every
// ATTACHED_ROUTES_MIN_INTERVAL_MS), other changes are written at once. The client is a recorder
// that answers like the API server's /status endpoint; writing against a real one is e2e-tested.
import type { KubeObject } from '../../translators/api/meta';
import type { TranslationEngine } from '../../translators/engine';
import type { GatewayStatusUpdate } from '../../translators/result';
import { Cache } from '../informers/cache';
import type { KubeClient } from '../kube/client';
import { ATTACHED_ROUTES_MIN_INTERVAL_MS, ATTACHED_ROUTES_QUIET_MS, Reconciler } from './reconciler';

const KEY = 'S|Gateway|app|edge';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup() {
  const cache = new Cache();
  let rv = 1;
  cache.upsertIfNotOlder({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', generation: 1, uid: 'u', resourceVersion: String(rv) } } as KubeObject);
  let desired: GatewayStatusUpdate = status(0, 'True');
  const writes: { at: number; attached: number; programmed: string }[] = [];
  const client = {
    request: async (_m: string, _p: string, o: { body: { status: { listeners: { attachedRoutes: number }[]; conditions: { type: string; status: string }[] } } }) => {
      const live = cache.get('app', 'edge')!;
      const body = { ...live, metadata: { ...live.metadata, resourceVersion: String(++rv) }, status: o.body.status };
      writes.push({ at: Date.now(), attached: o.body.status.listeners[0].attachedRoutes, programmed: o.body.status.conditions.find((c) => c.type === 'Programmed')!.status });
      return { status: 200, body, headers: {} };
    },
  } as unknown as KubeClient;
  const engine = { desiredStatus: () => desired } as unknown as TranslationEngine;
  const log = { debug: () => undefined, warn: () => undefined, info: () => undefined, error: () => undefined };
  const r = new Reconciler({ client, engine, caches: new Map([['Gateway', cache]]), controllerName: 'c', log: log as never, isLeader: () => true });
  r.start();
  return { r, writes, set: (s: GatewayStatusUpdate) => { desired = s; r.enqueue([KEY]); } };
}

function status(attached: number, programmed: 'True' | 'False'): GatewayStatusUpdate {
  const cond = (type: string, s: string) => ({ type, status: s as 'True', reason: type, message: type, observedGeneration: 1 });
  return {
    target: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'app', name: 'edge', uid: 'u' }, generation: 1,
    conditions: [cond('Accepted', 'True'), cond('Programmed', programmed)],
    listeners: [{ name: 'http', supportedKinds: [], attachedRoutes: attached, conditions: [cond('Accepted', 'True')] }], addresses: [],
  };
}

describe('Gateway status writes during a route burst', () => {
  it('a change of counts right after a write waits for the counts to settle, then writes the last one', async () => {
    const { r, writes, set } = setup();
    set(status(1, 'True'));
    await r.idle();
    expect(writes.map((w) => w.attached)).toEqual([1]);
    for (let n = 2; n <= 5; n++) { set(status(n, 'True')); await sleep(10); }
    expect(writes).toHaveLength(1);
    await r.idle(); // a deferred key keeps the writer busy
    expect(writes.map((w) => w.attached)).toEqual([1, 5]);
    expect(writes[1].at - writes[0].at).toBeGreaterThanOrEqual(ATTACHED_ROUTES_QUIET_MS);
    r.stop();
  });

  it('counts changing without pause are still written at least once per interval', async () => {
    const { r, writes, set } = setup();
    const t0 = Date.now();
    let n = 0;
    while (Date.now() - t0 < 2.5 * ATTACHED_ROUTES_MIN_INTERVAL_MS) { set(status(++n, 'True')); await sleep(20); }
    await r.idle();
    // One write per interval at most (plus the first and the final one), never one per change.
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes.length).toBeLessThanOrEqual(5);
    expect(writes[writes.length - 1].attached).toBe(n);
    for (let i = 1; i < writes.length - 1; i++) expect(writes[i].at - writes[i - 1].at).toBeGreaterThanOrEqual(ATTACHED_ROUTES_MIN_INTERVAL_MS - 20);
    r.stop();
  });

  it('any other change is written at once', async () => {
    const { r, writes, set } = setup();
    set(status(1, 'True'));
    await r.idle();
    set(status(1, 'False'));
    await sleep(5);
    await r.idle();
    expect(writes.map((w) => w.programmed)).toEqual(['True', 'False']);
    expect(writes[1].at - writes[0].at).toBeLessThan(ATTACHED_ROUTES_QUIET_MS);
    r.stop();
  });
});
