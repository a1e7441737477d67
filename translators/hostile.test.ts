// Hostile and broken input (issue "Production operation…", item 5): every case feeds the pure
// translator (or the incremental engine) something an attacker, a buggy tool or an unchecked
// file could produce, and asserts the exact condition (type, status, reason, key part of the
// message) or the exact shape of what is generated. Nothing may throw; nothing may hang (a hang
// fails on the runner's test timeout; no case measures the wall clock: speed is bench:translate's).
import type { KubeObject, Secret } from './api/meta';
import { translate, TranslationEngine } from './index';
import type { TranslationInput, TranslationOptions } from './input';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from './input';
import type { GatewayStatusUpdate, RouteStatusUpdate, TranslationResult } from './result';
import { tlsSecret } from './testdata/certs';

/** What a Gateway rule with no backend gets: Kuma refuses an empty list; Envoy answers 500 for this. */
const UNRESOLVED = { kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 };

const OURS = DEFAULT_OPTIONS.controllerName;
const GW = 'gateway.networking.k8s.io/v1';
const NOW = '2024-06-01T00:00:00.000Z';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
interface Cond { type: string; status: string; reason: string; message: string }

// ---- builders ---------------------------------------------------------------------------------

const gatewayClass = (name = 'kuma', controllerName = OURS): KubeObject => ({ apiVersion: GW, kind: 'GatewayClass', metadata: { name, uid: `uid-gc-${name}`, generation: 1 }, spec: { controllerName } } as KubeObject);
const gateway = (ns: string, name: string, listeners: unknown, extra: { className?: string; uid?: string; generation?: number } = {}): KubeObject =>
  ({ apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: ns, uid: extra.uid ?? `uid-gw-${name}`, generation: extra.generation ?? 1 }, spec: { gatewayClassName: extra.className ?? 'kuma', listeners } } as KubeObject);
const http = (name = 'http', port: unknown = 80, extra: object = {}) => ({ name, port, protocol: 'HTTP', ...extra });
const https = (name: string, port: number, secret: string, extra: { hostname?: string; certNamespace?: string } = {}) => ({
  name, port, protocol: 'HTTPS',
  ...(extra.hostname ? { hostname: extra.hostname } : {}),
  tls: { certificateRefs: [{ name: secret, ...(extra.certNamespace ? { namespace: extra.certNamespace } : {}) }] },
});
const httpRoute = (ns: string, name: string, spec: unknown, meta: object = {}): KubeObject =>
  ({ apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: ns, uid: `uid-rt-${name}`, generation: 1, creationTimestamp: '2024-01-01T00:00:00Z', ...meta }, spec } as KubeObject);
const tlsRoute = (ns: string, name: string, spec: unknown): KubeObject =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', metadata: { name, namespace: ns, uid: `uid-tls-${name}`, generation: 1 }, spec } as KubeObject);
const service = (ns: string, name: string, ports: number[] = [80]): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP: '10.96.0.10', ports: ports.map((port) => ({ port })) } } as KubeObject);
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
const grant = (ns: string, name: string, fromKind: string, fromNs: string, toKind: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace: ns },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: fromKind, namespace: fromNs }], to: [{ group: '', kind: toKind }] },
} as KubeObject);
/** A route on Gateway app/edge with one backend, web:80; `rule` is merged into the one rule. */
const routeWith = (rule: object, spec: object = {}) => httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }], ...rule }], ...spec });
/** The usual surroundings: our class, Gateway app/edge with one HTTP listener, Service app/web. */
const BASE = (): KubeObject[] => [gatewayClass(), gateway('app', 'edge', [http()]), service('app', 'web')];

// ---- running and reading ----------------------------------------------------------------------

function bundle(objs: KubeObject[], options: Partial<TranslationOptions> = {}): TranslationInput {
  const input = emptyInput(options);
  for (const o of objs) addToInput(input, o);
  return input;
}

/** translate(); never throws (a throw fails the case). */
function run(objs: KubeObject[], options: Partial<TranslationOptions> = {}): TranslationResult {
  return translate(bundle(objs, options));
}

function gwStatus(r: TranslationResult, ns: string, name: string): GatewayStatusUpdate | undefined {
  return r.statuses.find((s): s is GatewayStatusUpdate => s.target.kind === 'Gateway' && s.target.namespace === ns && s.target.name === name);
}
function listenerCond(r: TranslationResult, ns: string, gw: string, listener: unknown, type: string): Cond | undefined {
  return gwStatus(r, ns, gw)?.listeners.find((l) => l.name === listener)?.conditions.find((c) => c.type === type);
}
function routeStatus(r: TranslationResult, kind: string, ns: string, name: string): RouteStatusUpdate | undefined {
  return r.statuses.find((s): s is RouteStatusUpdate => s.target.kind === kind && s.target.namespace === ns && s.target.name === name);
}
function parentCond(r: TranslationResult, ns: string, route: string, type: string, kind = 'HTTPRoute'): Cond | undefined {
  return routeStatus(r, kind, ns, route)?.parents[0]?.conditions.find((c) => c.type === type);
}
const of = (r: TranslationResult, kind: string) => r.objects.filter((o) => o.kind === kind) as Any[];
/** `expect.objectContaining` for a condition: exact type, status and reason, a part of the message. */
const cond = (type: string, status: string, reason: string, message: string) => expect.objectContaining({ type, status, reason, message: expect.stringContaining(message) });

