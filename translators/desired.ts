// The engine's desired state: the units' outputs merged into generated objects (each with the unit
// that owns it), statuses (a route's is the merge of the parent entries its units produced) and
// Secret copies, with the keys whose desired state changed recorded in a Delta.
import type { RouteParentStatus } from './api/gateway-api';
import type { KubeObject } from './api/meta';
import type { NsName, ObjectKey, RouteKey, StatusKey, UnitKey } from './keys';
import { memoisedKey, objectKeyOf, parseNsName, parseRouteKey, SECRET_COPIES_UNIT, statusKey, statusKeyOf, unitSubject } from './keys';
import { sameJson } from './json';
import { secretCopyName } from './naming';
import { ownersOf } from './owners';
import type { Diagnostic, OwnerRef, StatusUpdate, TranslationResult } from './result';
import { routeStatus } from './status/route';
import type { Snapshot } from './snapshot';
import { buildSecretCopy } from './tls-secret';
import type { SecretCopyRequest, UnitOutput } from './unit';

export interface Delta {
  /** Generated objects whose desired state was added, changed or removed. */
  objects: Set<ObjectKey>;
  /** Statuses whose desired state was added, changed or removed. */
  statuses: Set<StatusKey>;
}

/** Where changed keys are recorded: a Delta, or IGNORED (a one-shot translation: nobody reads it). */
export interface DeltaSink { objects: { add(key: ObjectKey): unknown }; statuses: { add(key: StatusKey): unknown } }
export const IGNORED: DeltaSink = { objects: { add: () => undefined }, statuses: { add: () => undefined } };

export const emptyDelta = (): Delta => ({ objects: new Set(), statuses: new Set() });

