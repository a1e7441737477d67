// What to write, decided without I/O: from the desired state, the live object and the time,
// a list of operations for the executor (execute.ts) to perform in order. Every policy of the
// writer lives here (ownership, "only real changes", stale status, Secret-copy Events, Gateway
// status pacing during a route burst), so it is table-tested without a client or a clock.
import type { KubeObject } from '../../translators/api/meta';
import type { NsName, ObjectKey, StatusKey, WorkKey } from '../../translators/keys';
import { objectWork, parseStatusKey, statusWork } from '../../translators/keys';
import type { StatusUpdate } from '../../translators/result';
import { copySource } from '../../translators/tls-secret';
import type { EventSpec } from '../events';
import { statusTransitions } from '../events';
import { isOwned, needsWrite, withHash } from './object-diff';
import { jsonEqual, mergeStatus } from './status-merge';

/**
 * The executor runs a plan's operations in order and stops at the first that does not succeed
 * (an apply whose owner is gone, a 404/409, an error), so an Event is only written after the
 * write it reports.
 */
export type WriteOp =
  /** Server-side apply of `body`; `requireOwners`: only if every ownerReference still exists (one GET each). */
  | { op: 'apply'; key: ObjectKey; body: KubeObject; requireOwners: boolean }
  /** Delete with a UID precondition. */
  | { op: 'delete'; key: ObjectKey; uid: string | undefined }
  /** JSON merge patch of /status carrying the live resourceVersion (a concurrent writer → 409). */
  | { op: 'status'; key: StatusKey; apiVersion: string; resourceVersion: string | undefined; status: Record<string, unknown> }
  | { op: 'event'; involved: KubeObject; event: EventSpec }
  /** Not an API write: an object meshgate did not create holds (or no longer holds) a generated name. */
  | { op: 'foreign'; key: ObjectKey; present: boolean; live?: KubeObject; desired: KubeObject }
  /** Not an API write: plan this key again at `at` (ms since the epoch), remembering `pacing`. */
  | { op: 'defer'; key: WorkKey; at: number; pacing?: Pacing };

/**
 * Gateway status pacing (docs/adr/0035). A Gateway's status moves with every route that attaches
 * and every step of its proxy coming up (Deployment created, Service address, replicas ready), so
 * written as it moved it cost 4-5 writes per new Gateway. Bad news (a condition turning bad, other
 * than Pending) is written at once. Anything else waits until the status has been still for the
 * quiet period, and at most `interval` after the last write; while changes keep coming the interval
 * doubles after each write (1, 2, 4, 8 s) and the quiet period with it (150, 250, 500, 1000 ms), so a
 * long burst costs a handful of writes and its final state lands within 1 s of the last change.
 * Where the burst's changes come fast, the quiet period shrinks to a few of their gaps (never below
 * 150 ms): the final state then lands ~150 ms after the last change, not up to 1 s (adr/0065).
 * A new Gateway whose proxy is still coming up (Pending) waits for Programmed, bounded (adr/0060).
 */
export const ATTACHED_ROUTES_MIN_INTERVAL_MS = 1000;
export const ATTACHED_ROUTES_MAX_INTERVAL_MS = 8000;
export const ATTACHED_ROUTES_QUIET_MS = 150;
const QUIET_DIVISOR = 8;
/** A quiet period this many times the gap between a burst's changes shows it has ended. */
const QUIET_GAPS = 4;
/**
 * A new Gateway's progress waits for its proxy (docs/adr/0060): after its first status (Accepted,
 * Pending), while it is Pending and younger than this (from its creationTimestamp, and never longer
 * than this from the first wait), nothing but bad news is written, so the proxy's steps, the address
 * and the counts land with Programmed in one write.
 */
export const NEW_GATEWAY_HOLD_MS = 30_000;
/**
 * The hold's bound (docs/adr/0063): the proxy's 30 s count from the creation of its Deployment and
 * Service, which a busy writer may create well after the Gateway; while meshgate has not created
 * both, the hold lasts until this long after the Gateway's creation (or the first wait).
 */
export const NEW_GATEWAY_MAX_HOLD_MS = 120_000;
/** How often a name taken by an object meshgate did not create is looked at again (label-watched kinds). */
export const CONFLICT_RECHECK_MS = 30_000;

