// The translator's view of the world: the latest objects, CRD-defaulted, plus the indexes that
// let a change mark only the Gateways (and GAMMA routes) it affects. Mutated only through
// upsert/remove, which return what became dirty; translation itself only reads it.
import type { Gateway, GatewayClass, GRPCRoute, HTTPRoute, ParentReference, ReferenceGrant, TLSRoute } from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { MeshGatewayConfig } from './api/kuma';
import type { Deployment, KubeObject, Namespace, Secret, Service } from './api/meta';
import { controlPlaneCASecretKey } from './control-plane-ca';
import type { CRDInfo, TranslationInput, TranslationOptions } from './input';
import { defaultGateway, defaultGRPCRoute, defaultHTTPRoute, defaultTLSRoute } from './input';
import { gatewayWorkloadNames } from './naming';

import type { ObjectKey, RouteKey, RouteKind } from './keys';
import { isMeshRouteKey, nsName, nsNameOf, routeKey } from './keys';
// Keys are defined in keys.ts; re-exported for the modules that import them from here.
export type { RouteKey, RouteKind } from './keys';
export { routeKey } from './keys';

export interface Dirty {
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
    return this.m.get(k) ?? (EMPTY as ReadonlySet<V>);
  }
}
const EMPTY: ReadonlySet<string> = new Set();

/** metadata.name a non-empty string, metadata.namespace a string or absent. */
function keyable(obj: KubeObject): boolean {
  const m: unknown = (obj as { metadata?: unknown } | null)?.metadata;
  if (typeof m !== 'object' || m === null) return false;
  const { name, namespace } = m as { name?: unknown; namespace?: unknown };
  return typeof name === 'string' && name !== '' && (namespace === undefined || typeof namespace === 'string');
}

type AnyRoute = HTTPRoute | TLSRoute | GRPCRoute;

