// ListenerSets (GEP-1713) of one Gateway: which may attach (spec.allowedListeners), in which
// order their listeners merge after the Gateway's (Listener Precedence), the unique MeshGateway
// name of each of their listeners, and their status. Translated inside the Gateway's unit.
import type { Gateway, Listener, ListenerSet } from './api/gateway-api';
import type { Condition } from './api/meta';
import { selectorMatches } from './attachment';
import type { ListenerGroup, ListenerResult } from './listener';
import { namespaceSelectorProblem } from './listener';
import { nsName, nsNameOf } from './keys';
import { parentStatus } from './route-status';
import type { GatewayScope, UnitListenerSet } from './scope';
import type { Snapshot } from './snapshot';
import { Type } from './status/conditions';
import { listenerStatuses } from './status/gateway';
import { listenerSetConditions, listenerSetNotAllowed, listenerSetParentNotAccepted, listenerSetStatus } from './status/listenerset';
import { routeGatewayNotAccepted, routeNotAllowedByListeners } from './status/route';
import type { UnitOutput } from './unit';
import { addRouteParent } from './unit';
import { isListenerSetParent } from './dependencies';

/**
 * A ListenerSet listener's name in the MeshGateway (its listener tag): `<ns>_<set>_<listener>`.
 * `_` occurs in no namespace, object or listener name, so this is injective and never the name of
 * one of the Gateway's own listeners (GEP-1713 lets names repeat across objects).
 */
export function listenerSetListenerName(namespace: string, set: string, listener: string): string {
  return [namespace, set, listener].join('_');
}

export interface GatewayListenerSets {
  /** Every ListenerSet naming the Gateway, in precedence order: oldest first, then by namespace/name. */
  all: ListenerSet[];
  /** Those the Gateway's allowedListeners admits, as listener groups (same order). */
  allowed: (ListenerGroup & { set: ListenerSet })[];
  /** `ns/name` → the Accepted/Programmed conditions of a ListenerSet the Gateway does not admit. */
  notAllowed: Map<string, Condition[]>;
}

export function listenerSetsOf(snap: Snapshot, gw: Gateway, gwKey: string): GatewayListenerSets {
  const all = [...snap.listenerSetsOfGateway(gwKey)].map((k) => snap.listenerSets.get(k)).filter((ls): ls is ListenerSet => ls !== undefined).sort(byPrecedence);
  const out: GatewayListenerSets = { all, allowed: [], notAllowed: new Map() };
  const from = String(gw.spec.allowedListeners?.namespaces?.from ?? 'None');
  for (const ls of all) {
    const ns = ls.metadata.namespace ?? '';
    if (allowsNamespace(snap, gw, from, ns)) {
      out.allowed.push({ set: ls, namespace: ns, name: ls.metadata.name, listeners: ls.spec.listeners, key: (l) => listenerSetListenerName(ns, ls.metadata.name, l) });
    } else out.notAllowed.set(nsNameOf(ls), listenerSetNotAllowed(gwKey, from));
  }
  return out;
}

function byPrecedence(a: ListenerSet, b: ListenerSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = nsNameOf(a);
  const kb = nsNameOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function allowsNamespace(snap: Snapshot, gw: Gateway, from: string, ns: string): boolean {
  switch (from) {
    case 'All': return true;
    case 'Same': return ns === (gw.metadata.namespace ?? '');
    case 'Selector': {
      const sel = gw.spec.allowedListeners?.namespaces?.selector;
      // The same checks as a listener's allowedRoutes selector: a malformed one admits nothing.
      const asListener = { allowedRoutes: { namespaces: { from: 'Selector', selector: sel } } } as Listener;
      return sel !== undefined && namespaceSelectorProblem(asListener) === undefined && selectorMatches(sel, snap.namespaceLabels(ns));
    }
    default: return false; // None, or a value the CRD would refuse
  }
}

/** What the scope says of each ListenerSet naming the Gateway: its listeners, or why routes cannot attach to it. */
export function scopeListenerSets(sets: GatewayListenerSets, listeners: ListenerResult[], gwKey: string): Map<string, UnitListenerSet> {
  const out = new Map<string, UnitListenerSet>();
  if (sets.all.length === 0) return out;
  const byOwner = new Map<string, ListenerResult[]>();
  for (const l of listeners) {
    if (!l.owner) continue;
    const k = nsName(l.owner.namespace, l.owner.name);
    byOwner.set(k, [...(byOwner.get(k) ?? []), l]);
  }
  for (const ls of sets.all) {
    const k = nsNameOf(ls);
    const namespace = ls.metadata.namespace ?? '';
    const notAllowed = sets.notAllowed.get(k);
    out.set(k, notAllowed
      ? { namespace, listeners: [], rejected: routeNotAllowedByListeners(`ListenerSet ${k} is not attached to Gateway ${gwKey}: ${notAllowed[0].message}`) }
      : { namespace, listeners: byOwner.get(k) ?? [] });
  }
  return out;
}

/** The status of each ListenerSet of an accepted Gateway (after its routes were attached); returns how many are attached. */
export function emitListenerSetStatuses(scope: GatewayScope, sets: GatewayListenerSets, gatewayConditions: Condition[]): number {
  const programmed = gatewayConditions.find((c) => c.type === Type.Programmed)!;
  let attached = 0;
  for (const ls of sets.all) {
    const k = nsNameOf(ls);
    const notAllowed = sets.notAllowed.get(k);
    if (notAllowed) { push(scope.unit, listenerSetStatus(ls, notAllowed, [])); continue; }
    const own = scope.listenerSets.get(k)?.listeners ?? [];
    const conditions = listenerSetConditions(own.map((l) => ({ name: l.name, valid: l.programmed })), programmed);
    if (conditions[0].status === 'True') attached++;
    push(scope.unit, listenerSetStatus(ls, conditions, listenerStatuses(own, scope.attached, ls.metadata.generation ?? 1)));
  }
  return attached;
}

/** A Gateway that is not accepted: its ListenerSets say so, and so do the parent entries of their routes. */
export function blockedListenerSets(snap: Snapshot, unit: UnitOutput, gw: Gateway, gwKey: string, why: string): void {
  const sets = listenerSetsOf(snap, gw, gwKey);
  for (const ls of sets.all) {
    const k = nsNameOf(ls);
    push(unit, listenerSetStatus(ls, sets.notAllowed.get(k) ?? listenerSetParentNotAccepted(gwKey, why), []));
    for (const rk of snap.routesOfListenerSet(k)) {
      const route = snap.route(rk);
      if (!route) continue;
      const rns = route.metadata.namespace ?? '';
      for (const ref of route.spec.parentRefs ?? []) {
        if (!isListenerSetParent(ref) || nsName(ref.namespace || rns, ref.name) !== k) continue;
        addRouteParent(unit, rk, parentStatus(ref, snap.options.controllerName, route.metadata.generation ?? 1, { accepted: routeGatewayNotAccepted(gwKey, why), backendFailures: [] }));
      }
    }
  }
}

function push(unit: UnitOutput, s: UnitOutput['listenerSetStatuses'] extends (infer T)[] | undefined ? T : never): void {
  (unit.listenerSetStatuses ??= []).push(s);
}
