// The translator's view of the world: the latest objects, CRD-defaulted, plus the reverse indexes
// derived from the declared dependencies (dependencies.ts) that let a change mark only the units it
// affects. Mutated only through upsert/remove, which return what became dirty; translation itself
// only reads it.
import type { Gateway, GatewayClass, GRPCRoute, HTTPRoute, ListenerSet, ReferenceGrant, TCPRoute, TLSRoute, UDPRoute } from './api/gateway-api';
import type { MeshGatewayConfig } from './api/kuma';
import type { Deployment, KubeObject, Namespace, Secret, Service } from './api/meta';
import type { AnyRoute, Dependencies, InputKind, Reads } from './dependencies';
import { DEPENDENCIES } from './dependencies';
import type { CRDInfo, TranslationInput, TranslationOptions } from './input';
import { defaultGateway, defaultGRPCRoute, defaultHTTPRoute, defaultListenerSet, defaultTLSRoute } from './input';
import { slimDeployment } from './deployment-slim';
export { slimDeployment } from './deployment-slim';
import type { NsName, ObjectKey, RouteKey, RouteKind } from './keys';
import { nsName, nsNameOf, routeKey } from './keys';
// Keys are defined in keys.ts, parent kinds in dependencies.ts; re-exported for the modules that import them from here.
export type { RouteKey, RouteKind } from './keys';
export { routeKey } from './keys';
export { isGatewayParent, isServiceParent } from './dependencies';

export interface Dirty {
  /** Everything is recomputed and every route part is stale (set only through Snapshot.markAll). */
  all: boolean;
  classes: Set<string>;
  gateways: Set<string>;
  gammaRoutes: Set<RouteKey>;
  /** Routes whose own status must be re-merged even if no unit lists them any more. */
  routes: Set<RouteKey>;
}

export function emptyDirty(): Dirty {
  return { all: false, classes: new Set(), gateways: new Set(), gammaRoutes: new Set(), routes: new Set() };
}

const EMPTY: ReadonlySet<never> = new Set();

class MultiIndex<V extends string = string> {
  private m = new Map<string, Set<V>>();
  add(k: string, v: V): void {
    let s = this.m.get(k);
    if (!s) this.m.set(k, (s = new Set()));
    s.add(v);
  }
  delete(k: string, v: V): void {
    const s = this.m.get(k);
    if (s && s.delete(v) && s.size === 0) this.m.delete(k);
  }
  get(k: string): ReadonlySet<V> {
    return this.m.get(k) ?? EMPTY;
  }
}

/**
 * The reverse of one declared read: input key → keys of the subjects that read it. Built on the
 * first lookup (a one-shot translation, which recomputes everything, never needs most of them),
 * then kept up to date as subjects come and go.
 */
class ReadIndex<S, K extends string> {
  private index: MultiIndex<K> | undefined;
  constructor(private readonly read: (s: S) => string[], private readonly subjects: () => Iterable<[K, S]>) {}
  add(key: K, s: S): void { if (this.index) for (const r of this.read(s)) this.index.add(r, key); }
  delete(key: K, s: S): void { if (this.index) for (const r of this.read(s)) this.index.delete(r, key); }
  get(k: string): ReadonlySet<K> {
    if (!this.index) {
      this.index = new MultiIndex<K>();
      for (const [key, s] of this.subjects()) for (const r of this.read(s)) this.index.add(r, key);
    }
    return this.index.get(k);
  }
}

/** metadata.name a non-empty string, metadata.namespace a string or absent. */
function keyable(obj: KubeObject): boolean {
  const m: unknown = (obj as { metadata?: unknown } | null)?.metadata;
  if (typeof m !== 'object' || m === null) return false;
  const { name, namespace } = m as { name?: unknown; namespace?: unknown };
  return typeof name === 'string' && name !== '' && (namespace === undefined || typeof namespace === 'string');
}