/** What the writer remembers about one Gateway status key between plans. */
export interface Pacing {
  /** When meshgate last wrote it. */
  lastWrite?: number;
  /** The longest wait after lastWrite (doubles while changes keep coming); default the minimum. */
  interval?: number;
  /** Waiting for the status to settle: write at `due`, and never later than `latest`. */
  due?: number;
  latest?: number;
  /** When a new Gateway's hold first deferred a write: the hold never ends later than NEW_GATEWAY_MAX_HOLD_MS after it. */
  heldSince?: number;
  /** When the status last changed while paced, and the gap between its changes (the longest lately, halving with each quicker one). */
  lastChange?: number;
  gap?: number;
}

/**
 * The quiet period that goes with an interval: 150 ms, then an eighth of it (250 ms at 2 s, 1 s at
 * 8 s). On a loaded machine batches of a long burst came 0.3-1 s apart, and each gap longer than a
 * fixed 150-450 ms quiet period cost a write (1,000 routes at once: 31 in 72 s). Once the gap
 * between changes is known, QUIET_GAPS of it is enough (a quick burst on a fast machine ended ~30 ms
 * after its last change, and the 1 s quiet period was most of the time to converge): never longer
 * than the interval's, never shorter than 150 ms.
 */
export function quietFor(interval: number, gap?: number): number {
  const byInterval = interval / QUIET_DIVISOR;
  return Math.max(ATTACHED_ROUTES_QUIET_MS, gap === undefined ? byInterval : Math.min(byInterval, QUIET_GAPS * gap));
}

/** The gap between changes after one at `now`: the last gap, or half the previous estimate if that is longer (one quick change does not forget a slow burst). */
export function gapAfterChange(p: Pacing, now: number): number | undefined {
  if (p.lastChange === undefined) return undefined;
  return Math.max(now - p.lastChange, (p.gap ?? 0) / 2);
}

/** The pacing still in force at `now`: a last write older than its interval, with no wait pending, no longer holds anything back. */
export function pacingAt(p: Pacing | undefined, now: number): Pacing | undefined {
  if (!p || p.due !== undefined) return p;
  if (p.lastWrite === undefined || now - p.lastWrite >= (p.interval ?? ATTACHED_ROUTES_MIN_INTERVAL_MS)) return undefined;
  return p;
}

/** After a pass in which a wait ended without a write (nothing left to write): only the last write is remembered. */
export function pacingAfterWait(p: Pacing | undefined, now: number): Pacing | undefined {
  if (p?.due === undefined || now < p.due) return p;
  return p.lastWrite === undefined ? undefined : { lastWrite: p.lastWrite, interval: p.interval };
}

/**
 * After a status write at `now`: a write within the last one's interval continues a burst, so the
 * interval doubles; the burst's gap between changes is kept with it.
 */
export function pacingAfterWrite(p: Pacing | undefined, now: number): Pacing {
  const burst = p?.lastWrite !== undefined;
  const interval = burst ? Math.min(2 * (p!.interval ?? ATTACHED_ROUTES_MIN_INTERVAL_MS), ATTACHED_ROUTES_MAX_INTERVAL_MS) : ATTACHED_ROUTES_MIN_INTERVAL_MS;
  const changes = p?.lastChange === undefined ? {} : { lastChange: p.lastChange, ...(p.gap === undefined ? {} : { gap: p.gap }) };
  return { lastWrite: now, interval, ...changes };
}

export interface ObjectPlanInput {
  key: ObjectKey;
  desired: KubeObject | undefined;
  live: KubeObject | undefined;
  controllerHash: string;
  /** The engine already knows the name is taken by a foreign object. */
  knownForeign: boolean;
  /** The live cache holds only meshgate's objects of this kind: a foreign object is invisible to it, so look again later. */
  labelSelected: boolean;
  /** For a Secret copy: its source Secret, the object Events about the copy are attached to. */
  source?: (k: NsName) => KubeObject | undefined;
  now: number;
}

/** One key's plan: `plan(desired, live, now)` with what else the decision needs. */
export function plan(i: ({ type: 'object' } & ObjectPlanInput) | ({ type: 'status' } & StatusPlanInput)): WriteOp[] {
  return i.type === 'object' ? planObject(i) : planStatus(i);
}

