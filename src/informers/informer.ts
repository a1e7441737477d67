// One kind's list+watch as an RxJS stream, supervised: relist on 410 Gone (emitting deletes for
// objects that vanished meanwhile), restart on any error with exponential backoff and jitter,
// a watchdog for watches that go silent, and bookmarks so restarts resume cheaply.
import { Observable } from 'rxjs';
import type { KubeObject } from '../../translators/api/meta';
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

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Fields that change on every write and are never read by meshgate: dropped to save memory. */
function slim(o: KubeObject, r: ResourceType): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  return { ...o, apiVersion: o.apiVersion ?? apiVersionOf(r), kind: o.kind ?? r.kind, metadata };
}

export function informer(client: KubeClient, r: ResourceType, opts: InformerOptions = {}): Observable<InformerEvent> {
  return new Observable<InformerEvent>((sub) => {
    const ctrl = new AbortController();
    const known = new Map<string, KubeObject>();
    const path = resourcePath(r, opts.namespace);
    const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };

    const list = async (): Promise<string> => {
      const seen = new Map<string, KubeObject>();
      let cont: string | undefined;
      let rv = '';
      do {
        const body = await client.call<ListBody>('GET', path, { query: { ...selectors, limit: 500, continue: cont }, signal: ctrl.signal });
        for (const item of body.items ?? []) seen.set(keyOf(item), slim(item, r));
        cont = body.metadata?.continue || undefined;
        rv = body.metadata?.resourceVersion ?? rv;
      } while (cont);
      for (const [k, o] of known) if (!seen.has(k)) { known.delete(k); sub.next({ type: 'delete', object: o }); }
      for (const [k, o] of seen) {
        const prev = known.get(k);
        known.set(k, o);
        if (!prev || prev.metadata.resourceVersion !== o.metadata.resourceVersion) sub.next({ type: 'upsert', object: o });
      }
      return rv;
    };

    // The API server accepted the current watch: a later failure starts its backoff afresh.
    let connected = false;
    const watchOnce = async (rv: string): Promise<{ rv: string; gone: boolean; stalled: boolean }> => {
      connected = false;
      const wctrl = new AbortController();
      const abort = () => wctrl.abort();
      ctrl.signal.addEventListener('abort', abort, { once: true });
      let stalled = false;
      let gone = false;
      let last = Date.now();
      const stallMs = opts.stallMs ?? ((opts.watchTimeoutSeconds ?? 300) + 30) * 1000;
      const dog = setInterval(() => { if (Date.now() - last > stallMs) { stalled = true; wctrl.abort(); } }, Math.min(stallMs, 5000));
      try {
        await client.watch(path, { ...selectors, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: jitter(opts.watchTimeoutSeconds ?? 300) }, (e) => {
          const obj = e.object as KubeObject & { code?: number };
          if (e.type === 'BOOKMARK') { rv = obj.metadata?.resourceVersion ?? rv; return; }
          if (e.type === 'ERROR') { if (obj.code === 410) gone = true; wctrl.abort(); return; }
          const o = slim(obj, r);
          rv = o.metadata.resourceVersion ?? rv;
          if (e.type === 'DELETED') { known.delete(keyOf(o)); sub.next({ type: 'delete', object: o }); }
          else { known.set(keyOf(o), o); sub.next({ type: 'upsert', object: o }); }
        }, wctrl.signal, () => { last = Date.now(); connected = true; });
      } catch (e) {
        if (!gone && !stalled && !ctrl.signal.aborted) throw e;
      } finally {
        clearInterval(dog);
        ctrl.signal.removeEventListener('abort', abort);
      }
      return { rv, gone, stalled };
    };

    const run = async () => {
      let attempt = 0;
      let rv: string | undefined;
      let synced = false;
      while (!ctrl.signal.aborted) {
        try {
          if (rv === undefined) {
            rv = await list();
            if (!synced) { synced = true; sub.next({ type: 'synced' }); }
          }
          const res = await watchOnce(rv);
          attempt = 0;
          if (res.gone) { rv = undefined; opts.onRestart?.('relist'); continue; }
          rv = res.rv;
          opts.onRestart?.(res.stalled ? 'stall' : 'timeout');
        } catch (e) {
          if (ctrl.signal.aborted) break;
          // A watch that was up and then broke (API-server restart) is a new outage, not the next
          // failure of the last one: without this, back-to-back restarts kept an informer asleep
          // 8-16 s after the API server was back.
          if (connected) attempt = 0;
          connected = false;
          if (e instanceof KubeError && e.status === 410) rv = undefined;
          sub.next({ type: 'error', error: e as Error, attempt });
          opts.onRestart?.('error');
          await sleep(backoffDelay(attempt++, 500, 30_000), ctrl.signal);
        }
      }
    };
    run().catch((e) => sub.error(e));
    return () => ctrl.abort();
  });
}

function jitter(seconds: number): number {
  return Math.max(30, Math.round(seconds * (0.9 + Math.random() * 0.2)));
}
