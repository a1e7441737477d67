// Listener validation: protocol and TLS support, route kinds, certificate refs, conflicts and
// overlapping TLS config. Conflicting listeners are all rejected; no "winner" is picked.
import type { Listener } from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { Condition } from './api/meta';
import { describe, isPort } from './backends';
import { hostnameProblem, intersectHostname, isWildcard } from './hostnames';
import { listOf, Reason } from './status/conditions';
import type { ListenerFindings } from './status/listener';
import {
  listenerCertificateExpired, listenerCertificateHostnameMismatch, listenerCertificateRefFailed, listenerCertificateValid, listenerConditions,
  listenerFrontendValidation, listenerHostnameConflict, listenerHTTPSModeNotTerminate, listenerInvalidRouteKinds, listenerNoCertificateRefs,
  listenerNoTLSConfig, listenerOverlappingTLS, listenerPrecedenceHostnameConflict, listenerPrecedenceProtocolConflict, listenerProtocolConflict, listenerSelectorInvalid, listenerTCPPortShared, listenerTLSModesMixed, listenerTLSModeUnsupported, listenerTLSOnPlain,
  listenerTooManyCertificates, listenerUnsupportedProtocol, listenerUnsupportedValue,
} from './status/listener';
import type { CertInfo, CertLookup } from './tls-secret';
import { certificateCovers, resolveCertificateRef } from './tls-secret';
import type { Secret } from './api/meta';

export interface ResolvedCert {
  secret: Secret;
  info: CertInfo;
}

/** A ListenerSet whose listeners are merged into its parent Gateway's (listenerset.ts). */
export interface ListenerOwner {
  namespace: string;
  name: string;
}

export interface ListenerResult {
  /** As written, except that a ListenerSet listener's `name` is its unique name in the MeshGateway (listenerset.ts). */
  listener: Listener;
  /** The name as written in its Gateway or ListenerSet (what sectionName and status use). */
  name: string;
  /** The ListenerSet declaring it; absent for the Gateway's own listeners. */
  owner?: ListenerOwner;
  supportedKinds: { group: string; kind: string }[];
  /** Listener Accepted=True. */
  accepted: boolean;
  /**
   * Routes may attach and are counted: accepted, or refused only for a conflict ("Listener or
   * Route status does not impact successful attachment", the attachedRoutes doc).
   */
  attachable: boolean;
  /** allowedRoutes.namespaces admits routes; false for a Selector that is missing or invalid. */
  namespacesValid: boolean;
  /** Goes into the MeshGateway (accepted, refs resolved, no conflict). */
  programmed: boolean;
  conditions: Condition[];
  certificates: ResolvedCert[];
}

export interface ListenerContext {
  gatewayNamespace: string;
  crossMesh: boolean;
  /** spec.tls.frontend is set: meshgate cannot validate client certificates. */
  frontendValidation: boolean;
  certs: CertLookup;
  /** RFC 3339 instant for the expiry check; absent = not checked. */
  now?: string;
  /** The GRPCRoute CRD is known not to be installed: HTTP listeners do not list GRPCRoute. */
  noGRPCRoute?: boolean;
  /** Kind of the object declaring the listeners, for ReferenceGrants (default Gateway; `gatewayNamespace` is its namespace). */
  fromKind?: string;
}

// A Map, not an object literal: protocol is user input, and "constructor" or "toString" (valid
// per the CRD pattern) must not find Object.prototype members.
const KINDS_BY_PROTOCOL = new Map<unknown, string[]>([['HTTP', ['HTTPRoute', 'GRPCRoute']], ['HTTPS', ['HTTPRoute', 'GRPCRoute']], ['TLS', ['TLSRoute']], ['TCP', ['TCPRoute']]]);
const MAX_CERTIFICATES = 2;

interface Draft extends ListenerFindings {
  l: Listener;
  /** 0: the Gateway; i: the i-th ListenerSet in precedence order. */
  rank: number;
  owner?: ListenerOwner;
  kinds: { group: string; kind: string }[];
  certs: ResolvedCert[];
}

