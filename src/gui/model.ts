// The in-memory index of one (redacted) snapshot: lookups by kind/namespace/name, statuses,
// generated objects by the object they come from (the result's `owners`), routes by parent Gateway. Built once per snapshot version;
// every API response is computed from it (no API-server calls per page view).
import type { Gateway, GatewayClass, Listener, ParentReference, Route } from '../../translators/api/gateway-api';
import type { Condition, KubeObject, Namespace } from '../../translators/api/meta';
import type { GatewayClassStatusUpdate, GatewayStatusUpdate, RouteStatusUpdate, StatusUpdate } from '../../translators/result';
import { objectKey } from '../../translators/keys';
import { MESH_LABEL } from '../../translators/naming';
import type { GuiSnapshot } from './types';
import type { Ref } from './view';
import { isBadCondition } from './view';

export const key = (kind: string, ns: string | undefined, name: string) => `${kind}|${ns ?? ''}|${name}`;
export const refKey = (r: Ref) => `${r.origin}|${key(r.kind, r.namespace, r.name)}`;

export function refOf(o: KubeObject, origin: Ref['origin']): Ref {
  const r: Ref = { origin, kind: o.kind, name: o.metadata?.name ?? '' };
  if (o.metadata?.namespace) r.namespace = o.metadata.namespace;
  return r;
}

/** One parentRef of one route, with meshgate's status for it (if any). */
export interface ParentLink {
  route: Route;
  parentRef: ParentReference;
  conditions: Condition[];
  accepted: boolean;
  reason?: string;
}

export class Index {
  readonly version: number;
  readonly mode: GuiSnapshot['mode'];
  readonly namespaces = new Map<string, Namespace>();
  readonly source = new Map<string, KubeObject>();
  readonly generated = new Map<string, KubeObject>();
  readonly status = new Map<string, StatusUpdate>();
  /** key() of a source object → the generated objects that come from it. */
  readonly byOwner = new Map<string, KubeObject[]>();
  /** generated object → the source object it comes from (one; an array for the views). */
  readonly ownersOf = new Map<KubeObject, Ref[]>();
  /** Gateway `ns/name` → every route parentRef naming it. */
  readonly parentsOfGateway = new Map<string, ParentLink[]>();
  /** ListenerSet `ns/name` → every route parentRef naming it (GEP-1713). */
  readonly parentsOfListenerSet = new Map<string, ParentLink[]>();
  /** Gateways by class name. */
  readonly gatewaysOfClass = new Map<string, Gateway[]>();
  readonly routes: Route[];

  constructor(readonly snap: GuiSnapshot) {
    this.version = snap.version;
    this.mode = snap.mode;
    const inp = snap.input;
    for (const n of inp.namespaces ?? []) this.namespaces.set(n.metadata.name, n);
    const lists: KubeObject[][] = [
      inp.gatewayClasses, inp.gateways, inp.listenerSets, inp.httpRoutes, inp.grpcRoutes, inp.tlsRoutes, inp.tcpRoutes, inp.udpRoutes, inp.referenceGrants,
      inp.namespaces, inp.services, inp.secrets, inp.meshGatewayConfigs,
    ].map((l) => l ?? []);
    for (const l of lists) for (const o of l) if (o?.metadata) this.source.set(key(o.kind, o.metadata.namespace, o.metadata.name), o);
    this.routes = [...(inp.httpRoutes ?? []), ...(inp.grpcRoutes ?? []), ...(inp.tlsRoutes ?? []), ...(inp.tcpRoutes ?? []), ...(inp.udpRoutes ?? [])];
    for (const s of snap.result.statuses) this.status.set(key(s.target.kind, s.target.namespace, s.target.name), s);

    // The translation names each generated object's source: no owner labels or their hashes to undo.
    const owners = snap.result.owners ?? {};
    for (const o of snap.result.objects) {
      if (!o?.metadata) continue;
      this.generated.set(key(o.kind, o.metadata.namespace, o.metadata.name), o);
      const owner = owners[objectKey(o)];
      if (!owner) continue;
      const ok = key(owner.kind, owner.namespace || undefined, owner.name);
      const arr = this.byOwner.get(ok) ?? [];
      arr.push(o);
      this.byOwner.set(ok, arr);
      const src = this.source.get(ok);
      if (src) this.ownersOf.set(o, [refOf(src, 'source')]);
    }

    for (const gw of inp.gateways ?? []) {
      const arr = this.gatewaysOfClass.get(gw.spec?.gatewayClassName) ?? [];
      arr.push(gw);
      this.gatewaysOfClass.set(gw.spec?.gatewayClassName, arr);
    }

    for (const route of this.routes) {
      const st = this.status.get(key(route.kind, route.metadata.namespace, route.metadata.name)) as RouteStatusUpdate | undefined;
      const parents = st?.parents ?? route.status?.parents ?? [];
      for (const p of route.spec?.parentRefs ?? []) {
        const kind = p?.kind ?? 'Gateway';
        if (!p || (kind !== 'Gateway' && kind !== 'ListenerSet')) continue;
        const ns = p.namespace || route.metadata.namespace || '';
        const ps = parents.find((x) => sameParent(x.parentRef, p, route.metadata.namespace));
        const conditions = ps?.conditions ?? [];
        const acc = conditions.find((c) => c.type === 'Accepted');
        const bad = conditions.find(isBadCondition);
        const link: ParentLink = { route, parentRef: p, conditions, accepted: acc?.status === 'True' };
        if (bad) link.reason = bad.reason;
        else if (!ps) link.reason = 'NoStatus';
        const byParent = kind === 'Gateway' ? this.parentsOfGateway : this.parentsOfListenerSet;
        const gk = `${ns}/${p.name}`;
        const arr = byParent.get(gk) ?? [];
        arr.push(link);
        byParent.set(gk, arr);
      }
    }
  }