/** The same parent entries, object for object (a replayed route memo). */
function sameEntries(a: readonly RouteParentStatus[], b: readonly RouteParentStatus[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** A generated object, the unit that emits it, and the route it comes from (where one does: for the GUI). */
interface ObjectEntry {
  /** Its key in `entries` (result() sorts the entries without looking each key up again). */
  readonly key: ObjectKey;
  readonly object: KubeObject;
  readonly unit: UnitKey;
  readonly source: RouteKey | undefined;
}

export class DesiredState {
  readonly units = new Map<UnitKey, UnitOutput>();
  /** objectKey of each unit's objects, in order (computed once per unit output). */
  private readonly unitKeys = new Map<UnitKey, ObjectKey[]>();
  /** Each generated object with its unit and source: one map, not three (a fifth of the time in replaceUnit). */
  private readonly entries = new Map<ObjectKey, ObjectEntry>();
  readonly statuses = new Map<StatusKey, StatusUpdate>();
  /** Units that emit parent entries for a route (almost always one: an array, not a Set; replaced, never mutated). */
  private readonly routeUnits = new Map<RouteKey, UnitKey[]>();
  private readonly copyUnits = new Map<string, Map<UnitKey, SecretCopyRequest>>();
  /** objectKey, memoised per object while translating incrementally (memoised objects come back). */
  keyOf: (o: KubeObject) => ObjectKey = memoisedKey;

  constructor(private readonly snap: Snapshot) {}

  object(key: ObjectKey): KubeObject | undefined { return this.entries.get(key)?.object; }
  /** The unit that emits the object at `key`, if any. */
  unitOf(key: ObjectKey): UnitKey | undefined { return this.entries.get(key)?.unit; }
  *objects(): IterableIterator<KubeObject> { for (const e of this.entries.values()) yield e.object; }

  /** Puts a unit's new output (undefined: the unit is gone) in place of its previous one; collects the routes and copies to re-merge. */
  replaceUnit(unitKey: UnitKey, next: UnitOutput | undefined, routes: Set<RouteKey>, copies: Set<string>, delta: DeltaSink): void {
    const prev = this.units.get(unitKey);
    const keys = next ? next.objects.map(this.keyOf) : [];
    if (prev) {
      const prevKeys = this.unitKeys.get(unitKey) ?? [];
      // Usually the same keys in the same order (a memoised Gateway): nothing to remove.
      if (prevKeys.length !== keys.length || prevKeys.some((k, i) => k !== keys[i])) {
        const nextKeys = new Set(keys);
        for (const k of prevKeys) {
          if (this.entries.get(k)?.unit !== unitKey) continue;
          if (!nextKeys.has(k)) { this.entries.delete(k); delta.objects.add(k); }
        }
      }
      for (const [rk, before] of prev.routeParents) {
        const after = next?.routeParents.get(rk);
        // Same parent entries (replayed memo): the route's status is unchanged unless the route
        // itself changed, and then it is in Dirty.routes already.
        if (after && sameEntries(before, after)) continue;
        const us = this.routeUnits.get(rk);
        if (us?.includes(unitKey)) {
          if (us.length === 1) this.routeUnits.delete(rk);
          else this.routeUnits.set(rk, us.filter((u) => u !== unitKey));
        }
        routes.add(rk);
      }
      for (const c of prev.secretCopies) { const name = copyName(c.source, c.mesh); this.copyUnits.get(name)?.delete(unitKey); copies.add(name); }
      const gone = prev.gatewayStatus && (!next?.gatewayStatus || statusKey(next.gatewayStatus) !== statusKey(prev.gatewayStatus));
      if (gone) this.setStatus(statusKey(prev.gatewayStatus!), undefined, delta);
      for (const ls of prev.listenerSetStatuses ?? []) {
        const k = statusKey(ls);
        if (!next?.listenerSetStatuses?.some((n) => statusKey(n) === k)) this.setStatus(k, undefined, delta);
      }
    }
    if (!next) { this.units.delete(unitKey); this.unitKeys.delete(unitKey); return; }
    this.units.set(unitKey, next);
    this.unitKeys.set(unitKey, keys);
    for (let i = 0; i < keys.length; i++) {
      const o = next.objects[i];
      const k = keys[i];
      const e = this.entries.get(k);
      // An entry only names a unit that currently emits the key (entries are dropped on replace).
      if (e && e.unit !== unitKey) {
        next.diagnostics.push({ severity: 'warning', object: { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }, message: `generated name collides with an object generated for ${e.unit}; kept the first` });
        continue;
      }
      // The unit's (memoised) object replaces an equal one, so that the next replay of the
      // same route memo compares by identity instead of walking both objects.
      if (e === undefined || !sameJson(e.object, o)) delta.objects.add(k);
      const source = next.sources.get(o);
      this.entries.set(k, { key: k, object: o, unit: unitKey, source });
    }
    for (const [rk, after] of next.routeParents) {
      const before = prev?.routeParents.get(rk);
      if (before && sameEntries(before, after)) continue;
      const us = this.routeUnits.get(rk);
      if (!us) this.routeUnits.set(rk, [unitKey]);
      else if (!us.includes(unitKey)) this.routeUnits.set(rk, [...us, unitKey]);
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
    for (const ls of next.listenerSetStatuses ?? []) this.setStatus(statusKey(ls), ls, delta);
  }

  mergeRouteStatus(rk: RouteKey, delta: DeltaSink): void {
    const { kind, namespace: ns, name } = parseRouteKey(rk);
    const key = statusKeyOf({ kind, namespace: ns, name });
    const route = this.snap.route(rk);
    const units = this.routeUnits.get(rk);
    let parents: RouteParentStatus[] = [];
    // Almost always one unit: its entries as they are (never mutated), not a copy.
    if (units?.length === 1) parents = this.units.get(units[0])?.routeParents.get(rk) ?? [];
    else for (const u of units ?? []) parents.push(...(this.units.get(u)?.routeParents.get(rk) ?? []));
    const ours = this.snap.options.controllerName;
    const hadOurs = route?.status?.parents?.some((p) => p.controllerName === ours) ?? false;
    if (!route || (parents.length === 0 && !hadOurs)) { this.setStatus(key, undefined, delta); return; }
    this.setStatus(key, routeStatus(route, { kind, namespace: ns, name }, parents), delta);
  }

  rebuildCopy(name: string, delta: DeltaSink): void {
    const reqs = this.copyUnits.get(name);
    const ns = this.snap.options.systemNamespace;
    const key = objectKeyOf({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name });
    // Two sources with one copy name need a hash coincidence (naming.ts); the first by source wins, whatever the order of events.
    const req = reqs && reqs.size > 0 ? [...reqs.values()].reduce((a, b) => (b.source < a.source ? b : a)) : undefined;
    const source = req && this.snap.secrets.get(req.source);
    if (!req || !source) {
      if (reqs && reqs.size === 0) this.copyUnits.delete(name);
      if (this.entries.delete(key)) delta.objects.add(key);
      return;
    }
    // The gateway-name label only where one Gateway uses the copy (the label holds one name).
    const only = reqs?.size === 1 ? unitSubject([...reqs.keys()][0]) : undefined;
    const copy = buildSecretCopy(source, req.mesh, ns, this.snap.options.controllerName, this.snap.options.zone, only?.kind === 'Gateway' ? only.name : undefined);
    if (!sameJson(this.entries.get(key)?.object, copy)) delta.objects.add(key);
    this.entries.set(key, { key, object: copy, unit: SECRET_COPIES_UNIT, source: undefined });
  }

  setStatus(key: StatusKey, s: StatusUpdate | undefined, delta: DeltaSink): void {
    const prev = this.statuses.get(key);
    if (!s) { if (prev) { this.statuses.delete(key); delta.statuses.add(key); } return; }
    if (prev && sameJson(prev, s)) return; // keep the old identity (see replaceUnit)
    delta.statuses.add(key);
    this.statuses.set(key, s);
  }

  /** The whole desired state, sorted; `extra`: diagnostics not from a unit (translation failures). */
  result(extra: Diagnostic[]): TranslationResult {
    const diagnostics: Diagnostic[] = [];
    for (const u of this.units.values()) diagnostics.push(...u.diagnostics);
    diagnostics.push(...extra);
    const entries = sortedEntries(this.entries);
    const keys = entries.map((e) => e.key);
    const objects = entries.map((e) => e.object);
    const result: TranslationResult = {
      objects,
      statuses: [...this.statuses.keys()].sort().map((k) => this.statuses.get(k)!),
      diagnostics: diagnostics.sort((a, b) => compareKeys(`${a.object.kind}|${a.object.namespace}|${a.object.name}|${a.message}`, `${b.object.kind}|${b.object.namespace}|${b.object.name}|${b.message}`)),
    };
    // `owners` is built when first read (JSON, tests): making 24,000 long object keys property
    // names cost a tenth of a full translation, and the CLI and the controller never read it.
    const units = entries.map((e) => e.unit);
    const sources = entries.map((e) => e.source);
    let owners: Record<string, OwnerRef> | undefined;
    Object.defineProperty(result, 'owners', { enumerable: true, configurable: true, get: () => (owners ??= ownersOf(keys, objects, units, sources)) });
    return result;
  }
}

function copyName(source: NsName, mesh: string): string {
  const { namespace, name } = parseNsName(source);
  return secretCopyName(mesh, namespace, name);
}

const KIND_ORDER = ['MeshGateway', 'MeshHTTPRoute', 'MeshTCPRoute', 'Deployment', 'Service', 'Secret'];
/**
 * By kind (KIND_ORDER, unknown kinds last), then by key: one bucket per kind, each sorted by key.
 * Map keys are objectKey() already: sorting on them is sorting the objects (the order is the same).
 */
function sortedEntries(entries: Map<ObjectKey, ObjectEntry>): ObjectEntry[] {
  const buckets: ObjectEntry[][] = KIND_ORDER.map(() => []);
  const rest: ObjectEntry[] = [];
  entries.forEach((e) => {
    const i = KIND_ORDER.indexOf(e.object.kind);
    (i === -1 ? rest : buckets[i]).push(e);
  });
  // Compared by UTF-16 code units, as compareKeys does; keys are distinct (Map keys).
  const out: ObjectEntry[] = [];
  for (const b of [...buckets, rest]) for (const e of b.sort(byKey)) out.push(e);
  return out;
}

const byKey = (a: ObjectEntry, b: ObjectEntry): number => (a.key < b.key ? -1 : 1);

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


