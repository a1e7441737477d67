// Kubernetes Events for what a user must notice. Events come only from *transitions* seen when
// a status is written (so a stuck condition emits once, not per loop), plus Secret copies made
// or removed; repeats of the same event within the de-duplication window only bump its count.
import type { Condition, KubeObject } from '../translators/api/meta';
import type { KubeClient } from './kube/client';
import { R, resourcePath } from './kube/resources';
import { fnv1Digest } from '../translators/naming';
import { Reason, Type } from '../translators/status/conditions';

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

type Status = Record<string, unknown> | undefined;
const cond = (list: unknown, type: string) => (list as Condition[] | undefined)?.find((c) => c.type === type);
const flippedFalse = (before: Condition | undefined, after: Condition | undefined) => after?.status === 'False' && before?.status !== 'False';

/** Pure: which user-visible transitions a status write makes. */
export function statusTransitions(kind: string, before: Status, after: Status, controllerName: string): EventSpec[] {
  const out: EventSpec[] = [];
  if (kind === 'Gateway' || kind === 'GatewayClass' || kind === 'ListenerSet') {
    for (const type of ['Accepted', 'Programmed']) {
      const b = cond(before?.conditions, type);
      const a = cond(after?.conditions, type);
      // A new Gateway waiting for its proxy and address (Programmed=False/Pending, never True yet)
      // is normal, not something to warn about; one that was programmed and no longer is, is.
      const startingUp = type === Type.Programmed && a?.reason === Reason.Pending && b?.status !== 'True';
      if (flippedFalse(b, a) && !startingUp) out.push({ type: 'Warning', reason: `${kind}Not${type}`, message: `${a!.reason}: ${a!.message}` });
    }
  }
  if (kind === 'Gateway' || kind === 'ListenerSet') {
    const prev = new Map(((before?.listeners as { name: string; conditions: Condition[] }[]) ?? []).map((l) => [l.name, l]));
    for (const l of (after?.listeners as { name: string; conditions: Condition[] }[]) ?? []) {
      const a = cond(l.conditions, 'Programmed');
      if (flippedFalse(cond(prev.get(l.name)?.conditions, 'Programmed'), a)) {
        out.push({ type: 'Warning', reason: 'ListenerNotProgrammed', message: `listener ${l.name}: ${a!.reason}: ${a!.message}` });
      }
    }
  }
  if (kind === 'HTTPRoute' || kind === 'TLSRoute' || kind === 'GRPCRoute' || kind === 'TCPRoute' || kind === 'UDPRoute') {
    type P = { parentRef: { name: string; namespace?: string; sectionName?: string }; controllerName: string; conditions: Condition[] };
    const key = (p: P) => `${p.parentRef.namespace ?? ''}/${p.parentRef.name}/${p.parentRef.sectionName ?? ''}`;
    const prev = new Map(((before?.parents as P[]) ?? []).filter((p) => p.controllerName === controllerName).map((p) => [key(p), p]));
    for (const p of ((after?.parents as P[]) ?? []).filter((x) => x.controllerName === controllerName)) {
      for (const [type, reason] of [['Accepted', 'RouteNotAccepted'], ['ResolvedRefs', 'RouteRefsNotResolved']]) {
        const a = cond(p.conditions, type);
        if (flippedFalse(cond(prev.get(key(p))?.conditions, type), a)) {
          out.push({ type: 'Warning', reason, message: `parent ${key(p).replace(/\/$/, '')}: ${a!.reason}: ${a!.message}` });
        }
      }
    }
  }
  return out;
}

export class EventRecorder {
  private readonly recent = new Map<string, { name: string; namespace: string; count: number; at: number }>();

  constructor(
    private readonly client: KubeClient,
    private readonly identity: string,
    private readonly onWrite: (result: 'ok' | 'error') => void = () => {},
    private readonly windowMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async record(obj: KubeObject, e: EventSpec): Promise<void> {
    const namespace = obj.metadata.namespace || 'default';
    const dedupe = `${obj.metadata.uid}|${e.reason}|${e.message}`;
    const ts = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const seen = this.recent.get(dedupe);
    if (seen && this.now() - seen.at < this.windowMs) {
      seen.count++;
      seen.at = this.now();
      const res = await this.client.request('PATCH', resourcePath(R.events, seen.namespace, seen.name), {
        body: { count: seen.count, lastTimestamp: ts }, contentType: 'application/merge-patch+json', retries: 1,
      });
      this.onWrite(res.status < 300 ? 'ok' : 'error');
      return;
    }
    this.gc();
    const name = `${obj.metadata.name.slice(0, 200)}.${fnv1Digest(dedupe, String(this.now()))}`;
    const event = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      type: e.type, reason: e.reason, message: e.message.slice(0, 1024),
      source: { component: 'meshgate' }, reportingComponent: 'meshgate', reportingInstance: this.identity,
      firstTimestamp: ts, lastTimestamp: ts, count: 1,
    };
    const res = await this.client.request('POST', resourcePath(R.events, namespace), { body: event, contentType: 'application/json', retries: 1 });
    this.onWrite(res.status < 300 ? 'ok' : 'error');
    if (res.status < 300) this.recent.set(dedupe, { name, namespace, count: 1, at: this.now() });
  }

  private gc(): void {
    for (const [k, v] of this.recent) if (this.now() - v.at >= this.windowMs) this.recent.delete(k);
  }
}