export function isGatewayParent(p: ParentReference): boolean {
  return (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (p.kind ?? 'Gateway') === 'Gateway';
}

/**
 * A Service parent (GAMMA). Kuma 2.14 accepts group "" and gateway.networking.k8s.io: Kuma's own
 * docs omit the group, and the API server then defaults it to gateway.networking.k8s.io.
 */
export function isServiceParent(p: ParentReference): boolean {
  return p.kind === 'Service' && (p.group === '' || p.group === undefined || p.group === 'core' || p.group === GATEWAY_GROUP);
}

export class Snapshot {
  readonly gatewayClasses = new Map<string, GatewayClass>();
  readonly gateways = new Map<string, Gateway>();
  readonly httpRoutes = new Map<string, HTTPRoute>();
  readonly tlsRoutes = new Map<string, TLSRoute>();
  readonly grpcRoutes = new Map<string, GRPCRoute>(); // GRPCRoute (grpc)
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
  /** Bumped by every Service, ReferenceGrant and Namespace change: what route conversion reads besides the route. */
  worldVersion = 0;

  private readonly gatewaysByClass = new MultiIndex();
  private readonly routesByGateway = new MultiIndex<RouteKey>();
  private readonly gammaByService = new MultiIndex<RouteKey>();
  /** Built on the first Service change (a one-shot translation never needs it), then kept up to date. */
  private routesByBackend: MultiIndex<RouteKey> | undefined;
  private readonly gatewaysBySecret = new MultiIndex();
  private readonly gatewayByWorkloadService = new Map<string, string>();
  private readonly gatewayByDeployment = new Map<string, string>();
  private readonly grantsByNamespace = new MultiIndex();
  private readonly namespaceLabelCache = new Map<string, Readonly<Record<string, string>>>();
  /** Every route kind by RouteKey: route(rk) is the hottest lookup of a translation. */
  private readonly routesByKey = new Map<RouteKey, AnyRoute>();

  constructor(public options: TranslationOptions) {}

  static fromInput(input: TranslationInput): Snapshot {
    const s = new Snapshot(input.options);
    s.crds = input.crds;
    for (const k of input.foreign ?? []) s.foreign.add(k as ObjectKey);
    const all: KubeObject[] = [
      ...input.namespaces, ...input.meshGatewayConfigs, ...input.gatewayClasses, ...input.gateways,
      ...input.httpRoutes, ...input.tlsRoutes, ...(input.grpcRoutes ?? []), ...input.referenceGrants, ...input.services, ...input.secrets,
      ...(input.deployments ?? []),
    ];
    for (const o of all) s.upsert(o);
    return s;
  }

  toInput(): TranslationInput {
    const v = <T>(m: Map<string, T>) => [...m.values()];
    return {
      gatewayClasses: v(this.gatewayClasses), gateways: v(this.gateways), httpRoutes: v(this.httpRoutes),
      tlsRoutes: v(this.tlsRoutes), referenceGrants: v(this.referenceGrants), namespaces: v(this.namespaces),
      services: v(this.services), secrets: v(this.secrets), meshGatewayConfigs: v(this.meshGatewayConfigs),
      ...(this.grpcRoutes.size ? { grpcRoutes: v(this.grpcRoutes) } : {}), // GRPCRoute (grpc)
      ...(this.deployments.size ? { deployments: v(this.deployments) } : {}),
      ...(this.crds ? { crds: this.crds } : {}), ...(this.foreign.size ? { foreign: [...this.foreign].sort() } : {}), options: this.options,
    };
  }

  // ---- lookups used by translation --------------------------------------------------------
  gatewaysOfClass(name: string): ReadonlySet<string> { return this.gatewaysByClass.get(name); }
  routesOfGateway(gwKey: string): ReadonlySet<RouteKey> { return this.routesByGateway.get(gwKey); }
  grantsIn(namespace: string): ReferenceGrant[] {
    return [...this.grantsByNamespace.get(namespace)].map((k) => this.referenceGrants.get(k)!).filter(Boolean);
  }
  route(key: RouteKey): AnyRoute | undefined {
    return this.routesByKey.get(key);
  }
  /** Read for every route translated: memoised per namespace until that Namespace changes. */
  namespaceLabels(ns: string): Record<string, string> {
    let labels = this.namespaceLabelCache.get(ns);
    if (!labels) this.namespaceLabelCache.set(ns, (labels = Object.freeze({ 'kubernetes.io/metadata.name': ns, ...this.namespaces.get(ns)?.metadata.labels })));
    return labels;
  }

  // ---- mutation ---------------------------------------------------------------------------
  upsert(obj: KubeObject, dirty: Dirty = emptyDirty()): Dirty {
    if (!keyable(obj)) return dirty; // unchecked input without a usable name cannot be keyed
    if (this.replaceIfStatusOnly(obj, dirty)) return dirty;
    if (obj.kind === 'Deployment') { this.setDeployment(obj as Deployment, dirty); return dirty; }
    // Default first: if that throws, the snapshot is still exactly as it was.
    const defaulted = obj.kind === 'Gateway' ? defaultGateway(obj as Gateway) : obj.kind === 'HTTPRoute' ? defaultHTTPRoute(obj as HTTPRoute) : obj.kind === 'TLSRoute' ? defaultTLSRoute(obj as TLSRoute) : obj.kind === 'GRPCRoute' ? defaultGRPCRoute(obj as GRPCRoute) : obj;
    this.remove(obj.kind, obj.metadata.namespace, obj.metadata.name, dirty);
    const k = nsNameOf(obj);
    switch (obj.kind) {
      case 'GatewayClass': {
        const gc = obj as GatewayClass;
        this.gatewayClasses.set(gc.metadata.name, gc);
        dirty.classes.add(gc.metadata.name);
        for (const g of this.gatewaysByClass.get(gc.metadata.name)) dirty.gateways.add(g);
        break;
      }
      case 'Gateway': this.addGateway(defaulted as Gateway, dirty); break;
      case 'HTTPRoute': this.addRoute('HTTPRoute', defaulted as HTTPRoute, dirty); break;
      case 'TLSRoute': this.addRoute('TLSRoute', defaulted as TLSRoute, dirty); break;
      case 'GRPCRoute': this.addRoute('GRPCRoute', defaulted as GRPCRoute, dirty); break;
      case 'ReferenceGrant':
        this.worldVersion++;
        this.referenceGrants.set(k, obj as ReferenceGrant);
        this.grantsByNamespace.add(obj.metadata.namespace ?? '', k);
        dirty.all = true; // rare; what a grant affects spans routes and gateways in many namespaces
        break;
      case 'Namespace': this.worldVersion++; this.namespaces.set(obj.metadata.name, obj as Namespace); this.namespaceLabelCache.delete(obj.metadata.name); dirty.all = true; break;
      case 'Service': this.worldVersion++; this.services.set(k, obj as Service); this.markService(k, dirty); break;
      case 'Secret': this.secrets.set(k, obj as Secret); this.markSecret(k, dirty); break;
      case 'MeshGatewayConfig': this.meshGatewayConfigs.set(obj.metadata.name, obj as MeshGatewayConfig); this.markConfig(obj.metadata.name, dirty); break;
      default: break;
    }
    return dirty;
  }

  remove(kind: string, namespace: string | undefined, name: string, dirty: Dirty = emptyDirty()): Dirty {
    const k = nsName(namespace, name);
    switch (kind) {
      case 'GatewayClass':
        if (this.gatewayClasses.delete(name)) {
          dirty.classes.add(name);
          for (const g of this.gatewaysByClass.get(name)) dirty.gateways.add(g);
        }
        break;
      case 'Gateway': this.removeGateway(k, dirty); break;
      case 'HTTPRoute': this.removeRoute('HTTPRoute', k, dirty); break;
      case 'TLSRoute': this.removeRoute('TLSRoute', k, dirty); break;
      case 'GRPCRoute': this.removeRoute('GRPCRoute', k, dirty); break;
      case 'ReferenceGrant':
        if (this.referenceGrants.delete(k)) { this.worldVersion++; this.grantsByNamespace.delete(namespace ?? '', k); dirty.all = true; }
        break;
      case 'Namespace': this.namespaceLabelCache.delete(name); if (this.namespaces.delete(name)) { this.worldVersion++; dirty.all = true; } break;
      case 'Service': if (this.services.delete(k)) { this.worldVersion++; this.markService(k, dirty); } break;
      case 'Secret': if (this.secrets.delete(k)) this.markSecret(k, dirty); break;
      case 'MeshGatewayConfig': if (this.meshGatewayConfigs.delete(name)) this.markConfig(name, dirty); break;
      case 'Deployment': if (this.deployments.delete(k)) this.markDeployment(k, dirty); break;
      default: break;
    }
    return dirty;
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
    if (!prev || JSON.stringify(prev) !== JSON.stringify(slim)) this.markDeployment(k, dirty);
  }

  private markDeployment(k: string, dirty: Dirty): void {
    const gw = this.gatewayByDeployment.get(k);
    if (gw) dirty.gateways.add(gw);
  }

  /**
   * Status writes come back as updates with the same generation. Translation reads no status
   * except a route's own `parents` (to clean up stale entries), so such an update only re-merges
   * that route's status; without this, every route status write would re-translate its Gateway.
   */
  private replaceIfStatusOnly(obj: KubeObject, dirty: Dirty): boolean {
    const map: Map<string, KubeObject> | undefined = obj.kind === 'HTTPRoute' ? this.httpRoutes : obj.kind === 'Gateway' ? this.gateways : obj.kind === 'TLSRoute' ? this.tlsRoutes : obj.kind === 'GRPCRoute' ? this.grpcRoutes : obj.kind === 'GatewayClass' ? this.gatewayClasses : undefined;
    if (!map || obj.metadata.generation === undefined) return false;
    const k = obj.kind === 'GatewayClass' ? obj.metadata.name : nsNameOf(obj);
    const prev = map.get(k);
    if (!prev || prev.metadata.generation !== obj.metadata.generation || prev.metadata.uid !== obj.metadata.uid) return false;
    if (JSON.stringify(prev.metadata.labels ?? {}) !== JSON.stringify(obj.metadata.labels ?? {})) return false;
    if (JSON.stringify(prev.metadata.annotations ?? {}) !== JSON.stringify(obj.metadata.annotations ?? {})) return false;
    if (prev.metadata.deletionTimestamp !== obj.metadata.deletionTimestamp) return false;
    const status = (obj as { status?: unknown }).status;
    const next = { ...prev, metadata: { ...prev.metadata, resourceVersion: obj.metadata.resourceVersion }, status } as KubeObject;
    map.set(k, next);
    if (obj.kind === 'HTTPRoute' || obj.kind === 'TLSRoute' || obj.kind === 'GRPCRoute') {
      const rk = routeKey(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name);
      this.routesByKey.set(rk, next as AnyRoute);
      dirty.routes.add(rk);
    }
    return true;
  }

  private addGateway(gw: Gateway, dirty: Dirty): void {
    const k = nsNameOf(gw);
    this.gateways.set(k, gw);
    this.gatewaysByClass.add(gw.spec?.gatewayClassName ?? '', k);
    for (const l of gw.spec.listeners) {
      for (const ref of l.tls?.certificateRefs ?? []) this.gatewaysBySecret.add(nsName(ref.namespace || gw.metadata.namespace, ref.name), k);
    }
    const backendCert = gw.spec.tls?.backend?.clientCertificateRef;
    if (backendCert) this.gatewaysBySecret.add(nsName(backendCert.namespace || gw.metadata.namespace, backendCert.name), k);
    this.gatewayByWorkloadService.set(nsName(gw.metadata.namespace, gatewayWorkloadNames(gw.metadata.name).service), k);
    this.gatewayByDeployment.set(nsName(gw.metadata.namespace, gatewayWorkloadNames(gw.metadata.name).deployment), k);
    dirty.gateways.add(k);
  }

  private removeGateway(k: string, dirty: Dirty): void {
    const gw = this.gateways.get(k);
    if (!gw) return;
    this.gateways.delete(k);
    this.gatewaysByClass.delete(gw.spec?.gatewayClassName ?? '', k);
    for (const l of gw.spec.listeners) {
      for (const ref of l.tls?.certificateRefs ?? []) this.gatewaysBySecret.delete(nsName(ref.namespace || gw.metadata.namespace, ref.name), k);
    }
    const backendCert = gw.spec.tls?.backend?.clientCertificateRef;
    if (backendCert) this.gatewaysBySecret.delete(nsName(backendCert.namespace || gw.metadata.namespace, backendCert.name), k);
    this.gatewayByWorkloadService.delete(nsName(gw.metadata.namespace, gatewayWorkloadNames(gw.metadata.name).service));
    this.gatewayByDeployment.delete(nsName(gw.metadata.namespace, gatewayWorkloadNames(gw.metadata.name).deployment));
    dirty.gateways.add(k);
  }

  private routeLinks(r: AnyRoute): { gateways: string[]; services: string[] } {
    const ns = r.metadata.namespace ?? '';
    const parents = r.spec.parentRefs ?? [];
    const gateways = parents.filter(isGatewayParent).map((p) => nsName(p.namespace || ns, p.name));
    const services = parents.filter(isServiceParent).map((p) => nsName(p.namespace || ns, p.name));
    return { gateways, services };
  }

  private backendIndex(): MultiIndex<RouteKey> {
    if (!this.routesByBackend) {
      this.routesByBackend = new MultiIndex<RouteKey>();
      for (const [rk, r] of this.routesByKey) for (const b of this.backendLinks(r)) this.routesByBackend.add(b, rk);
    }
    return this.routesByBackend;
  }

  /** `ns/name` of every Service a route's rules reference (backendRefs and mirrors). */
  private backendLinks(r: AnyRoute): string[] {
    const ns = r.metadata.namespace ?? '';
    const backends: string[] = [];
    // Rules may hold garbage from unchecked files: only well-formed references are indexed.
    type Ref = { namespace?: string; name: string };
    const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null) : []);
    for (const rule of list(r.spec.rules)) {
      for (const b of list(rule.backendRefs) as unknown as Ref[]) backends.push(nsName(b.namespace || ns, b.name));
      for (const f of list(rule.filters) as { requestMirror?: { backendRef?: Ref } }[]) {
        const m = f.requestMirror?.backendRef;
        if (m && typeof m === 'object') backends.push(nsName(m.namespace || ns, m.name));
      }
    }
    return backends;
  }

  private routeMap(kind: RouteKind): Map<string, AnyRoute> {
    return (kind === 'HTTPRoute' ? this.httpRoutes : kind === 'GRPCRoute' ? this.grpcRoutes : this.tlsRoutes) as Map<string, AnyRoute>;
  }

  private addRoute(kind: RouteKind, r: AnyRoute, dirty: Dirty): void {
    const k = nsNameOf(r);
    const rk = routeKey(kind, r.metadata.namespace ?? '', r.metadata.name);
    this.routeMap(kind).set(k, r);
    this.routesByKey.set(rk, r);
    const links = this.routeLinks(r);
    for (const g of links.gateways) { this.routesByGateway.add(g, rk); dirty.gateways.add(g); }
    for (const s of links.services) this.gammaByService.add(s, rk);
    if (this.routesByBackend) for (const b of this.backendLinks(r)) this.routesByBackend.add(b, rk);
    if (kind !== 'TLSRoute' && links.services.length > 0) dirty.gammaRoutes.add(rk);
    dirty.routes.add(rk);
  }

  private removeRoute(kind: RouteKind, k: string, dirty: Dirty): void {
    const map = this.routeMap(kind);
    const r = map.get(k);
    if (!r) return;
    map.delete(k);
    const rk = routeKey(kind, r.metadata.namespace ?? '', r.metadata.name);
    this.routesByKey.delete(rk);
    const links = this.routeLinks(r);
    for (const g of links.gateways) { this.routesByGateway.delete(g, rk); dirty.gateways.add(g); }
    for (const s of links.services) this.gammaByService.delete(s, rk);
    if (this.routesByBackend) for (const b of this.backendLinks(r)) this.routesByBackend.delete(b, rk);
    if (kind !== 'TLSRoute') dirty.gammaRoutes.add(rk);
    dirty.routes.add(rk);
  }

  private markRoute(rk: RouteKey, dirty: Dirty): void {
    if (dirty.all) return; // everything is recomputed anyway
    const r = this.route(rk);
    if (!r) return;
    const links = this.routeLinks(r);
    for (const g of links.gateways) dirty.gateways.add(g);
    if (links.services.length > 0 && isMeshRouteKey(rk)) dirty.gammaRoutes.add(rk);
  }

  private markService(k: string, dirty: Dirty): void {
    if (dirty.all) return; // everything is recomputed anyway
    for (const rk of this.backendIndex().get(k)) this.markRoute(rk, dirty);
    for (const rk of this.gammaByService.get(k)) dirty.gammaRoutes.add(rk);
    const gw = this.gatewayByWorkloadService.get(k);
    if (gw) dirty.gateways.add(gw);
  }

  private markSecret(k: string, dirty: Dirty): void {
    if (dirty.all) return; // everything is recomputed anyway
    if (k === controlPlaneCASecretKey(this.options)) { dirty.all = true; return; } // every proxy Deployment carries the CA
    for (const g of this.gatewaysBySecret.get(k)) dirty.gateways.add(g);
  }

  private markConfig(name: string, dirty: Dirty): void {
    if (dirty.all) return; // everything is recomputed anyway
    for (const gc of this.gatewayClasses.values()) {
      if (gc.spec?.parametersRef?.name !== name) continue;
      dirty.classes.add(gc.metadata.name);
      for (const g of this.gatewaysByClass.get(gc.metadata.name)) dirty.gateways.add(g);
    }
    for (const [k, gw] of this.gateways) if (gw.spec.infrastructure?.parametersRef?.name === name) dirty.gateways.add(k);
  }
}