const ROUTE_KINDS: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);
const isRouteKind = (kind: string): kind is RouteKind => ROUTE_KINDS.has(kind);
/** Route kinds of TLSRoute's shape (parentRefs + rules of backendRefs), defaulted alike. */
const isL4Route = (kind: string): boolean => kind === 'TLSRoute' || kind === 'TCPRoute' || kind === 'UDPRoute';

export class Snapshot {
  readonly gatewayClasses = new Map<string, GatewayClass>();
  readonly gateways = new Map<string, Gateway>();
  readonly httpRoutes = new Map<string, HTTPRoute>();
  readonly tlsRoutes = new Map<string, TLSRoute>();
  readonly grpcRoutes = new Map<string, GRPCRoute>();
  readonly tcpRoutes = new Map<string, TCPRoute>();
  readonly udpRoutes = new Map<string, UDPRoute>();
  readonly listenerSets = new Map<string, ListenerSet>();
  /** Each route kind's map. */
  private readonly routeMaps: Record<RouteKind, Map<string, AnyRoute>> = { HTTPRoute: this.httpRoutes, GRPCRoute: this.grpcRoutes, TLSRoute: this.tlsRoutes, TCPRoute: this.tcpRoutes, UDPRoute: this.udpRoutes } as never;
  readonly referenceGrants = new Map<string, ReferenceGrant>();
  readonly namespaces = new Map<string, Namespace>();
  readonly services = new Map<string, Service>();
  readonly secrets = new Map<string, Secret>();
  /** Generated proxy Deployments, slimmed to what readiness reads (readiness.ts). */
  readonly deployments = new Map<string, Deployment>();
  readonly meshGatewayConfigs = new Map<string, MeshGatewayConfig>();
  crds: CRDInfo[] | undefined;
  /**
   * objectKeys of objects that exist where meshgate would write a generated object but that
   * meshgate did not create (found by the writer). Never touched; the Gateway says so.
   */
  readonly foreign = new Set<ObjectKey>();

  /** Both route kinds by RouteKey: route(rk) is the hottest lookup of a translation. */
  private readonly routesByKey = new Map<RouteKey, AnyRoute>();
  private readonly grantsByNamespace = new MultiIndex();
  private readonly namespaceLabelCache = new Map<string, Readonly<Record<string, string>>>();
  // The declared dependencies, reversed.
  private readonly classReaders: Map<InputKind, ReadIndex<GatewayClass, string>>;
  private readonly gatewayReaders: Map<InputKind, ReadIndex<Gateway, string>>;
  private readonly routeReaders: Map<InputKind, ReadIndex<AnyRoute, RouteKey>>;
  private readonly routesByGateway: ReadIndex<AnyRoute, RouteKey>;
  private readonly listenerSetReaders: Map<InputKind, ReadIndex<ListenerSet, string>>;
  private readonly listenerSetsByGateway: ReadIndex<ListenerSet, string>;
  private readonly routesByListenerSet: ReadIndex<AnyRoute, RouteKey>;
  /** Route part stamps (partStamp): a counter, the stamp of the last markAll, the last change of each route's reads. */
  private clock = 0;
  private epoch = 0;
  private readonly partChanged = new Map<RouteKey, number>();

  /** `deps`: the declared dependencies; only tests pass others (to check each declaration is needed). */
  constructor(public options: TranslationOptions, readonly deps: Dependencies = DEPENDENCIES) {
    this.classReaders = this.readIndexes(deps.gatewayClass, () => this.gatewayClasses);
    this.gatewayReaders = this.readIndexes(deps.gateway, () => this.gateways);
    this.routeReaders = this.readIndexes(deps.route.reads, () => this.routesByKey);
    this.routesByGateway = new ReadIndex(deps.route.gateways, () => this.routesByKey);
    this.listenerSetReaders = this.readIndexes(deps.listenerSet.reads, () => this.listenerSets);
    this.listenerSetsByGateway = new ReadIndex(deps.listenerSet.gateways, () => this.listenerSets);
    this.routesByListenerSet = new ReadIndex(deps.route.listenerSets, () => this.routesByKey);
  }

