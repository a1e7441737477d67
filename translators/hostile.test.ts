// Hostile and broken input (issue "Production operation…", item 5): every case feeds the pure
// translator (or the incremental engine) something an attacker, a buggy tool or an unchecked
// file could produce, and asserts the exact condition (type, status, reason, key part of the
// message) or the exact shape of what is generated. Nothing may throw; nothing may hang (a hang
// fails on the runner's test timeout; no case measures the wall clock: speed is bench:translate's).
import type { KubeObject, Secret } from './api/meta';
import type { TranslationOptions } from './input';
import { tlsSecret } from './testdata/certs';
import type { Any, Cond } from './testing/hostile-fixtures';
import { BASE, NOW, cond, gateway, gatewayClass, gwStatus, http, httpRoute, https, listenerCond, nameProblems, namespace, of, parentCond, routeWith, run, service, tlsRoute } from './testing/hostile-fixtures';

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
