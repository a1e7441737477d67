// Hostile and broken input on the shared real API server against the real `meshgate controller`
// (issue "Production operation…", item 5, part B). What the CRD validation rejects, the user
// sees as the API server's error naming the object and the field: a few of those are asserted
// verbatim. What it accepts, meshgate must turn into the exact status, without crashing (the
// process stays up, /healthz answers, it never restarts) and without ever logging Secret data:
// a TLS Secret carries a canary string, and the controller's log (at debug level) must hold
// neither the canary nor its base64 at any alignment, nor any PEM.
import { readFileSync } from 'node:fs';
import { pem } from '../../translators/testdata/certs';
import { fnv1Digest, gatewayWorkloadNames, meshGatewayName, OWNER_LABEL, ownerLabelValue, secretCopyName } from '../../translators/naming';
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { eventually, sharedKube } from '../support/kube';

const kube = sharedKube();
const controllerName = testControllerName('hostile');
const controllerHash = fnv1Digest(controllerName);
const CLASS = 'e2e-hostile';
const OTHER_CLASS = 'e2e-hostile-other';
const NS = 'e2e-hostile';
const CERT_NS = 'e2e-hostile-certs';
const SYSTEM_NS = 'kuma-system';
const GW = 'gateway.networking.k8s.io/v1';
// A multiple of 3 bytes long, so its base64 also appears verbatim inside longer encodings.
const CANARY = 'MESHGATE-CANARY-7f3a9c1e5b2d4068ZQX';
const N253 = `${'abcdefghij'.repeat(6)}ab.`.repeat(4).slice(0, 252) + 'z';

interface Condition { type: string; status: string; reason: string; message: string }
interface Obj {
  metadata: { name: string; namespace?: string; uid?: string; ownerReferences?: { kind: string; name: string; uid: string }[] };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  data?: Record<string, string>;
}

let ctl: ControllerProcess;

// ---- builders ---------------------------------------------------------------------------------

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, crt: string, key: string, type = 'kubernetes.io/tls', ns = NS) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type, data: { 'tls.crt': b64(crt), 'tls.key': b64(key) } });
const gateway = (name: string, listeners: object[], className = CLASS) => ({ apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: NS }, spec: { gatewayClassName: className, listeners } });
const httpListener = (name: string, port: number, extra: object = {}) => ({ name, port, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } }, ...extra });
const httpsListener = (name: string, port: number, secretName: string, secretNs?: string) => ({ name, port, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: secretName, ...(secretNs ? { namespace: secretNs } : {}) }] } });
const route = (name: string, spec: object) => ({ apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: NS }, spec });
const routeTo = (name: string, parent: string, rule: object = {}, extra: object = {}) => route(name, { parentRefs: [{ name: parent }], rules: [{ backendRefs: [{ name: 'web', port: 80 }], ...rule }], ...extra });
const grant = () => ({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'gateways-from-hostile', namespace: CERT_NS }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: NS }], to: [{ group: '', kind: 'Secret' }] } });

// ---- readers ----------------------------------------------------------------------------------

