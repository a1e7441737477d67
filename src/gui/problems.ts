// The Problems list: every condition in a bad state (False, or True for the negative-polarity
// types) on classes, gateways, listeners and route parents, each with a hint of what to change.
import type { Gateway, ParentReference } from '../../translators/api/gateway-api';
import type { Condition, KubeObject } from '../../translators/api/meta';
import type { StatusUpdate } from '../../translators/result';
import type { Scope } from './hints';
import { hintFor } from './hints';
import type { Index } from './model';
import { key, parentLabel } from './model';
import type { Problem, Ref } from './view';
import { isBadCondition } from './view';

const WARNING_TYPES = ['PartiallyInvalid', 'OverlappingTLSConfig', 'SupportedVersion', 'meshgate.io/CertificateValid'];
const KIND_ORDER = ['GatewayClass', 'Gateway', 'ListenerSet', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

function problem(
  ix: Index,
  target: Ref,
  obj: KubeObject | undefined,
  c: Condition,
  scope: Scope,
  where: string | undefined,
  extra: { listener?: Gateway['spec']['listeners'][number]; parentGateway?: Gateway; parentRef?: ParentReference } = {},
): Problem {
  const p: Problem = {
    severity: WARNING_TYPES.includes(c.type) ? 'warning' : 'error',
    object: target,
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    mesh: obj ? ix.meshOf(obj) : 'default',
    hint: hintFor(scope, {
      reason: c.reason,
      type: c.type,
      status: c.status,
      message: c.message,
      object: obj,
      ...extra,
      serviceExists: (ns, n) => ix.serviceExists(ns, n),
      grantExists: (to, from, kind, n) => ix.grantExists(to, from, kind, n),
    }),
  };
  if (where) p.where = where;
  return p;
}

export function problemsOfStatus(ix: Index, st: StatusUpdate): Problem[] {
  const t = st.target;
  const ref: Ref = { origin: 'source', kind: t.kind, name: t.name };
  if (t.namespace) ref.namespace = t.namespace;
  const obj = ix.source.get(key(t.kind, t.namespace, t.name));
  const out: Problem[] = [];
  if (st.target.kind === 'GatewayClass' || st.target.kind === 'Gateway' || st.target.kind === 'ListenerSet') {
    for (const c of (st as { conditions: Condition[] }).conditions ?? []) if (isBadCondition(c)) out.push(problem(ix, ref, obj, c, st.target.kind, undefined));
  }
  if ('listeners' in st) {
    const gw = obj as Gateway | undefined;
    for (const ls of st.listeners ?? []) {
      const listener = gw?.spec?.listeners?.find((l) => l.name === ls.name);
      for (const c of ls.conditions ?? []) {
        if (isBadCondition(c)) out.push(problem(ix, ref, obj, c, 'Listener', `listener ${ls.name}`, listener ? { listener } : {}));
      }
    }
  }
  if ('parents' in st) {
    for (const ps of st.parents ?? []) {
      const pns = ps.parentRef.namespace || t.namespace || '';
      const parentGateway = (ps.parentRef.kind ?? 'Gateway') === 'Gateway' ? ix.gateway(pns, ps.parentRef.name) : undefined;
      for (const c of ps.conditions ?? []) {
        if (!isBadCondition(c)) continue;
        const extra: { parentGateway?: Gateway; parentRef: ParentReference } = { parentRef: ps.parentRef };
        if (parentGateway) extra.parentGateway = parentGateway;
        out.push(problem(ix, ref, obj, c, 'Route', `parent ${parentLabel(ps.parentRef, t.namespace)}`, extra));
      }
    }
  }
  return out;
}

const cache = new WeakMap<Index, Problem[]>();

/** All problems of the snapshot, errors first, then by kind, namespace, name. */
export function allProblems(ix: Index): Problem[] {
  const hit = cache.get(ix);
  if (hit) return hit;
  const out: Problem[] = [];
  for (const st of ix.snap.result.statuses) out.push(...problemsOfStatus(ix, st));
  out.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      kindRank(a.object.kind) - kindRank(b.object.kind) ||
      (a.object.namespace ?? '').localeCompare(b.object.namespace ?? '') ||
      a.object.name.localeCompare(b.object.name),
  );
  cache.set(ix, out);
  return out;
}

function kindRank(k: string): number {
  const i = KIND_ORDER.indexOf(k);
  return i === -1 ? KIND_ORDER.length : i;
}

export function problemsOf(ix: Index, o: KubeObject): Problem[] {
  const st = ix.status.get(key(o.kind, o.metadata.namespace, o.metadata.name));
  return st ? problemsOfStatus(ix, st) : [];
}
