// The writer's queue: keys of generated objects and statuses are queued and de-duplicated, so a
// burst of changes becomes one write per object; each key is planned against the *latest*
// desired state (plan.ts, pure) and the plan carried out by the executor (execute.ts), only
// while this replica leads. Time comes from an injected Clock.
import type { KubeObject } from '../../translators/api/meta';
import type { ObjectKey, StatusKey, WorkKey } from '../../translators/keys';
import { kindOfObjectKey, objectKey, objectKeyOf, objectWork, parseNsName, parseObjectKey, parseStatusKey, parseWorkKey, statusKey, statusWork } from '../../translators/keys';
import { fnv1Digest, gatewayWorkloadNames } from '../../translators/naming';
import type { StatusUpdate } from '../../translators/result';
import type { Clock, Timer } from '../clock';
import { systemClock } from '../clock';
import { EventRecorder } from '../events';
import type { Cache } from '../informers/cache';
import type { KubeClient } from '../kube/client';
import { backoffDelay } from '../kube/rate-limit';
import type { Logger } from '../log';
import type { ApiOp, EventSink, WriteEvent } from './execute';
import { Executor } from './execute';
import { isOwned } from './object-diff';
import type { Pacing, WriteOp } from './plan';
import { pacingAfterWait, pacingAfterWrite, pacingAt, planObject, planStatus } from './plan';

export type { WriteEvent, WriteVerb } from './execute';
export { ATTACHED_ROUTES_MAX_INTERVAL_MS, ATTACHED_ROUTES_MIN_INTERVAL_MS, ATTACHED_ROUTES_QUIET_MS } from './plan';

/** What the writer reads of the engine. */
export interface DesiredState {
  desiredObject(key: ObjectKey): KubeObject | undefined;
  desiredStatus(key: StatusKey): StatusUpdate | undefined;
  desiredObjects(): Iterable<KubeObject>;
  desiredStatuses(): Iterable<StatusUpdate>;
  /** The engine already knows that a foreign object holds this generated name. */
  isForeign(key: ObjectKey): boolean;
}

/** An object meshgate did not create holds (present) or no longer holds a generated name: an input for the engine. */
export interface ForeignReport { key: ObjectKey; present: boolean; live?: KubeObject; desired: KubeObject }

export interface ReconcilerDeps {
  client: KubeClient;
  engine: DesiredState;
  /** Live caches by kind (generated kinds and Gateway API kinds). */
  caches: Map<string, Cache>;
  controllerName: string;
  log: Logger;
  isLeader: () => boolean;
  onWrite?: (e: WriteEvent) => void;
  onForeign?: (r: ForeignReport) => void;
  /** Who writes Events (reportingInstance); default 'meshgate'. */
  identity?: string;
  /** Default: an EventRecorder on `client`. */
  events?: EventSink;
  concurrency?: number;
  clock?: Clock;
  /**
   * Kinds whose cache holds only meshgate's objects (a label-selected informer, e.g. the
   * Deployments): a miss there does not mean the name is free, so the writer looks first.
   */
  labelSelectedKinds?: ReadonlySet<string>;
}

/** Deployments, Services and MeshGateways are slow to write; they never take more than this share of the writers. */
const INFRA_KINDS: ReadonlySet<string> = new Set(['Deployment', 'Service', 'MeshGateway']);
const OWNED_KINDS = ['MeshGateway', 'MeshHTTPRoute', 'MeshTCPRoute', 'Deployment', 'Service', 'Secret'];

export class Reconciler {
  private readonly pending = new Set<WorkKey>();
  private readonly attempts = new Map<WorkKey, number>();
  private readonly processing = new Set<WorkKey>();
  private running = 0;
  private infraRunning = 0;
  private stopped = true;
  /** Gateway status keys: when last written, and the wait for settling counts (plan.ts). */
  private readonly pacing = new Map<StatusKey, Pacing>();
  /** Status keys waiting to be planned again (their pacing); they keep the writer busy. */
  private readonly deferred = new Map<WorkKey, Timer>();
  /** Names held by foreign objects in label-watched kinds, looked at again later (not "busy"). */
  private readonly rechecks = new Map<WorkKey, Timer>();
  private idleWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly exec: Executor;
  readonly controllerHash: string;

  constructor(private readonly d: ReconcilerDeps) {
    this.controllerHash = fnv1Digest(d.controllerName);
    this.clock = d.clock ?? systemClock;
    const events = d.events ?? new EventRecorder(d.client, d.identity ?? 'meshgate', (result) => d.onWrite?.({ kind: 'Event', verb: 'event', result, name: '' }), undefined, () => this.clock.now());
    this.exec = new Executor({ client: d.client, caches: d.caches, log: d.log, events, onWrite: d.onWrite });
  }

