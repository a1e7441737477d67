// Route memos: the engine's one wrapper around the pure per-route conversion (httproute.ts). A
// Gateway with 1,000 routes is re-translated whole whenever one of them changes; a route whose
// part is still valid is replayed instead of converted again. Valid means: nothing the route's
// part declares as read changed (Snapshot.partStamp, derived from dependencies.ts), the Gateway's
// validated listeners are the same (scopeSignature) and no older route took one of its matches.
// Replaying yields exactly what converting would (the property tests compare incremental with full).
import type { GatewayScope } from './scope';
import type { RouteKey } from './keys';
import type { Snapshot } from './snapshot';
import type { Claims, RouteConverter, RoutePart } from './unit';

export interface RouteMemo {
  part: RoutePart;
  signature: string;
  stamp: number;
}
/** One Gateway unit's memos, by route. */
export type RouteMemos = Map<RouteKey, RouteMemo>;

/**
 * `convert` for one translation of one Gateway, with memos: replays from `previous` what is still
 * valid and records in `next` the memos of this translation.
 */
export function memoised(convert: RouteConverter, snap: Snapshot, previous: RouteMemos | undefined, next: RouteMemos): RouteConverter {
  let signature: string | undefined; // one Gateway translation: one scope
  return (scope, rk, route, claimed, lost) => {
    signature ??= scopeSignature(scope);
    const stamp = snap.partStamp(rk);
    const memo = previous?.get(rk);
    // A route that lost listeners to a route of the other kind (GRPCRoute vs HTTPRoute) depends on
    // that route too: converted afresh, and its part is contested (never replayed).
    if (!lost?.size && memo && memo.stamp === stamp && memo.signature === signature && !memo.part.contested && claimAll(memo.part.claims, claimed)) {
      next.set(rk, memo);
      return memo.part;
    }
    const part = convert(scope, rk, route, claimed, lost);
    next.set(rk, { part, signature, stamp });
    return part;
  };
}

/** Takes every claim of a memo, or none (false) if an older route took one of them in this translation. */
function claimAll(c: string[], claimed: Claims): boolean {
  for (let i = 0; i < c.length; i += 2) if (claimed.has(c[i], c[i + 1])) return false;
  for (let i = 0; i < c.length; i += 2) claimed.add(c[i], c[i + 1]);
  return true;
}

/** What a route part reads of its Gateway: listeners as validated, mesh, names. */
export function scopeSignature(scope: GatewayScope): string {
  return JSON.stringify([
    scope.gwNamespace, scope.gw.metadata.name, scope.mesh, scope.meshGatewayName,
    scope.listeners.map((l) => [l.listener.name, l.listener.port, l.listener.protocol, l.listener.hostname, l.listener.allowedRoutes, l.accepted, l.programmed, l.supportedKinds]),
    // ListenerSets naming the Gateway: which are attached, and why the others are not (their routes' parent entries say it).
    ...(scope.listenerSets.size ? [[...scope.listenerSets].map(([k, v]) => [k, v.rejected?.message ?? ''])] : []),
  ]);
}
