// plan(): what the writer decides to do for one key, from desired, live and now. No client, no clock.
import type { KubeObject } from '../../translators/api/meta';
import type { NsName } from '../../translators/keys';
import { objectKey, objectWork, statusKeyOf, statusWork } from '../../translators/keys';
import { fnv1Digest } from '../../translators/naming';
import type { GatewayStatusUpdate, RouteStatusUpdate } from '../../translators/result';
import { withHash } from './object-diff';
import type { Pacing, WriteOp } from './plan';
import { ATTACHED_ROUTES_MAX_INTERVAL_MS as MAX, ATTACHED_ROUTES_MIN_INTERVAL_MS as MIN, ATTACHED_ROUTES_QUIET_MS as QUIET, CONFLICT_RECHECK_MS, gapAfterChange, NEW_GATEWAY_HOLD_MS as HOLD, NEW_GATEWAY_MAX_HOLD_MS as MAX_HOLD, pacingAfterWait, pacingAfterWrite, pacingAt, plan, quietFor } from './plan';

const CTL = 'gateways.kuma.io/controller';
const HASH = fnv1Digest(CTL);
const NOW = Date.UTC(2026, 0, 1);
const mine = { 'app.kubernetes.io/managed-by': 'meshgate', 'meshgate.io/controller': HASH };

const deployment = (labels?: Record<string, string>, extra: object = {}) =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge', namespace: 'app', uid: 'd1', ...(labels ? { labels } : {}), ...extra }, spec: { replicas: 1 } }) as KubeObject;
const desired = deployment(mine, { ownerReferences: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'edge', uid: 'g1' }] });
const K = objectKey(desired);
const source = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'app', uid: 's1' } } as KubeObject;
const copy = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'default-app-tls', namespace: 'kuma-system', labels: { ...mine, 'kuma.io/mesh': 'default' }, annotations: { 'meshgate.io/source': 'app/tls' } }, data: { value: 'eA==' } } as KubeObject;

type Obj = { desired?: KubeObject; live?: KubeObject; knownForeign?: boolean; labelSelected?: boolean };
const planObj = (o: Obj) => plan({
  type: 'object', key: o.desired ? objectKey(o.desired) : objectKey(o.live!), desired: o.desired, live: o.live, controllerHash: HASH,
  knownForeign: o.knownForeign ?? false, labelSelected: o.labelSelected ?? false, now: NOW, source: (k: NsName) => (k === 'app/tls' ? source : undefined),
});
const ops = (list: WriteOp[]) => list.map((op) => (op.op === 'event' ? `event ${op.event.reason} on ${op.involved.metadata.name}` : op.op === 'foreign' ? `foreign ${op.present}` : op.op === 'apply' ? `apply${op.requireOwners ? ' if owners exist' : ''}` : op.op === 'defer' ? `defer +${op.at - NOW}` : op.op));

describe('plan: generated objects', () => {
  it.each<[string, Obj, string[]]>([
    ['missing: created, once its owner is known to exist', { desired }, ['apply if owners exist']],
    ['live and equal (hash annotation matches): nothing', { desired, live: withHash(desired) }, []],
    ['live but changed: applied', { desired, live: withHash(deployment(mine, { ownerReferences: desired.metadata.ownerReferences, annotations: {} })) }, ['apply']],
    ['someone else\'s at that name: reported, not touched', { desired, live: deployment() }, ['foreign true']],
    ['someone else\'s, already known: nothing', { desired, live: deployment(), knownForeign: true }, []],
    ['someone else\'s, label-watched kind: looked at again later', { desired, live: deployment(), labelSelected: true }, ['foreign true', `defer +${CONFLICT_RECHECK_MS}`]],
    ['the name is free again: reported, then created', { desired, knownForeign: true }, ['foreign false', 'apply if owners exist']],
    ['owned and no longer desired: deleted', { live: deployment(mine) }, ['delete']],
    ['not owned and not desired: left alone', { live: deployment() }, []],
    ['a Secret copy made: an Event on its source after the write', { desired: copy }, ['apply', 'event SecretCopied on tls']],
    ['a Secret copy removed: an Event on its source after the delete', { live: copy }, ['delete', 'event SecretCopyRemoved on tls']],
  ])('%s', (_name, input, expected) => {
    expect(ops(planObj(input))).toEqual(expected);
  });

  it('applies the desired object with its hash annotation, and deletes with the live uid as precondition', () => {
    expect(planObj({ desired })[0]).toEqual({ op: 'apply', key: K, body: withHash(desired), requireOwners: true });
    expect(planObj({ live: deployment(mine) })[0]).toEqual({ op: 'delete', key: K, uid: 'd1' });
    const later = planObj({ desired, live: deployment(), labelSelected: true })[1];
    expect(later).toEqual({ op: 'defer', key: objectWork(K), at: NOW + CONFLICT_RECHECK_MS });
  });
});