  private readIndexes<S, K extends string>(reads: Reads<S>, subjects: () => Iterable<[K, S]>): Map<InputKind, ReadIndex<S, K>> {
    const out = new Map<InputKind, ReadIndex<S, K>>();
    for (const [kind, read] of Object.entries(reads) as [InputKind, NonNullable<Reads<S>[InputKind]>][]) {
      out.set(kind, new ReadIndex((s: S) => read(s, this.options), subjects));
    }
    return out;
  }

  static fromInput(input: TranslationInput): Snapshot {
    const s = new Snapshot(input.options);
    s.crds = input.crds;
    for (const k of input.foreign ?? []) s.foreign.add(k as ObjectKey);
    const dirty = emptyDirty();
    s.markAll(dirty);
    for (const o of inputObjects(input)) s.upsert(o, dirty);
    return s;
  }

  toInput(): TranslationInput {
    const v = <T>(m: Map<string, T>) => [...m.values()];
    return {
      gatewayClasses: v(this.gatewayClasses), gateways: v(this.gateways), httpRoutes: v(this.httpRoutes),
      tlsRoutes: v(this.tlsRoutes), tcpRoutes: v(this.tcpRoutes), udpRoutes: v(this.udpRoutes), referenceGrants: v(this.referenceGrants), namespaces: v(this.namespaces),
      services: v(this.services), secrets: v(this.secrets), meshGatewayConfigs: v(this.meshGatewayConfigs),
      ...(this.grpcRoutes.size ? { grpcRoutes: v(this.grpcRoutes) } : {}), // GRPCRoute (grpc)
      ...(this.listenerSets.size ? { listenerSets: v(this.listenerSets) } : {}),
      ...(this.deployments.size ? { deployments: v(this.deployments) } : {}),
      ...(this.crds ? { crds: this.crds } : {}), ...(this.foreign.size ? { foreign: [...this.foreign].sort() } : {}), options: this.options,
    };
  }

  // ---- lookups used by translation --------------------------------------------------------
  gatewaysOfClass(name: string): ReadonlySet<string> { return this.gatewayReaders.get('GatewayClass')?.get(name) ?? EMPTY; }
  routesOfGateway(gwKey: string): ReadonlySet<RouteKey> { return this.routesByGateway.get(gwKey); }
  listenerSetsOfGateway(gwKey: string): ReadonlySet<string> { return this.listenerSetsByGateway.get(gwKey); }
  routesOfListenerSet(lsKey: string): ReadonlySet<RouteKey> { return this.routesByListenerSet.get(lsKey); }
  grantsIn(namespace: string): ReferenceGrant[] {
    return [...this.grantsByNamespace.get(namespace)].map((k) => this.referenceGrants.get(k)!).filter(Boolean);
  }
  route(key: RouteKey): AnyRoute | undefined {
    return this.routesByKey.get(key);
  }
  routes(): IterableIterator<[RouteKey, AnyRoute]> { return this.routesByKey.entries(); }
  /** Read for every route translated: memoised per namespace until that Namespace changes. */
  namespaceLabels(ns: string): Record<string, string> {
    let labels = this.namespaceLabelCache.get(ns);
    if (!labels) this.namespaceLabelCache.set(ns, (labels = Object.freeze({ 'kubernetes.io/metadata.name': ns, ...this.namespaces.get(ns)?.metadata.labels })));
    return labels;
  }
  /**
   * Changes whenever anything route `rk`'s part declares as read changes (the route itself
   * included): a route memo made under another stamp is stale.
   */
  partStamp(rk: RouteKey): number {
    const changed = this.partChanged.get(rk);
    return changed !== undefined && changed > this.epoch ? changed : this.epoch;
  }

  // ---- dirty marking, derived from the declared dependencies --------------------------------
  /** Everything is dirty and every route part stale. */
  markAll(dirty: Dirty): void {
    dirty.all = true;
    this.epoch = ++this.clock;
    this.partChanged.clear();
  }

