// Listener conditions: one named constructor per message, the entries they use (each with its
// hint) and the assembly of one listener's condition list from what validation found.
import type { Condition } from '../api/meta';
import type { Hint } from './hint-context';
import { quoted, referenceGrantHint } from './hint-context';
import { entry, ok, Reason, Type } from './conditions';

const hostnameConflictHint: Hint = (ctx) =>
  `Another listener on port ${ctx.listener?.port ?? '?'} uses hostname "${ctx.listener?.hostname ?? '*'}": give each listener on a port a distinct hostname, or use another port.`;
const protocolConflictHint: Hint = (ctx) =>
  `Listeners on port ${ctx.listener?.port ?? '?'} use different protocols (meshgate serves one protocol per port): move one of them to another port.`;

const E = {
  accepted: entry('Listener', Type.Accepted, 'True', Reason.Accepted),
  unsupportedProtocol: entry('Listener', Type.Accepted, 'False', Reason.UnsupportedProtocol, (ctx) =>
    /cross-mesh/.test(ctx.message)
      ? 'A MeshGatewayConfig with crossMesh: true serves HTTP listeners only: use protocol HTTP, or give this Gateway a MeshGatewayConfig without crossMesh.'
      : `Listener protocol "${ctx.listener?.protocol ?? '?'}" is not supported: use HTTP, HTTPS, TLS or TCP.`),
  unsupportedValue: entry('Listener', Type.Accepted, 'False', Reason.UnsupportedValue, () =>
    'A listener field has a value meshgate does not support (e.g. tls on a TCP listener, a TLS mode other than Terminate or Passthrough): see the message and change the field.'),
  portUnavailable: entry('Listener', Type.Accepted, 'False', Reason.PortUnavailable, (ctx) =>
    `The proxy Service this Gateway names (annotation gateways.meshgate.io/proxy-service) must expose port ${ctx.listener?.port ?? '?'} with targetPort ${ctx.listener?.port ?? '?'} (the proxy listens on the listener port): add that port to the Service, or change the listener's port to one it exposes.`),
  hostnameConflictAccepted: entry('Listener', Type.Accepted, 'False', Reason.HostnameConflict, hostnameConflictHint),
  protocolConflictAccepted: entry('Listener', Type.Accepted, 'False', Reason.ProtocolConflict, protocolConflictHint),
  hostnameConflictProgrammed: entry('Listener', Type.Programmed, 'False', Reason.HostnameConflict, hostnameConflictHint),
  protocolConflictProgrammed: entry('Listener', Type.Programmed, 'False', Reason.ProtocolConflict, protocolConflictHint),
  hostnameConflict: entry('Listener', Type.Conflicted, 'True', Reason.HostnameConflict, hostnameConflictHint),
  protocolConflict: entry('Listener', Type.Conflicted, 'True', Reason.ProtocolConflict, protocolConflictHint),
  noConflicts: entry('Listener', Type.Conflicted, 'False', Reason.NoConflicts),
  programmed: entry('Listener', Type.Programmed, 'True', Reason.Programmed),
  invalid: entry('Listener', Type.Programmed, 'False', Reason.Invalid, (ctx) =>
    /allowedRoutes\.namespaces\.selector/.test(ctx.message)
      ? 'allowedRoutes.namespaces.selector must be a valid label selector (matchLabels of strings; matchExpressions with a key, an operator In, NotIn, Exists or DoesNotExist, and values only for In/NotIn): fix it, or use from: Same or All.'
      : `Listener "${ctx.listener?.name ?? '?'}" is not programmed because of its other conditions: fix those (see the listener's other problems) and it will be.`),
  invalidTLSConfig: entry('Listener', Type.Programmed, 'False', Reason.InvalidTLSConfig, () =>
    'An HTTPS listener needs tls with mode Terminate and certificateRefs (one or two kubernetes.io/tls Secrets): add them, or use protocol HTTP.'),
  resolvedRefs: entry('Listener', Type.ResolvedRefs, 'True', Reason.ResolvedRefs),
  invalidRouteKinds: entry('Listener', Type.ResolvedRefs, 'False', Reason.InvalidRouteKinds, () =>
    'allowedRoutes.kinds lists a kind this listener cannot serve: use HTTPRoute or GRPCRoute on HTTP/HTTPS listeners, TLSRoute on TLS listeners and TCPRoute on TCP listeners (group gateway.networking.k8s.io).'),
  invalidCertificateRef: entry('Listener', Type.ResolvedRefs, 'False', Reason.InvalidCertificateRef, (ctx) => {
    const refs = (ctx.listener?.tls?.certificateRefs ?? []).map((r) => `${r.namespace ?? ctx.object?.metadata.namespace}/${r.name}`);
    return `Check certificateRefs ${quoted(refs)}: each must be a core Secret (group "", kind Secret) that exists, of type kubernetes.io/tls, with a PEM certificate in tls.crt and its matching key in tls.key.`;
  }),
  refNotPermitted: entry('Listener', Type.ResolvedRefs, 'False', Reason.RefNotPermitted, referenceGrantHint),
  overlappingHostnames: entry('Listener', Type.OverlappingTLSConfig, 'True', Reason.OverlappingHostnames, () =>
    'Two HTTPS listeners on one port have overlapping hostnames (e.g. foo.example.com and *.example.com): clients may get the wrong certificate; make the hostnames disjoint.'),
  overlappingCertificates: entry('Listener', Type.OverlappingTLSConfig, 'True', Reason.OverlappingCertificates, () =>
    'Two HTTPS listeners on one port have overlapping hostnames and share a certificate: use one listener, or make the hostnames disjoint.'),
  certificateValid: entry('Listener', Type.CertificateValid, 'True', Reason.CertificateValid),
  certificateExpired: entry('Listener', Type.CertificateValid, 'False', Reason.CertificateExpired, () =>
    'The certificate has expired: renew it (update tls.crt and tls.key in the Secret).'),
  certificateHostnameMismatch: entry('Listener', Type.CertificateValid, 'False', Reason.CertificateHostnameMismatch, (ctx) =>
    `The certificate does not cover the listener hostname "${ctx.listener?.hostname ?? '*'}": issue a certificate with that name in its SANs, or change the hostname.`),
};
export const LISTENER_ENTRIES = Object.values(E);