const cond = (conds: Condition[] | undefined, type: string) => conds?.find((c) => c.type === type);
const listenerCond = (gw: Obj | undefined, listener: string, type: string) => cond((gw?.status?.listeners as { name: string; conditions: Condition[] }[] | undefined)?.find((l) => l.name === listener)?.conditions, type);
const ourParents = (r: Obj | undefined) => ((r?.status?.parents ?? []) as { parentRef: { name: string }; controllerName: string; conditions: Condition[] }[]).filter((p) => p.controllerName === controllerName);
const parentCond = (r: Obj | undefined, type: string) => cond(ourParents(r)[0]?.conditions, type);
const exactly = (type: string, status: string, reason: string, message: string) => expect.objectContaining({ type, status, reason, message: expect.stringContaining(message) });
const getGw = (name: string) => kube.get<Obj>('gateway', name, NS);
const getRoute = (name: string) => kube.get<Obj>('httproute', name, NS);
const meshRoutesOf = (routeName: string) => kube.list<Obj>('meshhttproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${controllerHash},${OWNER_LABEL}=${ownerLabelValue(NS, routeName)}` });

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** Polls until `pick(await read())` is defined and returns it; fails at once if the controller died. */
async function waitFor<R, T>(what: string, read: () => Promise<R>, pick: (r: R) => T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (!alive(ctl.pid)) throw new Error(`controller exited while waiting for ${what} (log: ${ctl.logFile})`);
    try {
      const v = pick(await read());
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
/** The listener's condition of `type` once it has the wanted status. */
const listenerWhen = (gw: string, listener: string, type: string, status: string) =>
  waitFor(`${gw}/${listener} ${type}=${status}`, () => getGw(gw), (g) => { const c = listenerCond(g, listener, type); return c?.status === status ? c : undefined; });
const parentWhen = (r: string, type: string, status: string) =>
  waitFor(`${r} ${type}=${status}`, () => getRoute(r), (o) => { const c = parentCond(o, type); return c?.status === status ? c : undefined; });

/** base64 of `s` at the three byte alignments, minus the characters that depend on neighbours. */
function base64Needles(s: string): string[] {
  return [0, 1, 2].map((off) => {
    const enc = Buffer.concat([Buffer.alloc(off), Buffer.from(s)]).toString('base64');
    return enc.slice(off ? 4 : 0, Math.floor((off + Buffer.byteLength(s)) / 3) * 4);
  });
}

// ---- setup ------------------------------------------------------------------------------------

beforeAll(async () => {
  // A previous run's namespaces may still be terminating (cleanup does not wait).
  for (const ns of [NS, CERT_NS]) await eventually(async () => (await kube.get<Obj>('namespace', ns))?.status?.phase !== 'Terminating', 60_000, `namespace ${ns} gone or active`);
  await kube.apply([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CERT_NS } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NS } },
    { apiVersion: GW, kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName } },
    { apiVersion: GW, kind: 'GatewayClass', metadata: { name: OTHER_CLASS }, spec: { controllerName: 'example.com/not-meshgate' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } },
  ]);
  // Debug level: the most the controller ever logs is what must stay free of Secret data.
  ctl = await startController(kube.kubeconfigPath, { controllerName, args: [`--watch-namespaces=${NS},${CERT_NS}`, '--log-level=debug'] });
}, 90_000);

afterAll(async () => {
  await ctl?.stop();
  await kube.kubectl(['delete', 'meshgateways,meshhttproutes,meshtcproutes,secrets', '-A', '-l', `meshgate.io/controller=${controllerHash}`, '--ignore-not-found', '--wait=false']);
  await kube.kubectl(['delete', 'namespace', NS, CERT_NS, '--ignore-not-found', '--wait=false']);
  await kube.kubectl(['delete', 'gatewayclass', CLASS, OTHER_CLASS, '--ignore-not-found', '--wait=false']);
}, 60_000);

// ---- what the API server rejects: its message names the object and the field ---------------------