  /** Input `key` of `kind` was added, changed or removed: marks the units and route parts that declare they read it. */
  private changed(kind: InputKind, key: string, dirty: Dirty): void {
    if (this.deps.everything.includes(kind)) { this.markAll(dirty); return; }
    if (dirty.all) return; // everything is recomputed anyway, and every route part is stale
    for (const c of this.classReaders.get(kind)?.get(key) ?? EMPTY) dirty.classes.add(c);
    for (const g of this.gatewayReaders.get(kind)?.get(key) ?? EMPTY) dirty.gateways.add(g);
    for (const rk of this.routeReaders.get(kind)?.get(key) ?? EMPTY) this.markPart(rk, this.routesByKey.get(rk)!, dirty);
    for (const ls of this.listenerSetReaders.get(kind)?.get(key) ?? EMPTY) this.markListenerSet(this.listenerSets.get(ls)!, dirty);
  }

  /** A ListenerSet changed (or something it reads): its Gateway unit, and the parts of the routes naming it. */
  private markListenerSet(ls: ListenerSet, dirty: Dirty): void {
    for (const g of this.deps.listenerSet.gateways(ls)) dirty.gateways.add(g);
    for (const rk of this.routesByListenerSet.get(nsNameOf(ls))) this.markPart(rk, this.routesByKey.get(rk)!, dirty);
  }

  /** Route `rk`'s part is stale: the units that hold it are recomputed and its status re-merged. */
  private markPart(rk: RouteKey, r: AnyRoute, dirty: Dirty): void {
    dirty.routes.add(rk);
    if (dirty.all) return;
    this.partChanged.set(rk, ++this.clock);
    for (const g of this.deps.route.gateways(r)) dirty.gateways.add(g);
    for (const k of this.deps.route.listenerSets(r)) {
      const ls = this.listenerSets.get(k);
      if (ls) for (const g of this.deps.listenerSet.gateways(ls)) dirty.gateways.add(g);
    }
    if (this.deps.route.gamma(r)) dirty.gammaRoutes.add(rk);
  }

  // ---- mutation ---------------------------------------------------------------------------
  upsert(obj: KubeObject, dirty: Dirty = emptyDirty()): Dirty {
    if (!keyable(obj)) return dirty; // unchecked input without a usable name cannot be keyed
    const k = nsNameOf(obj); // once per upsert: every map below is keyed by it
    if (this.replaceIfStatusOnly(obj, k, dirty)) return dirty;
    if (obj.kind === 'Deployment') { this.setDeployment(obj as Deployment, dirty); return dirty; }
    // Default first: if that throws, the snapshot is still exactly as it was.
    const defaulted = obj.kind === 'Gateway' ? defaultGateway(obj as Gateway) : obj.kind === 'HTTPRoute' ? defaultHTTPRoute(obj as HTTPRoute) : obj.kind === 'GRPCRoute' ? defaultGRPCRoute(obj as GRPCRoute) : obj.kind === 'ListenerSet' ? defaultListenerSet(obj as ListenerSet) : isL4Route(obj.kind) ? defaultTLSRoute(obj as TLSRoute) : obj;
    this.removeAt(obj.kind, k, obj.metadata.namespace, obj.metadata.name, dirty);
    switch (obj.kind) {
      case 'GatewayClass': {
        const gc = obj as GatewayClass;
        this.gatewayClasses.set(gc.metadata.name, gc);
        this.addSubject(this.classReaders, gc.metadata.name, gc);
        dirty.classes.add(gc.metadata.name);
        this.changed('GatewayClass', gc.metadata.name, dirty);
        break;
      }
      case 'Gateway':
        this.gateways.set(k, defaulted as Gateway);
        this.addSubject(this.gatewayReaders, k, defaulted as Gateway);
        dirty.gateways.add(k);
        break;
      case 'HTTPRoute': case 'GRPCRoute': case 'TLSRoute': case 'TCPRoute': case 'UDPRoute': this.addRoute(obj.kind, defaulted as AnyRoute, k, dirty); break;
      case 'ListenerSet':
        this.listenerSets.set(k, defaulted as ListenerSet);
        this.listenerSetsByGateway.add(k, defaulted as ListenerSet);
        this.addSubject(this.listenerSetReaders, k, defaulted as ListenerSet);
        this.markListenerSet(defaulted as ListenerSet, dirty);
        break;
      case 'ReferenceGrant':
        this.referenceGrants.set(k, obj as ReferenceGrant);
        this.grantsByNamespace.add(obj.metadata.namespace ?? '', k);
        this.changed('ReferenceGrant', k, dirty);
        break;
      case 'Namespace': this.namespaces.set(obj.metadata.name, obj as Namespace); this.namespaceLabelCache.delete(obj.metadata.name); this.changed('Namespace', obj.metadata.name, dirty); break;
      case 'Service': this.services.set(k, obj as Service); this.changed('Service', k, dirty); break;
      case 'Secret': this.secrets.set(k, obj as Secret); this.changed('Secret', k, dirty); break;
      case 'MeshGatewayConfig': this.meshGatewayConfigs.set(obj.metadata.name, obj as MeshGatewayConfig); this.changed('MeshGatewayConfig', obj.metadata.name, dirty); break;
      default: break;
    }
    return dirty;
  }

