// The condition catalogue: every condition meshgate writes is built here, so types, reasons and
// messages stay consistent. Translators return these as data; nothing throws on user input.
import type { Condition } from '../api/meta';

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
  // GatewayClass
  SupportedVersion: 'SupportedVersion',
  UnsupportedVersion: 'UnsupportedVersion',
  // Gateway
  ListenersNotValid: 'ListenersNotValid',
  ListenersNotResolved: 'ListenersNotResolved',
  AddressNotAssigned: 'AddressNotAssigned',
  UnsupportedAddress: 'UnsupportedAddress',
  InvalidClientCertificateRef: 'InvalidClientCertificateRef',
  NoResources: 'NoResources',
  // Listener
  UnsupportedProtocol: 'UnsupportedProtocol',
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
