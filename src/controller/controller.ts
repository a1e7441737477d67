// The controller: informer streams → TranslationEngine → Reconciler. Input events are coalesced
// (a burst becomes one translation), the engine reports what changed, the reconciler writes it.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Subscription } from 'rxjs';
import type { KubeObject, Secret } from '../../translators/api/meta';
import type { Delta } from '../../translators/engine';
import { TranslationEngine } from '../../translators/engine';
import type { InputKey, ObjectKey, WorkKey } from '../../translators/keys';
import { inputKeyOf, objectKeyOf, objectWork, statusKeyOf, statusWork } from '../../translators/keys';
import type { Clock, Timer } from '../clock';
import { systemClock } from '../clock';
import type { ControllerConfig } from '../config';
import { Cache } from '../informers/cache';
import type { InformerEvent } from '../informers/informer';
import { informer } from '../informers/informer';
import { KubeClient } from '../kube/client';
import { resolveConnection } from '../kube/kubeconfig';
import type { ResourceType } from '../kube/resources';
import { R } from '../kube/resources';
import type { Logger } from '../log';
import type { ForeignReport, WriteEvent } from '../reconcile/reconciler';
import { Reconciler } from '../reconcile/reconciler';
import { KumaMigration } from '../migrate/kuma';
import { isOwned, needsWrite } from '../reconcile/object-diff';
import { bundleVersion, crdKey, discoverServedKinds, OPTIONAL_KINDS, servedVersion } from './crd-watch';

const GENERATED_KINDS = new Set(['MeshGateway', 'MeshHTTPRoute', 'MeshTCPRoute', 'Deployment']);
// Deployments are both generated and read: their readiness decides the Gateway's Programmed.
const INPUT_KINDS = new Set(['GatewayClass', 'Gateway', 'ListenerSet', 'HTTPRoute', 'TLSRoute', 'GRPCRoute', 'TCPRoute', 'UDPRoute', 'ReferenceGrant', 'Namespace', 'Service', 'Secret', 'MeshGatewayConfig', 'Deployment']);
const STATUS_KINDS = new Set(['GatewayClass', 'Gateway', 'ListenerSet', 'HTTPRoute', 'TLSRoute', 'GRPCRoute', 'TCPRoute', 'UDPRoute']);

interface Running { version: string; subs: Subscription[]; caches: Cache[] }

export interface ControllerHooks {
  onWrite?: (e: WriteEvent) => void;
  isLeader?: () => boolean;
  onConflict?: (live: KubeObject, desired: KubeObject) => void;
  onInformerRestart?: (kind: string, reason: string) => void;
  onChange?: () => void;
  onTranslate?: (seconds: number) => void;
  /** Time for coalescing, the hourly certificate check and the writer's pacing; default the system clock. */
  clock?: Clock;
}

export class Controller {
  readonly engine: TranslationEngine;
  readonly caches = new Map<string, Cache>();
  client!: KubeClient;
  reconciler!: Reconciler;
  private readonly running = new Map<string, Running>();
  private readonly subs: Subscription[] = [];
  private crdCache = new Cache();
  private batch = emptyBatch();
  private flushTimer: Timer | undefined;
  private nowTimer: Timer | undefined;
  private readonly clock: Clock;
  private leading: boolean;
  private readyResolvers: (() => void)[] = [];
  ready = false;
  private stopped = false;

  constructor(private readonly cfg: ControllerConfig, private readonly log: Logger, private readonly hooks: ControllerHooks = {}) {
    this.leading = !hooks.isLeader;
    this.clock = hooks.clock ?? systemClock;
    this.engine = new TranslationEngine({
      controllerName: cfg.controllerName, systemNamespace: cfg.systemNamespace, proxyImage: cfg.proxyImage,
      zone: cfg.zone, controlPlaneURL: cfg.controlPlaneURL, secretNamespaces: cfg.secretNamespaces,
      controlPlaneCACert: cfg.controlPlaneCACert, controlPlaneCASecret: cfg.controlPlaneCASecret,
    });
  }