/** The listeners of one ListenerSet, merged after the Gateway's in precedence order (GEP-1713). */
export interface ListenerGroup extends ListenerOwner {
  listeners: Listener[];
  /** The unique MeshGateway name of listener `name` of this set. */
  key: (name: string) => string;
}

/**
 * Validates the Gateway's listeners and its attached ListenerSets' (`sets`, in precedence order)
 * as one list: names are unique per object, and a conflict between objects is lost by the later.
 */
export function validateListeners(listeners: Listener[], ctx: ListenerContext, sets: ListenerGroup[] = []): ListenerResult[] {
  const drafts = listeners.map((l) => checkListener(l, ctx, 0));
  sets.forEach((set, i) => {
    const setCtx = { ...ctx, gatewayNamespace: set.namespace, fromKind: 'ListenerSet' };
    for (const l of set.listeners) drafts.push(checkListener(l, setCtx, i + 1, set));
  });
  markBadNames(sets.length === 0 ? drafts : drafts.filter((d) => d.rank === 0));
  markConflicts(sets.length === 0 ? drafts : drafts.filter((d) => d.rank === 0));
  if (sets.length > 0) markPrecedenceConflicts(drafts, sets.length);
  markOverlappingTLS(drafts);
  return drafts.map((d) => finish(d, d.rank === 0 ? undefined : sets[d.rank - 1]));
}

function checkListener(l: Listener, ctx: ListenerContext, rank: number, owner?: ListenerOwner): Draft {
  const d: Draft = { l, rank, kinds: [], certs: [], ...(owner ? { owner: { namespace: owner.namespace, name: owner.name } } : {}) };
  const protocol = l.protocol;
  const kinds = KINDS_BY_PROTOCOL.get(protocol);
  const allowed = ctx.noGRPCRoute ? kinds?.filter((k) => k !== 'GRPCRoute') : kinds;
  if (!allowed || (ctx.crossMesh && protocol !== 'HTTP')) {
    const why = ctx.crossMesh && allowed ? ' with cross-mesh (MeshGatewayConfig crossMesh: true allows HTTP only)' : '';
    d.accepted = listenerUnsupportedProtocol(protocol, why);
    return d;
  }
  d.kinds = supportedKinds(l, allowed, d);
  // The CRD says 1-65535; files are not checked, and 0 or 70000 must not reach the Service.
  if (!isPort(l.port)) {
    d.accepted = listenerUnsupportedValue(`spec.listeners[${l.name}].port: ${describe(l.port)} is not a valid port (1-65535)`);
    return d;
  }
  const selectorProblem = namespaceSelectorProblem(l);
  if (selectorProblem) d.notProgrammed = listenerSelectorInvalid(l.name, selectorProblem);
  const hostProblem = l.hostname !== undefined ? hostnameProblem(l.hostname) : undefined;
  if (hostProblem) {
    d.accepted = listenerUnsupportedValue(`spec.listeners[${l.name}].hostname: ${hostProblem}`);
    return d;
  }
  if (protocol === 'TLS') checkTLSListener(l, d, ctx);
  if ((protocol === 'HTTP' || protocol === 'TCP') && l.tls) {
    d.accepted = listenerTLSOnPlain(protocol);
  }
  if (protocol === 'HTTPS') checkHTTPSListener(l, d, ctx);
  if (d.accepted) d.kinds = d.accepted.reason === Reason.UnsupportedValue && protocol === 'TLS' ? [] : d.kinds;
  return d;
}

function supportedKinds(l: Listener, allowed: string[], d: Draft): { group: string; kind: string }[] {
  const requested = l.allowedRoutes?.kinds;
  if (!requested || requested.length === 0) return allowed.map((kind) => ({ group: GATEWAY_GROUP, kind }));
  const out: { group: string; kind: string }[] = [];
  const invalid: string[] = [];
  for (const k of requested) {
    const group = k?.group ?? GATEWAY_GROUP;
    if (group === GATEWAY_GROUP && allowed.includes(k?.kind)) {
      if (!out.some((o) => o.kind === k.kind)) out.push({ group, kind: k.kind });
    } else invalid.push(`${group}/${k?.kind}`);
  }
  if (invalid.length > 0) {
    d.resolved = listenerInvalidRouteKinds(l.protocol, invalid);
  }
  return out;
}

