// The core of the condition catalogue: types, reasons, the entry shape and the helpers every
// constructor uses. The entries themselves, one named constructor each, live by object kind in
// status/{gatewayclass,gateway,listener,route}.ts; status/catalogue.ts lists them all.
// Translators return conditions as data; nothing throws on user input.
//
// Adding a condition:
//  1. Use a Reason below (a spec constant where the spec has one; add it here only if emitted).
//  2. In status/<kind>.ts, add an entry: `entry(scope, type, status, reason, hint)`. One entry per
//     (scope, type, status, reason); a bad condition (one the GUI lists as a problem) needs a hint
//     that says what to change, and never one the translator would reject in turn.
//  3. Add a named constructor next to it that builds the message from its arguments
//     (`listenerUnsupportedProtocol(protocol, crossMesh)`), and call only that from translators.
//  4. Add the entry's list to status/catalogue.ts if it is a new kind, a minimal input that emits it
//     to status/catalogue-emit.test.ts, and a row to status/constructors.test.ts.
// `condition()` stays exported for code not yet ported to constructors; its reasons are still
// checked by src/status-catalogue.test.ts (every emitted reason must have an entry with a hint).
import type { Condition } from '../api/meta';
import type { Hint } from './hint-context';

export type ConditionStatus = Condition['status'];

export const Type = {
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Conflicted: 'Conflicted',
  OverlappingTLSConfig: 'OverlappingTLSConfig',
  SupportedVersion: 'SupportedVersion',
  PartiallyInvalid: 'PartiallyInvalid',
  /** Implementation-specific: the certificate does not cover the listener hostname, or expired. */
  CertificateValid: 'meshgate.io/CertificateValid',
} as const;

export const Reason = {
  // shared
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Pending: 'Pending',
  Invalid: 'Invalid',
  InvalidParameters: 'InvalidParameters',
  UnsupportedValue: 'UnsupportedValue',
  RefNotPermitted: 'RefNotPermitted',
  /** The object's (or its namespace's) kuma.io/mesh label or annotation is not a valid mesh name. */
  InvalidMesh: 'InvalidMesh',
  /** A generated object's name is taken by one generated for another source (the older source keeps it). */
  GeneratedNameConflict: 'GeneratedNameConflict',
  /** Implementation-specific (route): every listener it names is already served by an older route of its kind (TCP). */
  RouteConflict: 'RouteConflict',
  // GatewayClass
  SupportedVersion: 'SupportedVersion',
  UnsupportedVersion: 'UnsupportedVersion',
  // Gateway
  ListenersNotValid: 'ListenersNotValid',
  ListenersNotResolved: 'ListenersNotResolved',
  UnsupportedAddress: 'UnsupportedAddress',
  InvalidClientCertificateRef: 'InvalidClientCertificateRef',
  NoResources: 'NoResources',
  // ListenerSet (GEP-1713)
  NotAllowed: 'NotAllowed',
  ParentNotAccepted: 'ParentNotAccepted',
  // Listener
  UnsupportedProtocol: 'UnsupportedProtocol',
  /** The unmanaged Gateway's proxy Service does not expose the listener's port (unmanaged.ts). */
  PortUnavailable: 'PortUnavailable',
  InvalidCertificateRef: 'InvalidCertificateRef',
  InvalidRouteKinds: 'InvalidRouteKinds',
  HostnameConflict: 'HostnameConflict',
  ProtocolConflict: 'ProtocolConflict',
  NoConflicts: 'NoConflicts',
  OverlappingHostnames: 'OverlappingHostnames',
  OverlappingCertificates: 'OverlappingCertificates',
  CertificateValid: 'CertificateValid',
  CertificateHostnameMismatch: 'CertificateHostnameMismatch',
  CertificateExpired: 'CertificateExpired',
  /** Not a Go constant; the implementer's guide names it for a listener whose TLS config is insufficient. */
  InvalidTLSConfig: 'InvalidTLSConfig',
  // Route
  NotAllowedByListeners: 'NotAllowedByListeners',
  NoMatchingListenerHostname: 'NoMatchingListenerHostname',
  NoMatchingParent: 'NoMatchingParent',
  IncompatibleFilters: 'IncompatibleFilters',
  BackendNotFound: 'BackendNotFound',
  InvalidKind: 'InvalidKind',
  UnsupportedProtocol_: 'UnsupportedProtocol',
} as const;

/** The CRD's maxLength for a condition message: one longer makes the API server refuse the whole status. */
export const MAX_MESSAGE = 32768;

/** Where a condition sits: on a GatewayClass, a Gateway, a ListenerSet, one of their listeners, or a route's parent entry. */
export type Scope = 'GatewayClass' | 'Gateway' | 'ListenerSet' | 'Listener' | 'Route';

/** One catalogue entry: a condition meshgate can write at one scope, and what the user should do about it. */
export interface CatalogueEntry {
  readonly scope: Scope;
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  /** Absent only on healthy conditions (nothing to do). */
  readonly hint?: Hint;
  /** The condition with this entry's type, status and reason. */
  make(message: string): Condition;
}

export function entry(scope: Scope, type: string, status: ConditionStatus, reason: string, hint?: Hint): CatalogueEntry {
  return { scope, type, status, reason, ...(hint ? { hint } : {}), make: (message: string) => condition(type, status, reason, message) };
}

export function entryKey(scope: Scope, type: string, status: string, reason: string): string {
  return [scope, type, status, reason].join('|');
}

export function condition(type: string, status: ConditionStatus, reason: string, message: string): Condition {
  return { type, status, reason, message: message.length > MAX_MESSAGE ? capMessage(message) : message };
}

/** Cut at MAX_MESSAGE, saying how much was cut; never inside a surrogate pair. */
export function capMessage(message: string): string {
  const keep = MAX_MESSAGE - 64;
  const end = /[\uD800-\uDBFF]/.test(message[keep - 1] ?? '') ? keep - 1 : keep;
  return `${message.slice(0, end)} … (${message.length - end} more characters)`;
}

/** `a, b, c … and N more`: lists in messages stay readable and bounded. */
export function listOf(items: readonly string[], sep = ', ', max = 16): string {
  return items.length <= max ? items.join(sep) : `${items.slice(0, max).join(sep)} … and ${items.length - max} more`;
}

export const ok = {
  accepted: (message = 'Accepted') => condition(Type.Accepted, 'True', Reason.Accepted, message),
  programmed: (message = 'Programmed') => condition(Type.Programmed, 'True', Reason.Programmed, message),
  resolvedRefs: (message = 'All references resolved') =>
    condition(Type.ResolvedRefs, 'True', Reason.ResolvedRefs, message),
};

/** Sets `observedGeneration` on each condition and orders them by type for stable output. */
export function finalizeConditions(conditions: Condition[], generation: number): Condition[] {
  // The first condition of each type wins. Lists are short (≤ 5): a scan beats a Map.
  const out: Condition[] = [];
  for (const c of conditions) {
    if (out.some((o) => o.type === c.type)) continue;
    out.push({ type: c.type, status: c.status, reason: c.reason, message: c.message, observedGeneration: generation });
  }
  return out.sort((a, b) => conditionOrder(a.type) - conditionOrder(b.type) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

const ORDER = [Type.Accepted, Type.Programmed, Type.ResolvedRefs, Type.Conflicted, Type.OverlappingTLSConfig];
function conditionOrder(type: string): number {
  const i = (ORDER as readonly string[]).indexOf(type);
  return i === -1 ? ORDER.length : i;
}
