// One kind's list+watch as an RxJS stream, supervised: relist on 410 Gone (emitting deletes for
// objects that vanished meanwhile), restart on any error with exponential backoff and jitter,
// a watchdog for watches that go silent, and bookmarks so restarts resume cheaply.
import { Observable } from 'rxjs';
import type { KubeObject } from '../../translators/api/meta';
import { nsNameOf } from '../../translators/keys';
import type { KubeClient } from '../kube/client';
import { KubeError, sleep } from '../kube/client';
import { backoffDelay } from '../kube/rate-limit';
import type { ResourceType } from '../kube/resources';
import { apiVersionOf, resourcePath } from '../kube/resources';

export type InformerEvent =
  | { type: 'upsert'; object: KubeObject }
  | { type: 'delete'; object: KubeObject }
  | { type: 'synced' }
  | { type: 'error'; error: Error; attempt: number };

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side watch timeout; the watch is re-opened from the last resourceVersion. */
  watchTimeoutSeconds?: number;
  /** No bytes for this long → the watch is considered stalled and restarted. */
  stallMs?: number;
  onRestart?: (reason: 'relist' | 'error' | 'stall' | 'timeout') => void;
}

interface ListBody {
  metadata: { resourceVersion: string; continue?: string };
  items: KubeObject[];
}

const keyOf = (o: KubeObject) => nsNameOf(o);

/**
 * What the informer remembers of each object: enough to emit a delete for one that vanished
 * while the watch was down and to skip unchanged objects on a relist. Never the object itself:
 * the caches and the engine keep what they need (only referenced TLS Secrets keep their data).
 */
function stub(o: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion } = o.metadata;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }), uid, resourceVersion } };
}

/** Fields that change on every write and are never read by meshgate: dropped to save memory. */
function slim(o: KubeObject, r: ResourceType): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  return { ...o, apiVersion: o.apiVersion ?? apiVersionOf(r), kind: o.kind ?? r.kind, metadata };
}

export function informer(client: KubeClient, r: ResourceType, opts: InformerOptions = {}): Observable<InformerEvent> {
  return new Observable<InformerEvent>((sub) => {
    const lw = new ListWatch(client, r, opts, (e) => sub.next(e));
    lw.run().catch((e) => sub.error(e));
    return () => lw.stop();
  });
}

/** The state of one supervised list+watch: what is known, and whether the watch got through. */
class ListWatch {
  private readonly ctrl = new AbortController();
  /** By namespace/name: a stub of each object (see stub()). */
  private readonly known = new Map<string, KubeObject>();
  private readonly path: string;
  private readonly selectors: { labelSelector?: string; fieldSelector?: string };
  /** The API server accepted the current watch: a later failure starts its backoff afresh. */
  private connected = false;

  constructor(private readonly client: KubeClient, private readonly r: ResourceType, private readonly opts: InformerOptions, private readonly emit: (e: InformerEvent) => void) {
    this.path = resourcePath(r, opts.namespace);
    this.selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  }

  stop(): void {
    this.ctrl.abort();
  }

  async run(): Promise<void> {
    let attempt = 0;
    let rv: string | undefined;
    let synced = false;
    while (!this.ctrl.signal.aborted) {
      try {
        if (rv === undefined) {
          rv = await this.list();
          if (!synced) { synced = true; this.emit({ type: 'synced' }); }
        }
        const res = await this.watchOnce(rv);
        attempt = 0;
        if (res.gone) { rv = undefined; this.opts.onRestart?.('relist'); continue; }
        rv = res.rv;
        this.opts.onRestart?.(res.stalled ? 'stall' : 'timeout');
      } catch (e) {
        if (this.ctrl.signal.aborted) break;
        // A watch that was up and then broke (API-server restart) is a new outage, not the next
        // failure of the last one: without this, back-to-back restarts kept an informer asleep
        // 8-16 s after the API server was back.
        if (this.connected) attempt = 0;
        this.connected = false;
        if (e instanceof KubeError && e.status === 410) {
          // The list's continue token (or the watch's resourceVersion) expired: list again from
          // the start. Not an error; only a repeat of it waits.
          rv = undefined;
          this.opts.onRestart?.('relist');
          if (attempt > 0) await sleep(backoffDelay(attempt, 500, 30_000), this.ctrl.signal);
          attempt++;
          continue;
        }
        this.emit({ type: 'error', error: e as Error, attempt });
        this.opts.onRestart?.('error');
        await sleep(backoffDelay(attempt++, 500, 30_000), this.ctrl.signal);
      }
    }
  }

  /** Lists everything; emits deletes for objects gone since the last list (missed while down). */
  private async list(): Promise<string> {
    const seen = new Map<string, KubeObject>();
    let cont: string | undefined;
    let rv = '';
    do {
      const body = await this.client.call<ListBody>('GET', this.path, { query: { ...this.selectors, limit: 500, continue: cont }, signal: this.ctrl.signal });
      for (const item of body.items ?? []) seen.set(keyOf(item), slim(item, this.r));
      cont = body.metadata?.continue || undefined;
      rv = body.metadata?.resourceVersion ?? rv;
    } while (cont);
    for (const [k, o] of this.known) if (!seen.has(k)) { this.known.delete(k); this.emit({ type: 'delete', object: o }); }
    for (const [k, o] of seen) {
      const prev = this.known.get(k);
      this.known.set(k, stub(o));
      if (!prev || prev.metadata.resourceVersion !== o.metadata.resourceVersion) this.emit({ type: 'upsert', object: o });
    }
    return rv;
  }

  private async watchOnce(rv: string): Promise<{ rv: string; gone: boolean; stalled: boolean }> {
    this.connected = false;
    const wctrl = new AbortController();
    const abort = () => wctrl.abort();
    this.ctrl.signal.addEventListener('abort', abort, { once: true });
    let stalled = false;
    let gone = false;
    let last = Date.now();
    const stallMs = this.opts.stallMs ?? ((this.opts.watchTimeoutSeconds ?? 300) + 30) * 1000;
    const dog = setInterval(() => { if (Date.now() - last > stallMs) { stalled = true; wctrl.abort(); } }, Math.min(stallMs, 5000));
    const query = { ...this.selectors, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: jitter(this.opts.watchTimeoutSeconds ?? 300) };
    try {
      await this.client.watch(this.path, query, (e) => {
        const obj = e.object as KubeObject & { code?: number };
        if (e.type === 'BOOKMARK') { rv = obj.metadata?.resourceVersion ?? rv; return; }
        if (e.type === 'ERROR') { if (obj.code === 410) gone = true; wctrl.abort(); return; }
        const o = slim(obj, this.r);
        rv = o.metadata.resourceVersion ?? rv;
        if (e.type === 'DELETED') { this.known.delete(keyOf(o)); this.emit({ type: 'delete', object: o }); }
        else { this.known.set(keyOf(o), stub(o)); this.emit({ type: 'upsert', object: o }); }
      }, wctrl.signal, () => { last = Date.now(); this.connected = true; });
    } catch (e) {
      if (!gone && !stalled && !this.ctrl.signal.aborted) throw e;
    } finally {
      clearInterval(dog);
      this.ctrl.signal.removeEventListener('abort', abort);
    }
    return { rv, gone, stalled };
  }
}

function jitter(seconds: number): number {
  return Math.max(30, Math.round(seconds * (0.9 + Math.random() * 0.2)));
}
