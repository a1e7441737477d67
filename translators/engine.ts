// Incremental translation. The engine owns a Snapshot, memoises one UnitOutput per GatewayClass,
// Gateway and GAMMA route, and on each change recomputes only the dirty units, merging their
// objects, route parent entries and Secret copies into the desired state. `translate()` is the
// same engine run once over a whole bundle, so full and incremental results cannot disagree.
import type { RouteParentStatus } from './api/gateway-api';
import type { KubeObject } from './api/meta';
import type { ClassResult } from './gatewayclass';
import { evaluateGatewayClass, SUPPORTED_FEATURES } from './gatewayclass';
import { hasGRPCRouteCRD } from './grpcroute';
import { translateGammaRoute } from './gamma';
import { translateGateway } from './gateway';
import type { TranslationInput, TranslationOptions } from './input';
import type { Diagnostic, StatusUpdate, TranslationResult } from './result';
import { ownersOf } from './owners';
import { routeStatus } from './status/route';
import type { Dirty } from './snapshot';
import { emptyDirty, isServiceParent, Snapshot } from './snapshot';
import { gatewayClassStatus } from './status/gatewayclass';
import { buildSecretCopy } from './tls-secret';
import type { SecretCopyRequest, UnitOutput } from './unit';
import type { NsName, ObjectKey, RouteKey, StatusKey, UnitKey } from './keys';
import { gammaUnit, gatewayUnit, memoisedKey, objectKey, objectKeyOf, parseNsName, parseRouteKey, parseUnitKey, routeKey, SECRET_COPIES_UNIT, statusKey, statusKeyOf, unitSubject } from './keys';
import { sameJson } from './json';
import { secretCopyName } from './naming';

export interface Delta {
  /** Generated objects whose desired state was added, changed or removed. */
  objects: Set<ObjectKey>;
  /** Statuses whose desired state was added, changed or removed. */
  statuses: Set<StatusKey>;
}

/** A batch of input changes for TranslationEngine.apply(); a field present means "set it". */
export interface Changes {
  upsert?: KubeObject[];
  remove?: ObjectRefLite[];
  crds?: { value: TranslationInput['crds'] };
  now?: { value: string | undefined };
  foreign?: Iterable<[ObjectKey, boolean]>;
}
type ObjectRefLite = { kind: string; namespace?: string; name: string };

const FAILED = Symbol('translation failed');

const emptyDelta = (): Delta => ({ objects: new Set(), statuses: new Set() });

