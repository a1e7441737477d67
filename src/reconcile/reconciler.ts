// The writer: the only code that changes the cluster. Keys (generated objects and statuses) are
// queued and de-duplicated, so a burst of changes becomes one write per object; each key is
// processed against the *latest* desired state. Writes happen only for semantic changes, only
// on objects meshgate owns, and only while this replica leads.
import type { KubeObject } from '../../translators/api/meta';
import type { TranslationEngine } from '../../translators/engine';
import type { StatusUpdate } from '../../translators/result';
import { fnv1Digest } from '../../translators/naming';
import type { KubeClient } from '../kube/client';
import { sleep } from '../kube/client';
import { backoffDelay } from '../kube/rate-limit';
import { resourceForKind, resourcePath } from '../kube/resources';
import type { Cache } from '../informers/cache';
import type { Logger } from '../log';
import { isOwned, needsWrite, withHash } from './object-diff';
import { jsonEqual, mergeStatus } from './status-merge';
import type { EventSpec } from '../events';
import { statusTransitions } from '../events';

export type WriteVerb = 'apply' | 'delete' | 'status' | 'event';
export interface WriteEvent { kind: string; verb: WriteVerb; result: 'ok' | 'conflict' | 'error'; namespace?: string; name: string }

export interface ReconcilerDeps {
  client: KubeClient;
  engine: TranslationEngine;
  /** Live caches by kind (generated kinds and Gateway API kinds). */
  caches: Map<string, Cache>;
  controllerName: string;
  log: Logger;
  isLeader: () => boolean;
  onWrite?: (e: WriteEvent) => void;
  onConflict?: (obj: KubeObject, desired: KubeObject) => void;
  /** The name of generated object `key` is free or meshgate's (after an onConflict, it may have been freed). */
  onNoConflict?: (key: string) => void;
  /** A user-visible transition happened on `obj` (written status, Secret copy made or removed). */
  onEvent?: (obj: KubeObject, e: EventSpec) => void;
  concurrency?: number;
  now?: () => Date;
  /**
   * Kinds whose cache holds only meshgate's objects (a label-selected informer, e.g. the
   * Deployments): a miss there does not mean the name is free, so the writer looks first.
   */
  labelSelectedKinds?: ReadonlySet<string>;
}

const FIELD_MANAGER = 'meshgate';
/**
 * A Gateway's status changes with every route that attaches. A change of listener attachedRoutes
 * only is written once the counts have been still for ATTACHED_ROUTES_QUIET_MS, and at least
 * every ATTACHED_ROUTES_MIN_INTERVAL_MS while routes keep coming (so ≤ 1 write/s per Gateway
 * during a burst, and the final count soon after it). Any other change is written at once.
 */
export const ATTACHED_ROUTES_MIN_INTERVAL_MS = 1000;
export const ATTACHED_ROUTES_QUIET_MS = 150;
/** How often a name taken by an object meshgate did not create is looked at again (label-watched kinds). */
const CONFLICT_RECHECK_MS = 30_000;
/** Deployments, Services and MeshGateways are slow to write; they never take more than this share of the writers. */
const INFRA_KINDS: ReadonlySet<string> = new Set(['Deployment', 'Service', 'MeshGateway']);

export class Reconciler {
  private readonly pending = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private readonly processing = new Set<string>();
  private running = 0;
  private stopped = true;
  /** Gateway status key → when meshgate last wrote it (kept for one interval). */
  private readonly statusWrittenAt = new Map<string, number>();
  /** Keys waiting for their interval to pass (see ATTACHED_ROUTES_MIN_INTERVAL_MS): the timer and the latest time it may fire. */
  private readonly deferred = new Map<string, { timer: NodeJS.Timeout; latest: number }>();
  /** Deferred keys whose wait is over: their next pass writes. */
  private readonly released = new Set<string>();
  private infraRunning = 0;
  private idleWaiters: (() => void)[] = [];
  readonly controllerHash: string;

  constructor(private readonly d: ReconcilerDeps) {
    this.controllerHash = fnv1Digest(d.controllerName);
  }