// Names Kubernetes accepts: Services DNS-1035 labels ≤63, everything else DNS-1123 subdomains ≤253.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
function nameProblems(objects: KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const n = o.metadata.name;
    const where = `${o.kind} ${o.metadata.namespace ?? ''}/${n}`;
    if (o.kind === 'Service' ? n.length > 63 || !DNS1035_LABEL.test(n) : n.length > 253 || !DNS1123_SUBDOMAIN.test(n)) out.push(`${where}: invalid name`);
    if (o.kind === 'Deployment' && n.length > 242) out.push(`${where}: Deployment name over 242 (ReplicaSet names would not fit)`);
    const labels: Record<string, string> = { ...o.metadata.labels, ...(o as Any).spec?.template?.metadata?.labels, ...(o.kind === 'Service' ? (o as Any).spec?.selector : {}) };
    for (const [k, v] of Object.entries(labels)) if (v.length > 63 || !LABEL_VALUE.test(v)) out.push(`${where}: label ${k}=${JSON.stringify(v)} invalid`);
  }
  return out;
}

// ---- A. listeners: hostnames, ports, protocols, names ------------------------------------------

describe('hostile listeners', () => {
  it.each<[string, unknown[], unknown, Cond]>([
    ['hostname is an IPv4 address', [http('h', 80, { hostname: '10.0.0.1' })], 'h', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.listeners[h].hostname: hostname "10.0.0.1" is an IP address; hostnames must be DNS names' }],
    ['hostname is an IPv6 address', [http('h', 80, { hostname: '::1' })], 'h', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'hostname "::1" is an IP address' }],
    ['hostname has upper case', [http('h', 80, { hostname: 'WWW.Example.com' })], 'h', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'hostname "WWW.Example.com" must be lower case' }],
    ['hostname has unicode (not punycode)', [http('h', 80, { hostname: 'bücher.example.com' })], 'h', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'hostname "bücher.example.com" is not a valid DNS name' }],
    ['hostname is a number', [http('h', 80, { hostname: 42 })], 'h', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'hostname must be a non-empty string' }],
    ['hostname longer than 253', [http('h', 80, { hostname: `${'a.'.repeat(130)}com` })], 'h', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'is longer than 253 characters' }],
    ['port 0', [http('p0', 0)], 'p0', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.listeners[p0].port: 0 is not a valid port (1-65535)' }],
    ['port 70000', [http('big', 70000)], 'big', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.listeners[big].port: 70000 is not a valid port (1-65535)' }],
    ['port is the string "80"', [http('s', '80')], 's', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.listeners[s].port: "80" is not a valid port' }],
    ['unknown protocol QUIC', [{ name: 'q', port: 80, protocol: 'QUIC' }], 'q', { type: 'Accepted', status: 'False', reason: 'UnsupportedProtocol', message: 'unsupported protocol QUIC; supported: HTTP, HTTPS, TLS, TCP' }],
    ['protocol "constructor" (an Object.prototype member; valid per the CRD)', [{ name: 'c', port: 80, protocol: 'constructor' }], 'c', { type: 'Accepted', status: 'False', reason: 'UnsupportedProtocol', message: 'unsupported protocol constructor' }],
    ['protocol "__proto__"', [{ name: 'p', port: 80, protocol: '__proto__' }], 'p', { type: 'Accepted', status: 'False', reason: 'UnsupportedProtocol', message: 'unsupported protocol __proto__' }],
    ['protocol is a number', [{ name: 'n', port: 80, protocol: 42 }], 'n', { type: 'Accepted', status: 'False', reason: 'UnsupportedProtocol', message: 'unsupported protocol 42' }],
    ['duplicate listener names', [http('x', 80), http('x', 8080)], 'x', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'listener name "x" is used by 2 listeners; names must be unique within the Gateway' }],
    ['listener name is a number', [{ name: 7, port: 80, protocol: 'HTTP' }], 7, { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'listener name must be a non-empty string, got 7' }],
    ['listener name has unicode', [http('hörer', 80)], 'hörer', { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'listener name "hörer" is not a lower-case RFC 1123 subdomain of at most 253 characters' }],
  ])('%s', (_label, listeners, name, expected) => {
    const r = run([gatewayClass(), gateway('app', 'edge', listeners)]);
    expect(listenerCond(r, 'app', 'edge', name, expected.type)).toEqual(cond(expected.type, expected.status, expected.reason, expected.message));
    expect(listenerCond(r, 'app', 'edge', name, 'Programmed')).toEqual(cond('Programmed', 'False', 'Invalid', 'listener is not accepted'));
    expect(gwStatus(r, 'app', 'edge')?.conditions[0]).toEqual(cond('Accepted', 'False', 'ListenersNotValid', 'no valid listener'));
    // A rejected listener reaches no MeshGateway and no Service port.
    expect(r.objects).toEqual([]);
  });

  it('65 listeners (the CRD allows 64; files are unchecked): all translated, one MeshGateway listener and one Service port each', () => {
    const listeners = Array.from({ length: 65 }, (_, i) => http(`l${i}`, 10000 + i));
    const r = run([gatewayClass(), gateway('app', 'edge', listeners)]);
    const st = gwStatus(r, 'app', 'edge')!;
    expect(st.listeners).toHaveLength(65);
    expect(st.listeners.every((l) => l.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'))).toBe(true);
    expect(of(r, 'MeshGateway')[0].spec.conf.listeners).toHaveLength(65);
    expect(of(r, 'Service')[0].spec.ports.map((p: Any) => p.port)).toEqual(listeners.map((l) => l.port));
  });
});

// ---- A. certificates ---------------------------------------------------------------------------