/** `why`: the cross-mesh explanation, or ''. */
export const listenerUnsupportedProtocol = (protocol: unknown, why: string) =>
  E.unsupportedProtocol.make(`unsupported protocol ${String(protocol)}${why}; supported: HTTP, HTTPS, TLS, TCP`);
/** Listener Accepted=False/UnsupportedValue; `message` names the field (ports, hostnames, names, TLS modes). */
export const listenerUnsupportedValue = (message: string) => E.unsupportedValue.make(message);
export const listenerTLSOnPlain = (protocol: 'HTTP' | 'TCP') => E.unsupportedValue.make(`tls must not be set on ${protocol} listeners`);
/** `mode` as written (any value: the CRD's enum may be looser than this check). */
export const listenerTLSModeUnsupported = (mode: string) =>
  E.unsupportedValue.make(`TLS mode ${mode} is not supported on TLS listeners; use Terminate or Passthrough`);
export const listenerHTTPSModeNotTerminate = () => E.unsupportedValue.make('HTTPS listeners need tls.mode Terminate (for passthrough use protocol TLS)');
export const listenerFrontendValidation = () =>
  E.unsupportedValue.make('spec.tls.frontend (client certificate validation) is not supported by meshgate; remove it rather than serve without it');
export const listenerTooManyCertificates = (max: number) => E.unsupportedValue.make(`at most ${max} certificateRefs are supported (one RSA and one ECDSA)`);
export const listenerProtocolConflict = (port: number, protocols: string[]) =>
  E.protocolConflict.make(`multiple listeners on port ${port} with conflicting protocols (${protocols.join(', ')})`);
export const listenerTLSModesMixed = (names: string[], port: number) =>
  E.protocolConflict.make(`TLS listeners ${names.join(', ')} mix Terminate and Passthrough on port ${port}; use distinct ports`);
export const listenerTCPPortShared = (names: string[], port: number) =>
  E.hostnameConflict.make(`TCP listeners ${names.join(', ')} share port ${port}; TCP has no hostname to tell them apart`);
export const listenerHostnameConflict = (names: string[], host: string, port: number) =>
  E.hostnameConflict.make(`listeners ${names.join(', ')} share hostname "${host || '*'}" on port ${port}`);
/** GEP-1713: lost to a listener of the Gateway or of an older ListenerSet; names no other object (it may be another user's). */
export const listenerPrecedenceProtocolConflict = (port: number, protocol: string) =>
  E.protocolConflict.make(`port ${port} is already served with another protocol than ${protocol} by a listener of higher precedence (the parent Gateway's or an older ListenerSet's)`);
export const listenerPrecedenceHostnameConflict = (port: number, host: string | undefined) =>
  E.hostnameConflict.make(host === undefined
    ? `TCP port ${port} is already served by a listener of higher precedence (the parent Gateway's or an older ListenerSet's)`
    : `hostname "${host || '*'}" on port ${port} is already served by a listener of higher precedence (the parent Gateway's or an older ListenerSet's)`);