const cond = (type: string, status: string, t = '2025-01-01T00:00:00Z', reason = type, message = type) => ({ type, status: status as 'True', reason, message, observedGeneration: 1, lastTransitionTime: t });
/** A Gateway status: `programmed` True, False (a failure), or a Pending message. */
const gwStatus = (attached: number, programmed = 'True', o: { listeners?: number; conflicted?: boolean; addresses?: string[]; rejected?: boolean; invalidListener?: boolean } = {}): GatewayStatusUpdate => ({
  target: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'app', name: 'edge', uid: 'u' }, generation: 1,
  conditions: [o.rejected ? cond('Accepted', 'False', undefined, 'InvalidParameters') : cond('Accepted', 'True'), programmed === 'True' || programmed === 'False' ? cond('Programmed', programmed) : cond('Programmed', 'False', undefined, 'Pending', programmed)],
  listeners: Array.from({ length: o.listeners ?? 1 }, (_, i) => ({
    name: `l${i}`, supportedKinds: [], attachedRoutes: attached,
    conditions: [cond('Accepted', o.invalidListener && i === 0 ? 'False' : 'True', undefined, o.invalidListener && i === 0 ? 'UnsupportedProtocol' : 'Accepted'), ...(o.conflicted ? [cond('Conflicted', 'True')] : [])],
  })),
  addresses: (o.addresses ?? []).map((value) => ({ type: 'IPAddress', value })),
});
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const liveGw = (s: GatewayStatusUpdate | undefined, meta: object = {}) =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', uid: 'u', generation: 1, resourceVersion: '7', ...meta }, ...(s ? { status: { conditions: s.conditions, listeners: s.listeners, addresses: s.addresses } } : {}) }) as KubeObject;
/** A Gateway as the API server creates it: the CRD's default status, before any controller wrote one. */
const crdDefault = (meta: object = {}) => {
  const waiting = (type: string) => ({ type, status: 'Unknown', reason: 'Pending', message: 'Waiting for controller', lastTransitionTime: '1970-01-01T00:00:00Z' });
  return { ...liveGw(undefined, meta), status: { conditions: [waiting('Accepted'), waiting('Programmed')] } } as KubeObject;
};
const GK = statusKeyOf({ kind: 'Gateway', namespace: 'app', name: 'edge' });
const planGw = (d: GatewayStatusUpdate | undefined, live: KubeObject | undefined, pacing?: Pacing, now = NOW) =>
  plan({ type: 'status', key: GK, desired: d, live, controllerName: CTL, now, pacing });