describe('rejected by the API server (CRD validation)', () => {
  const L = (n: number) => Array.from({ length: n }, (_, i) => httpListener(`l${i}`, 10000 + i));
  const rules = (counts: number[]) => counts.map((n, i) => ({ matches: Array.from({ length: n }, (_, j) => ({ path: { type: 'PathPrefix', value: `/r${i}/m${j}` } })) }));
  it.each<[string, object, string[]]>([
    ['listener hostname with upper case', gateway('bad-host', [httpListener('h', 80, { hostname: 'WWW.Example.com' })]),
      ['The Gateway "bad-host" is invalid', 'spec.listeners[0].hostname: Invalid value: "WWW.Example.com"']],
    ['listener ports 0 and 70000', gateway('bad-ports', [httpListener('a', 0), httpListener('b', 70000)]),
      ['The Gateway "bad-ports" is invalid', 'spec.listeners[0].port: Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1', 'spec.listeners[1].port: Invalid value: 70000: spec.listeners[1].port in body should be less than or equal to 65535']],
    ['duplicate listener names', gateway('dup-names', [httpListener('h', 80), httpListener('h', 81)]),
      ['The Gateway "dup-names" is invalid', 'Listener name must be unique within the Gateway']],
    ['65 listeners', gateway('many-listeners', L(65)), ['The Gateway "many-listeners" is invalid', 'spec.listeners: Too many: 65: must have at most 64 items']],
    ['unicode Gateway name', gateway('gätewäy', [httpListener('h', 80)]), ['The Gateway "gätewäy" is invalid', 'metadata.name: Invalid value: "gätewäy": a lowercase RFC 1123 subdomain']],
    ['254-character HTTPRoute name', routeTo(`${N253}x`, 'edge'), ['is invalid', 'metadata.name: Invalid value', 'must be no more than 253 characters']],
    ['route hostname with unicode', routeTo('unicode-host', 'edge', {}, { hostnames: ['bücher.example.com'] }), ['The HTTPRoute "unicode-host" is invalid', 'spec.hostnames[0]: Invalid value: "bücher.example.com"']],
    ['17 rules', route('too-many-rules', { rules: rules(Array(17).fill(1)) }), ['The HTTPRoute "too-many-rules" is invalid', 'spec.rules: Too many: 17: must have at most 16 items']],
    ['129 matches in 16 rules', route('too-many-matches', { rules: rules([...Array(15).fill(8), 9]) }), ['The HTTPRoute "too-many-matches" is invalid', 'the total number of matches across all rules in a route must be less than 128']],
    ['header match value of 5000 characters', routeTo('long-header', 'edge', { matches: [{ headers: [{ name: 'x-long', value: 'v'.repeat(5000) }] }] }),
      ['The HTTPRoute "long-header" is invalid', 'spec.rules[0].matches[0].headers[0].value: Too long: may not be more than 4096 bytes']],
    ['CR LF in a RequestHeaderModifier value', routeTo('crlf', 'edge', { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: 'a\r\nx-injected: 1' }] } }] }),
      ['The HTTPRoute "crlf" is invalid', 'spec.rules[0].filters[0].requestHeaderModifier.set[0].value: Invalid value: "a\\r\\nx-injected: 1"']],
    ['TLS Secret without tls.key', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'no-key', namespace: NS }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(pem('valid.crt')) } },
      ['The Secret "no-key" is invalid', 'data[tls.key]: Required value']],
  ])('%s', async (_label, obj, messages) => {
    const r = await kube.kubectl(['create', '-f', '-'], { input: JSON.stringify(obj), timeoutMs: 30_000 });
    expect(r.code).not.toBe(0);
    for (const m of messages) expect(r.stderr).toContain(m);
  });
});

// ---- what it accepts: exact status, no crash -------------------------------------------------------