describe('hostile certificates', () => {
  const withData = (data: unknown, type: unknown = 'kubernetes.io/tls'): Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'app' }, type, data } as Secret);
  const valid = tlsSecret('app', 'cert', 'valid');
  const CANARY = 'MESHGATE-CANARY-do-not-log-4f1c2e';
  it.each<[string, KubeObject[], Partial<TranslationOptions>, Cond, boolean]>([
    ['expired certificate with now set', [tlsSecret('app', 'cert', 'expired')], { now: NOW }, { type: 'meshgate.io/CertificateValid', status: 'False', reason: 'CertificateExpired', message: 'certificate in Secret "app/cert" expired at 2001-01-01T00:00:00.000Z' }, true],
    ['expired certificate without now (no clock: not checked)', [tlsSecret('app', 'cert', 'expired')], {}, { type: 'meshgate.io/CertificateValid', status: 'True', reason: 'CertificateValid', message: 'certificate valid until 2001-01-01T00:00:00.000Z' }, true],
    ['key of another certificate', [tlsSecret('app', 'cert', 'mismatched')], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'Secret "app/cert": malformed secret: tls.key does not match the certificate in tls.crt' }, false],
    ['not PEM', [tlsSecret('app', 'cert', 'not-pem')], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'malformed secret: tls.crt is not PEM-encoded' }, false],
    ['a Secret of type Opaque', [{ ...valid, type: 'Opaque' } as Secret], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'Secret "app/cert" has type "Opaque"; only "kubernetes.io/tls" is supported' }, false],
    ['a Secret without a type', [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'app' }, data: valid.data } as Secret], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'has type "Opaque"' }, false],
    ['empty data', [withData({})], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'malformed secret: tls.crt is missing or empty' }, false],
    ['tls.key missing', [withData({ 'tls.crt': valid.data!['tls.crt'] })], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'malformed secret: tls.key is missing or empty' }, false],
    ['empty strings', [withData({ 'tls.crt': '', 'tls.key': '' })], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'tls.crt is missing or empty' }, false],
    ['data is null', [withData(null)], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'tls.crt is missing or empty' }, false],
    ['data values are numbers', [withData({ 'tls.crt': 5, 'tls.key': 6 })], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'tls.crt is missing or empty' }, false],
    ['tls.key is a canary string, not a key (the message never holds Secret data)', [withData({ 'tls.crt': valid.data!['tls.crt'], 'tls.key': Buffer.from(CANARY).toString('base64') })], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'malformed secret: tls.key is not PEM-encoded' }, false],
    ['the Secret does not exist', [], {}, { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'Secret "app/cert" does not exist' }, false],
  ])('%s', (_label, secrets, options, expected, programmed) => {
    const r = run([gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert')]), ...secrets], options);
    expect(listenerCond(r, 'app', 'edge', 'https', expected.type)).toEqual(cond(expected.type, expected.status, expected.reason, expected.message));
    expect(listenerCond(r, 'app', 'edge', 'https', 'Programmed')?.status).toBe(programmed ? 'True' : 'False');
    // Only a usable certificate is copied into the system namespace.
    expect(of(r, 'Secret').map((s) => s.metadata.name)).toEqual(programmed ? ['gapi-app-cert'] : []);
    expect(JSON.stringify(r.statuses)).not.toContain(CANARY);
    expect(JSON.stringify(r.statuses)).not.toContain(Buffer.from(CANARY).toString('base64'));
  });
});

// ---- A. routes: hostnames, regular expressions, matches, headers, backends ----------------------