/** A TLS listener in Passthrough mode routes by SNI; in Terminate mode it also needs certificates. */
function checkTLSListener(l: Listener, d: Draft, ctx: ListenerContext): void {
  const mode = tlsMode(l);
  if (mode === 'Passthrough') return;
  if (mode !== 'Terminate') {
    d.accepted = listenerTLSModeUnsupported(describe(mode));
    return;
  }
  checkTerminateCertificates(l, d, ctx);
}

/** A TLS listener's mode (CRD default Terminate; a TLS listener without tls is Terminate with no certificates). */
export function tlsMode(l: Listener): unknown {
  return l.tls?.mode ?? 'Terminate';
}

function checkHTTPSListener(l: Listener, d: Draft, ctx: ListenerContext): void {
  const tls = l.tls;
  if (!tls) {
    // CRD-valid (the CEL rule is on the Gateway's tls, not the listener's): accepted, not programmable.
    d.notProgrammed = listenerNoTLSConfig(l.name);
    return;
  }
  if ((tls.mode ?? 'Terminate') !== 'Terminate') {
    d.accepted = listenerHTTPSModeNotTerminate();
    return;
  }
  checkTerminateCertificates(l, d, ctx);
}

/** HTTPS and TLS-Terminate listeners: frontend validation refused, then certificateRefs resolved and checked. */
function checkTerminateCertificates(l: Listener, d: Draft, ctx: ListenerContext): void {
  const tls = l.tls ?? {};
  if (ctx.frontendValidation) {
    d.accepted = listenerFrontendValidation();
    return;
  }
  const refs = tls.certificateRefs ?? [];
  if (refs.length === 0) {
    d.resolved = listenerNoCertificateRefs(String(l.protocol));
    return;
  }
  if (refs.length > MAX_CERTIFICATES) {
    d.accepted = listenerTooManyCertificates(MAX_CERTIFICATES);
    return;
  }
  const failures = refs.map((r) => resolveCertificateRef(ctx.certs, ctx.gatewayNamespace, r, ctx.fromKind));
  const permitted = failures.find((f) => !f.ok && f.reason === 'RefNotPermitted');
  const firstBad = permitted ?? failures.find((f) => !f.ok);
  if (firstBad && !firstBad.ok) {
    d.resolved = listenerCertificateRefFailed(firstBad.reason, firstBad.message);
    return;
  }
  for (const f of failures) if (f.ok) d.certs.push({ secret: f.secret, info: f.info });
  d.certValid = checkCertificateValidity(l.hostname, d.certs, ctx.now);
}

function checkCertificateValidity(hostname: string | undefined, certs: ResolvedCert[], now?: string): Condition {
  if (now) {
    const expired = certs.find((c) => c.info.notAfter < now);
    if (expired) {
      return listenerCertificateExpired(`${expired.secret.metadata.namespace}/${expired.secret.metadata.name}`, expired.info.notAfter);
    }
  }
  if (hostname) {
    const uncovered = certs.find((c) => !certificateCovers(c.info.dnsNames, hostname));
    if (uncovered) {
      const names = listOf(uncovered.info.dnsNames) || 'none';
      return listenerCertificateHostnameMismatch(`${uncovered.secret.metadata.namespace}/${uncovered.secret.metadata.name}`, hostname, names);
    }
  }
  const expiry = certs.map((c) => c.info.notAfter).sort()[0];
  return listenerCertificateValid(expiry);
}

const SELECTOR_OPERATORS: ReadonlySet<unknown> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * What is wrong with a `from: Selector` listener's selector, as the API server would say of a
 * LabelSelector (files are not schema-checked). A bad selector admits nothing; it is never
 * half-read (a string `values` would otherwise match by substring).
 */