export const listenerOverlappingTLS = (sameCertificate: boolean, hostname: string, others: string[], port: number) =>
  (sameCertificate ? E.overlappingCertificates : E.overlappingHostnames).make(`hostname ${hostname} overlaps listener(s) ${others.join(', ')} on port ${port}`);
export const listenerSelectorInvalid = (name: string, problem: string) =>
  E.invalid.make(`spec.listeners[${name}].allowedRoutes.namespaces.selector: ${problem}; no route can attach`);
export const listenerNoTLSConfig = (name: string) =>
  E.invalidTLSConfig.make(`spec.listeners[${name}].tls: an HTTPS listener needs tls with mode Terminate and certificateRefs`);
export const listenerInvalidRouteKinds = (protocol: string, kinds: string[]) =>
  E.invalidRouteKinds.make(`unsupported route kinds for a ${protocol} listener: ${kinds.join(', ')}`);
export const listenerNoCertificateRefs = (protocol: string) =>
  E.invalidCertificateRef.make(`${protocol} listener has no certificateRefs${protocol === 'TLS' ? ' (tls.mode Terminate needs them)' : ''}`);
/** A certificateRef that did not resolve (tls-secret.ts says which reason and why). */
export const listenerCertificateRefFailed = (reason: 'RefNotPermitted' | 'InvalidCertificateRef', message: string) =>
  (reason === 'RefNotPermitted' ? E.refNotPermitted : E.invalidCertificateRef).make(message);
export const listenerCertificateExpired = (secret: string, notAfter: string) =>
  E.certificateExpired.make(`certificate in Secret "${secret}" expired at ${notAfter}`);
export const listenerCertificateHostnameMismatch = (secret: string, hostname: string, names: string) =>
  E.certificateHostnameMismatch.make(`certificate in Secret "${secret}" does not cover ${hostname} (DNS names: ${names}); clients will fail the TLS handshake`);
export const listenerCertificateValid = (expiry: string) => E.certificateValid.make(`certificate valid until ${expiry}`);

// ---- unmanaged Gateways (unmanaged.ts): the proxy Service decides which ports exist ----
export const listenerPortUnavailable = (port: number, service: string, why: string) =>
  E.portUnavailable.make(`port ${port} is not available on Service ${service} (annotation gateways.meshgate.io/proxy-service): ${why}`);
/** Programmed=False for a listener rejected after validation: says why it is not accepted. */
export const listenerNotAcceptedProgrammed = (accepted: Condition) => E.invalid.make(`listener is not accepted: ${accepted.message}`);

/** What validating one listener found; each set field is a condition already built above. */
export interface ListenerFindings {
  accepted?: Condition; // set when the listener is not acceptable
  resolved?: Condition; // set when a reference did not resolve
  certValid?: Condition;
  conflict?: Condition;
  overlap?: Condition;
  notProgrammed?: Condition; // accepted, but cannot be programmed (TLS config, namespace selector)
}

/** The listener's conditions: a conflict wins over other rejections, Programmed follows Accepted and refs. */
export function listenerConditions(f: ListenerFindings): { conditions: Condition[]; accepted: boolean; programmed: boolean } {
  const conditions: Condition[] = [];
  let accepted = true;
  let programmed = true;
  if (f.conflict) {
    const hostname = f.conflict.reason === Reason.HostnameConflict;
    conditions.push((hostname ? E.hostnameConflictAccepted : E.protocolConflictAccepted).make(f.conflict.message));
    conditions.push((hostname ? E.hostnameConflictProgrammed : E.protocolConflictProgrammed).make(f.conflict.message));
    conditions.push(f.conflict);
    accepted = programmed = false;
  } else if (f.accepted) {
    conditions.push(f.accepted);
    conditions.push(E.invalid.make(`listener is not accepted: ${f.accepted.message}`));
    accepted = programmed = false;
  } else {
    conditions.push(ok.accepted());
    conditions.push(E.noConflicts.make('No conflicts'));
  }
  const refsBroken = f.resolved && f.resolved.reason !== Reason.InvalidRouteKinds;
  if (accepted && f.notProgrammed) {
    conditions.push(f.notProgrammed);
    programmed = false;
  } else if (accepted && refsBroken) {
    conditions.push(E.invalid.make(`unable to resolve refs: ${f.resolved!.message}`));
    programmed = false;
  } else if (accepted) conditions.push(ok.programmed());
  conditions.push(f.resolved ?? ok.resolvedRefs());
  if (f.overlap) conditions.push(f.overlap);
  if (f.certValid && accepted) conditions.push(f.certValid);
  return { conditions, accepted, programmed };
}