describe('hostile routes', () => {
  it.each<[string, KubeObject, Cond]>([
    ['route hostname is an IP (the CRD pattern lets it through)', routeWith({}, { hostnames: ['10.0.0.1'] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.hostnames[0]: hostname "10.0.0.1" is an IP address; hostnames must be DNS names' }],
    ['route hostname has upper case', routeWith({}, { hostnames: ['ok.example.com', 'WWW.Example.COM'] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.hostnames[1]: hostname "WWW.Example.COM" must be lower case' }],
    ['route hostname has unicode', routeWith({}, { hostnames: ['bücher.example.com'] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.hostnames[0]: hostname "bücher.example.com" is not a valid DNS name' }],
    ['route hostname is "*"', routeWith({}, { hostnames: ['*'] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.hostnames[0]: hostname "*" is not a valid DNS name' }],
    ['route hostnames hold a number (must not widen the route)', routeWith({}, { hostnames: [5] as never }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.hostnames[0]: hostname must be a non-empty string' }],
    ['route hostnames is a plain string, not a list', routeWith({}, { hostnames: 'a.example.com' as never }), { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Accepted' }],
    ['route hostnames is an object', routeWith({}, { hostnames: { a: 1 } as never }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.hostnames[0]: hostname must be a non-empty string' }],
    ['path regex with a backreference', routeWith({ matches: [{ path: { type: 'RegularExpression', value: '/(a)\\1' } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.rules[0].matches[0].path.value: "/(a)\\\\1" is not a valid RE2 regular expression: backreferences are not supported' }],
    ['path regex with lookbehind', routeWith({ matches: [{ path: { type: 'RegularExpression', value: '/(?<!a)b' } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'is not a valid RE2 regular expression: lookaround is not supported' }],
    ['header regex with \\Z (an escape RE2 does not define)', routeWith({ matches: [{ headers: [{ type: 'RegularExpression', name: 'x-a', value: 'a\\Z' }] }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.rules[0].matches[0].headers[0].value: "a\\\\Z" is not a valid RE2 regular expression: invalid escape sequence \\Z' }],
    ['query regex with a named backreference \\k<n>', routeWith({ matches: [{ queryParams: [{ type: 'RegularExpression', name: 'q', value: '(?<n>a)\\k<n>' }] }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'invalid escape sequence \\k' }],
    ['path regex unbalanced', routeWith({ matches: [{ path: { type: 'RegularExpression', value: '/[a-' } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: '"/[a-" is not a valid RE2 regular expression' }],
    ['path regex repeat over 1000', routeWith({ matches: [{ path: { type: 'RegularExpression', value: '/a{1001}' } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'repeat count over 1000' }],
    ['path regex possessive quantifier (not RE2)', routeWith({ matches: [{ path: { type: 'RegularExpression', value: '/a++' } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: '"/a++" is not a valid RE2 regular expression' }],
    ['one bad regex among good matches: the rule is dropped whole (its only rule: the route is not accepted)', routeWith({ matches: [{ path: { type: 'PathPrefix', value: '/ok' } }, { path: { type: 'RegularExpression', value: '(?=x)' } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.rules[0].matches[1].path.value: "(?=x)" is not a valid RE2 regular expression: lookaround is not supported; the rule is dropped' }],
    ['header match name with a colon', routeWith({ matches: [{ path: { type: 'PathPrefix', value: '/ok' } }, { headers: [{ name: ':authority', value: 'x' }] }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.rules[0].matches[1].headers[0].name: ":authority" is not a valid header name' }],
    ['header value with CR LF in a RequestHeaderModifier (header injection)', routeWith({ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: 'a\r\nx-injected: 1' }] } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.rules[0].filters[0].requestHeaderModifier.set[0]: a header value must not contain CR, LF or NUL; the rule is dropped' }],
    ['header name with a space in a ResponseHeaderModifier', routeWith({ filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x a', value: '1' }] } }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'responseHeaderModifier.add[0]: "x a" is not a valid header name' }],
    ['match is null', routeWith({ matches: [null] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'spec.rules[0].matches[0]: a match must be an object; the rule is dropped' }],
    ['header match value is a number', routeWith({ matches: [{ headers: [{ name: 'x', value: 5 }] }] }), { type: 'Accepted', status: 'False', reason: 'UnsupportedValue', message: 'a match needs a non-empty string name and a string value' }],
    ['backend port is the string "80"', routeWith({ backendRefs: [{ name: 'web', port: '80' }] }), { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'Service "app/web" does not expose port "80"' }],
    ['backend port 70000', routeWith({ backendRefs: [{ name: 'web', port: 70000 }] }), { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'Service "app/web" does not expose port 70000' }],
    ['backend name is a number', routeWith({ backendRefs: [{ name: 5, port: 80 }] }), { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'non-existent Service "app/"' }],
    ['backend in another namespace without a grant', routeWith({ backendRefs: [{ name: 'db', namespace: 'data', port: 80 }] }), { type: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted', message: 'reference to Service "data/db" not permitted by any ReferenceGrant' }],
    ['parentRef port 0', httpRoute('app', 'r', { parentRefs: [{ name: 'edge', port: 0 }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }), { type: 'Accepted', status: 'False', reason: 'NoMatchingParent', message: 'no listener matches port 0' }],
    ['parentRef to a listener name that does not exist', httpRoute('app', 'r', { parentRefs: [{ name: 'edge', sectionName: 'nope' }], rules: [] }), { type: 'Accepted', status: 'False', reason: 'NoMatchingParent', message: 'no listener matches sectionName "nope"' }],
  ])('%s', (_label, route, expected) => {
    const r = run([...BASE(), service('data', 'db'), route]);
    expect(parentCond(r, 'app', 'r', expected.type)).toEqual(cond(expected.type, expected.status, expected.reason, expected.message));
    const accepted = parentCond(r, 'app', 'r', 'Accepted')?.status === 'True';
    expect(of(r, 'MeshHTTPRoute')).toHaveLength(accepted ? 1 : 0);
  });

  // Catastrophic-backtracking patterns are valid RE2 (linear time): meshgate never executes a
  // route's regex, so they pass through unchanged, and translation finishes at once.
  it.each(([
    '(a+)+$',
    '(a|aa)*b',
    '^(\\w+\\s?)*$',
    '(x+x+)+y',
    '([a-zA-Z]+)*$',
    '(.*a){20}',
    '^(([a-z])+.)+[A-Z]([a-z])+$',
    `(${'a?'.repeat(500)})${'a'.repeat(500)}`,
  ] as string[]).map((re) => [re.length > 60 ? `${re.slice(0, 40)}… (${re.length} characters)` : re, re]))('malicious regex %p is passed through to path, header and query matches', (_label, re) => {
    const r = run([...BASE(), routeWith({
      matches: [
        { path: { type: 'RegularExpression', value: `/${re}` } },
        { headers: [{ type: 'RegularExpression', name: 'X-Evil', value: re }] },
        { queryParams: [{ type: 'RegularExpression', name: 'q', value: re }] },
      ],
    })]);
    expect(parentCond(r, 'app', 'r', 'Accepted')).toEqual(cond('Accepted', 'True', 'Accepted', 'Accepted'));
    expect(parentCond(r, 'app', 'r', 'PartiallyInvalid')).toBeUndefined();
    expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules[0].matches).toEqual([
      { path: { type: 'RegularExpression', value: `/${re}` } },
      { path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'RegularExpression', name: 'x-evil', value: re }] },
      { path: { type: 'PathPrefix', value: '/' }, queryParams: [{ type: 'RegularExpression', name: 'q', value: re }] },
    ]);
  });

  it('extremely long header values (1 MiB) in a match and a modifier are passed through unchanged', () => {
    const long = 'v'.repeat(1 << 20);
    const r = run([...BASE(), routeWith({
      matches: [{ headers: [{ name: 'x-long', value: long }] }],
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-set', value: long }] } }],
    })]);
    expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True');
    const rule = of(r, 'MeshHTTPRoute')[0].spec.to[0].rules[0];
    expect(rule.matches[0].headers[0].value).toBe(long);
    expect(rule.default.filters[0].requestHeaderModifier.set[0]).toEqual({ name: 'x-set', value: long });
  });

  it('16 rules × 8 matches (the CRD maximum of 128 matches): every rule and match is translated, in order', () => {
    const rules = Array.from({ length: 16 }, (_, i) => ({
      matches: Array.from({ length: 8 }, (_, j) => ({ path: { type: 'Exact', value: `/r${i}/m${j}` }, headers: [{ name: `x-r${i}`, value: `${j}` }] })),
      backendRefs: [{ name: 'web', port: 80 }],
    }));
    const r = run([...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules })]);
    expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True');
    expect(parentCond(r, 'app', 'r', 'PartiallyInvalid')).toBeUndefined();
    const out = of(r, 'MeshHTTPRoute')[0].spec.to[0].rules;
    expect(out).toHaveLength(16);
    expect(out.map((x: Any) => x.matches.length)).toEqual(Array(16).fill(8));
    expect(out[15].matches[7]).toEqual({ path: { type: 'Exact', value: '/r15/m7' }, headers: [{ type: 'Exact', name: 'x-r15', value: '7' }] });
    expect(out[0].default).toEqual({ backendRefs: [{ kind: 'MeshService', name: 'web_app_svc_80', weight: 1 }] });
  });

  it('40 rules in weird shapes (the CRD allows 16): garbage rules become the default match, duplicates go to the first rule, bad ones are reported', () => {
    const rules: unknown[] = [];
    for (let i = 0; i < 40; i++) {
      switch (i % 5) {
        case 0: rules.push({ matches: [{ path: { type: 'PathPrefix', value: `/p${i}` } }], backendRefs: [{ name: 'web', port: 80 }] }); break;
        case 1: rules.push({ matches: [{ path: { type: 'PathPrefix', value: '/dup' } }], backendRefs: [{ name: 'web', port: 80 }] }); break;
        case 2: rules.push({ matches: [{ path: { type: 'Bogus', value: '/x' } }], backendRefs: [{ name: 'web', port: 80 }] }); break;
        case 3: rules.push({ matches: [], filters: [], backendRefs: [] }); break;
        default: rules.push(null); break;
      }
    }
    const r = run([...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules })]);
    expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True');
    expect(parentCond(r, 'app', 'r', 'PartiallyInvalid')).toEqual(cond('PartiallyInvalid', 'True', 'UnsupportedValue', 'spec.rules[2].matches[0].path.type: unsupported path match type "Bogus"; the rule is dropped'));
    const out = of(r, 'MeshHTTPRoute')[0].spec.to[0].rules;
    // 8 distinct prefixes, '/dup' once, '/' once (the first empty or null rule claims it).
    const paths = out.flatMap((x: Any) => x.matches.map((m: Any) => m.path.value));
    expect(paths).toEqual([...Array.from({ length: 8 }, (_, k) => [`/p${k * 5}`, ...(k === 0 ? ['/dup', '/'] : [])]).flat()]);
  });
});

// ---- A. names: 253 characters everywhere, unicode ----------------------------------------------

describe('hostile names', () => {
  const N253 = `${'abcdefghij'.repeat(6)}ab.`.repeat(4).slice(0, 252) + 'z'; // 253, labels of 62
  const full = (gwNs: string, gwName: string, routeName: string, secretName: string, svcName: string, className = 'kuma') => [
    gatewayClass(className), namespace(gwNs),
    gateway(gwNs, gwName, [http('http', 80), https('https', 443, secretName), { name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } }], { className }),
    tlsSecret(gwNs, secretName), service(gwNs, svcName),
    httpRoute(gwNs, routeName, { parentRefs: [{ name: gwName }], hostnames: ['www.example.com'], rules: [{ backendRefs: [{ name: svcName, port: 80 }] }] }),
    tlsRoute(gwNs, routeName, { parentRefs: [{ name: gwName }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: svcName, port: 80 }] }] }),
    httpRoute(gwNs, `${routeName.slice(0, 240)}-gamma`, { parentRefs: [{ group: '', kind: 'Service', name: svcName }], rules: [{ backendRefs: [{ name: svcName, port: 80 }] }] }),
  ];
  it.each<[string, KubeObject[], string, string]>([
    ['253-character Gateway name', full('app', N253, 'r', 'cert', 'web'), 'app', N253],
    ['253-character HTTPRoute / TLSRoute names', full('app', 'edge', N253, 'cert', 'web'), 'app', 'edge'],
    ['253-character Secret name', full('app', 'edge', 'r', N253, 'web'), 'app', 'edge'],
    ['253-character Service name', full('app', 'edge', 'r', 'cert', N253), 'app', 'edge'],
    ['253-character GatewayClass name', full('app', 'edge', 'r', 'cert', 'web', N253), 'app', 'edge'],
    ['253-character namespace (files only: namespaces are ≤63 in a cluster)', full(N253, 'edge', 'r', 'cert', 'web'), N253, 'edge'],
    ['253 characters everywhere at once', full(N253, N253, N253, N253, N253, N253), N253, N253],
    ['unicode Gateway name', full('app', 'gätewäy', 'r', 'cert', 'web'), 'app', 'gätewäy'],
    ['unicode, upper case and "_" in namespace, route, Secret names', full('Nämespace_1', 'edge', 'Rüte_X', 'Cert_ü', 'web'), 'Nämespace_1', 'edge'],
  ])('%s: everything translated, every generated name valid and within limits', (_label, objs, gwNs, gwName) => {
    const r = run(objs);
    expect(nameProblems(r.objects)).toEqual([]);
    expect(r.objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'MeshGateway', 'MeshHTTPRoute', 'MeshHTTPRoute', 'MeshHTTPRoute', 'MeshTCPRoute', 'Secret', 'Service']);
    const st = gwStatus(r, gwNs, gwName)!;
    expect(st.target.name).toBe(gwName);
    expect(st.listeners.map((l) => [l.name, l.attachedRoutes])).toEqual([['http', 1], ['https', 1], ['tls', 1]]);
    for (const l of st.listeners) expect(l.conditions.find((c) => c.type === 'Programmed')?.status).toBe('True');
    expect(r.diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });

  it('two unicode Gateway names that sanitise alike still get distinct objects', () => {
    const r = run([gatewayClass(), gateway('app', 'gä', [http()]), gateway('app', 'gö', [http()])]);
    const names = of(r, 'MeshGateway').map((m) => m.metadata.name);
    expect(new Set(names).size).toBe(2);
    expect(nameProblems(r.objects)).toEqual([]);
  });
});

// ---- A. garbage field types ----------------------------------------------------------------------

describe('garbage field types never throw', () => {
  const gw = (spec: unknown, meta: object = {}): KubeObject => ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', ...meta }, spec } as KubeObject);
  it.each<[string, KubeObject[], (r: TranslationResult) => void]>([
    ['Gateway without spec: not ours (no class), no status, no objects', [gatewayClass(), gw(undefined)], (r) => { expect(gwStatus(r, 'app', 'edge')).toBeUndefined(); expect(r.objects).toEqual([]); }],
    ['Gateway spec null', [gatewayClass(), gw(null)], (r) => { expect(gwStatus(r, 'app', 'edge')).toBeUndefined(); expect(r.objects).toEqual([]); }],
    ['listeners null', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: null })], (r) => expect(gwStatus(r, 'app', 'edge')?.conditions[0]).toEqual(cond('Accepted', 'False', 'ListenersNotValid', 'the Gateway has no listeners'))],
    ['listeners is a number', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: 5 })], (r) => expect(gwStatus(r, 'app', 'edge')?.conditions[0]).toEqual(cond('Accepted', 'False', 'ListenersNotValid', 'the Gateway has no listeners'))],
    ['listeners [null, "x", 3] (non-objects dropped)', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: [null, 'x', 3, http()] })], (r) => expect(gwStatus(r, 'app', 'edge')?.listeners.map((l) => l.name)).toEqual(['http'])],
    ['gatewayClassName is a number', [gatewayClass(), gw({ gatewayClassName: 5, listeners: [http()] })], (r) => expect(r.statuses.map((s) => s.target.kind)).toEqual(['GatewayClass'])],
    ['metadata.name is a number', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: [http()] }, { name: 5 })], (r) => { expect(r.statuses.map((s) => s.target.kind)).toEqual(['GatewayClass']); expect(r.objects).toEqual([]); }],
    ['metadata.namespace is a number', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: [http()] }, { namespace: 5 })], (r) => expect(r.objects).toEqual([])],
    ['metadata missing', [gatewayClass(), { apiVersion: GW, kind: 'Gateway', spec: { gatewayClassName: 'kuma', listeners: [http()] } } as unknown as KubeObject], (r) => expect(r.objects).toEqual([])],
    ['GatewayClass spec null', [{ ...gatewayClass(), spec: null } as unknown as KubeObject, gateway('app', 'edge', [http()])], (r) => { expect(r.statuses).toEqual([]); expect(r.objects).toEqual([]); }],
    ['route without spec', [...BASE(), { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app' } } as KubeObject], (r) => { expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined(); expect(of(r, 'MeshHTTPRoute')).toEqual([]); }],
    ['parentRefs is a string', [...BASE(), httpRoute('app', 'r', { parentRefs: 'edge', rules: [] })], (r) => expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined()],
    ['parentRef name is a number', [...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 5 }], rules: [] })], (r) => expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined()],
    ['rules null: the CRD default (one rule, PathPrefix /, no backends)', [...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules: null })], (r) => {
      expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True');
      expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], default: { backendRefs: [UNRESOLVED] } }]);
    }],
    ['rules [null, 5]: each becomes the default rule; the second one\'s match is already claimed', [...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules: [null, 5] })], (r) => {
      expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True');
      expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules).toHaveLength(1);
    }],
    ['backendRefs is a string', [...BASE(), routeWith({ backendRefs: 'web' })], (r) => expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules[0].default).toEqual({ backendRefs: [UNRESOLVED] })],
    ['Service spec null', [gatewayClass(), gateway('app', 'edge', [http()]), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'app' }, spec: null } as unknown as KubeObject, routeWith({})],
      (r) => expect(parentCond(r, 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'BackendNotFound', 'Service "app/web" does not expose port 80'))],
    ['ReferenceGrant spec null permits nothing', [...BASE(), service('data', 'db'), { ...grant('data', 'g', 'HTTPRoute', 'app', 'Service'), spec: null } as unknown as KubeObject, routeWith({ backendRefs: [{ name: 'db', namespace: 'data', port: 80 }] })],
      (r) => expect(parentCond(r, 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'not permitted by any ReferenceGrant'))],
    ['Namespace labels is a number', [...BASE(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', labels: 5 } } as unknown as KubeObject, routeWith({})], (r) => expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True')],
    ['certificateRefs is a string', [gatewayClass(), gateway('app', 'edge', [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: 'cert' } }])],
      (r) => expect(listenerCond(r, 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'InvalidCertificateRef', 'HTTPS listener has no certificateRefs'))],
    ['Secret data is a string', [gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert')]), { ...tlsSecret('app', 'cert'), data: 'x' } as unknown as KubeObject],
      (r) => expect(listenerCond(r, 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'InvalidCertificateRef', 'tls.crt is missing or empty'))],
  ])('%s', (_label, objs, check) => {
    check(run(objs));
  });
});

// ---- A. references, other controllers, churn (incremental engine) ------------------------------

const comparable = (r: TranslationResult) => JSON.parse(JSON.stringify(r)) as TranslationResult;
function engineOf(objs: KubeObject[], options: Partial<TranslationOptions> = {}): TranslationEngine {
  return TranslationEngine.fromInput(bundle(objs, options));
}

describe('references and churn', () => {
  it.each<[string, () => void]>([
    ['cross-namespace backend: a grant makes it resolve, deleting the grant makes it RefNotPermitted again', () => {
      const objs = [...BASE(), service('data', 'db'), routeWith({ backendRefs: [{ name: 'db', namespace: 'data', port: 80 }] })];
      const e = engineOf(objs);
      expect(parentCond(e.result(), 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'reference to Service "data/db" not permitted by any ReferenceGrant'));
      e.upsert([grant('data', 'allow', 'HTTPRoute', 'app', 'Service')]);
      expect(parentCond(e.result(), 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved'));
      expect(of(e.result(), 'MeshHTTPRoute')[0].spec.to[0].rules[0].default.backendRefs).toEqual([{ kind: 'MeshService', name: 'db_data_svc_80', weight: 1 }]);
      e.remove([{ kind: 'ReferenceGrant', namespace: 'data', name: 'allow' }]);
      expect(parentCond(e.result(), 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'reference to Service "data/db" not permitted by any ReferenceGrant'));
      expect(of(e.result(), 'MeshHTTPRoute')[0].spec.to[0].rules[0].default.backendRefs).toEqual([{ kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 }]);
      expect(comparable(e.result())).toEqual(comparable(translate(bundle(objs))));
    }],
    ['cross-namespace certificate: the grant deleted → listener RefNotPermitted, the Secret copy removed', () => {
      const objs = [gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert', { certNamespace: 'certs' })]), tlsSecret('certs', 'cert')];
      const e = engineOf([...objs, grant('certs', 'allow', 'Gateway', 'app', 'Secret')]);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'ResolvedRefs')?.status).toBe('True');
      expect(of(e.result(), 'Secret').map((s) => s.metadata.name)).toEqual(['gapi-certs-cert']);
      e.remove([{ kind: 'ReferenceGrant', namespace: 'certs', name: 'allow' }]);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'reference to Secret "certs/cert" not permitted by any ReferenceGrant'));
      expect(of(e.result(), 'Secret')).toEqual([]);
      expect(comparable(e.result())).toEqual(comparable(translate(bundle(objs))));
    }],
    ['parentRefs to another controller\'s Gateway: no status entry, no objects', () => {
      const r = run([gatewayClass(), gatewayClass('theirs', 'example.com/other'), gateway('app', 'foreign', [http()], { className: 'theirs' }), service('app', 'web'),
        httpRoute('app', 'r', { parentRefs: [{ name: 'foreign' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] })]);
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined();
      expect(gwStatus(r, 'app', 'foreign')).toBeUndefined();
      expect(r.objects).toEqual([]);
    }],
    ['a route to ours and to another controller\'s Gateway: only our parent entry', () => {
      const r = run([...BASE(), gatewayClass('theirs', 'example.com/other'), gateway('app', 'foreign', [http()], { className: 'theirs' }),
        httpRoute('app', 'r', { parentRefs: [{ name: 'foreign' }, { name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] })]);
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.parents.map((p) => [p.parentRef.name, p.controllerName])).toEqual([['edge', OURS]]);
      expect(of(r, 'MeshGateway').map((m) => m.metadata.name)).toEqual(['edge.app']);
    }],
    ['a route flapping between two Gateways 20 times: final state equals a full translation, no stale parent', () => {
      const gws = [gateway('app', 'g1', [http()]), gateway('app', 'g2', [http()])];
      const to = (parent: string, generation: number) => httpRoute('app', 'r', { parentRefs: [{ name: parent }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }, { generation });
      const e = engineOf([gatewayClass(), ...gws, service('app', 'web'), to('g1', 1)]);
      for (let i = 2; i <= 21; i++) e.upsert([to(i % 2 ? 'g1' : 'g2', i)]);
      const final = to('g1', 21);
      const r = e.result();
      expect(comparable(r)).toEqual(comparable(translate(bundle([gatewayClass(), ...gws, service('app', 'web'), final]))));
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.parents.map((p) => p.parentRef.name)).toEqual(['g1']);
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.generation).toBe(21);
      expect(gwStatus(r, 'app', 'g1')?.listeners[0].attachedRoutes).toBe(1);
      expect(gwStatus(r, 'app', 'g2')?.listeners[0].attachedRoutes).toBe(0);
      expect(of(r, 'MeshHTTPRoute').map((m) => m.spec.targetRef.name)).toEqual(['g1.app']);
    }],
    ['a route flapping between parents while its status still lists the old one: the stale entry is not re-emitted', () => {
      const stale = { parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'g2' }, controllerName: OURS, conditions: [] }] };
      const e = engineOf([gatewayClass(), gateway('app', 'g1', [http()]), gateway('app', 'g2', [http()]), service('app', 'web')]);
      e.upsert([{ ...httpRoute('app', 'r', { parentRefs: [{ name: 'g1' }], rules: [] }, { generation: 3 }), status: stale } as KubeObject]);
      expect(routeStatus(e.result(), 'HTTPRoute', 'app', 'r')?.parents.map((p) => p.parentRef.name)).toEqual(['g1']);
    }],
    ['a Gateway deleted and recreated with the same name and a new uid: status and owner references carry the new uid', () => {
      const e = engineOf([...BASE()]);
      expect(of(e.result(), 'Deployment')[0].metadata.ownerReferences[0].uid).toBe('uid-gw-edge');
      e.remove([{ kind: 'Gateway', namespace: 'app', name: 'edge' }]);
      expect(e.result().objects).toEqual([]);
      expect(gwStatus(e.result(), 'app', 'edge')).toBeUndefined();
      e.upsert([gateway('app', 'edge', [http('other', 8080)], { uid: 'uid-new' })]);
      const r = e.result();
      expect(gwStatus(r, 'app', 'edge')?.target.uid).toBe('uid-new');
      expect(gwStatus(r, 'app', 'edge')?.listeners.map((l) => l.name)).toEqual(['other']);
      for (const o of [...of(r, 'Deployment'), ...of(r, 'Service')]) expect(o.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Gateway', name: 'edge', uid: 'uid-new' })]);
      expect(of(r, 'MeshGateway')[0].spec.conf.listeners.map((l: Any) => l.port)).toEqual([8080]);
    }],
    ['recreated with a new uid but the same generation and no delete event seen (a relist): not taken for a status-only update', () => {
      const e = engineOf([...BASE(), routeWith({})]);
      e.upsert([{ ...routeWith({ matches: [{ path: { type: 'Exact', value: '/new' } }] }), metadata: { name: 'r', namespace: 'app', uid: 'uid-r-2', generation: 1 } } as KubeObject]);
      const r = e.result();
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.target.uid).toBe('uid-r-2');
      expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules[0].matches).toEqual([{ path: { type: 'Exact', value: '/new' } }]);
    }],
    ['a TLS Secret replaced by an Opaque one of the same name: the listener stops being programmed, the copy is removed', () => {
      const e = engineOf([gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert')]), tlsSecret('app', 'cert')]);
      expect(of(e.result(), 'Secret')).toHaveLength(1);
      e.upsert([{ ...tlsSecret('app', 'cert'), type: 'Opaque', metadata: { name: 'cert', namespace: 'app', uid: 'uid-2' } } as KubeObject]);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'InvalidCertificateRef', 'has type "Opaque"'));
      expect(of(e.result(), 'Secret')).toEqual([]);
      expect(of(e.result(), 'MeshGateway')).toEqual([]);
    }],
    ['the clock passes a certificate\'s expiry (engine.setNow): CertificateExpired, only HTTPS Gateways re-translated', () => {
      const e = engineOf([gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert')]), gateway('app', 'plain', [http()]), tlsSecret('app', 'cert', 'expired')], { now: '2000-06-01T00:00:00.000Z' });
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'meshgate.io/CertificateValid')).toEqual(cond('meshgate.io/CertificateValid', 'True', 'CertificateValid', 'certificate valid until 2001-01-01T00:00:00.000Z'));
      expect(e.setNow('2000-06-01T00:00:00.000Z')).toEqual({ objects: new Set(), statuses: new Set() });
      const delta = e.setNow('2001-01-01T01:00:00.000Z');
      expect([...delta.statuses]).toEqual(['Gateway|app|edge']);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'meshgate.io/CertificateValid')).toEqual(cond('meshgate.io/CertificateValid', 'False', 'CertificateExpired', 'certificate in Secret "app/cert" expired at 2001-01-01T00:00:00.000Z'));
      e.setNow(undefined);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'meshgate.io/CertificateValid')?.status).toBe('True');
    }],
  ])('%s', (_label, body) => body());
});


describe('a translator bug never crashes the engine or leaves half-computed state', () => {
  const translatedGateway = () => {
    const input = emptyInput();
    input.gatewayClasses.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'c', generation: 1 }, spec: { controllerName: input.options.controllerName } });
    const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' as const, metadata: { name: 'g', namespace: 'n', generation: 1 }, spec: { gatewayClassName: 'c', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
    input.gateways.push(gw);
    const engine = TranslationEngine.fromInput(input);
    return { gw, engine, before: engine.result() };
  };

  it('keeps the failing unit\'s previous output and reports it', () => {
    const { gw, engine, before } = translatedGateway();
    expect(before.objects.some((o) => o.kind === 'MeshGateway')).toBe(true);
    // A listener list whose iteration throws stands in for any translator bug.
    const poisoned = { ...gw, metadata: { ...gw.metadata, generation: 2 }, spec: { ...gw.spec, get listeners(): never { throw new Error('boom'); } } };
    expect(() => engine.upsert([poisoned as never])).not.toThrow();
    const after = engine.result();
    expect(after.objects).toEqual(before.objects);
    expect(after.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining('internal error while translating (previous output kept)'));
  });

  it('also when the failure is inside a Gateway unit (after defaulting)', () => {
    const { gw, engine, before } = translatedGateway();
    // Defaulting copies spec.infrastructure by reference, so this getter first runs in the unit.
    const poisoned = { ...gw, metadata: { ...gw.metadata, generation: 2 }, spec: { ...gw.spec, infrastructure: { get parametersRef(): never { throw new Error('boom in unit'); } } } };
    expect(() => engine.upsert([poisoned as never])).not.toThrow();
    const after = engine.result();
    expect(after.objects).toEqual(before.objects);
    expect(after.statuses).toEqual(before.statuses);
    expect(after.diagnostics).toContainEqual(expect.objectContaining({ object: { kind: 'Gateway', namespace: 'n', name: 'g' }, message: expect.stringContaining('boom in unit') }));
    engine.upsert([{ ...gw, metadata: { ...gw.metadata, generation: 3 } }]);
    expect(engine.result().diagnostics.filter((d) => d.message.includes('internal error'))).toEqual([]);
  });
});