export function planObject(i: ObjectPlanInput): WriteOp[] {
  const { key, desired, live } = i;
  if (desired) {
    if (live && !isOwned(live, i.controllerHash)) {
      // Never touch what meshgate did not create; say so on the Gateway.
      const ops: WriteOp[] = i.knownForeign ? [] : [{ op: 'foreign', key, present: true, live, desired }];
      if (i.labelSelected) ops.push({ op: 'defer', key: objectWork(key), at: i.now + CONFLICT_RECHECK_MS });
      return ops;
    }
    const ops: WriteOp[] = i.knownForeign ? [{ op: 'foreign', key, present: false, desired }] : [];
    if (!needsWrite(desired, live)) return ops;
    // The garbage collector deletes an object whose owner is gone at once: with a stale cache
    // meshgate and the GC would create and delete it in a loop, so a create checks its owners.
    ops.push({ op: 'apply', key, body: withHash(desired), requireOwners: !live && (desired.metadata.ownerReferences?.length ?? 0) > 0 });
    const src = !live && desired.kind === 'Secret' ? sourceOf(i, desired) : undefined;
    if (src) ops.push({ op: 'event', involved: src, event: { type: 'Normal', reason: 'SecretCopied', message: `copied to ${desired.metadata.namespace}/${desired.metadata.name} for mesh ${desired.metadata.labels?.['kuma.io/mesh']}` } });
    return ops;
  }
  if (!live || !isOwned(live, i.controllerHash)) return [];
  const ops: WriteOp[] = [{ op: 'delete', key, uid: live.metadata.uid }];
  const src = live.kind === 'Secret' ? sourceOf(i, live) : undefined;
  if (src) ops.push({ op: 'event', involved: src, event: { type: 'Normal', reason: 'SecretCopyRemoved', message: `copy ${live.metadata.namespace}/${live.metadata.name} removed: no accepted listener references this Secret any more` } });
  return ops;
}

function sourceOf(i: ObjectPlanInput, copy: KubeObject): KubeObject | undefined {
  const src = copySource(copy as never);
  return src && i.source?.(src);
}

export interface StatusPlanInput {
  key: StatusKey;
  desired: StatusUpdate | undefined;
  live: KubeObject | undefined;
  controllerName: string;
  now: number;
  /** Gateways only: the pacing remembered for this key. */
  pacing?: Pacing;
  /**
   * Gateways only: the proxy meshgate generates for it, `created` being when the later of its
   * Deployment and Service was created (ms), undefined while either is not live yet. Absent when
   * meshgate generates no proxy for the Gateway.
   */
  proxy?: { created?: number };
}