/** The same parent entries, object for object (a replayed route memo). */
function sameEntries(a: readonly RouteParentStatus[], b: readonly RouteParentStatus[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** Where recompute() records changed keys: a Delta, or IGNORED. */
interface DeltaSink { objects: { add(key: ObjectKey): unknown }; statuses: { add(key: StatusKey): unknown } }
const IGNORED: DeltaSink = { objects: { add: () => undefined }, statuses: { add: () => undefined } };

// Keys are defined in keys.ts; re-exported for the modules that import them from here.
export { objectKey, statusKey } from './keys';
export { sameJson } from './json';

export class TranslationEngine {
  readonly snap: Snapshot;
  private readonly classes = new Map<string, ClassResult>();
  private readonly units = new Map<UnitKey, UnitOutput>();
  /** objectKey of each unit's objects, in order (computed once per unit output). */
  private readonly unitKeys = new Map<UnitKey, ObjectKey[]>();
  private readonly objects = new Map<ObjectKey, KubeObject>();
  private readonly objectUnit = new Map<ObjectKey, UnitKey>();
  private readonly statuses = new Map<StatusKey, StatusUpdate>();
  /** Units that emit parent entries for a route (almost always one: an array, not a Set). */
  private readonly routeUnits = new Map<RouteKey, UnitKey[]>();
  private readonly copyUnits = new Map<string, Map<UnitKey, SecretCopyRequest>>();
  /** objectKey, memoised per object while translating incrementally (memoised objects come back). */
  private keyOf: (o: KubeObject) => ObjectKey = memoisedKey;
  /** By unit key, or by `object:` + the input object (an upsert that threw). */
  private readonly failures = new Map<string, { kind: string; namespace?: string; name: string; error: string }>();

  constructor(options: TranslationOptions) {
    this.snap = new Snapshot(options);
  }

  static fromInput(input: TranslationInput): TranslationEngine {
    const e = new TranslationEngine(input.options);
    e.snap.crds = input.crds;
    for (const k of input.foreign ?? []) e.snap.foreign.add(k as ObjectKey);
    const d = emptyDirty();
    d.all = true; // everything is recomputed: the snapshot need not mark what each object affects
    const all: KubeObject[] = [
      ...input.namespaces, ...input.meshGatewayConfigs, ...input.gatewayClasses, ...input.gateways,
      ...input.httpRoutes, ...input.tlsRoutes, ...(input.grpcRoutes ?? []), ...input.referenceGrants, ...input.services, ...input.secrets,
      ...(input.deployments ?? []),
    ];
    for (const o of all) e.snap.upsert(o, d);
    d.all = true;
    e.recompute(d, false);
    return e;
  }

  /**
   * The engine's one mutator: applies a batch of input changes and recomputes what they dirty,
   * once. Returns the object and status keys whose desired state changed.
   */
  apply(c: Changes): Delta {
    const d = emptyDirty();
    for (const r of c.remove ?? []) this.snap.remove(r.kind, r.namespace, r.name, d);
    for (const o of c.upsert ?? []) this.upsertOne(o, d);
    if (c.crds) this.applyCRDs(c.crds.value, d);
    if (c.now) this.applyNow(c.now.value, d);
    for (const [key, present] of c.foreign ?? []) this.applyForeign(key, present, d);
    return this.recompute(d);
  }

  upsert(objs: KubeObject[]): Delta { return this.apply({ upsert: objs }); }
  remove(refs: ObjectRefLite[]): Delta { return this.apply({ remove: refs }); }
  setCRDs(crds: TranslationInput['crds']): Delta { return this.apply({ crds: { value: crds } }); }
  setNow(now: string | undefined): Delta { return this.apply({ now: { value: now } }); }
  setForeign(key: ObjectKey, present: boolean): Delta { return this.apply({ foreign: [[key, present]] }); }

  private upsertOne(o: KubeObject, d: Dirty): void {
    const key = `object:${o?.kind}:${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;
    try {
      this.snap.upsert(o, d);
      this.failures.delete(key);
    } catch (e) {
      // The snapshot keeps the previous version of the object; translation goes on without it.
      this.failures.set(key, { kind: String(o?.kind), namespace: o?.metadata?.namespace, name: String(o?.metadata?.name), error: errorText(e) });
    }
  }

  private applyCRDs(crds: TranslationInput['crds'], d: Dirty): void {
    // GRPCRoute (grpc): whether the GRPCRoute CRD is served decides listeners' supportedKinds.
    if (hasGRPCRouteCRD(this.snap.crds) !== hasGRPCRouteCRD(crds)) for (const k of this.snap.gateways.keys()) d.gateways.add(k);
    this.snap.crds = crds;
    for (const name of this.snap.gatewayClasses.keys()) d.classes.add(name);
  }

  /**
   * The instant of the certificate expiry check (TranslationOptions.now; undefined = no check).
   * The controller passes the time rounded down to the hour, so this changes hourly and then
   * re-translates only the Gateways that have HTTPS listeners.
   */
  private applyNow(now: string | undefined, d: Dirty): void {
    if (this.snap.options.now === now) return;
    const { now: _previous, ...rest } = this.snap.options;
    this.snap.options = now === undefined ? rest : { ...rest, now };
    for (const [k, gw] of this.snap.gateways) if (gw.spec.listeners.some((l) => l.protocol === 'HTTPS')) d.gateways.add(k);
  }

  /**
   * The writer found (or no longer finds) an object meshgate did not create at the name of the
   * generated object `key`; the Gateway that generates it is re-translated to say so.
   */
  private applyForeign(key: ObjectKey, present: boolean, d: Dirty): void {
    if (this.snap.foreign.has(key) === present) return;
    if (present) this.snap.foreign.add(key); else this.snap.foreign.delete(key);
    const unit = this.objectUnit.get(key);
    const owner = unit && parseUnitKey(unit);
    if (owner && owner.type === 'gateway') d.gateways.add(owner.gateway);
  }

  /** Everything the engine translates from, as one bundle: `translate(engine.input())` gives `engine.result()`. */
  input(): TranslationInput { return this.snap.toInput(); }

  /** The writer found an object meshgate did not create at this generated name (see setForeign). */
  isForeign(key: ObjectKey): boolean { return this.snap.foreign.has(key); }
  desiredObject(key: ObjectKey): KubeObject | undefined { return this.objects.get(key); }
  desiredStatus(key: StatusKey): StatusUpdate | undefined { return this.statuses.get(key); }
  desiredObjects(): IterableIterator<KubeObject> { return this.objects.values(); }
  desiredStatuses(): IterableIterator<StatusUpdate> { return this.statuses.values(); }

  /** `track` false: a one-shot translation, where nobody reads the delta (24k keys not collected) and no route memos are kept. */
  recompute(d: Dirty, track = true): Delta {
    const delta: DeltaSink = track ? emptyDelta() : IGNORED;
    this.keyOf = track ? memoisedKey : objectKey;
    if (d.all) this.markEverything(d);
    for (const name of d.classes) this.recomputeClass(name, d, delta);
    const routes = new Set<RouteKey>(d.routes);
    const copies = new Set<string>();
    for (const gwKey of d.gateways) {
      const gw = this.snap.gateways.get(gwKey);
      const unitKey = gatewayUnit(gwKey as NsName);
      const next = this.guarded(unitKey, () => translateGateway(this.snap, gwKey, gw ? this.classes.get(gw.spec.gatewayClassName) : undefined, this.units.get(unitKey), track));
      if (next !== FAILED) this.replaceUnit(unitKey, next, routes, copies, delta);
    }
    for (const rk of d.gammaRoutes) {
      const next = this.guarded(gammaUnit(rk), () => translateGammaRoute(this.snap, rk));
      if (next !== FAILED) this.replaceUnit(gammaUnit(rk), next, routes, copies, delta);
    }
    for (const rk of routes) this.mergeRouteStatus(rk, delta);
    for (const name of copies) this.rebuildCopy(name, delta);
    return track ? (delta as Delta) : emptyDelta();
  }

  /**
   * A translator bug must neither crash the controller nor leave half-computed state: the unit
   * keeps its previous output (nothing is written for it) and the failure is reported.
   */
  private guarded(unitKey: UnitKey, f: () => UnitOutput | undefined): UnitOutput | undefined | typeof FAILED {
    try {
      const out = f();
      this.failures.delete(unitKey);
      return out;
    } catch (e) {
      const { kind, namespace, name } = unitSubject(unitKey) ?? { kind: 'Secret', namespace: '', name: unitKey };
      this.failures.set(unitKey, { kind, namespace, name, error: errorText(e) });
      return FAILED;
    }
  }

  /** Objects and units whose last translation threw; their previous state is kept. */
  translationFailures(): { kind: string; namespace?: string; name: string; error: string }[] {
    return [...this.failures.values()];
  }

  private markEverything(d: Dirty): void {
    for (const n of this.snap.gatewayClasses.keys()) d.classes.add(n);
    for (const n of this.classes.keys()) d.classes.add(n);
    for (const k of this.snap.gateways.keys()) d.gateways.add(k);
    for (const r of this.snap.httpRoutes.values()) {
      const rk = routeKey('HTTPRoute', r.metadata.namespace ?? '', r.metadata.name);
      d.routes.add(rk);
      if ((r.spec.parentRefs ?? []).some(isServiceParent)) d.gammaRoutes.add(rk);
    }
    for (const r of this.snap.tlsRoutes.values()) d.routes.add(routeKey('TLSRoute', r.metadata.namespace ?? '', r.metadata.name));
    // ---- GRPCRoute (grpc) ----
    for (const r of this.snap.grpcRoutes.values()) {
      const rk = routeKey('GRPCRoute', r.metadata.namespace ?? '', r.metadata.name);
      d.routes.add(rk);
      if ((r.spec.parentRefs ?? []).some(isServiceParent)) d.gammaRoutes.add(rk);
    }
    // ---- end GRPCRoute ----
    for (const u of this.units.keys()) {
      const p = parseUnitKey(u);
      if (p.type === 'gateway') d.gateways.add(p.gateway);
      else if (p.type === 'gamma') d.gammaRoutes.add(p.route);
    }
  }

  private recomputeClass(name: string, d: Dirty, delta: DeltaSink): void {
    const gc = this.snap.gatewayClasses.get(name);
    const key = statusKeyOf({ kind: 'GatewayClass', name });
    const before = this.classes.get(name);
    if (!gc || gc.spec?.controllerName !== this.snap.options.controllerName) {
      this.classes.delete(name);
      this.setStatus(key, undefined, delta);
    } else {
      const res = evaluateGatewayClass(gc, (n) => this.snap.meshGatewayConfigs.get(n), this.snap.crds);
      this.classes.set(name, res);
      this.setStatus(key, gatewayClassStatus(gc, res.conditions, SUPPORTED_FEATURES), delta);
    }
    if (JSON.stringify(before) !== JSON.stringify(this.classes.get(name))) {
      for (const g of this.snap.gatewaysOfClass(name)) d.gateways.add(g);
    }
  }

  private replaceUnit(unitKey: UnitKey, next: UnitOutput | undefined, routes: Set<RouteKey>, copies: Set<string>, delta: DeltaSink): void {
    const prev = this.units.get(unitKey);
    const keys = next ? next.objects.map(this.keyOf) : [];
    if (prev) {
      const prevKeys = this.unitKeys.get(unitKey) ?? [];
      // Usually the same keys in the same order (a memoised Gateway): nothing to remove.
      if (prevKeys.length !== keys.length || prevKeys.some((k, i) => k !== keys[i])) {
        const nextKeys = new Set(keys);
        for (const k of prevKeys) {
          if (this.objectUnit.get(k) !== unitKey) continue;
          if (!nextKeys.has(k)) { this.objects.delete(k); this.objectUnit.delete(k); delta.objects.add(k); }
        }
      }
      for (const [rk, before] of prev.routeParents) {
        const after = next?.routeParents.get(rk);
        // Same parent entries (replayed memo): the route's status is unchanged unless the route
        // itself changed, and then it is in Dirty.routes already.
        if (after && sameEntries(before, after)) continue;
        const us = this.routeUnits.get(rk);
        const i = us ? us.indexOf(unitKey) : -1;
        if (i >= 0) { us!.splice(i, 1); if (us!.length === 0) this.routeUnits.delete(rk); }
        routes.add(rk);
      }
      for (const c of prev.secretCopies) { const name = copyName(c.source, c.mesh); this.copyUnits.get(name)?.delete(unitKey); copies.add(name); }
      const gone = prev.gatewayStatus && (!next?.gatewayStatus || statusKey(next.gatewayStatus) !== statusKey(prev.gatewayStatus));
      if (gone) this.setStatus(statusKey(prev.gatewayStatus!), undefined, delta);
    }
    if (!next) { this.units.delete(unitKey); this.unitKeys.delete(unitKey); return; }
    this.units.set(unitKey, next);
    this.unitKeys.set(unitKey, keys);
    for (let i = 0; i < keys.length; i++) {
      const o = next.objects[i];
      const k = keys[i];
      const owner = this.objectUnit.get(k);
      // objectUnit only names units that currently emit the key (entries are dropped on replace).
      if (owner && owner !== unitKey) {
        next.diagnostics.push({ severity: 'warning', object: { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }, message: `generated name collides with an object generated for ${owner}; kept the first` });
        continue;
      }
      const before = this.objects.get(k);
      // The unit's (memoised) object replaces an equal one, so that the next replay of the
      // same route memo compares by identity instead of walking both objects.
      if (before === undefined || !sameJson(before, o)) delta.objects.add(k);
      this.objects.set(k, o);
      this.objectUnit.set(k, unitKey);
    }
    for (const [rk, after] of next.routeParents) {
      const before = prev?.routeParents.get(rk);
      if (before && sameEntries(before, after)) continue;
      const us = this.routeUnits.get(rk);
      if (!us) this.routeUnits.set(rk, [unitKey]);
      else if (!us.includes(unitKey)) us.push(unitKey);
      routes.add(rk);
    }
    for (const c of next.secretCopies) {
      const name = copyName(c.source, c.mesh);
      let m = this.copyUnits.get(name);
      if (!m) this.copyUnits.set(name, (m = new Map()));
      m.set(unitKey, c);
      copies.add(name);
    }
    if (next.gatewayStatus) this.setStatus(statusKey(next.gatewayStatus), next.gatewayStatus, delta);
  }

  private mergeRouteStatus(rk: RouteKey, delta: DeltaSink): void {
    const { kind, namespace: ns, name } = parseRouteKey(rk);
    const key = statusKeyOf({ kind, namespace: ns, name });
    const route = this.snap.route(rk);
    const parents: RouteParentStatus[] = [];
    for (const u of this.routeUnits.get(rk) ?? []) parents.push(...(this.units.get(u)?.routeParents.get(rk) ?? []));
    const ours = this.snap.options.controllerName;
    const hadOurs = route?.status?.parents?.some((p) => p.controllerName === ours) ?? false;
    if (!route || (parents.length === 0 && !hadOurs)) { this.setStatus(key, undefined, delta); return; }
    this.setStatus(key, routeStatus(route, { kind, namespace: ns, name }, parents), delta);
  }

  private rebuildCopy(name: string, delta: DeltaSink): void {
    const reqs = this.copyUnits.get(name);
    const ns = this.snap.options.systemNamespace;
    const key = objectKeyOf({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name });
    // Two sources with one copy name need a hash coincidence (naming.ts); the first by source wins, whatever the order of events.
    const req = reqs && reqs.size > 0 ? [...reqs.values()].reduce((a, b) => (b.source < a.source ? b : a)) : undefined;
    const source = req && this.snap.secrets.get(req.source);
    if (!req || !source) {
      if (reqs && reqs.size === 0) this.copyUnits.delete(name);
      if (this.objects.delete(key)) { this.objectUnit.delete(key); delta.objects.add(key); }
      return;
    }
    const copy = buildSecretCopy(source, req.mesh, ns, this.snap.options.controllerName, this.snap.options.zone);
    if (!sameJson(this.objects.get(key), copy)) delta.objects.add(key);
    this.objects.set(key, copy);
    this.objectUnit.set(key, SECRET_COPIES_UNIT);
  }

  private setStatus(key: StatusKey, s: StatusUpdate | undefined, delta: DeltaSink): void {
    const prev = this.statuses.get(key);
    if (!s) { if (prev) { this.statuses.delete(key); delta.statuses.add(key); } return; }
    if (prev && sameJson(prev, s)) return; // keep the old identity (see replaceUnit)
    delta.statuses.add(key);
    this.statuses.set(key, s);
  }

  /** The whole desired state, sorted: what the CLI prints, golden tests compare and the GUI shows. */
  result(): TranslationResult {
    const diagnostics: Diagnostic[] = [];
    for (const u of this.units.values()) diagnostics.push(...u.diagnostics);
    for (const f of this.failures.values()) {
      diagnostics.push({ severity: 'warning', object: { kind: f.kind, namespace: f.namespace, name: f.name }, message: `internal error while translating (previous output kept): ${f.error}` });
    }
    // Map keys are objectKey()/statusKey() already: sort on them instead of rebuilding both
    // keys in every comparison (the order is the same).
    const objects = sortedObjects(this.objects);
    return {
      objects,
      statuses: [...this.statuses.keys()].sort().map((k) => this.statuses.get(k)!),
      diagnostics: diagnostics.sort((a, b) => compareKeys(`${a.object.kind}|${a.object.namespace}|${a.object.name}|${a.message}`, `${b.object.kind}|${b.object.namespace}|${b.object.name}|${b.message}`)),
      owners: ownersOf(objects, (k) => this.objectUnit.get(k)),
    };
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function copyName(source: NsName, mesh: string): string {
  const { namespace, name } = parseNsName(source);
  return secretCopyName(mesh, namespace, name);
}

const KIND_ORDER = ['MeshGateway', 'MeshHTTPRoute', 'MeshTCPRoute', 'Deployment', 'Service', 'Secret'];
/** By kind (KIND_ORDER, unknown kinds last), then by key: one bucket per kind, each sorted by key. */
function sortedObjects(objects: Map<ObjectKey, KubeObject>): KubeObject[] {
  const buckets: ObjectKey[][] = KIND_ORDER.map(() => []);
  const rest: ObjectKey[] = [];
  for (const [k, o] of objects) {
    const i = KIND_ORDER.indexOf(o.kind);
    (i === -1 ? rest : buckets[i]).push(k);
  }
  const out: KubeObject[] = [];
  // sort() without a comparator orders strings by UTF-16 code units, as compareKeys does, and fast.
  for (const b of [...buckets, rest]) for (const k of b.sort()) out.push(objects.get(k)!);
  return out;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