  async start(kc?: KubeConfig): Promise<void> {
    // An explicit --kube-qps is always enforced; 'auto' steps aside once the server does APF.
    const limits = { qps: this.cfg.kubeQPS === 'auto' ? 50 : this.cfg.kubeQPS, burst: this.cfg.kubeBurst, bypassWithServerFairness: this.cfg.kubeQPS === 'auto' };
    this.client = kc ? await KubeClient.create(kc, limits) : KubeClient.fromConnection(await resolveConnection(this.cfg.kubeconfig), limits, () => resolveConnection(this.cfg.kubeconfig));
    this.reconciler = new Reconciler({
      client: this.client, engine: this.engine, caches: this.caches, controllerName: this.cfg.controllerName, log: this.log,
      labelSelectedKinds: new Set(['Deployment']), // see startCore()
      concurrency: this.cfg.writeConcurrency,
      isLeader: this.hooks.isLeader ?? (() => true),
      identity: this.cfg.identity,
      clock: this.clock,
      onWrite: (e) => this.hooks.onWrite?.(e),
      onForeign: (r) => this.onForeign(r),
    });
    this.refreshNow();
    // Discovery and the CRD list first: the core lists (every Secret and Service) keep the event loop busy.
    if (this.cfg.gatewayAPI) {
      // Never fatal: the CRD watch starts the kinds anyway.
      this.startFromDiscovery().catch((e) => this.log.warn('starting the Gateway API kinds from discovery failed; the CRD watch starts them', { error: (e as Error).message }));
      this.watchCRDs();
    }
    this.startCore();
    if (!this.cfg.gatewayAPI) this.log.warn('Gateway API support is off (--gateway-api=false): meshgate watches no Gateway API objects');
  }