/** What readiness reads of a Deployment: identity, owner labels, wanted replicas and the status counts. */
export function slimDeployment(d: Deployment): Deployment {
  // Bundles from files are not schema-checked: anything that is not the expected shape counts as absent.
  const st = (typeof d.status === 'object' && d.status !== null ? d.status : {}) as NonNullable<Deployment['status']>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const failure = (Array.isArray(st.conditions) ? st.conditions : []).filter((c) => typeof c === 'object' && c !== null && c.type === 'ReplicaFailure' && c.status === 'True');
  const readyReplicas = count(st.readyReplicas);
  const availableReplicas = count(st.availableReplicas);
  return {
    apiVersion: d.apiVersion,
    kind: 'Deployment',
    metadata: { name: d.metadata.name, namespace: d.metadata.namespace, ...(d.metadata.labels ? { labels: d.metadata.labels } : {}) },
    spec: { replicas: count(d.spec?.replicas) ?? 1 },
    status: {
      ...(readyReplicas !== undefined ? { readyReplicas } : {}),
      ...(availableReplicas !== undefined ? { availableReplicas } : {}),
      ...(failure.length ? { conditions: failure.map((c) => ({ type: c.type, status: c.status, reason: String(c.reason ?? ''), message: String(c.message ?? '') })) } : {}),
    },
  };
}
