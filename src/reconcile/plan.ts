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
 * A Gateway's status changes with every route that attaches. A change of listener attachedRoutes
 * only is written once the counts have been still for ATTACHED_ROUTES_QUIET_MS, and at least
 * every ATTACHED_ROUTES_MIN_INTERVAL_MS while routes keep coming (so ≤ 1 write/s per Gateway
 * during a burst, and the final count soon after it). Any other change is written at once.
 */
export const ATTACHED_ROUTES_MIN_INTERVAL_MS = 1000;
export const ATTACHED_ROUTES_QUIET_MS = 150;
/** How often a name taken by an object meshgate did not create is looked at again (label-watched kinds). */
export const CONFLICT_RECHECK_MS = 30_000;

/** What the writer remembers about one Gateway status key between plans. */
export interface Pacing {
  /** When meshgate last wrote it. */
  lastWrite?: number;
  /** Waiting for the counts to settle: write at `due`, and never later than `latest`. */
  due?: number;
  latest?: number;
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
}

export function planStatus(i: StatusPlanInput): WriteOp[] {
  const { desired, live } = i;
  if (!desired || !live) return [];
  // Our view is older than the object: a newer event is on its way; never write stale status.
  if ((live.metadata.generation ?? 1) > desired.generation) return [];
  if (desired.target.uid && live.metadata.uid && desired.target.uid !== live.metadata.uid) return [];
  const liveStatus = (live as KubeObject & { status?: Record<string, unknown> }).status;
  const merged = mergeStatus(liveStatus, desired, i.controllerName, new Date(i.now).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (jsonEqual(stripTimes(merged), stripTimes(liveStatus))) return [];
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
  const p = i.pacing ?? {};
  const waiting = p.due !== undefined;
  if (waiting && i.now >= p.due!) return undefined; // the wait is over
  const recent = p.lastWrite !== undefined && i.now - p.lastWrite < ATTACHED_ROUTES_MIN_INTERVAL_MS;
  if (!waiting && !recent) return undefined;
  if (!jsonEqual(stripTimes(withoutAttachedRoutes(merged)), stripTimes(withoutAttachedRoutes(live)))) return undefined;
  // Each change while waiting restarts the quiet period, but never past the first `latest`.
  const latest = p.latest ?? (p.lastWrite ?? i.now) + ATTACHED_ROUTES_MIN_INTERVAL_MS;
  return { lastWrite: p.lastWrite, latest, due: Math.min(latest, i.now + ATTACHED_ROUTES_QUIET_MS) };
}

/** A Gateway status with every listener's attachedRoutes set to 0. */
function withoutAttachedRoutes(status: Record<string, unknown> | undefined): unknown {
  const listeners = status?.listeners;
  if (!Array.isArray(listeners)) return status;
  return { ...status, listeners: listeners.map((l: Record<string, unknown>) => ({ ...l, attachedRoutes: 0 })) };
}

/** lastTransitionTime is kept from live by mergeStatus; comparing without it avoids clock noise. */
function stripTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripTimes);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'lastTransitionTime').map(([k, x]) => [k, stripTimes(x)]));
  }
  return v;
}