describe('accepted by the API server, handled by meshgate', () => {
  test('listener hostname that is an IP, protocols QUIC and "constructor" (which used to crash the controller)', async () => {
    await kube.apply([gateway('listeners', [
      httpListener('http', 80),
      httpListener('ip', 81, { hostname: '10.0.0.1' }),
      { name: 'quic', port: 82, protocol: 'QUIC' },
      { name: 'ctor', port: 83, protocol: 'constructor' },
    ])]);
    await listenerWhen('listeners', 'http', 'Programmed', 'True');
    const gw = await getGw('listeners');
    expect(listenerCond(gw, 'ip', 'Accepted')).toEqual(exactly('Accepted', 'False', 'UnsupportedValue', 'spec.listeners[ip].hostname: hostname "10.0.0.1" is an IP address; hostnames must be DNS names'));
    expect(listenerCond(gw, 'quic', 'Accepted')).toEqual(exactly('Accepted', 'False', 'UnsupportedProtocol', 'unsupported protocol QUIC; supported: HTTP, HTTPS, TLS, TCP'));
    expect(listenerCond(gw, 'ctor', 'Accepted')).toEqual(exactly('Accepted', 'False', 'UnsupportedProtocol', 'unsupported protocol constructor; supported: HTTP, HTTPS, TLS, TCP'));
    expect(cond(gw?.status?.conditions, 'Accepted')).toEqual(exactly('Accepted', 'True', 'ListenersNotValid', 'some listeners are not valid: ip, quic, ctor'));
    const mgw = await kube.get<Obj>('meshgateway', meshGatewayName(NS, 'listeners'));
    expect(mgw?.spec.conf.listeners.map((l: { port: number }) => l.port)).toEqual([80]);
  });

  test('certificates: expired (now is set by the controller), mismatched, a canary for a key, Opaque, cross-namespace with the grant added and deleted', async () => {
    const crt = pem('valid.crt');
    await kube.apply([
      secret('expired', pem('expired.crt'), pem('expired.key')),
      secret('mismatched', crt, pem('mismatched.key')),
      secret('canary-key', crt, CANARY),
      secret('canary-valid', crt, `${CANARY}\n${pem('valid.key')}`),
      secret('opaque', crt, CANARY, 'Opaque'),
      secret('shared', crt, pem('valid.key'), 'kubernetes.io/tls', CERT_NS),
      gateway('certs', [
        httpsListener('expired', 8443, 'expired'),
        httpsListener('mismatched', 8444, 'mismatched'),
        httpsListener('canary-key', 8445, 'canary-key'),
        httpsListener('canary-valid', 8446, 'canary-valid'),
        httpsListener('opaque', 8447, 'opaque'),
        httpsListener('cross', 8448, 'shared', CERT_NS),
      ]),
    ]);
    const expired = await listenerWhen('certs', 'expired', 'meshgate.io/CertificateValid', 'False');
    expect(expired).toEqual(exactly('meshgate.io/CertificateValid', 'False', 'CertificateExpired', `certificate in Secret "${NS}/expired" expired at 2001-01-01T00:00:00.000Z`));
    const gw = await getGw('certs');
    expect(listenerCond(gw, 'expired', 'Programmed')?.status).toBe('True');
    expect(listenerCond(gw, 'mismatched', 'ResolvedRefs')).toEqual(exactly('ResolvedRefs', 'False', 'InvalidCertificateRef', `Secret "${NS}/mismatched": malformed secret: tls.key does not match the certificate in tls.crt`));
    expect(listenerCond(gw, 'canary-key', 'ResolvedRefs')).toEqual(exactly('ResolvedRefs', 'False', 'InvalidCertificateRef', `Secret "${NS}/canary-key": malformed secret: tls.key is not PEM-encoded`));
    expect(listenerCond(gw, 'canary-valid', 'Programmed')?.status).toBe('True');
    expect(listenerCond(gw, 'opaque', 'ResolvedRefs')).toEqual(exactly('ResolvedRefs', 'False', 'InvalidCertificateRef', `Secret "${NS}/opaque" has type "Opaque"; only "kubernetes.io/tls" is supported`));
    expect(listenerCond(gw, 'cross', 'ResolvedRefs')).toEqual(exactly('ResolvedRefs', 'False', 'RefNotPermitted', `reference to Secret "${CERT_NS}/shared" not permitted by any ReferenceGrant`));
    expect(JSON.stringify(gw?.status)).not.toContain(CANARY);
    // The canary went through the controller: the valid Secret's copy holds it.
    const copy = await waitFor('Secret copy of canary-valid', () => kube.get<Obj>('secret', secretCopyName('default', NS, 'canary-valid'), SYSTEM_NS), (s) => s?.data?.value);
    expect(Buffer.from(copy, 'base64').toString()).toContain(CANARY);

    await kube.apply([grant()]);
    expect(await listenerWhen('certs', 'cross', 'ResolvedRefs', 'True')).toEqual(exactly('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved'));
    await kube.remove([grant()]);
    expect(await listenerWhen('certs', 'cross', 'ResolvedRefs', 'False')).toEqual(exactly('ResolvedRefs', 'False', 'RefNotPermitted', `reference to Secret "${CERT_NS}/shared" not permitted by any ReferenceGrant`));
  });

  test('253-character Gateway and HTTPRoute names: translated, generated names within limits', async () => {
    await kube.apply([gateway(N253, [httpListener('http', 80)]), routeTo(N253, N253)]);
    await parentWhen(N253, 'Accepted', 'True');
    await waitFor('attachedRoutes 1', () => getGw(N253), (g) => (g?.status?.listeners?.[0]?.attachedRoutes === 1 ? true : undefined));
    const names = gatewayWorkloadNames(N253);
    expect(names.deployment.length).toBeLessThanOrEqual(242);
    expect(await waitFor('Deployment', () => kube.get<Obj>('deployment', names.deployment, NS), (d) => d?.metadata.name)).toBe(names.deployment);
    expect(await kube.get<Obj>('service', names.service, NS)).toBeDefined();
    expect((await kube.get<Obj>('meshgateway', meshGatewayName(NS, N253)))?.metadata.name).toHaveLength(253);
    const [mhr] = await meshRoutesOf(N253);
    expect(mhr.metadata.name.length).toBeLessThanOrEqual(253);
  });

  test('routes: IP hostname, malicious regexes passed through, an invalid one rejected, 16 rules × 8 matches', async () => {
    const evil = ['(a+)+$', '(a|aa)*b', '^(\\w+\\s?)*$'];
    const rules16x8 = Array.from({ length: 16 }, (_, i) => ({ matches: Array.from({ length: 8 }, (_, j) => ({ path: { type: 'Exact', value: `/r${i}/m${j}` } })), backendRefs: [{ name: 'web', port: 80 }] }));
    await kube.apply([
      gateway('edge', [httpListener('http', 80)]),
      routeTo('ip-host', 'edge', {}, { hostnames: ['10.0.0.1'] }),
      routeTo('evil-regex', 'edge', { matches: [
        { path: { type: 'RegularExpression', value: `/${evil[0]}` } },
        { headers: [{ type: 'RegularExpression', name: 'x-evil', value: evil[1] }] },
        { queryParams: [{ type: 'RegularExpression', name: 'q', value: evil[2] }] },
      ] }),
      routeTo('bad-regex', 'edge', { matches: [{ path: { type: 'RegularExpression', value: '/(a)\\1' } }] }),
      route('big', { parentRefs: [{ name: 'edge' }], rules: rules16x8 }),
    ]);
    expect(await parentWhen('ip-host', 'Accepted', 'False')).toEqual(exactly('Accepted', 'False', 'UnsupportedValue', 'spec.hostnames[0]: hostname "10.0.0.1" is an IP address; hostnames must be DNS names'));
    expect(await parentWhen('bad-regex', 'Accepted', 'False')).toEqual(exactly('Accepted', 'False', 'UnsupportedValue', 'spec.rules[0].matches[0].path.value: "/(a)\\\\1" is not a valid RE2 regular expression: backreferences are not supported'));
    await parentWhen('evil-regex', 'Accepted', 'True');
    const mEvil = await waitFor('MeshHTTPRoute of evil-regex', () => meshRoutesOf('evil-regex'), (l) => l[0]);
    expect(mEvil.spec.to[0].rules[0].matches).toEqual([
      { path: { type: 'RegularExpression', value: `/${evil[0]}` } },
      { path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'RegularExpression', name: 'x-evil', value: evil[1] }] },
      { path: { type: 'PathPrefix', value: '/' }, queryParams: [{ type: 'RegularExpression', name: 'q', value: evil[2] }] },
    ]);
    await parentWhen('big', 'Accepted', 'True');
    const mBig = await waitFor('MeshHTTPRoute of big', () => meshRoutesOf('big'), (l) => l[0]);
    expect(mBig.spec.to[0].rules.map((r: { matches: unknown[] }) => r.matches.length)).toEqual(Array(16).fill(8));
    expect(await meshRoutesOf('ip-host')).toEqual([]);
    expect(await meshRoutesOf('bad-regex')).toEqual([]);
  });

  test('a route to another controller\'s Gateway gets no status entry and no objects from meshgate', async () => {
    await kube.apply([gateway('theirs', [httpListener('http', 80)], OTHER_CLASS), routeTo('foreign', 'theirs'), routeTo('witness', 'edge')]);
    // Once a route applied later is handled, the earlier one has been seen too.
    await parentWhen('witness', 'Accepted', 'True');
    await ctl.idle();
    expect(ourParents(await getRoute('foreign'))).toEqual([]);
    expect(await meshRoutesOf('foreign')).toEqual([]);
    expect((await getGw('theirs'))?.status?.listeners).toBeUndefined();
    expect(await kube.get('meshgateway', meshGatewayName(NS, 'theirs'))).toBeUndefined();
  });

  test('a route flapping between two Gateways ends with exactly the final parent', async () => {
    await kube.apply([gateway('edge2', [httpListener('http', 80)])]);
    for (let i = 0; i < 6; i++) await kube.apply([routeTo('flap', i % 2 ? 'edge' : 'edge2')]);
    await kube.apply([routeTo('flap', 'edge2')]);
    await waitFor('flap parents = [edge2]', () => getRoute('flap'), (r) => {
      const p = ourParents(r);
      return p.length === 1 && p[0].parentRef.name === 'edge2' && cond(p[0].conditions, 'Accepted')?.status === 'True' ? p : undefined;
    });
    await ctl.idle();
    expect(ourParents(await getRoute('flap')).map((p) => p.parentRef.name)).toEqual(['edge2']);
    const routes = await meshRoutesOf('flap');
    expect(routes.map((m) => m.spec.targetRef.name)).toEqual([meshGatewayName(NS, 'edge2')]);
  });

  test('a Gateway deleted and recreated with the same name: the generated objects carry the new uid', async () => {
    await kube.apply([gateway('phoenix', [httpListener('http', 80)])]);
    const first = await waitFor('phoenix uid', () => getGw('phoenix'), (g) => g?.metadata.uid);
    await waitFor('phoenix Deployment owned by the first uid', () => kube.get<Obj>('deployment', 'phoenix', NS), (d) => (d?.metadata.ownerReferences?.[0]?.uid === first ? true : undefined));
    await kube.kubectl(['delete', 'gateway', 'phoenix', '-n', NS, '--wait=true']);
    await kube.apply([gateway('phoenix', [httpListener('web', 8080)])]);
    const second = await waitFor('new phoenix uid', () => getGw('phoenix'), (g) => (g?.metadata.uid && g.metadata.uid !== first ? g.metadata.uid : undefined));
    const dep = await waitFor('phoenix Deployment owned by the new uid', () => kube.get<Obj>('deployment', 'phoenix', NS), (d) => (d?.metadata.ownerReferences?.[0]?.uid === second ? d : undefined));
    expect(dep.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Gateway', name: 'phoenix', uid: second })]);
    await listenerWhen('phoenix', 'web', 'Accepted', 'True');
    const mgw = await waitFor('MeshGateway on 8080', () => kube.get<Obj>('meshgateway', meshGatewayName(NS, 'phoenix')), (m) => (m?.spec.conf.listeners[0].port === 8080 ? m : undefined));
    expect(mgw.spec.conf.listeners.map((l: { port: number }) => l.port)).toEqual([8080]);
  });
});