export function namespaceSelectorProblem(l: Listener): string | undefined {
  const ns = l.allowedRoutes?.namespaces;
  if (ns?.from !== 'Selector') return undefined;
  const sel: unknown = ns.selector;
  if (!isObj(sel)) return 'from: Selector needs a selector';
  const labels: unknown = sel.matchLabels;
  if (labels !== undefined && (!isObj(labels) || !Object.values(labels).every((v) => typeof v === 'string'))) return 'matchLabels must map label keys to string values';
  const exprs: unknown = sel.matchExpressions;
  if (exprs === undefined) return undefined;
  if (!Array.isArray(exprs)) return `matchExpressions must be a list, got ${describe(exprs)}`;
  for (let i = 0; i < exprs.length; i++) {
    const e: unknown = exprs[i];
    const at = `matchExpressions[${i}]`;
    if (!isObj(e) || typeof e.key !== 'string' || e.key === '') return `${at} needs a non-empty string key`;
    if (!SELECTOR_OPERATORS.has(e.operator)) return `${at}.operator ${describe(e.operator)} is not one of In, NotIn, Exists, DoesNotExist`;
    const values: unknown = e.values;
    const list = values === undefined ? [] : values;
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) return `${at}.values must be a list of strings, got ${describe(values)}`;
    if ((e.operator === 'In' || e.operator === 'NotIn') && list.length === 0) return `${at}: operator ${e.operator} needs at least one value`;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && list.length > 0) return `${at}: operator ${e.operator} takes no values`;
  }
  return undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A listener's name keys its status entry, its MeshGateway tag and routes' sectionName: it must be
 * a valid SectionName (the CRD pattern, ≤253) and unique. Duplicates are all rejected, no winner.
 */
function markBadNames(drafts: Draft[]): void {
  const count = new Map<unknown, number>();
  for (const d of drafts) count.set(d.l.name, (count.get(d.l.name) ?? 0) + 1);
  for (const d of drafts) {
    if (d.accepted) continue;
    const name: unknown = d.l.name;
    const n = count.get(name) ?? 0;
    const problem = typeof name !== 'string' || name === ''
      ? `listener name must be a non-empty string, got ${describe(name)}`
      : name.length > 253 || !SECTION_NAME.test(name)
        ? `listener name ${describe(name)} is not a lower-case RFC 1123 subdomain of at most 253 characters`
        : n > 1 ? `listener name ${describe(name)} is used by ${n} listeners; names must be unique within the Gateway` : undefined;
    if (problem) d.accepted = listenerUnsupportedValue(problem);
  }
}

/** Same port: protocols must agree (Kuma serves one protocol per port); hostnames must differ. */
function markConflicts(drafts: Draft[]): void {
  const byPort = new Map<number, Draft[]>();
  for (const d of drafts) {
    if (d.accepted) continue;
    byPort.set(d.l.port, [...(byPort.get(d.l.port) ?? []), d]);
  }
  for (const [port, group] of byPort) {
    const protocols = new Set(group.map((d) => d.l.protocol));
    if (protocols.size > 1) {
      const conflict = listenerProtocolConflict(port, [...protocols].sort());
      for (const d of group) d.conflict = conflict;
      continue;
    }
    // tcp-tls: meshgate does not claim TLSRouteModeMixed; the conformance test expects ProtocolConflict.
    if (protocols.has('TLS') && new Set(group.map((d) => tlsMode(d.l))).size > 1) {
      const conflict = listenerTLSModesMixed(group.map((d) => d.l.name), port);
      // No route kind is served there (upstream TLSRouteListenerMixedTerminationNotSupported expects none listed).
      for (const d of group) { d.conflict = conflict; d.kinds = []; }
      continue;
    }
    // tcp-tls: TCP has no hostname to tell two listeners on one port apart.
    if (protocols.has('TCP') && group.length > 1) {
      const conflict = listenerTCPPortShared(group.map((d) => d.l.name), port);
      for (const d of group) d.conflict = conflict;
      continue;
    }
    const byHost = new Map<string, Draft[]>();
    for (const d of group) byHost.set(d.l.hostname ?? '', [...(byHost.get(d.l.hostname ?? '') ?? []), d]);
    for (const [host, same] of byHost) {
      if (same.length < 2) continue;
      const conflict = listenerHostnameConflict(same.map((d) => d.l.name), host, port);
      for (const d of same) d.conflict = conflict;
    }
  }
}