  start(): void {
    this.stopped = false;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.deferred.values()) clearTimeout(d.timer);
    this.deferred.clear();
  }

  get queueDepth(): number {
    return this.pending.size + this.deferred.size;
  }

  get inFlight(): number {
    return this.running;
  }

  enqueue(keys: Iterable<string>): void {
    for (const k of keys) this.pending.add(k);
    this.pump();
  }

  /** Every desired object and status, plus every live owned object (for the sweep). */
  enqueueAll(): void {
    const keys: string[] = [];
    for (const o of this.d.engine.desiredObjects()) keys.push(objKey(o));
    for (const s of this.d.engine.desiredStatuses()) keys.push(statusKey(s));
    for (const kind of ['MeshGateway', 'MeshHTTPRoute', 'MeshTCPRoute', 'Deployment', 'Service', 'Secret']) {
      for (const o of this.d.caches.get(kind)?.values() ?? []) if (isOwned(o, this.controllerHash)) keys.push(objKey(o));
    }
    this.enqueue(keys);
  }

  /** Resolves when the queue is empty and no write is in flight. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    const max = this.d.concurrency ?? 8;
    while (!this.stopped && this.running < max && this.pending.size > 0 && this.d.isLeader()) {
      // Like client-go's workqueue: a key is never processed twice at once. A key re-queued while
      // its write is in flight waits, so the second pass sees the first write's result.
      const key = this.nextIdleKey(this.infraRunning < Math.max(2, Math.floor(max / 4)));
      if (key === undefined) break;
      const infra = isInfraKey(key);
      this.pending.delete(key);
      this.processing.add(key);
      this.running++;
      if (infra) this.infraRunning++;
      this.process(key)
        .then(() => this.attempts.delete(key))
        .catch(async (e) => {
          const n = (this.attempts.get(key) ?? 0) + 1;
          this.attempts.set(key, n);
          this.d.log.warn('write failed; will retry', { key, attempt: n, error: (e as Error).message });
          await sleep(backoffDelay(n, 200, 30_000));
          this.pending.add(key);
        })
        .finally(() => {
          this.processing.delete(key);
          this.running--;
          if (infra) this.infraRunning--;
          if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
          this.pump();
        });
    }
  }

  private isIdle(): boolean {
    return this.pending.size === 0 && this.running === 0 && this.deferred.size === 0;
  }

  /**
   * Queues `key` again after a quiet period, or at `latest` if changes keep deferring it; each
   * deferral of a waiting key restarts the quiet period but keeps the first `latest`.
   */
  private defer(key: string, quietMs: number, latest: number): void {
    const prev = this.deferred.get(key);
    if (prev) clearTimeout(prev.timer);
    const until = Math.min(prev?.latest ?? latest, latest);
    const delay = Math.max(0, Math.min(until, Date.now() + quietMs) - Date.now());
    this.deferred.set(key, { latest: until, timer: setTimeout(() => { this.deferred.delete(key); this.released.add(key); this.enqueue([key]); }, delay) });
  }

  private nextIdleKey(infraAllowed: boolean): string | undefined {
    for (const k of this.pending) if (!this.processing.has(k) && (infraAllowed || !isInfraKey(k))) return k;
    return undefined;
  }

  private async process(key: string): Promise<void> {
    // Leadership can lapse while a key waits; never send a write without it.
    if (!this.d.isLeader()) { this.pending.add(key); return; }
    if (key.startsWith('S|')) return this.reconcileStatus(key.slice(2));
    return this.reconcileObject(key.slice(2));
  }

  private async reconcileObject(key: string): Promise<void> {
    const [apiVersion, kind, ns, name] = key.split('|');
    const desired = this.d.engine.desiredObject(key);
    let live = this.d.caches.get(kind)?.get(ns || undefined, name);
    const r = resourceForKind(kind, apiVersion);
    if (!r) return;
    if (desired) {
      if (!live && this.d.labelSelectedKinds?.has(kind)) {
        // Someone else's object of that name is invisible to the cache; a forced apply would take it over.
        const res = await this.d.client.request<KubeObject>('GET', resourcePath(r, ns || undefined, name));
        if (res.status === 200) live = res.body;
        else if (res.status !== 404) throw new Error(`get ${kind} ${ns}/${name}: HTTP ${res.status} ${describe(res.body)}`);
      }
      if (live && !isOwned(live, this.controllerHash)) {
        this.d.onConflict?.(live, desired);
        // Kinds watched by label cannot see the other object go away: look again later.
        if (this.d.labelSelectedKinds?.has(kind)) this.recheckLater(`O|${key}`);
        return; // never touch what meshgate did not create
      }
      this.d.onNoConflict?.(key);
      // The garbage collector deletes an object whose owner is gone at once. With a stale cache (the
      // Gateway informer still reconnecting after an API-server restart) meshgate and the GC would
      // create and delete the Deployment/Service in a loop; the owner's delete event ends it.
      if (!live && !(await this.ownersExist(desired))) return;
      if (!needsWrite(desired, live)) return;
      const body = withHash(desired);
      const res = await this.d.client.request('PATCH', resourcePath(r, ns || undefined, name), {
        body, contentType: 'application/apply-patch+yaml', query: { fieldManager: FIELD_MANAGER, force: true },
      });
      this.record(kind, 'apply', res.status, ns, name);
      if (res.status >= 300) throw new Error(`apply ${kind} ${ns}/${name}: HTTP ${res.status} ${describe(res.body)}`);
      this.remember(kind, res.body);
      if (kind === 'Secret' && !live) this.secretEvent(desired, 'SecretCopied', `copied to ${ns}/${name} for mesh ${desired.metadata.labels?.['kuma.io/mesh']}`);
      return;
    }
    if (live && isOwned(live, this.controllerHash)) {
      const res = await this.d.client.request('DELETE', resourcePath(r, ns || undefined, name), {
        body: { preconditions: { uid: live.metadata.uid }, propagationPolicy: 'Background' }, contentType: 'application/json',
      });
      this.record(kind, 'delete', res.status, ns, name);
      if (res.status >= 300 && res.status !== 404 && res.status !== 409) throw new Error(`delete ${kind} ${ns}/${name}: HTTP ${res.status}`);
      if (kind === 'Secret' && res.status < 300) this.secretEvent(live, 'SecretCopyRemoved', `copy ${ns}/${name} removed: no accepted listener references this Secret any more`);
    }
  }

  /** Every ownerReference of `o` names an object that exists with that uid (one GET each; only before creating). */
  private async ownersExist(o: KubeObject): Promise<boolean> {
    for (const ref of o.metadata.ownerReferences ?? []) {
      const r = resourceForKind(ref.kind, ref.apiVersion);
      if (!r) continue;
      const res = await this.d.client.request<KubeObject>('GET', resourcePath(r, o.metadata.namespace, ref.name));
      if (res.status === 404 || (res.status === 200 && res.body.metadata?.uid !== ref.uid)) {
        this.d.log.debug('not creating an object whose owner is gone', { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, owner: `${ref.kind}/${ref.name}` });
        return false;
      }
      if (res.status !== 200) throw new Error(`get ${ref.kind} ${o.metadata.namespace}/${ref.name}: HTTP ${res.status} ${describe(res.body)}`);
    }
    return true;
  }

  private secretEvent(copy: KubeObject, reason: string, message: string): void {
    const src = copy.metadata.annotations?.['meshgate.io/source'];
    const source = src ? this.d.engine.snap.secrets.get(src) : undefined;
    if (source) this.d.onEvent?.(source, { type: 'Normal', reason, message });
  }

  private async reconcileStatus(key: string): Promise<void> {
    const [kind, ns, name] = key.split('|');
    const desired = this.d.engine.desiredStatus(key);
    const live = this.d.caches.get(kind)?.get(ns || undefined, name);
    if (!desired || !live) return;
    // Our view is older than the object: a newer event is on its way; never write stale status.
    if ((live.metadata.generation ?? 1) > desired.generation) return;
    if (desired.target.uid && live.metadata.uid && desired.target.uid !== live.metadata.uid) return;
    const liveStatus = (live as KubeObject & { status?: Record<string, unknown> }).status;
    const merged = mergeStatus(liveStatus, desired, this.d.controllerName, (this.d.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    if (jsonEqual(stripTimes(merged), stripTimes(liveStatus))) return;
    if (kind === 'Gateway' && this.deferCountsOnly(key, merged, liveStatus)) return;
    const r = resourceForKind(kind, live.apiVersion)!;
    const res = await this.d.client.request('PATCH', resourcePath(r, ns || undefined, name, 'status'), {
      body: { metadata: { resourceVersion: live.metadata.resourceVersion }, status: merged }, contentType: 'application/merge-patch+json', retries: 3,
    });
    this.record(kind, 'status', res.status, ns, name);
    if (res.status < 300) this.remember(kind, res.body);
    if (res.status < 300 && kind === 'Gateway') this.noteGatewayWrite(key);
    if (res.status === 409) {
      // Someone wrote in between. The informer brings the newer object, and its upsert queues this
      // key again (also when it arrived while this write was in flight). No timed retry: while the
      // informer is reconnecting (API-server restart) that spun at 10 writes/s per key, each one a
      // certain 409 against the recovering server.
      return;
    }
    if (res.status === 404) return;
    if (res.status >= 300) throw new Error(`status ${kind} ${ns}/${name}: HTTP ${res.status} ${describe(res.body)}`);
    for (const e of statusTransitions(kind, liveStatus, merged, this.d.controllerName)) this.d.onEvent?.(live, e);
  }

  /**
   * True if this Gateway status write only changes attachedRoutes and must wait: written less
   * than an interval ago, or already waiting for the counts to settle (see defer()).
   */
  private deferCountsOnly(key: string, merged: Record<string, unknown>, live: Record<string, unknown> | undefined): boolean {
    const last = this.statusWrittenAt.get(key);
    const waiting = this.deferred.has(`S|${key}`);
    if (this.released.delete(`S|${key}`)) return false; // its wait is over
    if (!waiting && (last === undefined || Date.now() - last >= ATTACHED_ROUTES_MIN_INTERVAL_MS)) return false;
    if (!jsonEqual(stripTimes(withoutAttachedRoutes(merged)), stripTimes(withoutAttachedRoutes(live)))) return false;
    this.defer(`S|${key}`, ATTACHED_ROUTES_QUIET_MS, (last ?? Date.now()) + ATTACHED_ROUTES_MIN_INTERVAL_MS);
    return true;
  }

  private readonly rechecks = new Set<string>();
  private recheckLater(key: string): void {
    if (this.rechecks.has(key)) return;
    this.rechecks.add(key);
    setTimeout(() => { this.rechecks.delete(key); if (!this.stopped) this.enqueue([key]); }, CONFLICT_RECHECK_MS).unref();
  }

  private noteGatewayWrite(key: string): void {
    const t = Date.now();
    this.statusWrittenAt.set(key, t);
    setTimeout(() => { if (this.statusWrittenAt.get(key) === t) this.statusWrittenAt.delete(key); }, ATTACHED_ROUTES_MIN_INTERVAL_MS).unref();
  }

  /** The object a write returned is the newest live state: keep it until the watch catches up. */
  private remember(kind: string, body: unknown): void {
    const o = body as KubeObject | undefined;
    if (o && typeof o === 'object' && o.metadata?.name) this.d.caches.get(kind)?.upsertIfNotOlder(o);
  }

  private record(kind: string, verb: WriteVerb, status: number, namespace: string, name: string): void {
    const result = status < 300 ? 'ok' : status === 409 ? 'conflict' : 'error';
    this.d.onWrite?.({ kind, verb, result, namespace: namespace || undefined, name });
    this.d.log.debug('write', { kind, verb, namespace, name, status });
  }
}

/** `O|<apiVersion>|<kind>|…` of a Deployment, Service or MeshGateway. */
function isInfraKey(key: string): boolean {
  if (!key.startsWith('O|')) return false;
  const a = key.indexOf('|', 2);
  return INFRA_KINDS.has(key.slice(a + 1, key.indexOf('|', a + 1)));
}

export const objKey = (o: KubeObject) => `O|${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
export const statusKey = (s: StatusUpdate) => `S|${s.target.kind}|${s.target.namespace ?? ''}|${s.target.name}`;

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

function describe(body: unknown): string {
  return typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : '';
}