  get input() {
    return this.snap.input;
  }

  find(ref: Ref): KubeObject | undefined {
    return (ref.origin === 'source' ? this.source : this.generated).get(key(ref.kind, ref.namespace, ref.name));
  }

  gateway(ns: string, name: string): Gateway | undefined {
    return this.source.get(key('Gateway', ns, name)) as Gateway | undefined;
  }

  gatewayClass(name: string): GatewayClass | undefined {
    return this.source.get(key('GatewayClass', undefined, name)) as GatewayClass | undefined;
  }

  classStatus(name: string): GatewayClassStatusUpdate | undefined {
    return this.status.get(key('GatewayClass', undefined, name)) as GatewayClassStatusUpdate | undefined;
  }

  gatewayStatus(ns: string, name: string): GatewayStatusUpdate | undefined {
    return this.status.get(key('Gateway', ns, name)) as GatewayStatusUpdate | undefined;
  }

  routeStatus(r: Route): RouteStatusUpdate | undefined {
    return this.status.get(key(r.kind, r.metadata.namespace, r.metadata.name)) as RouteStatusUpdate | undefined;
  }

  /** meshgate's conditions for an object: the result's, else what the object's status holds. */
  conditionsOf(o: KubeObject): Condition[] {
    const st = this.status.get(key(o.kind, o.metadata.namespace, o.metadata.name));
    if (st && 'conditions' in st) return st.conditions;
    const s = (o as { status?: { conditions?: Condition[] } }).status;
    return s?.conditions ?? [];
  }

  meshOf(o: KubeObject, origin: Ref['origin'] = 'source'): string {
    const own = (o as { mesh?: unknown }).mesh;
    if (typeof own === 'string' && own) return own;
    const l = o.metadata?.labels?.[MESH_LABEL] || o.metadata?.annotations?.[MESH_LABEL];
    if (l) return l;
    if (origin === 'generated') {
      const owner = this.ownersOf.get(o)?.[0];
      const src = owner && this.find(owner);
      if (src) return this.meshOf(src);
    }
    const ns = o.metadata?.namespace ? this.namespaces.get(o.metadata.namespace) : undefined;
    return ns?.metadata.labels?.[MESH_LABEL] || ns?.metadata.annotations?.[MESH_LABEL] || 'default';
  }

  generatedFor(o: KubeObject): KubeObject[] {
    return this.byOwner.get(key(o.kind, o.metadata.namespace, o.metadata.name)) ?? [];
  }

  serviceExists(ns: string, name: string): boolean {
    return this.source.has(key('Service', ns, name));
  }

  grantExists(toNs: string, from: { group: string; kind: string; namespace: string }, toKind: string, name: string): boolean {
    return (this.input.referenceGrants ?? []).some(
      (g) =>
        g.metadata.namespace === toNs &&
        (g.spec?.from ?? []).some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
        (g.spec?.to ?? []).some((t) => t.kind === toKind && (!t.name || t.name === name)),
    );
  }

  /** Listeners of a Gateway (or a ListenerSet's) a route attached to (approximation of attachment, for display). */
  attachedListeners(gw: { spec?: { listeners?: Listener[] } }, link: ParentLink): Listener[] {
    const p = link.parentRef;
    const cands = (gw.spec?.listeners ?? []).filter((l) => (!p.sectionName || l.name === p.sectionName) && (!p.port || l.port === p.port));
    const kindOk = cands.filter((l) => protocolServes(l.protocol, link.route.kind));
    const hosts = link.route.spec?.hostnames ?? [];
    const hostOk = kindOk.filter((l) => !hosts.length || hosts.some((h) => hostsIntersect(l.hostname, h)));
    return hostOk.length ? hostOk : kindOk.length ? kindOk : cands;
  }
}

export function sameParent(a: ParentReference, b: ParentReference, routeNs: string | undefined): boolean {
  return (
    (a.kind ?? 'Gateway') === (b.kind ?? 'Gateway') &&
    (a.namespace || routeNs) === (b.namespace || routeNs) &&
    a.name === b.name &&
    (a.sectionName ?? '') === (b.sectionName ?? '') &&
    (a.port ?? 0) === (b.port ?? 0)
  );
}

export function protocolServes(protocol: string, kind: string): boolean {
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') return protocol === 'HTTP' || protocol === 'HTTPS';
  if (kind === 'TLSRoute') return protocol === 'TLS';
  if (kind === 'TCPRoute') return protocol === 'TCP';
  return false;
}

export function hostsIntersect(listener: string | undefined, route: string): boolean {
  if (!listener || listener === '*' || route === '*' || listener === route) return true;
  const covers = (wild: string, h: string) => wild.startsWith('*.') && h.length > wild.length - 1 && h.endsWith(wild.slice(1));
  return covers(listener, route) || covers(route, listener);
}

export function parentLabel(p: ParentReference, routeNs: string | undefined): string {
  const ns = p.namespace || routeNs || '';
  return `${p.kind && p.kind !== 'Gateway' ? `${p.kind} ` : ''}${ns}/${p.name}${p.sectionName ? `/${p.sectionName}` : ''}${p.port ? `:${p.port}` : ''}`;
}

const cache = new WeakMap<GuiSnapshot, Index>();
export function indexOf(snap: GuiSnapshot): Index {
  let ix = cache.get(snap);
  if (!ix) {
    ix = new Index(snap);
    cache.set(snap, ix);
  }
  return ix;
}