describe('plan: status', () => {
  it.each<[string, GatewayStatusUpdate | undefined, KubeObject | undefined, Pacing | undefined, string[]]>([
    ['same as live: nothing', gwStatus(2), liveGw(gwStatus(2)), undefined, []],
    ['nothing desired: nothing', undefined, liveGw(gwStatus(2)), undefined, []],
    ['object gone: nothing', gwStatus(2), undefined, undefined, []],
    ['live object newer than the status (generation): never written stale', gwStatus(2), liveGw(gwStatus(1), { generation: 2 }), undefined, []],
    ['a different object by that name (uid): nothing', gwStatus(2), liveGw(gwStatus(1), { uid: 'other' }), undefined, []],
    // Bad news is written at once.
    ['first status, not Programmed (a failure): written at once', gwStatus(0, 'False'), liveGw(undefined), undefined, ['status', 'event GatewayNotProgrammed on edge']],
    ['Programmed flips to False: written at once, then a Warning Event', gwStatus(1, 'False'), liveGw(gwStatus(1)), undefined, ['status', 'event GatewayNotProgrammed on edge']],
    ['Programmed flips to False right after a write: still at once', gwStatus(3, 'False'), liveGw(gwStatus(2)), { lastWrite: NOW - 10 }, ['status', 'event GatewayNotProgrammed on edge']],
    ['Programmed True, then Pending (its replicas went away): written at once, then a Warning Event', gwStatus(1, 'Deployment has no available replica'), liveGw(gwStatus(1)), { lastWrite: NOW - 10 }, ['status', 'event GatewayNotProgrammed on edge']],
    ['a listener turns Conflicted: written at once', gwStatus(1, 'True', { conflicted: true }), liveGw(gwStatus(1)), { lastWrite: NOW - 10 }, ['status']],
    ['a listener removed: written at once', gwStatus(1, 'True', { listeners: 1 }), liveGw(gwStatus(1, 'True', { listeners: 2 })), { lastWrite: NOW - 10 }, ['status']],
    // Everything else waits for the status to settle.
    // A new Gateway that is Pending waits for Programmed, up to HOLD after its creation (ADR 0060).
    // The first status is not held (Accepted is known at once): only the quiet period, as for any change.
    ['new Gateway, first status Accepted and Pending: written after the quiet period, not held', gwStatus(0, 'Deployment does not exist yet'), liveGw(undefined, { creationTimestamp: iso(NOW) }), undefined, [`defer +${QUIET}`]],
    ["new Gateway with the CRD's default status (Accepted=Unknown, Waiting for controller): not held either", gwStatus(0, 'Deployment does not exist yet'), crdDefault({ creationTimestamp: iso(NOW) }), undefined, [`defer +${QUIET}`]],
    ['new Gateway, first status due: written', gwStatus(0, 'Deployment does not exist yet'), liveGw(undefined, { creationTimestamp: iso(NOW) }), { due: NOW, latest: NOW + MIN }, ['status']],
    ['new Gateway created 10 s ago, Pending written, counts change: waits only the rest of the hold', gwStatus(1, 'Deployment does not exist yet'), liveGw(gwStatus(0, 'Deployment does not exist yet'), { creationTimestamp: iso(NOW - 10_000) }), undefined, [`defer +${HOLD - 10_000}`]],
    ['new Gateway with an invalid listener: written at once', gwStatus(0, 'Deployment does not exist yet', { listeners: 2, invalidListener: true }), liveGw(undefined, { creationTimestamp: iso(NOW) }), undefined, ['status']],
    ['new Gateway with a conflicted listener: written at once', gwStatus(0, 'Deployment does not exist yet', { conflicted: true }), liveGw(undefined, { creationTimestamp: iso(NOW) }), undefined, ['status']],
    ['new Gateway, Pending written, the message moves: waits for Programmed, at most the hold', gwStatus(0, 'Deployment has no available replica'), liveGw(gwStatus(0, 'Deployment does not exist yet'), { creationTimestamp: iso(NOW - 2000) }), { lastWrite: NOW - 10 }, [`defer +${HOLD - 2000}`]],
    ['new Gateway, Pending written, its routes attach: wait too', gwStatus(4, 'Deployment does not exist yet'), liveGw(gwStatus(0, 'Deployment does not exist yet'), { creationTimestamp: iso(NOW - 2000) }), undefined, [`defer +${HOLD - 2000}`]],
    ['no creationTimestamp: the hold counts from now', gwStatus(0, 'no replica'), liveGw(gwStatus(0, 'Deployment does not exist yet')), undefined, [`defer +${HOLD}`]],
    ['"created" in the future (clock skew): the hold counts from now', gwStatus(0, 'no replica'), liveGw(gwStatus(0, 'Deployment does not exist yet'), { creationTimestamp: iso(NOW + 60_000) }), undefined, [`defer +${HOLD}`]],
    ['held, more changes: the hold keeps its end (no quiet period restarts it)', gwStatus(3, 'no load-balancer address'), liveGw(gwStatus(0, 'no replica'), { creationTimestamp: iso(NOW - HOLD + 4000) }), { heldSince: NOW - 20_000, due: NOW + 4000, latest: NOW + 4000 }, ['defer +4000']],
    ['held, Programmed with its address: waits only the quiet period', gwStatus(3, 'True', { addresses: ['198.51.0.1'] }), liveGw(gwStatus(0, 'no replica'), { creationTimestamp: iso(NOW - 2000) }), { due: NOW + 4000, latest: NOW + 4000 }, [`defer +${QUIET}`]],
    ['held, the hold is over: written, still Pending', gwStatus(3, 'no replica'), liveGw(gwStatus(0, 'no replica 0'), { creationTimestamp: iso(NOW - HOLD) }), { due: NOW, latest: NOW }, ['status']],
    ['held, its parametersRef turns out wrong (Accepted=False): written at once', gwStatus(0, 'no replica', { rejected: true }), liveGw(gwStatus(0, 'no replica'), { creationTimestamp: iso(NOW) }), { due: NOW + 4000, latest: NOW + 4000 }, ['status', 'event GatewayNotAccepted on edge']],
    ['held, a listener turns invalid: written at once', gwStatus(0, 'no replica', { listeners: 2, invalidListener: true }), liveGw(gwStatus(0, 'no replica', { listeners: 2 }), { creationTimestamp: iso(NOW) }), { due: NOW + 4000, latest: NOW + 4000 }, ['status']],
    ['held, a listener turns Conflicted: written at once', gwStatus(0, 'no replica', { conflicted: true }), liveGw(gwStatus(0, 'no replica'), { creationTimestamp: iso(NOW) }), { due: NOW + 4000, latest: NOW + 4000 }, ['status']],
    ['first status of a Gateway older than the hold (its class just became ours), Pending: waits the quiet period', gwStatus(0, 'Deployment does not exist yet'), liveGw(undefined, { creationTimestamp: iso(NOW - 2 * HOLD) }), undefined, [`defer +${QUIET}`]],
    ['Pending past the hold (no load balancer in the cluster), only the message moved: paced as usual', gwStatus(0, 'Deployment has no available replica'), liveGw(gwStatus(0, 'Deployment does not exist yet'), { creationTimestamp: iso(NOW - HOLD) }), { lastWrite: NOW - 10 }, [`defer +${QUIET}`]],
    ['Pending past the hold, its counts change: paced as usual', gwStatus(2, 'no load-balancer address'), liveGw(gwStatus(1, 'no load-balancer address'), { creationTimestamp: iso(NOW - 2 * HOLD) }), undefined, [`defer +${QUIET}`]],
    ['Programmed turns True with its address: waits (good news comes with what follows)', gwStatus(0, 'True', { addresses: ['198.51.0.1'] }), liveGw(gwStatus(0, 'no replica')), undefined, [`defer +${QUIET}`]],
    ['counts only, last write long ago: waits the quiet period', gwStatus(3), liveGw(gwStatus(2)), undefined, [`defer +${QUIET}`]],
    ['counts only, written just now: waits the quiet period', gwStatus(3), liveGw(gwStatus(2)), { lastWrite: NOW - 10 }, [`defer +${QUIET}`]],
    ['counts only, waiting, another change: the quiet period restarts', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 100, due: NOW + 50, latest: NOW + 900 }, [`defer +${QUIET}`]],
    ['counts only, waiting, the interval nearly up: waits only until it is', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 950, due: NOW + 10, latest: NOW + 50 }, ['defer +50']],
    ['counts only, the wait is over: written', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 500, due: NOW, latest: NOW + 500 }, ['status']],
    ['counts only, in a long burst (interval 4 s): a longer quiet period', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 100, interval: 4 * MIN }, ['defer +500']],
    ['counts only, the last write\'s interval is up: a fresh quiet period', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 2 * MIN, interval: 2 * MIN }, [`defer +${QUIET}`]],
    // Once the gap between changes is known, four gaps of quiet show the burst has ended (ADR 0065).
    ['long burst (interval 8 s), changes 30 ms apart: the shortest quiet period', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 100, interval: MAX, lastChange: NOW - 30 }, [`defer +${QUIET}`]],
    ['long burst (interval 8 s), changes 100 ms apart: four gaps', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 100, interval: MAX, lastChange: NOW - 100 }, ['defer +400']],
    ['long burst (interval 8 s), changes 2 s apart (a loaded machine): the interval\'s 1 s, never more', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 100, interval: MAX, lastChange: NOW - 2000 }, ['defer +1000']],
    ['long burst, one quick change after slow ones: half the slow gap still counts', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 100, interval: MAX, lastChange: NOW - 20, gap: 400 }, ['defer +800']],
    ['interval 1 s, changes 500 ms apart: the interval\'s 150 ms, as without a gap', gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 100, interval: MIN, lastChange: NOW - 500 }, [`defer +${QUIET}`]],
  ])('%s', (_name, d, live, pacing, expected) => {
    expect(ops(planGw(d, live, pacing))).toEqual(expected);
  });

  // The hold counts the proxy's 30 s from its Deployment and Service (ADR 0063): a busy writer may
  // create them well after the Gateway.
  const planHeld = (proxy: { created?: number } | undefined, createdAgo: number, pacing?: Pacing) =>
    ops(plan({ type: 'status', key: GK, desired: gwStatus(1, 'no replica'), live: liveGw(gwStatus(0, 'Deployment does not exist yet'), { creationTimestamp: iso(NOW - createdAgo) }), controllerName: CTL, now: NOW, pacing, proxy }));
  it.each<[string, { created?: number } | undefined, number, Pacing | undefined, string[]]>([
    ['no generated proxy (unmanaged): 30 s from the Gateway', undefined, 10_000, undefined, [`defer +${HOLD - 10_000}`]],
    ['no generated proxy, 40 s old: paced as usual', undefined, 40_000, undefined, [`defer +${QUIET}`]],
    ['proxy objects not created yet, Gateway 40 s old: held until the cap', {}, 40_000, undefined, [`defer +${MAX_HOLD - 40_000}`]],
    ['proxy objects not created yet, past the cap: paced as usual', {}, MAX_HOLD, undefined, [`defer +${QUIET}`]],
    ['proxy created 10 s ago, Gateway 50 s ago: 30 s from the proxy', { created: NOW - 10_000 }, 50_000, undefined, [`defer +${HOLD - 10_000}`]],
    ['proxy created with the Gateway, 40 s ago: paced as usual', { created: NOW - 40_000 }, 40_000, undefined, [`defer +${QUIET}`]],
    ['proxy created 10 s ago, Gateway 110 s ago: the cap comes first', { created: NOW - 10_000 }, 110_000, undefined, [`defer +${MAX_HOLD - 110_000}`]],
    ['proxy "created" in the future (clock skew): 30 s from now, within the cap', { created: NOW + 60_000 }, 50_000, undefined, [`defer +${HOLD}`]],
    ['held since long ago (first wait 100 s back), Gateway "created" later: bounded by the first wait', {}, -60_000, { heldSince: NOW - 100_000, due: NOW + 1000, latest: NOW + 1000 }, [`defer +${MAX_HOLD - 100_000}`]],
    ['held, the proxy appears: the hold moves to 30 s after it', { created: NOW - 1000 }, 60_000, { heldSince: NOW - 55_000, due: NOW + 60_000, latest: NOW + 60_000 }, [`defer +${HOLD - 1000}`]],
  ])('new Gateway hold: %s', (_name, proxy, createdAgo, pacing, expected) => {
    expect(planHeld(proxy, createdAgo, pacing)).toEqual(expected);
  });

  it('a status write carries the live resourceVersion and keeps lastTransitionTime of unchanged conditions', () => {
    const [op] = planGw(gwStatus(3), liveGw(gwStatus(2)), { lastWrite: NOW - 500, due: NOW, latest: NOW + 500 });
    expect(op).toMatchObject({ op: 'status', key: GK, apiVersion: 'gateway.networking.k8s.io/v1', resourceVersion: '7' });
    const s = (op as Extract<WriteOp, { op: 'status' }>).status as { conditions: { lastTransitionTime: string }[]; listeners: { attachedRoutes: number }[] };
    expect(s.conditions.map((c) => c.lastTransitionTime)).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    expect(s.listeners[0].attachedRoutes).toBe(3);
  });

  it('a deferral remembers the last write and the latest time it may wait until', () => {
    expect(planGw(gwStatus(3), liveGw(gwStatus(2)), { lastWrite: NOW - 10 })).toEqual([
      { op: 'defer', key: statusWork(GK), at: NOW + QUIET, pacing: { lastWrite: NOW - 10, due: NOW + QUIET, latest: NOW - 10 + MIN, lastChange: NOW } },
    ]);
    // The next change measures the gap.
    expect(planGw(gwStatus(4), liveGw(gwStatus(2)), { lastWrite: NOW - 10, due: NOW + QUIET, latest: NOW - 10 + MIN, lastChange: NOW - 40 })).toEqual([
      { op: 'defer', key: statusWork(GK), at: NOW + QUIET, pacing: { lastWrite: NOW - 10, due: NOW + QUIET, latest: NOW - 10 + MIN, lastChange: NOW, gap: 40 } },
    ]);
  });

  it('the pacing a key carries between passes', () => {
    // A last write older than its interval, with no wait pending, holds nothing back.
    expect(pacingAt({ lastWrite: NOW - MIN }, NOW)).toBeUndefined();
    expect(pacingAt({ lastWrite: NOW - MIN, interval: 2 * MIN }, NOW)).toEqual({ lastWrite: NOW - MIN, interval: 2 * MIN });
    expect(pacingAt({ lastWrite: NOW - 9 * MIN, due: NOW + 1 }, NOW)).toEqual({ lastWrite: NOW - 9 * MIN, due: NOW + 1 });
    // A wait that is over is used up; the last write is remembered.
    expect(pacingAfterWait({ lastWrite: NOW - 500, interval: 2 * MIN, due: NOW, latest: NOW + 1 }, NOW)).toEqual({ lastWrite: NOW - 500, interval: 2 * MIN });
    expect(pacingAfterWait({ due: NOW, latest: NOW + 1 }, NOW)).toBeUndefined();
    expect(pacingAfterWait({ lastWrite: NOW - 500, due: NOW + 1 }, NOW)).toEqual({ lastWrite: NOW - 500, due: NOW + 1 });
    // A write after a quiet spell starts at the minimum interval; one within a burst doubles it, up to the maximum.
    expect(pacingAfterWrite(undefined, NOW)).toEqual({ lastWrite: NOW, interval: MIN });
    expect(pacingAfterWrite({ due: NOW }, NOW)).toEqual({ lastWrite: NOW, interval: MIN });
    expect(pacingAfterWrite({ lastWrite: NOW - 900 }, NOW)).toEqual({ lastWrite: NOW, interval: 2 * MIN });
    expect(pacingAfterWrite({ lastWrite: NOW - 900, interval: MAX }, NOW)).toEqual({ lastWrite: NOW, interval: MAX });
    expect([MIN, 2 * MIN, 4 * MIN, MAX].map((i) => quietFor(i))).toEqual([QUIET, 250, 500, 1000]);
    // With the gap between changes known: four gaps, within [150 ms, the interval's].
    expect([10, 50, 100, 300].map((g) => quietFor(MAX, g))).toEqual([QUIET, 200, 400, 1000]);
    expect(quietFor(MIN, 10)).toBe(QUIET);
    expect(gapAfterChange({}, NOW)).toBeUndefined();
    expect(gapAfterChange({ lastChange: NOW - 30 }, NOW)).toBe(30);
    expect(gapAfterChange({ lastChange: NOW - 30, gap: 200 }, NOW)).toBe(100);
    expect(gapAfterChange({ lastChange: NOW - 300, gap: 200 }, NOW)).toBe(300);
    // A write within a burst keeps the burst's gap.
    expect(pacingAfterWrite({ lastWrite: NOW - 900, interval: 2 * MIN, lastChange: NOW - 5, gap: 30 }, NOW)).toEqual({ lastWrite: NOW, interval: 4 * MIN, lastChange: NOW - 5, gap: 30 });
  });

  it('route statuses are never paced', () => {
    const rk = statusKeyOf({ kind: 'HTTPRoute', namespace: 'app', name: 'r' });
    const d: RouteStatusUpdate = { target: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: 'app', name: 'r', uid: 'r1' }, generation: 1, parents: [] };
    const live = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app', uid: 'r1', generation: 1 }, status: { parents: [{ parentRef: { name: 'edge' }, controllerName: CTL, conditions: [] }] } } as KubeObject;
    expect(ops(plan({ type: 'status', key: rk, desired: d, live, controllerName: CTL, now: NOW, pacing: { lastWrite: NOW } }))).toEqual(['status']);
  });
});