  remove(kind: string, namespace: string | undefined, name: string, dirty: Dirty = emptyDirty()): Dirty {
    return this.removeAt(kind, nsName(namespace, name), namespace, name, dirty);
  }

  /** remove(), the key `k` (nsName of namespace and name) already built. */
  private removeAt(kind: string, k: NsName, namespace: string | undefined, name: string, dirty: Dirty): Dirty {
    switch (kind) {
      case 'GatewayClass': {
        const gc = this.gatewayClasses.get(name);
        if (!gc) break;
        this.gatewayClasses.delete(name);
        this.deleteSubject(this.classReaders, name, gc);
        dirty.classes.add(name);
        this.changed('GatewayClass', name, dirty);
        break;
      }
      case 'Gateway': {
        const gw = this.gateways.get(k);
        if (!gw) break;
        this.gateways.delete(k);
        this.deleteSubject(this.gatewayReaders, k, gw);
        dirty.gateways.add(k);
        break;
      }
      case 'HTTPRoute': case 'GRPCRoute': case 'TLSRoute': case 'TCPRoute': case 'UDPRoute': this.removeRoute(kind, k, dirty); break;
      case 'ListenerSet': {
        const ls = this.listenerSets.get(k);
        if (!ls) break;
        this.listenerSets.delete(k);
        this.listenerSetsByGateway.delete(k, ls);
        this.deleteSubject(this.listenerSetReaders, k, ls);
        this.markListenerSet(ls, dirty);
        break;
      }
      case 'ReferenceGrant':
        if (this.referenceGrants.delete(k)) { this.grantsByNamespace.delete(namespace ?? '', k); this.changed('ReferenceGrant', k, dirty); }
        break;
      case 'Namespace': this.namespaceLabelCache.delete(name); if (this.namespaces.delete(name)) this.changed('Namespace', name, dirty); break;
      case 'Service': if (this.services.delete(k)) this.changed('Service', k, dirty); break;
      case 'Secret': if (this.secrets.delete(k)) this.changed('Secret', k, dirty); break;
      case 'MeshGatewayConfig': if (this.meshGatewayConfigs.delete(name)) this.changed('MeshGatewayConfig', name, dirty); break;
      case 'Deployment': if (this.deployments.delete(k)) this.changed('Deployment', k, dirty); break;
      default: break;
    }
    return dirty;
  }

  private addSubject<S, K extends string>(readers: Map<InputKind, ReadIndex<S, K>>, key: K, s: S): void {
    for (const index of readers.values()) index.add(key, s);
  }

  private deleteSubject<S, K extends string>(readers: Map<InputKind, ReadIndex<S, K>>, key: K, s: S): void {
    for (const index of readers.values()) index.delete(key, s);
  }