// ---- afterwards: alive, healthy, never restarted, no Secret data in the log ------------------------

describe('the controller after all of it', () => {
  test('is alive, healthy, never restarted, and never logged Secret data', async () => {
    await ctl.idle();
    expect(() => process.kill(ctl.pid, 0)).not.toThrow();
    const health = await fetch(ctl.metricsURL.replace(/\/metrics$/, '/healthz'));
    expect(health.status).toBe(200);
    const log = readFileSync(ctl.logFile, 'utf8');
    const lines = log.split('\n').filter((l) => l.trim() !== '');
    // A crash (or a restart of the process) would print a stack trace: every line is a JSON record
    // (Node's own process warnings aside).
    const isJSON = (l: string) => { try { JSON.parse(l); return true; } catch { return false; } };
    expect(lines.filter((l) => !isJSON(l) && !/^\(node:\d+\)|^\(Use `node --trace-/.test(l))).toEqual([]);
    expect(lines.filter((l) => l.includes('"caches synced"'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('"level":"debug"'))).toBe(true);
    expect(log).not.toContain(CANARY);
    for (const needle of base64Needles(CANARY)) expect(log).not.toContain(needle);
    expect(log).not.toContain('BEGIN');
    expect(log).not.toContain(b64(pem('valid.key')).slice(0, 64));
  });
});