  start(): void {
    this.stopped = false;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    for (const t of [...this.deferred.values(), ...this.rechecks.values()]) t.cancel();
    this.deferred.clear();
    this.rechecks.clear();
  }

  get queueDepth(): number {
    return this.pending.size + this.deferred.size;
  }

  get inFlight(): number {
    return this.running;
  }

  enqueue(keys: Iterable<WorkKey>): void {
    for (const k of keys) this.pending.add(k);
    this.pump();
  }

  /** Every desired object and status, plus every live owned object (for the sweep). */
  enqueueAll(): void {
    const keys: WorkKey[] = [];
    for (const o of this.d.engine.desiredObjects()) keys.push(objectWork(objectKey(o)));
    for (const s of this.d.engine.desiredStatuses()) keys.push(statusWork(statusKey(s)));
    for (const kind of OWNED_KINDS) {
      for (const o of this.d.caches.get(kind)?.values() ?? []) if (isOwned(o, this.controllerHash)) keys.push(objectWork(objectKey(o)));
    }
    this.enqueue(keys);
  }

  /** Resolves when the queue is empty, no write is in flight and no status waits for its pacing. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    const max = this.d.concurrency ?? 8;
    const infraMax = Math.max(2, Math.floor(max / 4));
    let settled = false;
    // One pass over the queue, in order: a Set's iterator skips entries deleted behind it and
    // visits ones added ahead. Looking from the front again for every key was quadratic (deleted
    // entries stay in the table until it shrinks): 0.4 s of a 10,000-route restart.
    for (const key of this.pending) {
      if (this.stopped || this.running >= max || !this.d.isLeader()) break;
      // Like client-go's workqueue: a key is never processed twice at once. A key re-queued while
      // its write is in flight waits, so the second pass sees the first write's result.
      if (this.processing.has(key)) continue;
      const infra = isInfraKey(key);
      if (infra && this.infraRunning >= infraMax) continue;
      this.pending.delete(key);
      // Planned here, synchronously, unless that needs a GET: most keys of a restart's full pass
      // need no write, and taking each through the async path (four promises) cost a fifth of
      // that pass at 10,000 routes. Only a key with an API write to make goes on.
      const ops = this.planNow(key);
      if (ops && !ops.some(isApiOp)) { this.performLocal(ops); this.attempts.delete(key); settled = true; continue; }
      this.processing.add(key);
      this.running++;
      if (infra) this.infraRunning++;
      this.process(key, ops)
        .then(() => this.attempts.delete(key))
        .catch(async (e) => {
          const n = (this.attempts.get(key) ?? 0) + 1;
          this.attempts.set(key, n);
          this.d.log.warn('write failed; will retry', { key, attempt: n, error: (e as Error).message });
          await new Promise<void>((r) => this.clock.after(backoffDelay(n, 200, 30_000), r));
          this.pending.add(key);
        })
        .finally(() => {
          this.processing.delete(key);
          this.running--;
          if (infra) this.infraRunning--;
          this.notifyIfIdle();
          this.pump();
        });
    }
    if (settled) this.notifyIfIdle();
  }

  /** The key's plan, or undefined when planning it needs I/O (or threw: process() plans it again and retries). */
  private planNow(key: WorkKey): WriteOp[] | undefined {
    try {
      const w = parseWorkKey(key);
      if (w.type === 'status') return this.planStatusKey(w.key);
      if (this.needsGet(w.key)) return undefined;
      const { kind, namespace, name } = parseObjectKey(w.key);
      return this.planObjectFrom(w.key, this.d.caches.get(kind)?.get(namespace, name));
    } catch {
      return undefined;
    }
  }

  /** Operations that are not API writes: a foreign name reported, a key planned again later. */
  private performLocal(ops: WriteOp[]): void {
    for (const op of ops) {
      if (op.op === 'foreign') this.d.onForeign?.({ key: op.key, present: op.present, live: op.live, desired: op.desired });
      else if (op.op === 'defer') this.defer(op);
    }
  }

  private isIdle(): boolean {
    return this.pending.size === 0 && this.running === 0 && this.deferred.size === 0;
  }

