// Every key meshgate keeps in a map or passes between the engine, the controller and the writer,
// built and taken apart only here. Keys stay flat strings (cheap to hash, printable in logs),
// typed by a brand so that an object key cannot be passed where a status key is expected.
//
// They are built with join(), which yields one flat string: a template literal yields a tree of
// concatenation nodes, and V8 hashes and compares Map keys without flattening them, so each kept
// key would retain its whole tree (about 6 nodes per key; see docs/memory.md).
import type { KubeObject } from './api/meta';

declare const brand: unique symbol;
type Key<B extends string> = string & { readonly [brand]: B };

/** `namespace/name` (namespace '' for cluster-scoped objects): the snapshot's and caches' key. */
export type NsName = Key<'NsName'>;
/** `apiVersion|kind|namespace|name`: a generated object (engine maps, foreign objects, the writer). */
export type ObjectKey = Key<'ObjectKey'>;
/** `kind|namespace|name`: the status meshgate writes on a Gateway API object. */
export type StatusKey = Key<'StatusKey'>;
/** `<route kind>:namespace/name` (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute). */
export type RouteKey = Key<'RouteKey'>;
/** A unit of translation: `gw:namespace/name`, `gamma:HTTPRoute:namespace/name`, or the Secret copies. */
export type UnitKey = Key<'UnitKey'>;
/** An input object (any kind) by `kind|namespace|name`: the controller's batch of informer events. */
export type InputKey = Key<'InputKey'>;
/** The writer's queue: `O|` + ObjectKey or `S|` + StatusKey. */
export type WorkKey = Key<'WorkKey'>;

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute';

export interface ObjectRef { apiVersion: string; kind: string; namespace?: string; name: string }
export interface StatusRef { kind: string; namespace?: string; name: string }

// ---- namespace/name ----------------------------------------------------------------------
export const nsName = (namespace: string | undefined, name: string): NsName => [namespace ?? '', name].join('/') as NsName;
export const nsNameOf = (o: KubeObject): NsName => nsName(o.metadata.namespace, o.metadata.name);
/** Names cannot contain '/', namespaces neither: the first '/' separates them. */
export function parseNsName(k: NsName): { namespace: string; name: string } {
  const i = k.indexOf('/');
  return { namespace: k.slice(0, i), name: k.slice(i + 1) };
}

// ---- generated objects ----------------------------------------------------------------------
export const objectKeyOf = (r: ObjectRef): ObjectKey => [r.apiVersion, r.kind, r.namespace ?? '', r.name].join('|') as ObjectKey;
export const objectKey = (o: KubeObject): ObjectKey => [o.apiVersion, o.kind, o.metadata.namespace ?? '', o.metadata.name].join('|') as ObjectKey;
/** apiVersion contains at most one '/', never '|'; kinds and Kubernetes names never contain '|'. */
export function parseObjectKey(k: ObjectKey): ObjectRef {
  const [apiVersion, kind, namespace, name] = k.split('|');
  return namespace ? { apiVersion, kind, namespace, name } : { apiVersion, kind, name };
}
/** The kind of an object key without splitting the whole key (the writer's hot path). */
export function kindOfObjectKey(k: ObjectKey): string {
  const a = k.indexOf('|');
  return k.slice(a + 1, k.indexOf('|', a + 1));
}

/** objectKey, computed once per object (memoised objects come back on every replay). */
const KEYS = new WeakMap<KubeObject, ObjectKey>();
export function memoisedKey(o: KubeObject): ObjectKey {
  let k = KEYS.get(o);
  if (k === undefined) KEYS.set(o, (k = objectKey(o)));
  return k;
}

// ---- input objects ---------------------------------------------------------------------------
export const inputKeyOf = (o: KubeObject): InputKey => [o.kind, o.metadata.namespace ?? '', o.metadata.name].join('|') as InputKey;

// ---- statuses ---------------------------------------------------------------------------------
export const statusKeyOf = (r: StatusRef): StatusKey => [r.kind, r.namespace ?? '', r.name].join('|') as StatusKey;
export const statusKey = (s: { target: StatusRef }): StatusKey => statusKeyOf(s.target);
export function parseStatusKey(k: StatusKey): StatusRef {
  const [kind, namespace, name] = k.split('|');
  return namespace ? { kind, namespace, name } : { kind, name };
}

// ---- routes ---------------------------------------------------------------------------------------
export const routeKey = (kind: RouteKind, ns: string, name: string): RouteKey => [kind, ':', ns, '/', name].join('') as RouteKey;
export function parseRouteKey(rk: RouteKey): { kind: RouteKind; namespace: string; name: string } {
  const c = rk.indexOf(':');
  const { namespace, name } = parseNsName(rk.slice(c + 1) as NsName);
  return { kind: rk.slice(0, c) as RouteKind, namespace, name };
}
export const isHTTPRouteKey = (rk: RouteKey): boolean => rk.startsWith('HTTPRoute:');
/** Route kinds that may have a Service parent (GAMMA): HTTPRoute and GRPCRoute. */
export const isMeshRouteKey = (rk: RouteKey): boolean => rk.startsWith('HTTPRoute:') || rk.startsWith('GRPCRoute:');

// ---- units of translation -------------------------------------------------------------------------
const GW = 'gw:';
const GAMMA = 'gamma:';
export const SECRET_COPIES_UNIT = 'secret-copies' as UnitKey;
export const gatewayUnit = (gw: NsName): UnitKey => [GW, gw].join('') as UnitKey;
export const gammaUnit = (rk: RouteKey): UnitKey => [GAMMA, rk].join('') as UnitKey;
export type ParsedUnit = { type: 'gateway'; gateway: NsName } | { type: 'gamma'; route: RouteKey } | { type: 'secret-copies' };
export function parseUnitKey(u: UnitKey): ParsedUnit {
  if (u.startsWith(GW)) return { type: 'gateway', gateway: u.slice(GW.length) as NsName };
  if (u.startsWith(GAMMA)) return { type: 'gamma', route: u.slice(GAMMA.length) as RouteKey };
  return { type: 'secret-copies' };
}
/** The Gateway API object a unit translates (for reports), if any. */
export function unitSubject(u: UnitKey): { kind: string; namespace: string; name: string } | undefined {
  const p = parseUnitKey(u);
  if (p.type === 'gateway') return { kind: 'Gateway', ...parseNsName(p.gateway) };
  if (p.type === 'gamma') return parseRouteKey(p.route);
  return undefined;
}

// ---- the writer's queue -----------------------------------------------------------------------------
export const objectWork = (k: ObjectKey): WorkKey => ['O|', k].join('') as WorkKey;
export const statusWork = (k: StatusKey): WorkKey => ['S|', k].join('') as WorkKey;
export type ParsedWork = { type: 'object'; key: ObjectKey } | { type: 'status'; key: StatusKey };
export function parseWorkKey(w: WorkKey): ParsedWork {
  return w.startsWith('S|') ? { type: 'status', key: w.slice(2) as StatusKey } : { type: 'object', key: w.slice(2) as ObjectKey };
}
