// The executor: performs the API writes a plan (plan.ts) lists, and nothing else decides
// anything here. Every write meshgate makes to the cluster goes through perform(): objects,
// deletes, statuses and Events (the Lease is the elector's, src/kube/leader.ts).
import type { KubeObject } from '../../translators/api/meta';
import type { ObjectKey, StatusKey } from '../../translators/keys';
import { parseObjectKey, parseStatusKey } from '../../translators/keys';
import type { EventSpec } from '../events';
import type { Cache } from '../informers/cache';
import type { KubeClient } from '../kube/client';
import { resourceForKind, resourcePath } from '../kube/resources';
import type { Logger } from '../log';
import type { WriteOp } from './plan';

export type WriteVerb = 'apply' | 'delete' | 'status' | 'event';
export interface WriteEvent { kind: string; verb: WriteVerb; result: 'ok' | 'conflict' | 'error'; namespace?: string; name: string }

/** Writes Events (src/events.ts's EventRecorder); de-duplication is its business. */
export interface EventSink { record(obj: KubeObject, e: EventSpec): Promise<void> }

export interface ExecutorDeps {
  client: KubeClient;
  /** Live caches by kind: each write's response is folded in (see remember()). */
  caches: Map<string, Cache>;
  log: Logger;
  events: EventSink;
  onWrite?: (e: WriteEvent) => void;
}

const FIELD_MANAGER = 'meshgate';

/** The API writes of a plan; the other operations are the reconciler's. */
export type ApiOp = Extract<WriteOp, { op: 'apply' | 'delete' | 'status' | 'event' }>;

export class Executor {
  private readonly ownerGets = new Map<string, Promise<{ status: number; body: KubeObject }>>();
  constructor(private readonly d: ExecutorDeps) {}

  /**
   * Performs one write. Resolves true if it took effect (the plan goes on), false if it must not
   * go on (owner gone, object gone, someone wrote in between); throws when it should be retried.
   */
  async perform(op: ApiOp): Promise<boolean> {
    switch (op.op) {
      case 'apply': return this.apply(op.key, op.body, op.requireOwners);
      case 'delete': return this.delete(op.key, op.uid);
      case 'status': return this.status(op.key, op.apiVersion, op.resourceVersion, op.status);
      case 'event':
        // Not awaited: an Event is best effort and must not hold a writer.
        this.d.events.record(op.involved, op.event).catch((err) => this.d.log.warn('could not record event', {
          kind: op.involved.kind, namespace: op.involved.metadata.namespace, name: op.involved.metadata.name, reason: op.event.reason, error: (err as Error).message,
        }));
        return true;
    }
  }