  private notifyIfIdle(): void {
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async process(key: WorkKey, planned: WriteOp[] | undefined): Promise<void> {
    // Leadership can lapse while a key waits; never send a write without it.
    if (!this.d.isLeader()) { this.pending.add(key); return; }
    const w = parseWorkKey(key);
    const ops = planned ?? (w.type === 'object' ? await this.planObjectKey(w.key) : this.planStatusKey(w.key));
    for (const op of ops) {
      if (!isApiOp(op)) { this.performLocal([op]); continue; }
      const done = await this.exec.perform(op);
      if (done && op.op === 'status') this.statusWritten(op.key);
      if (!done) break;
    }
  }

  private async planObjectKey(key: ObjectKey): Promise<WriteOp[]> {
    const { kind, namespace, name } = parseObjectKey(key);
    let live = this.d.caches.get(kind)?.get(namespace, name);
    // Someone else's object of that name is invisible to the cache; a forced apply would take it over.
    if (this.needsGet(key)) live = await this.exec.get(key);
    return this.planObjectFrom(key, live);
  }

  /** A generated object the cache does not have, of a label-watched kind: only a GET can say whether a foreign one holds its name. */
  private needsGet(key: ObjectKey): boolean {
    const kind = kindOfObjectKey(key);
    if (!(this.d.labelSelectedKinds?.has(kind) ?? false) || !this.d.engine.desiredObject(key)) return false;
    const { namespace, name } = parseObjectKey(key);
    return !this.d.caches.get(kind)?.get(namespace, name);
  }

  private planObjectFrom(key: ObjectKey, live: KubeObject | undefined): WriteOp[] {
    const secrets = this.d.caches.get('Secret');
    return planObject({
      key, desired: this.d.engine.desiredObject(key), live, controllerHash: this.controllerHash, knownForeign: this.d.engine.isForeign(key),
      labelSelected: this.d.labelSelectedKinds?.has(kindOfObjectKey(key)) ?? false, now: this.clock.now(),
      source: (k) => { const { namespace: ns, name: n } = parseNsName(k); return secrets?.get(ns, n); },
    });
  }

  private planStatusKey(key: StatusKey): WriteOp[] {
    const { kind, namespace, name } = parseStatusKey(key);
    const now = this.clock.now();
    const pacing = pacingAt(this.pacing.get(key), now);
    const proxy = kind === 'Gateway' ? gatewayProxy(this.d.engine, this.d.caches, namespace ?? '', name) : undefined;
    const ops = planStatus({ key, desired: this.d.engine.desiredStatus(key), live: this.d.caches.get(kind)?.get(namespace, name), controllerName: this.d.controllerName, now, pacing, proxy });
    // A wait that is over is used up by this pass (written, or nothing left to write).
    const next = pacingAfterWait(pacing, now);
    if (next) this.pacing.set(key, next); else this.pacing.delete(key);
    return ops;
  }

  /** Plan `op.key` again at `op.at`: a Gateway status waiting for its counts, or a foreign name to look at again. */
  private defer(op: Extract<WriteOp, { op: 'defer' }>): void {
    const w = parseWorkKey(op.key);
    if (w.type === 'object') {
      if (this.rechecks.has(op.key)) return;
      this.rechecks.set(op.key, this.clock.after(op.at - this.clock.now(), () => { this.rechecks.delete(op.key); if (!this.stopped) this.enqueue([op.key]); }, true));
      return;
    }
    if (op.pacing) this.pacing.set(w.key, op.pacing);
    this.deferred.get(op.key)?.cancel();
    this.deferred.set(op.key, this.clock.after(op.at - this.clock.now(), () => {
      this.deferred.delete(op.key);
      this.enqueue([op.key]);
    }));
  }

  private statusWritten(key: StatusKey): void {
    if (parseStatusKey(key).kind !== 'Gateway') return;
    const w = statusWork(key);
    this.deferred.get(w)?.cancel();
    this.deferred.delete(w);
    this.pacing.set(key, pacingAfterWrite(this.pacing.get(key), this.clock.now()));
  }
}

/**
 * The proxy meshgate generates for a Gateway, for the new-Gateway hold (plan.ts newGatewayHold):
 * when the later of its Deployment and Service was created; undefined when it generates none.
 */
function gatewayProxy(engine: DesiredState, caches: Map<string, Cache>, namespace: string, name: string): { created?: number } | undefined {
  const names = gatewayWorkloadNames(name);
  const generated = engine.desiredObject(objectKeyOf({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: names.deployment }))
    ?? engine.desiredObject(objectKeyOf({ apiVersion: 'v1', kind: 'Service', namespace, name: names.service }));
  if (!generated) return undefined;
  const times = [caches.get('Deployment')?.get(namespace, names.deployment), caches.get('Service')?.get(namespace, names.service)]
    .map((o) => Date.parse(o?.metadata.creationTimestamp ?? ''));
  return times.some(Number.isNaN) ? {} : { created: Math.max(...times) };
}

const isApiOp = (op: WriteOp): op is ApiOp => op.op !== 'foreign' && op.op !== 'defer';

/** A Deployment, Service or MeshGateway. */
function isInfraKey(key: WorkKey): boolean {
  const w = parseWorkKey(key);
  return w.type === 'object' && INFRA_KINDS.has(kindOfObjectKey(w.key));
}