  /**
   * Deployments change status often (every rollout step); only what readiness reads is kept, and
   * the Gateway is re-translated only when that changed.
   */
  private setDeployment(d: Deployment, dirty: Dirty): void {
    const k = nsNameOf(d);
    const slim = slimDeployment(d);
    const prev = this.deployments.get(k);
    this.deployments.set(k, slim);
    if (!prev || JSON.stringify(prev) !== JSON.stringify(slim)) this.changed('Deployment', k, dirty);
  }

  /**
   * Status writes come back as updates with the same generation. Translation reads no status
   * except a route's own `parents` (to clean up stale entries), so such an update only re-merges
   * that route's status; without this, every route status write would re-translate its Gateway.
   */
  private replaceIfStatusOnly(obj: KubeObject, nsKey: NsName, dirty: Dirty): boolean {
    const map: Map<string, KubeObject> | undefined = isRouteKind(obj.kind) ? this.routeMaps[obj.kind] : obj.kind === 'Gateway' ? this.gateways : obj.kind === 'ListenerSet' ? this.listenerSets : obj.kind === 'GatewayClass' ? this.gatewayClasses : undefined;
    if (!map || obj.metadata.generation === undefined) return false;
    const k = obj.kind === 'GatewayClass' ? obj.metadata.name : nsKey;
    const prev = map.get(k);
    if (!prev || prev.metadata.generation !== obj.metadata.generation || prev.metadata.uid !== obj.metadata.uid) return false;
    if (JSON.stringify(prev.metadata.labels ?? {}) !== JSON.stringify(obj.metadata.labels ?? {})) return false;
    if (JSON.stringify(prev.metadata.annotations ?? {}) !== JSON.stringify(obj.metadata.annotations ?? {})) return false;
    if (prev.metadata.deletionTimestamp !== obj.metadata.deletionTimestamp) return false;
    const status = (obj as { status?: unknown }).status;
    // The same spec object: every read declared in dependencies.ts gives the same keys.
    const next = { ...prev, metadata: { ...prev.metadata, resourceVersion: obj.metadata.resourceVersion }, status } as KubeObject;
    map.set(k, next);
    if (isRouteKind(obj.kind)) {
      const rk = routeKey(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name);
      this.routesByKey.set(rk, next as AnyRoute);
      dirty.routes.add(rk);
    }
    return true;
  }

  private addRoute(kind: RouteKind, r: AnyRoute, k: NsName, dirty: Dirty): void {
    const rk = routeKey(kind, r.metadata.namespace ?? '', r.metadata.name);
    this.routeMaps[kind].set(k, r);
    this.routesByKey.set(rk, r);
    this.routesByGateway.add(rk, r);
    this.routesByListenerSet.add(rk, r);
    this.addSubject(this.routeReaders, rk, r);
    this.markPart(rk, r, dirty);
  }

  private removeRoute(kind: RouteKind, k: NsName, dirty: Dirty): void {
    const map = this.routeMaps[kind];
    const r = map.get(k);
    if (!r) return;
    map.delete(k);
    const rk = routeKey(kind, r.metadata.namespace ?? '', r.metadata.name);
    this.routesByKey.delete(rk);
    this.routesByGateway.delete(rk, r);
    this.routesByListenerSet.delete(rk, r);
    this.deleteSubject(this.routeReaders, rk, r);
    this.markPart(rk, r, dirty);
  }
}

/** Every object of a bundle, in the order upserts need (classes and configs before Gateways). */
export function inputObjects(input: TranslationInput): KubeObject[] {
  return [
    ...input.namespaces, ...input.meshGatewayConfigs, ...input.gatewayClasses, ...input.gateways, ...(input.listenerSets ?? []),
    ...input.httpRoutes, ...(input.grpcRoutes ?? []), ...input.tlsRoutes, ...(input.tcpRoutes ?? []), ...(input.udpRoutes ?? []), ...input.referenceGrants, ...input.services, ...input.secrets,
    ...(input.deployments ?? []),
  ];
}
