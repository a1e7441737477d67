// Generated route names are injective by construction (naming.ts), except for an 8-hex-digit
// hash coincidence. Should one happen between two routes on one Gateway, the route visited first
// (the older: routes are visited in precedence order) keeps the name; the other writes nothing on
// that Gateway and its parent entries say Accepted=False/GeneratedNameConflict, instead of one
// route silently overwriting the other's MeshHTTPRoute or MeshTCPRoute.
import type { MeshGatewayListener } from './api/kuma';
import type { Condition, KubeObject } from './api/meta';
import { ownerLabelValue } from './naming';
import type { GatewayScope } from './scope';
import type { RouteKey } from './snapshot';
import { Type } from './status/conditions';
import { routeGeneratedNameConflict } from './status/route';
import { TLSROUTE_TAG } from './tlsroute';

interface NameClaims {
  /** Kind → generated name → the route that generated it (no joined key per object). */
  owner: Map<string, Map<string, RouteKey>>;
  losers: Map<RouteKey, Condition>;
}

const claims = new WeakMap<GatewayScope, NameClaims>();

function claimsOf(scope: GatewayScope): NameClaims {
  let c = claims.get(scope);
  if (!c) claims.set(scope, (c = { owner: new Map(), losers: new Map() }));
  return c;
}

/** Adds route `rk`'s generated object to the unit, unless another route already generated that name. */
export function pushRouteObject(scope: GatewayScope, rk: RouteKey, o: KubeObject): void {
  const c = claimsOf(scope);
  let names = c.owner.get(o.kind);
  if (!names) c.owner.set(o.kind, (names = new Map()));
  const owner = names.get(o.metadata.name);
  if (owner !== undefined && owner !== rk) {
    if (!c.losers.has(rk)) c.losers.set(rk, routeGeneratedNameConflict(o.kind, o.metadata.name, owner.replace(':', ' ')));
    return;
  }
  names.set(o.metadata.name, rk);
  scope.unit.sources.set(o, rk);
  scope.unit.objects.push(o);
}

/** Drops what losing routes generated, says so in their parent entries; returns the SNI listeners left. */
export function dropNameLosers(scope: GatewayScope, sni: MeshGatewayListener[]): MeshGatewayListener[] {
  const c = claims.get(scope);
  if (!c || c.losers.size === 0) return sni;
  const unit = scope.unit;
  unit.objects = unit.objects.filter((o) => { const rk = unit.sources.get(o); return rk === undefined || !c.losers.has(rk); });
  const tags = new Set<string>();
  for (const [rk, conflict] of c.losers) {
    const entries = unit.routeParents.get(rk) ?? [];
    unit.routeParents.set(rk, entries.map((p) => ({
      ...p,
      conditions: p.conditions.map((x) => (x.type === Type.Accepted ? { ...x, ...conflict } : x)),
    })));
    for (const routes of scope.attached.values()) routes.delete(rk);
    if (rk.startsWith('TLSRoute:')) {
      const [ns, name] = rk.slice('TLSRoute:'.length).split('/');
      tags.add(ownerLabelValue(ns, name));
    }
  }
  return tags.size === 0 ? sni : sni.filter((l) => !tags.has(l.tags[TLSROUTE_TAG]));
}
