// Which listeners of one Gateway a route's parentRef attaches to, in the order the conformance
// suite and Envoy Gateway use: sectionName/port → kind and namespace → hostname intersection.
import type { ParentReference } from './api/gateway-api';
import type { Condition, LabelSelector } from './api/meta';
import { effectiveHostnames, hostnameProblem } from './hostnames';
import type { ListenerResult } from './listener';
import { listOf } from './status/conditions';
import { routeInvalidHostname, routeNoMatchingListenerHostname, routeNoMatchingParent, routeNotAllowedByListeners } from './status/route';
import type { RouteKind } from './keys';

export interface RouteFacts {
  kind: RouteKind;
  namespace: string;
  hostnames: string[] | undefined;
  namespaceLabels: Record<string, string>;
}

export interface Attachment {
  listener: ListenerResult;
  hostnames: string[];
}

export type AttachResult = { ok: true; attachments: Attachment[] } | { ok: false; accepted: Condition };

export function attachToGateway(
  route: RouteFacts,
  ref: ParentReference,
  gatewayNamespace: string,
  listeners: ListenerResult[],
): AttachResult {
  // The CRD pattern rejects these; files are not checked. Never drop a bad one silently: fewer
  // hostnames, or none, would widen what the route matches.
  const hosts: unknown[] = Array.isArray(route.hostnames) ? route.hostnames : [];
  for (let i = 0; i < hosts.length; i++) {
    const problem = hostnameProblem(hosts[i]);
    if (problem) return reject(routeInvalidHostname(i, problem));
  }
  // Without sectionName and port every listener is a candidate: no filtered copy.
  const bySection = ref.sectionName === undefined && ref.port === undefined ? listeners : listeners.filter(
    (l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.listener.port === ref.port),
  );
  if (bySection.length === 0) {
    const what = [ref.sectionName !== undefined ? `sectionName "${ref.sectionName}"` : '', ref.port !== undefined ? `port ${ref.port}` : ''].filter(Boolean).join(' and ');
    return reject(routeNoMatchingParent(what));
  }
  const allowed: ListenerResult[] = [];
  for (const l of bySection) if (l.attachable && supportsKind(l, route.kind) && namespaceAllowed(l, route, gatewayNamespace)) allowed.push(l);
  if (allowed.length === 0) return reject(routeNotAllowedByListeners(notAllowedMessage(route, bySection, gatewayNamespace)));
  const attachments: Attachment[] = [];
  for (const l of allowed) {
    const hostnames = effectiveHostnames(l.listener.hostname, route.hostnames);
    if (hostnames.length > 0) attachments.push({ listener: l, hostnames });
  }
  if (attachments.length === 0) {
    return reject(routeNoMatchingListenerHostname(route.hostnames ?? [], allowed.map((l) => l.listener.hostname ?? '*')));
  }
  return { ok: true, attachments };
}

function supportsKind(l: ListenerResult, kind: string): boolean {
  for (const k of l.supportedKinds) if (k.kind === kind) return true;
  return false;
}

function reject(accepted: Condition): AttachResult {
  return { ok: false, accepted };
}

function namespaceAllowed(l: ListenerResult, route: RouteFacts, gatewayNamespace: string): boolean {
  const ns = l.listener.allowedRoutes?.namespaces;
  switch (ns?.from ?? 'Same') {
    case 'All':
      return true;
    case 'Same':
      return route.namespace === gatewayNamespace;
    case 'Selector':
      return l.namespacesValid && ns?.selector !== undefined && selectorMatches(ns.selector, route.namespaceLabels);
    default:
      return false;
  }
}

function notAllowedMessage(route: RouteFacts, listeners: ListenerResult[], gatewayNamespace: string): string {
  const parts = listeners.map((l) => {
    if (!l.attachable) return `listener ${l.name} is not accepted`;
    if (!l.namespacesValid) return `listener ${l.name} has an invalid allowedRoutes namespace selector`;
    if (!l.supportedKinds.some((k) => k.kind === route.kind)) return `listener ${l.name} does not allow kind ${route.kind}`;
    const from = l.listener.allowedRoutes?.namespaces?.from ?? 'Same';
    return `listener ${l.name} allows routes from ${from === 'Same' ? `namespace ${gatewayNamespace} only` : `namespaces selected by ${from}`}, not ${route.namespace}`;
  });
  return listOf(parts, '; ');
}

/** Kubernetes LabelSelector semantics; anything malformed matches nothing. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  const exprs: unknown = sel.matchExpressions ?? [];
  if (!Array.isArray(exprs)) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of exprs as NonNullable<LabelSelector['matchExpressions']>) {
    if (typeof e !== 'object' || e === null) return false;
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: unknown = e.values ?? [];
    if (!Array.isArray(values)) return false;
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}