  /** A live object that the cache cannot see (label-selected informers), or undefined if there is none. */
  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    const { apiVersion, kind, namespace, name } = parseObjectKey(key);
    const r = resourceForKind(kind, apiVersion);
    if (!r) return undefined;
    const res = await this.d.client.request<KubeObject>('GET', resourcePath(r, namespace, name));
    if (res.status === 200) return res.body;
    if (res.status !== 404) throw new Error(`get ${kind} ${namespace}/${name}: HTTP ${res.status} ${describe(res.body)}`);
    return undefined;
  }

  private async apply(key: ObjectKey, body: KubeObject, requireOwners: boolean): Promise<boolean> {
    const { apiVersion, kind, namespace, name } = parseObjectKey(key);
    const r = resourceForKind(kind, apiVersion);
    if (!r) return false;
    if (requireOwners && !(await this.ownersExist(body))) return false;
    const res = await this.d.client.request('PATCH', resourcePath(r, namespace, name), {
      body, contentType: 'application/apply-patch+yaml', query: { fieldManager: FIELD_MANAGER, force: true },
    });
    this.record(kind, 'apply', res.status, namespace, name);
    if (res.status >= 300) throw new Error(`apply ${kind} ${namespace}/${name}: HTTP ${res.status} ${describe(res.body)}`);
    this.remember(kind, res.body);
    return true;
  }

  private async delete(key: ObjectKey, uid: string | undefined): Promise<boolean> {
    const { apiVersion, kind, namespace, name } = parseObjectKey(key);
    const r = resourceForKind(kind, apiVersion);
    if (!r) return false;
    const res = await this.d.client.request('DELETE', resourcePath(r, namespace, name), {
      body: { preconditions: { uid }, propagationPolicy: 'Background' }, contentType: 'application/json',
    });
    this.record(kind, 'delete', res.status, namespace, name);
    // 404: already gone; 409: a different object by now (its own event comes).
    if (res.status >= 300 && res.status !== 404 && res.status !== 409) throw new Error(`delete ${kind} ${namespace}/${name}: HTTP ${res.status}`);
    return res.status < 300;
  }

  private async status(key: StatusKey, apiVersion: string, resourceVersion: string | undefined, status: Record<string, unknown>): Promise<boolean> {
    const { kind, namespace, name } = parseStatusKey(key);
    const r = resourceForKind(kind, apiVersion);
    if (!r) return false;
    const res = await this.d.client.request('PATCH', resourcePath(r, namespace, name, 'status'), {
      body: { metadata: { resourceVersion }, status }, contentType: 'application/merge-patch+json', retries: 3,
    });
    this.record(kind, 'status', res.status, namespace, name);
    if (res.status < 300) { this.remember(kind, res.body); return true; }
    // 409: someone wrote in between. The informer brings the newer object, and its upsert queues
    // this key again (also when it arrived while this write was in flight). No timed retry: while
    // the informer is reconnecting (API-server restart) that spun at 10 writes/s per key, each
    // one a certain 409 against the recovering server.
    if (res.status === 409 || res.status === 404) return false;
    throw new Error(`status ${kind} ${namespace}/${name}: HTTP ${res.status} ${describe(res.body)}`);
  }

  /** Every ownerReference of `o` names an object that exists with that uid (one GET each; only before creating). */
  private async ownersExist(o: KubeObject): Promise<boolean> {
    for (const ref of o.metadata.ownerReferences ?? []) {
      const r = resourceForKind(ref.kind, ref.apiVersion);
      if (!r) continue;
      const res = await this.getShared(resourcePath(r, o.metadata.namespace, ref.name));
      if (res.status === 404 || (res.status === 200 && res.body.metadata?.uid !== ref.uid)) {
        this.d.log.debug('not creating an object whose owner is gone', { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, owner: `${ref.kind}/${ref.name}` });
        return false;
      }
      if (res.status !== 200) throw new Error(`get ${ref.kind} ${o.metadata.namespace}/${ref.name}: HTTP ${res.status} ${describe(res.body)}`);
    }
    return true;
  }

  /**
   * One GET for all callers asking for the same path while it is in flight: a new Gateway's
   * Deployment and Service are created side by side and ask about the same owner. A caller that
   * joins gets an answer at most one round trip older than its own GET's would have been.
   */
  private getShared(path: string): Promise<{ status: number; body: KubeObject }> {
    let p = this.ownerGets.get(path);
    if (!p) {
      p = this.d.client.request<KubeObject>('GET', path).finally(() => this.ownerGets.delete(path));
      this.ownerGets.set(path, p);
    }
    return p;
  }

  /** The object a write returned is the newest live state: keep it until the watch catches up. */
  private remember(kind: string, body: unknown): void {
    const o = body as KubeObject | undefined;
    if (o && typeof o === 'object' && o.metadata?.name) this.d.caches.get(kind)?.upsertIfNotOlder(o);
  }

  private record(kind: string, verb: WriteVerb, status: number, namespace: string | undefined, name: string): void {
    const result = status < 300 ? 'ok' : status === 409 ? 'conflict' : 'error';
    this.d.onWrite?.({ kind, verb, result, namespace: namespace || undefined, name });
    this.d.log.debug('write', { kind, verb, namespace, name, status });
  }
}

function describe(body: unknown): string {
  return typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : '';
}
