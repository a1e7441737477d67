// What a hint may read to be specific: the object, the listener or parent a condition is about,
// and two lookups into the rest of the bundle. Hints are pure functions of this context, so the
// GUI (and anything else) can ask the catalogue for "what to change" without its own table.
import type { BackendRef, Gateway, Listener, ParentReference, Route } from '../api/gateway-api';
import type { KubeObject } from '../api/meta';

export interface HintContext {
  reason: string;
  type: string;
  message: string;
  object: KubeObject | undefined;
  /** The listener a listener condition is about. */
  listener?: Listener;
  /** The Gateway a route parent condition is about, and the parentRef. */
  parentGateway?: Gateway;
  parentRef?: ParentReference;
  serviceExists(namespace: string, name: string): boolean;
  grantExists(toNamespace: string, from: { group: string; kind: string; namespace: string }, toKind: string, name: string): boolean;
}

/** What the user should do about a condition, made specific with the context. */
export type Hint = (ctx: HintContext) => string;

export const quoted = (xs: string[]) => (xs.length ? xs.map((x) => `"${x}"`).join(', ') : '(none)');

export function backendsOf(route: Route | undefined): BackendRef[] {
  const out: BackendRef[] = [];
  for (const rule of route?.spec?.rules ?? []) for (const b of rule.backendRefs ?? []) if (b) out.push(b);
  return out;
}

/** The parent Gateway's listeners the parentRef selects (all when it names none). */
export function listenersOf(ctx: HintContext): Listener[] {
  const all = ctx.parentGateway?.spec?.listeners ?? [];
  const p = ctx.parentRef;
  return all.filter((l) => (!p?.sectionName || l.name === p.sectionName) && (!p?.port || l.port === p.port));
}

/** "Add a ReferenceGrant in namespace X with from {...} and to {...}" for the first reference missing one. */
export function referenceGrantHint(ctx: HintContext): string {
  const o = ctx.object;
  const ns = o?.metadata.namespace ?? '';
  if (o?.kind === 'Gateway' || o?.kind === 'ListenerSet') {
    const kind = o.kind; // GEP-1713: a ListenerSet's listeners need a grant from kind ListenerSet
    const refs = (ctx.listener ? [ctx.listener] : (o as Gateway).spec?.listeners ?? [])
      .flatMap((l) => l.tls?.certificateRefs ?? [])
      .filter((r) => r.namespace && r.namespace !== ns);
    const missing = refs.filter((r) => !ctx.grantExists(r.namespace!, { group: 'gateway.networking.k8s.io', kind, namespace: ns }, 'Secret', r.name));
    const target = missing[0] ?? refs[0];
    if (target) {
      return `Add a ReferenceGrant in namespace "${target.namespace}" with from {group: gateway.networking.k8s.io, kind: ${kind}, namespace: ${ns}} and to {group: "", kind: Secret, name: ${target.name}} — or copy the Secret into namespace "${ns}".`;
    }
    return `Add a ReferenceGrant in the Secret's namespace allowing kind ${kind} from namespace "${ns}".`;
  }
  if (o?.kind === 'HTTPRoute' || o?.kind === 'GRPCRoute' || o?.kind === 'TLSRoute' || o?.kind === 'TCPRoute' || o?.kind === 'UDPRoute') {
    const cross = backendsOf(o as Route).filter((b) => b.namespace && b.namespace !== ns);
    const missing = cross.filter((b) => !ctx.grantExists(b.namespace!, { group: 'gateway.networking.k8s.io', kind: o.kind, namespace: ns }, b.kind ?? 'Service', b.name));
    const t = missing[0] ?? cross[0];
    if (t) {
      return `Add a ReferenceGrant in namespace "${t.namespace}" with from {group: gateway.networking.k8s.io, kind: ${o.kind}, namespace: ${ns}} and to {group: "", kind: ${t.kind ?? 'Service'}, name: ${t.name}}.`;
    }
  }
  return 'Add a ReferenceGrant in the referenced object\'s namespace that lists this object\'s kind and namespace in "from".';
}

export const invalidMeshHint: Hint = () =>
  'The kuma.io/mesh label or annotation (on this object or its namespace) is not a valid mesh name: use the name of an existing Kuma Mesh (lower-case alphanumerics, \'-\' and \'.\'), or remove it for mesh "default".';