  /** Resolves once every started informer has listed (the first full translation is done). */
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((r) => this.readyResolvers.push(r));
  }

  /** Take over writing (leader election): queue a full pass over everything. */
  resumeWriting(): void {
    this.leading = true;
    if (!this.ready) return; // checkReady() starts the reconciler once caches are synced
    void this.startWriting();
  }

  /**
   * Kuma's leftovers at meshgate's names are adopted before the first write (so nothing that
   * routes traffic disappears), the rest once meshgate's own objects are written (src/migrate).
   */
  private async startWriting(): Promise<void> {
    // Queued before the first await: /readyz answers while adoption lists, and until the full
    // pass is planned the queue depth must not read 0 (the writer is not idle yet).
    this.reconciler.enqueueAll();
    const t0 = this.clock.now();
    const migration = this.cfg.adoptKumaObjects ? new KumaMigration({ client: this.client, systemNamespace: this.cfg.systemNamespace, log: this.log }) : undefined;
    if (migration) {
      try {
        for (const o of await migration.adopt(this.engine.desiredObjects())) this.caches.get(o.kind)?.upsertIfNotOlder(o);
      } catch (e) {
        this.log.warn('could not look for objects Kuma created; will look again on the next start', { error: (e as Error).message });
      }
    }
    if (!this.leading) return; // the lease was lost meanwhile
    const t1 = this.clock.now();
    const keys = this.reconciler.queueDepth;
    this.reconciler.start(); // plans every key that needs no write now, synchronously
    // What a slow start-up spent after the first translation (the restart benchmark reads it).
    this.log.info('first pass planned', { keys, adoptionMs: t1 - t0, planMs: this.clock.now() - t1, writesQueued: this.reconciler.queueDepth + this.reconciler.inFlight });
    if (!migration) return;
    await this.reconciler.idle();
    if (!this.leading) return;
    const desired = [...this.engine.desiredObjects()];
    const written = new Set(desired.filter((o) => this.isWritten(o)).map(inputKeyOf));
    await migration.sweep(desired, written).catch((e) => this.log.warn('could not remove objects Kuma created; will try again on the next start', { error: (e as Error).message }));
  }

  /** The object is live and meshgate's, as the writer left it. */
  private isWritten(o: KubeObject): boolean {
    const live = this.caches.get(o.kind)?.get(o.metadata.namespace, o.metadata.name);
    return live !== undefined && isOwned(live, this.reconciler.controllerHash) && !needsWrite(o, live);
  }

  /** Stop writing at once (lost lease, shutdown); caches stay warm for the GUI and a takeover. */
  pauseWriting(): void {
    this.leading = false;
    this.reconciler?.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.subs) s.unsubscribe();
    for (const r of this.running.values()) for (const s of r.subs) s.unsubscribe();
    this.running.clear();
    this.flushTimer?.cancel();
    this.nowTimer?.cancel();
    this.reconciler?.stop();
    this.client?.close();
  }

  private startCore(): void {
    const core: [ResourceType, { namespaces?: string[]; labelSelector?: string }][] = [
      [R.namespaces, {}],
      [R.services, { namespaces: this.cfg.watchNamespaces }],
      [R.deployments, { labelSelector: 'app.kubernetes.io/managed-by=meshgate' }],
    ];
    const secretNs = this.cfg.secretNamespaces ? [...new Set([...this.cfg.secretNamespaces, this.cfg.systemNamespace])] : undefined;
    core.push([R.secrets, { namespaces: secretNs }]);
    for (const [r, o] of core) this.startKind(r, r.version, o);
  }

  private watchCRDs(): void {
    this.subs.push(informer(this.client, R.crds, this.watchOptions('CustomResourceDefinition')).subscribe((e) => {
      this.crdCache.apply(e);
      if (e.type === 'error') this.log.warn('watch failed; retrying', { kind: 'CustomResourceDefinition', error: e.error.message, attempt: e.attempt });
      if (e.type === 'upsert' || e.type === 'delete' || e.type === 'synced') this.syncOptionalKinds();
    }));
  }

  private syncOptionalKinds(): void {
    if (!this.crdCache.synced) return;
    const missing: string[] = [];
    for (const r of OPTIONAL_KINDS) {
      const version = servedVersion(r, this.crdCache.get(undefined, crdKey(r)));
      const cur = this.running.get(r.plural);
      if (cur && cur.version !== version) this.stopKind(r);
      if (version && !this.running.has(r.plural)) this.startOptionalKind(r, version);
      if (!version) missing.push(crdKey(r));
    }
    if (missing.length) this.log.warn('CRDs not installed; the kinds they define are not watched until they are', { missing });
    const crds = [...this.crdCache.values()].filter((c) => c.metadata.name.endsWith('.gateway.networking.k8s.io')).map((c) => ({ name: c.metadata.name, bundleVersion: bundleVersion(c) }));
    this.pushDelta(this.engine.apply({ crds: { value: crds.length ? crds : undefined } }));
    this.checkReady();
  }

  private startOptionalKind(r: ResourceType, version: string): void {
    const namespaced = r.namespaced && r.group === 'gateway.networking.k8s.io' ? this.cfg.watchNamespaces : undefined;
    const ns = r === R.meshHTTPRoutes || r === R.meshTCPRoutes ? [this.cfg.systemNamespace] : namespaced;
    this.startKind(r, version, { namespaces: ns });
  }

  /**
   * Starts the optional kinds that discovery shows served, without waiting for the CRD list: that
   * list carries every CRD's schema (megabytes, a second or more on a restart under load) while
   * discovery answers at once. The CRD watch stays the authority: once synced, it stops or
   * re-versions what it disagrees with (syncOptionalKinds), and readiness waits for it.
   */
  private async startFromDiscovery(): Promise<void> {
    const served = await discoverServedKinds(this.client, (gv, e) => this.log.debug('discovery failed; the CRD watch starts the kinds', { groupVersion: gv, error: e.message }));
    if (this.stopped || this.crdCache.synced) return;
    const kinds: string[] = [];
    for (const [r, version] of served) if (!this.running.has(r.plural)) { this.startOptionalKind(r, version); kinds.push(r.kind); }
    if (kinds.length) this.log.info('started watching from discovery, before the CRD list', { kinds });
  }

  private watchOptions(kind: string) {
    return {
      watchTimeoutSeconds: Math.max(30, Math.round(this.cfg.watchTimeoutMs / 1000)),
      stallMs: this.cfg.watchStallMs,
      onRestart: (why: string) => {
        if (why !== 'timeout') this.log.info('watch restarted', { kind, reason: why });
        this.hooks.onInformerRestart?.(kind, why);
      },
    };
  }

  private startKind(r: ResourceType, version: string, o: { namespaces?: string[]; labelSelector?: string }): void {
    const rr = { ...r, version };
    const run: Running = { version, subs: [], caches: [] };
    this.running.set(r.plural, run);
    const cache = this.caches.get(r.kind) ?? new Cache();
    this.caches.set(r.kind, cache);
    const namespaces = o.namespaces ?? [undefined];
    const synced = new Set<number>();
    const started = this.clock.now();
    namespaces.forEach((ns, i) => {
      run.subs.push(informer(this.client, rr, { ...this.watchOptions(r.kind), namespace: ns, labelSelector: o.labelSelector }).subscribe({
        next: (e) => {
          if (e.type === 'synced') {
            synced.add(i);
            if (synced.size !== namespaces.length) return;
            // Which list a slow start waited for.
            if (!cache.synced && !this.ready) this.log.info('listed', { kind: r.kind, objects: cache.size, ms: this.clock.now() - started });
            cache.synced = true;
            this.checkReady();
            return;
          }
          this.onEvent(r.kind, cache, e);
        },
        error: (err) => this.log.error('informer stopped', { kind: r.kind, error: (err as Error).message }),
      }));
    });
    this.log.info('watching', { kind: r.kind, version, namespaces: o.namespaces ?? 'all' });
  }

  private stopKind(r: ResourceType): void {
    const run = this.running.get(r.plural);
    if (!run) return;
    for (const s of run.subs) s.unsubscribe();
    this.running.delete(r.plural);
    const cache = this.caches.get(r.kind);
    if (cache && INPUT_KINDS.has(r.kind)) for (const o of cache.values()) this.batch.input.set(inputKeyOf(o), { removed: true, obj: o });
    cache?.clear();
    this.scheduleFlush();
    this.log.warn('stopped watching: CRD removed or version no longer served', { kind: r.kind });
  }

  private onEvent(kind: string, cache: Cache, e: InformerEvent): void {
    if (e.type === 'error') { this.log.warn('watch failed; retrying', { kind, error: e.error.message, attempt: e.attempt }); return; }
    if (e.type === 'synced') return;
    const obj = kind === 'Secret' ? this.slimSecret(e.object as Secret) : e.object;
    cache.apply({ ...e, object: obj });
    const ns = obj.metadata.namespace ?? '';
    // The last event per object wins: an update and then a delete in one batch is a delete.
    if (INPUT_KINDS.has(kind)) this.batch.input.set(inputKeyOf(obj), { removed: e.type === 'delete', obj });
    if (STATUS_KINDS.has(kind) && e.type === 'upsert') this.batch.work.add(statusWork(statusKeyOf({ kind, namespace: ns, name: obj.metadata.name })));
    if (GENERATED_KINDS.has(kind) || kind === 'Service' || (kind === 'Secret' && ns === this.cfg.systemNamespace)) {
      this.batch.work.add(objectWork(objectKeyOf({ apiVersion: obj.apiVersion, kind, namespace: ns, name: obj.metadata.name })));
    }
    this.scheduleFlush();
  }

  /** Only TLS Secrets and meshgate's own copies keep their data in memory. */
  private slimSecret(s: Secret): Secret {
    if (s.type === 'kubernetes.io/tls' || s.metadata.namespace === this.cfg.systemNamespace) return s;
    const { data: _d, stringData: _s, ...rest } = s;
    return rest as Secret;
  }

  /**
   * The translator's clock for the certificate expiry check: now, rounded down to the hour (so
   * memoised translations stay valid within the hour), refreshed just after each full hour.
   */
  private refreshNow(): void {
    const hour = 3_600_000;
    const t = this.clock.now();
    const delta = this.engine.apply({ now: { value: new Date(t - (t % hour)).toISOString() } });
    if (delta.objects.size || delta.statuses.size) { this.pushDelta(delta); this.hooks.onChange?.(); }
    this.nowTimer = this.clock.after(hour - (t % hour) + 1000, () => this.refreshNow(), true);
  }

  /** How long the last batch took to translate (ms). */
  private lastFlushMs = 0;

  private scheduleFlush(): void {
    // Before every informer has listed, checkReady() translates everything once: translating the
    // partial state as each list lands (Gateways without their routes, routes without Services)
    // only delayed a restart.
    if (this.flushTimer || !this.ready) return;
    // Coalescing: wait at least twice as long as the last translation took, so a burst (1,000
    // routes created at once, their Gateway re-translated whole each time) becomes few large
    // batches and translation stays under a third of a CPU; 10 ms when changes are rare.
    const delay = Math.min(Math.max(10, 2 * this.lastFlushMs), 1000);
    this.flushTimer = this.clock.after(delay, () => { this.flushTimer = undefined; this.flush(); });
  }

  isLeader(): boolean {
    return this.hooks.isLeader ? this.hooks.isLeader() : true;
  }

  private flush(): void {
    const started = process.hrtime.bigint();
    const b = this.batch;
    this.batch = emptyBatch();
    // One batch, one recompute, with each object's last event.
    const latest = [...b.input.values()];
    const changes = {
      remove: latest.filter((x) => x.removed).map(({ obj: o }) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })),
      upsert: latest.filter((x) => !x.removed).map((x) => x.obj),
      foreign: b.foreign,
    };
    // The first translation (every list at once, before writing) has no delta to push: the
    // writer's first pass plans every key. One-shot, it is a fifth faster (engine.applyAll).
    if (this.ready) this.pushDelta(this.engine.apply(changes));
    else this.engine.applyAll(changes);
    this.lastFlushMs = Number(process.hrtime.bigint() - started) / 1e6;
    this.hooks.onTranslate?.(this.lastFlushMs / 1000);
    this.logTranslationFailures();
    if (this.ready) this.reconciler.enqueue(b.work);
    this.hooks.onChange?.();
  }

  private readonly loggedFailures = new Set<string>();

  private logTranslationFailures(): void {
    const now = new Set<string>();
    for (const f of this.engine.translationFailures()) {
      const key = `${f.kind}|${f.namespace ?? ''}|${f.name}|${f.error}`;
      now.add(key);
      if (!this.loggedFailures.has(key)) this.log.error('internal error while translating; previous output kept', { kind: f.kind, namespace: f.namespace, name: f.name, error: f.error });
    }
    this.loggedFailures.clear();
    for (const k of now) this.loggedFailures.add(k);
  }

  private pushDelta(d: Delta): void {
    if (!this.ready) return;
    this.reconciler.enqueue([...[...d.objects].map(objectWork), ...[...d.statuses].map(statusWork)]);
  }

  private checkReady(): void {
    if (this.ready) return;
    if (this.cfg.gatewayAPI && !this.crdCache.synced) return;
    for (const plural of this.running.keys()) if (!this.caches.get(kindOf(plural))?.synced) return;
    if (this.flushTimer) { this.flushTimer.cancel(); this.flushTimer = undefined; }
    this.flush();
    this.ready = true;
    this.log.info('caches synced', { desiredObjects: [...this.engine.desiredObjects()].length, writing: this.leading });
    if (this.leading) void this.startWriting();
    for (const r of this.readyResolvers.splice(0)) r();
  }

  /**
   * The writer found an object meshgate did not create at a generated name (or found the name
   * free again): an input like an informer event, applied to the engine with the next batch.
   */
  private onForeign(r: ForeignReport): void {
    if (this.batch.foreign.get(r.key) === r.present) return; // reported again before the batch was applied
    if (r.present) {
      this.hooks.onConflict?.(r.live!, r.desired);
      this.log.warn('an object meshgate did not create has the name of a generated object; leaving it alone', {
        kind: r.live?.kind, namespace: r.live?.metadata.namespace, name: r.live?.metadata.name, wantedBy: r.desired.metadata.labels?.['meshgate.io/owner-kind'],
      });
    }
    this.batch.foreign.set(r.key, r.present);
    this.scheduleFlush();
  }
}

interface Batch { input: Map<InputKey, { removed: boolean; obj: KubeObject }>; foreign: Map<ObjectKey, boolean>; work: Set<WorkKey> }
const emptyBatch = (): Batch => ({ input: new Map(), foreign: new Map(), work: new Set() });

function kindOf(plural: string): string {
  return Object.values(R).find((r) => r.plural === plural)!.kind;
}