/** HTTPS (and TLS Terminate) listeners on one port whose hostnames overlap (foo.example.com vs *.example.com). */
function markOverlappingTLS(drafts: Draft[]): void {
  const https = drafts.filter((d) => (d.l.protocol === 'HTTPS' || (d.l.protocol === 'TLS' && tlsMode(d.l) === 'Terminate')) && !d.accepted && !d.conflict && d.l.hostname);
  for (const a of https) {
    const overlaps = https.filter(
      (b) => b !== a && b.l.port === a.l.port && (isWildcard(a.l.hostname!) || isWildcard(b.l.hostname!)) && intersectHostname(a.l.hostname, b.l.hostname!) !== undefined,
    );
    if (overlaps.length === 0) continue;
    const sameCert = overlaps.some((b) => b.certs.some((cb) => a.certs.some((ca) => ca.secret === cb.secret)));
    a.overlap = listenerOverlappingTLS(sameCert, a.l.hostname!, overlaps.map((b) => b.l.name), a.l.port);
  }
}

/**
 * Across objects (GEP-1713 Listener Precedence): a listener conflicting with one of an object of
 * higher precedence (the Gateway, then older ListenerSets) loses; the winner keeps no condition.
 * The message names no other object: ListenerSets may belong to other users.
 */
function markPrecedenceConflicts(drafts: Draft[], sets: number): void {
  const admitted = new Map<number, Draft[]>(); // port → valid listeners of higher-precedence objects
  const admit = (group: Draft[]) => { for (const d of group) if (!d.accepted && !d.conflict) admitted.set(d.l.port, [...(admitted.get(d.l.port) ?? []), d]); };
  admit(drafts.filter((d) => d.rank === 0));
  for (let r = 1; r <= sets; r++) {
    const group = drafts.filter((d) => d.rank === r);
    markBadNames(group);
    // Against objects of higher precedence first: only what survives that conflicts within the set.
    for (const d of group) {
      const above = admitted.get(d.l.port);
      if (!d.accepted && above) d.conflict = precedenceConflict(d, above);
    }
    markConflicts(group.filter((d) => !d.conflict));
    admit(group);
  }
}

function precedenceConflict(d: Draft, above: Draft[]): Condition | undefined {
  const port = d.l.port;
  if (above.some((a) => a.l.protocol !== d.l.protocol)) return listenerPrecedenceProtocolConflict(port, String(d.l.protocol));
  if (d.l.protocol === 'TLS' && above.some((a) => tlsMode(a.l) !== tlsMode(d.l))) return listenerPrecedenceProtocolConflict(port, `TLS ${String(tlsMode(d.l))}`);
  if (d.l.protocol === 'TCP') return listenerPrecedenceHostnameConflict(port, undefined);
  const host = d.l.hostname ?? '';
  if (above.some((a) => (a.l.hostname ?? '') === host)) return listenerPrecedenceHostnameConflict(port, host);
  return undefined;
}

function finish(d: Draft, set?: ListenerGroup): ListenerResult {
  const { conditions, accepted, programmed } = listenerConditions(d);
  return {
    listener: set ? { ...d.l, name: set.key(d.l.name) } : d.l, name: d.l.name, ...(d.owner ? { owner: d.owner } : {}), supportedKinds: accepted || d.accepted?.reason !== Reason.UnsupportedProtocol ? d.kinds : [],
    accepted, attachable: accepted || (d.conflict !== undefined && !d.accepted), namespacesValid: namespaceSelectorProblem(d.l) === undefined,
    programmed, conditions, certificates: d.certs,
  };
}