export function planStatus(i: StatusPlanInput): WriteOp[] {
  const { desired, live } = i;
  if (!desired || !live) return [];
  // Our view is older than the object: a newer event is on its way; never write stale status.
  if ((live.metadata.generation ?? 1) > desired.generation) return [];
  if (desired.target.uid && live.metadata.uid && desired.target.uid !== live.metadata.uid) return [];
  const liveStatus = (live as KubeObject & { status?: Record<string, unknown> }).status;
  const merged = mergeStatus(liveStatus, desired, i.controllerName, new Date(i.now).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  // lastTransitionTime is kept from live by mergeStatus; comparing without it avoids clock noise.
  if (jsonEqual(merged, liveStatus, 'lastTransitionTime')) return [];
  const kind = parseStatusKey(i.key).kind;
  if (kind === 'Gateway') {
    const wait = pacedUntil(i, merged, liveStatus);
    if (wait) return [{ op: 'defer', key: statusWork(i.key), at: wait.due!, pacing: wait }];
  }
  return [
    { op: 'status', key: i.key, apiVersion: live.apiVersion, resourceVersion: live.metadata.resourceVersion, status: merged },
    ...statusTransitions(kind, liveStatus, merged, i.controllerName).map((event): WriteOp => ({ op: 'event', involved: live, event })),
  ];
}

/** The pacing to wait with, or undefined to write now. */
function pacedUntil(i: StatusPlanInput, merged: Record<string, unknown>, live: Record<string, unknown> | undefined): Pacing | undefined {
  const p = pacingAt(i.pacing, i.now) ?? {};
  if (p.due !== undefined && i.now >= p.due) return undefined; // the wait is over
  if (badNews(merged, live)) return undefined;
  const heldSince = p.heldSince ?? i.now;
  const holdUntil = newGatewayHold(i, merged, heldSince);
  if (holdUntil !== undefined) {
    // No quiet period: the wait is for Programmed (planned again on every change: the hold moves
    // when the proxy's objects appear), or the cap.
    return { ...p, heldSince, latest: holdUntil, due: holdUntil };
  }
  const interval = p.interval ?? ATTACHED_ROUTES_MIN_INTERVAL_MS;
  const latest = p.latest ?? (p.lastWrite ?? i.now) + interval;
  if (latest <= i.now) return undefined;
  // Each change while waiting restarts the quiet period, but never past the first `latest`.
  const gap = gapAfterChange(p, i.now);
  return { ...p, latest, due: Math.min(latest, i.now + quietFor(interval, gap)), lastChange: i.now, ...(gap === undefined ? {} : { gap }) };
}

/**
 * Until when a new Gateway's status may wait for Programmed: it is Pending (its proxy coming up),
 * and its proxy's Deployment and Service were created less than NEW_GATEWAY_HOLD_MS ago (the
 * Gateway itself, when meshgate generates no proxy), or meshgate has not created both yet; never
 * longer than NEW_GATEWAY_MAX_HOLD_MS after the Gateway's creation. `heldSince` (the first wait)
 * bounds every timestamp, whatever the clocks say. A Gateway that stays Pending longer (no load
 * balancer in the cluster) is paced as any other.
 */
export function newGatewayHold(i: Pick<StatusPlanInput, 'live' | 'now' | 'proxy'>, merged: Record<string, unknown>, heldSince = i.now): number | undefined {
  const programmed = (merged.conditions as Cond[] | undefined)?.find((c) => c.type === 'Programmed');
  if (programmed?.status !== 'False' || programmed.reason !== 'Pending') return undefined;
  // The first status is never held: Accepted (what `kubectl wait --for=condition=Accepted` waits for) is
  // known at once. Until then the live status is the CRD's default, Accepted=Unknown "Waiting for controller".
  const accepted = ((i.live as { status?: { conditions?: Cond[] } } | undefined)?.status?.conditions ?? []).find((c) => c.type === 'Accepted');
  if (accepted === undefined || accepted.status === 'Unknown') return undefined;
  const parsed = Date.parse(i.live?.metadata.creationTimestamp ?? '');
  const created = Math.min(Number.isNaN(parsed) ? heldSince : parsed, heldSince);
  const cap = created + NEW_GATEWAY_MAX_HOLD_MS;
  let until: number;
  if (!i.proxy) until = created + NEW_GATEWAY_HOLD_MS;
  else if (i.proxy.created === undefined) until = cap;
  else until = Math.min(Math.max(created, Math.min(i.proxy.created, i.now)) + NEW_GATEWAY_HOLD_MS, cap);
  return until > i.now ? until : undefined;
}

type Cond = { type?: string; status?: string; reason?: string };
/** Condition types for which True is the bad state. */
const NEGATIVE = new Set(['Conflicted', 'OverlappingTLSConfig']);
const isGood = (c: Cond) => (NEGATIVE.has(c.type ?? '') ? c.status !== 'True' : c.status === 'True');

/**
 * A condition of the Gateway or of a listener that was good and is not (for any reason, Pending
 * included: a proxy whose replicas went away), or that is bad for a new reason other than Pending
 * (Pending is the way a new Gateway comes up): written at once. So is a removed listener.
 */
function badNews(merged: Record<string, unknown>, live: Record<string, unknown> | undefined): boolean {
  const liveListeners = new Map(listenersOf(live).map((l) => [l.name, l]));
  if (listenersOf(merged).length < liveListeners.size) return true;
  const turnedBad = (now: Cond[] | undefined, before: Cond[] | undefined) => (now ?? []).some((c) => {
    if (isGood(c)) return false;
    const b = (before ?? []).find((x) => x.type === c.type);
    if (b && isGood(b)) return true;
    return c.reason !== 'Pending' && (!b || b.status !== c.status || b.reason !== c.reason);
  });
  if (turnedBad(merged.conditions as Cond[] | undefined, live?.conditions as Cond[] | undefined)) return true;
  return listenersOf(merged).some((l) => turnedBad(l.conditions, liveListeners.get(l.name)?.conditions));
}

function listenersOf(status: Record<string, unknown> | undefined): { name?: string; conditions?: Cond[] }[] {
  return Array.isArray(status?.listeners) ? (status!.listeners as { name?: string; conditions?: Cond[] }[]) : [];
}

