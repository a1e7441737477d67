import fc from 'fast-check';
import type { HTTPRouteFilter, HTTPRouteMatch, HTTPRouteRule } from './api/gateway-api';
import type { MeshHTTPFilter, MeshHTTPRouteMatch, MeshHTTPRule } from './api/kuma';
import type { Service } from './api/meta';
import type { BackendContext } from './backends';
import { type ConvertedRules, convertHTTPRules, regexError, type RuleProblem } from './httproute-rules';

const SERVICES: Service[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'app', name: 'v1' }, spec: { ports: [{ port: 8080 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'app', name: 'v2' }, spec: { ports: [{ port: 8080 }] } },
];
const ctx: BackendContext = {
  routeKind: 'HTTPRoute',
  routeNamespace: 'app',
  mesh: false,
  findService: (ns, name) => SERVICES.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
  isPermitted: () => false,
};

const V1 = { group: '', kind: 'Service', name: 'v1', port: 8080, weight: 1 };
const V1_OUT = { kind: 'MeshService', name: 'v1_app_svc_8080', weight: 1 };
const UNRESOLVED = (weight = 1) => ({ kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight });
const ROOT: MeshHTTPRouteMatch = { path: { type: 'PathPrefix', value: '/' } };
const NOT_FOUND = 'backend reference references a non-existent Service "app/missing"';

const run = (rules: unknown): ConvertedRules => convertHTTPRules(rules as HTTPRouteRule[], ctx);
const one = (rule: unknown): ConvertedRules => run([rule]);
const ignored = (field: string, message: string, ruleIndex = 0): RuleProblem => ({ ruleIndex, field, message, severity: 'ignored' });
const dropRule = (field: string, message: string, ruleIndex = 0): RuleProblem => ({ ruleIndex, field, message, severity: 'dropped-rule' });
const clean = (rules: MeshHTTPRule[]): ConvertedRules => ({ rules, backendFailures: [], problems: [] });

describe('convertHTTPRules: matches', () => {
  it.each<[string, HTTPRouteMatch, MeshHTTPRouteMatch]>([
    ['PathPrefix trailing / trimmed', { path: { type: 'PathPrefix', value: '/foo/' } }, { path: { type: 'PathPrefix', value: '/foo' } }],
    ['PathPrefix / kept', { path: { type: 'PathPrefix', value: '/' } }, ROOT],
    ['PathPrefix repeated / trimmed', { path: { type: 'PathPrefix', value: '/a//' } }, { path: { type: 'PathPrefix', value: '/a' } }],
    ['PathPrefix without slash', { path: { type: 'PathPrefix', value: '/foo' } }, { path: { type: 'PathPrefix', value: '/foo' } }],
    ['Exact kept as is', { path: { type: 'Exact', value: '/foo/' } }, { path: { type: 'Exact', value: '/foo/' } }],
    ['RegularExpression', { path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } }, { path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } }],
    ['no path → PathPrefix /', {}, ROOT],
    ['method copied', { method: 'GET' }, { ...ROOT, method: 'GET' }],
    [
      'header names lower-cased',
      { headers: [{ type: 'Exact', name: 'X-Version', value: 'V1' }, { type: 'RegularExpression', name: 'Accept', value: 'text/.*' }] },
      { ...ROOT, headers: [{ type: 'Exact', name: 'x-version', value: 'V1' }, { type: 'RegularExpression', name: 'accept', value: 'text/.*' }] },
    ],
    [
      'first header per (case-insensitive) name wins',
      { headers: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] },
      { ...ROOT, headers: [{ type: 'Exact', name: 'x-a', value: '1' }] },
    ],
    [
      'query params keep case, Exact and RegularExpression',
      { queryParams: [{ type: 'Exact', name: 'Q', value: 'a' }, { type: 'RegularExpression', name: 'r', value: '^b+$' }, { name: 'q', value: 'c' }] },
      { ...ROOT, queryParams: [{ type: 'Exact', name: 'Q', value: 'a' }, { type: 'RegularExpression', name: 'r', value: '^b+$' }, { type: 'Exact', name: 'q', value: 'c' }] },
    ],
    [
      'all parts together',
      { path: { type: 'Exact', value: '/x' }, method: 'POST', headers: [{ name: 'H', value: 'v' }], queryParams: [{ name: 'q', value: '1' }] },
      { path: { type: 'Exact', value: '/x' }, method: 'POST', headers: [{ type: 'Exact', name: 'h', value: 'v' }], queryParams: [{ type: 'Exact', name: 'q', value: '1' }] },
    ],
  ])('%s', (_name, match, expected) => {
    expect(one({ matches: [match], backendRefs: [V1] })).toEqual(clean([{ matches: [expected], default: { backendRefs: [V1_OUT] } }]));
  });

  it('no matches → one PathPrefix / match (the CRD default)', () => {
    expect(one({ backendRefs: [V1] }).rules).toEqual([{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }]);
  });

  const M = 'matches[1]';
  it.each<[string, unknown, string, string]>([
    ['query param type Prefix', { queryParams: [{ type: 'Prefix', name: 'q', value: 'a' }] }, '.queryParams[0].type', 'unsupported match type "Prefix"'],
    ['header type Present', { headers: [{ name: 'h', value: 'v' }, { type: 'Present', name: 'k', value: '' }] }, '.headers[1].type', 'unsupported match type "Present"'],
    ['header without name', { headers: [{ value: 'v' }] }, '.headers[0]', 'a match needs a non-empty string name and a string value'],
    ['headers not a list', { headers: { name: 'h' } }, '.headers', 'headers must be a list'],
    ['invalid path regex', { path: { type: 'RegularExpression', value: '(' } }, '.path.value', '"(" is not a valid RE2 regular expression'],
    ['invalid header regex', { headers: [{ type: 'RegularExpression', name: 'h', value: '[a' }] }, '.headers[0].value', '"[a" is not a valid RE2 regular expression'],
    ['lookahead in query regex', { queryParams: [{ type: 'RegularExpression', name: 'q', value: '(?=a)' }] }, '.queryParams[0].value', '"(?=a)" is not a valid RE2 regular expression: lookaround is not supported'],
    ['unknown path type', { path: { type: 'Glob', value: '/x' } }, '.path.type', 'unsupported path match type "Glob"'],
    ['path value a number', { path: { type: 'Exact', value: 5 } }, '.path.value', 'path value must be a string, got 5'],
    ['path not starting with /', { path: { type: 'PathPrefix', value: 'foo' } }, '.path.value', 'path "foo" must start with "/"'],
    ['unknown method', { method: 'FETCH' }, '.method', 'unsupported method "FETCH"'],
    ['match not an object', 'GET /', '', 'a match must be an object'],
  ])('%s among good matches: the whole rule is dropped and reported, never served with fewer matches', (_name, bad, field, message) => {
    const r = run([{ matches: [{ path: { type: 'Exact', value: '/ok' } }, bad], backendRefs: [V1] }, { backendRefs: [V1] }]);
    expect(r.rules).toEqual([{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }]);
    expect(r.problems).toEqual([dropRule(`${M}${field}`, `${message}; the rule is dropped`)]);
    expect(r.fatal).toBeUndefined();
  });

  it('a route whose only rule is dropped is not acceptable', () => {
    const r = one({ matches: [{ queryParams: [{ type: 'Prefix', name: 'q', value: 'a' }] }], backendRefs: [V1] });
    expect(r.rules).toEqual([]);
    expect(r.problems).toEqual([dropRule('matches[0].queryParams[0].type', 'unsupported match type "Prefix"; the rule is dropped')]);
    expect(r.fatal).toEqual({
      reason: 'UnsupportedValue',
      message: 'no rule of the route can be honoured; first problem: spec.rules[0].matches[0].queryParams[0].type: unsupported match type "Prefix"; the rule is dropped',
    });
  });
});

describe('regexError', () => {
  it.each(['.*', '^/api/v[0-9]+$', '(?i)abc', '(?i:ab)c', '(?P<ver>v[0-9])/x', '(?<ver>v1)', '[(?=]', '\\(?=', 'a{2,1000}', '', '\\pL+', '((a{10}){10}){10}', '(a{1000})b{1000}', '\\{100\\}{100}'])(
    'accepts %p',
    (re) => expect(regexError(re)).toBeUndefined(),
  );
  it.each<[string, string]>([
    ['(', ''],
    ['[a', ''],
    ['a**', ''],
    ['\\', ''],
    ['a)', ''],
    ['(?=a)b', ': lookaround is not supported'],
    ['a(?!b)', ': lookaround is not supported'],
    ['(?<=a)b', ': lookaround is not supported'],
    ['(?<!a)b', ': lookaround is not supported'],
    ['(a)\\1', ': backreferences are not supported'],
    ['a{1001}', ': repeat count over 1000'],
    ['(?:a{100}){100}', ': nested repeat counts multiply past 1000'],
    ['((a{10}){10}){11}', ': nested repeat counts multiply past 1000'],
    ['('.repeat(1001) + 'a' + ')'.repeat(1001), ': groups nested more than 1000 deep'],
  ])('rejects %p', (re, why) => {
    expect(regexError(re)).toBe(`${JSON.stringify(re)} is not a valid RE2 regular expression${why}`);
  });
  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      const r = regexError(s);
      return r === undefined || typeof r === 'string';
    }));
  });
});

describe('convertHTTPRules: filters', () => {
  const MIRROR_REF = { kind: 'MeshService', name: 'v2_app_svc_8080' };
  const mirror = (extra: object): HTTPRouteFilter => ({
    type: 'RequestMirror',
    requestMirror: { backendRef: { group: '', kind: 'Service', name: 'v2', port: 8080, weight: 1 }, ...extra },
  });
  it.each<[string, HTTPRouteFilter, MeshHTTPFilter]>([
    [
      'RequestHeaderModifier, names lower-cased',
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Set', value: 'A' }], add: [{ name: 'X-Add', value: 'b' }], remove: ['X-Gone'] } },
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-set', value: 'A' }], add: [{ name: 'x-add', value: 'b' }], remove: ['x-gone'] } },
    ],
    [
      'ResponseHeaderModifier',
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'X-R', value: 'v' }] } },
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-r', value: 'v' }] } },
    ],
    ['redirect https → port 443, status 302', { type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }, { type: 'RequestRedirect', requestRedirect: { scheme: 'https', port: 443, statusCode: 302 } }],
    ['redirect http → port 80', { type: 'RequestRedirect', requestRedirect: { scheme: 'http', hostname: 'a.org' } }, { type: 'RequestRedirect', requestRedirect: { scheme: 'http', hostname: 'a.org', port: 80, statusCode: 302 } }],
    ['redirect explicit port kept', { type: 'RequestRedirect', requestRedirect: { scheme: 'https', port: 8443 } }, { type: 'RequestRedirect', requestRedirect: { scheme: 'https', port: 8443, statusCode: 302 } }],
    ['redirect port without scheme', { type: 'RequestRedirect', requestRedirect: { port: 8080, hostname: 'a.org' } }, { type: 'RequestRedirect', requestRedirect: { hostname: 'a.org', port: 8080, statusCode: 302 } }],
    ...[301, 303, 307, 308].map((statusCode): [string, HTTPRouteFilter, MeshHTTPFilter] => [
      `redirect status ${statusCode}`,
      { type: 'RequestRedirect', requestRedirect: { statusCode } },
      { type: 'RequestRedirect', requestRedirect: { statusCode } },
    ]),
    [
      'redirect ReplaceFullPath',
      { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 301 } },
      { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 301 } },
    ],
    [
      'redirect ReplacePrefixMatch',
      { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/p' } } },
      { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/p' }, statusCode: 302 } },
    ],
    [
      'URLRewrite hostname and prefix',
      { type: 'URLRewrite', urlRewrite: { hostname: 'b.org', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
      { type: 'URLRewrite', urlRewrite: { hostname: 'b.org', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
    ],
    ['URLRewrite full path', { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/x' } } }, { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/x' } } }],
    ['RequestMirror, 100% (no weight on the mirror)', mirror({}), { type: 'RequestMirror', requestMirror: { backendRef: MIRROR_REF } }],
    ['RequestMirror percent', mirror({ percent: 20 }), { type: 'RequestMirror', requestMirror: { backendRef: MIRROR_REF, percentage: 20 } }],
    ['RequestMirror percent 0', mirror({ percent: 0 }), { type: 'RequestMirror', requestMirror: { backendRef: MIRROR_REF, percentage: 0 } }],
    ['RequestMirror fraction 25/50', mirror({ fraction: { numerator: 25, denominator: 50 } }), { type: 'RequestMirror', requestMirror: { backendRef: MIRROR_REF, percentage: 50 } }],
    ['RequestMirror fraction default denominator', mirror({ fraction: { numerator: 7 } }), { type: 'RequestMirror', requestMirror: { backendRef: MIRROR_REF, percentage: 7 } }],
    ['RequestMirror fraction 1/8 → decimal string', mirror({ fraction: { numerator: 1, denominator: 8 } }), { type: 'RequestMirror', requestMirror: { backendRef: MIRROR_REF, percentage: '12.5' } }],
    ['RequestMirror fraction 1/3 → 6 decimals', mirror({ fraction: { numerator: 1, denominator: 3 } }), { type: 'RequestMirror', requestMirror: { backendRef: MIRROR_REF, percentage: '33.333333' } }],
  ])('%s', (_name, filter, expected) => {
    const r = one({ filters: [filter], backendRefs: [V1] });
    const backendRefs = filter.type === 'RequestRedirect' ? [] : [V1_OUT];
    expect(r).toEqual(clean([{ matches: [ROOT], default: { filters: [expected], backendRefs } }]));
  });

  it('keeps filter order and repeats of RequestMirror', () => {
    const filters = [mirror({ percent: 1 }), { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['A'] } }, mirror({})];
    expect(one({ filters, backendRefs: [V1] }).rules[0].default.filters?.map((f) => f.type)).toEqual(['RequestMirror', 'RequestHeaderModifier', 'RequestMirror']);
  });

  const F = 'filters[0]';
  it.each<[string, unknown, string, string]>([
    ['CORS', { type: 'CORS', cors: { allowOrigins: ['*'] } }, F, 'CORS filters are not supported: MeshHTTPRoute has no CORS filter'],
    ['no type', { requestHeaderModifier: {} }, `${F}.type`, 'a filter needs a string type'],
    ['header modifier without config', { type: 'RequestHeaderModifier' }, `${F}.requestHeaderModifier`, 'the filter needs its requestHeaderModifier configuration'],
    ['header value not a string', { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'a', value: 1 }] } }, `${F}.responseHeaderModifier.set`, 'set needs a list of headers with a non-empty string name and a string value'],
    ['remove not strings', { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: [''] } }, `${F}.requestHeaderModifier.remove`, 'remove needs a list of non-empty header names'],
    ['mirror percent over 100', mirror({ percent: 150 }), `${F}.requestMirror.percent`, 'percent must be an integer 0-100, got 150'],
    ['mirror percent and fraction', mirror({ percent: 5, fraction: { numerator: 1 } }), `${F}.requestMirror`, 'percent and fraction cannot both be set'],
    ['mirror fraction over 1', mirror({ fraction: { numerator: 3, denominator: 2 } }), `${F}.requestMirror.fraction`, 'fraction needs integers 0 <= numerator <= denominator, denominator > 0'],
    ['mirror without backendRef', { type: 'RequestMirror', requestMirror: {} }, `${F}.requestMirror.backendRef`, 'the filter needs a backendRef'],
  ])('%s: the whole rule is dropped and reported, never served without the filter', (_name, filter, field, message) => {
    const r = run([{ filters: [filter], backendRefs: [V1] }, { backendRefs: [V1] }]);
    expect(r).toEqual({ ...clean([{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }]), problems: [dropRule(field, `${message}; the rule is dropped`)] });
  });

  it.each(['RequestHeaderModifier', 'URLRewrite'])('a repeated single-use filter (%s) drops the rule', (type) => {
    const f = type === 'URLRewrite' ? { type, urlRewrite: { hostname: 'a.org' } } : { type, requestHeaderModifier: { set: [{ name: 'a', value: '1' }] } };
    const r = run([{ filters: [f, f], backendRefs: [V1] }, { backendRefs: [V1] }]);
    expect(r.rules).toEqual([{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }]);
    expect(r.problems).toEqual([dropRule('filters[1]', `${type} may appear once per rule; the rule is dropped`)]);
  });

  it.each<[string, unknown, unknown[], string, string]>([
    ['ExtensionRef (must not be skipped)', { type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'Y', name: 'z' } }, [], F, 'ExtensionRef filters are not supported: Kuma has no extension filters'],
    ['unknown filter type', { type: 'ExternalAuth' }, [], `${F}.type`, 'unsupported filter type "ExternalAuth"'],
    ['redirect status 304', { type: 'RequestRedirect', requestRedirect: { statusCode: 304 } }, [], `${F}.requestRedirect.statusCode`, 'unsupported status code 304: use 301, 302, 303, 307 or 308'],
    ['redirect scheme ftp', { type: 'RequestRedirect', requestRedirect: { scheme: 'ftp' } }, [], `${F}.requestRedirect.scheme`, 'unsupported scheme "ftp"'],
    ['redirect port 0', { type: 'RequestRedirect', requestRedirect: { port: 0 } }, [], `${F}.requestRedirect.port`, 'invalid port 0'],
    ['redirect unknown path modifier', { type: 'RequestRedirect', requestRedirect: { path: { type: 'Regex' } } }, [], `${F}.requestRedirect.path.type`, 'unsupported path modifier type "Regex"'],
    ['redirect without config', { type: 'RequestRedirect' }, [], `${F}.requestRedirect`, 'the filter needs its requestRedirect configuration'],
    ['rewrite empty hostname', { type: 'URLRewrite', urlRewrite: { hostname: '' } }, [], `${F}.urlRewrite.hostname`, 'hostname must be a non-empty string'],
    ['redirect hostname with CR/LF', { type: 'RequestRedirect', requestRedirect: { hostname: 'a.org\r\nx-evil: 1' } }, [], `${F}.requestRedirect.hostname`, 'hostname "a.org\\r\\nx-evil: 1" is not a valid DNS name (RFC 1123, optional leading "*.")'],
    ['redirect wildcard hostname', { type: 'RequestRedirect', requestRedirect: { hostname: '*.a.org' } }, [], `${F}.requestRedirect.hostname`, 'hostname "*.a.org" must not be a wildcard'],
    ['redirect path javascript:', { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: 'javascript:alert(1)' } } }, [], `${F}.requestRedirect.path.replaceFullPath`, 'replaceFullPath "javascript:alert(1)" must be an absolute path ("/…") of URL path characters and %-escapes'],
    ['redirect path //host', { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '//evil.example' } } }, [], `${F}.requestRedirect.path.replaceFullPath`, 'replaceFullPath "//evil.example" must be an absolute path ("/…") of URL path characters and %-escapes'],
    ['rewrite path with NUL', { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/a\u0000b' } } }, [], `${F}.urlRewrite.path.replaceFullPath`, 'replaceFullPath "/a\\u0000b" must be an absolute path ("/…") of URL path characters and %-escapes'],
    ['rewrite prefix with LF', { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/a\nb' } } }, [{ path: { type: 'PathPrefix', value: '/a' } }], `${F}.urlRewrite.path.replacePrefixMatch`, 'replacePrefixMatch "/a\\nb" must be an absolute path ("/…") of URL path characters and %-escapes'],
    ['rewrite full path not a string', { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath' } } }, [], `${F}.urlRewrite.path.replaceFullPath`, 'replaceFullPath must be a string'],
    [
      'ReplacePrefixMatch on an Exact match',
      { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
      [{ path: { type: 'Exact', value: '/a' } }],
      `${F}.urlRewrite.path`,
      'ReplacePrefixMatch needs every match of the rule to be a PathPrefix match',
    ],
  ])('%s: the whole rule is dropped', (_name, filter, matches, field, message) => {
    const r = run([{ matches, filters: [filter], backendRefs: [V1] }, { backendRefs: [V1] }]);
    expect(r.rules).toEqual([{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }]);
    expect(r.problems).toEqual([dropRule(field, `${message}; the rule is dropped`)]);
    expect(r.fatal).toBeUndefined();
  });

  it('a mirror whose backend does not resolve: filter dropped, backend failure recorded, route kept', () => {
    const filter = { type: 'RequestMirror', requestMirror: { backendRef: { name: 'missing', port: 8080 } } };
    expect(one({ filters: [filter], backendRefs: [V1] })).toEqual({
      rules: [{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }],
      backendFailures: [{ reason: 'BackendNotFound', message: NOT_FOUND, field: `spec.rules[0].${F}.requestMirror.backendRef` }],
      problems: [],
    });
  });

  it('RequestRedirect with URLRewrite is fatal: IncompatibleFilters', () => {
    const filters = [{ type: 'URLRewrite', urlRewrite: { hostname: 'a' } }, { type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }];
    expect(run([{ backendRefs: [V1] }, { filters }])).toEqual({
      rules: [{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }],
      backendFailures: [],
      problems: [],
      fatal: { reason: 'IncompatibleFilters', message: 'spec.rules[1]: RequestRedirect and URLRewrite filters cannot be used together' },
    });
  });

  it('RequestRedirect wins over backendRefs: they are dropped without a problem or a resolution', () => {
    const filters = [{ type: 'RequestRedirect', requestRedirect: { hostname: 'a.org' } }];
    expect(one({ filters, backendRefs: [V1, { ...V1, name: 'missing', filters: [{ type: 'CORS' }] }] })).toEqual(
      clean([{ matches: [ROOT], default: { filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'a.org', statusCode: 302 } }], backendRefs: [] } }]),
    );
  });
});

describe('convertHTTPRules: rules and backends', () => {
  it('weighted backends; unresolved ones keep their weight and are all listed, in order', () => {
    const r = one({ backendRefs: [{ ...V1, weight: 3 }, { ...V1, name: 'missing', weight: 2 }, { ...V1, kind: 'Pod', weight: 5 }] });
    expect(r.rules).toEqual([{ matches: [ROOT], default: { backendRefs: [{ ...V1_OUT, weight: 3 }, UNRESOLVED(2), UNRESOLVED(5)] } }]);
    expect(r.backendFailures).toEqual([
      { reason: 'BackendNotFound', message: NOT_FOUND, field: 'spec.rules[0].backendRefs[1]' },
      { reason: 'InvalidKind', message: `backend reference kind "Pod" is not supported: only core Service is (Kuma's ExternalService is not supported by meshgate)`, field: 'spec.rules[0].backendRefs[2]' },
    ]);
    expect(r.problems).toEqual([]);
  });

  it('backendRefs missing CRD defaults still resolve', () => {
    expect(one({ backendRefs: [{ name: 'v1', port: 8080 }] }).rules[0].default.backendRefs).toEqual([V1_OUT]);
  });

  it('no backendRefs and no redirect: the rule forwards to the unresolved-backend placeholder (500s, HTTPRouteNoBackendRefs; Kuma refuses an empty list on a MeshGateway)', () => {
    const unresolved = { kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 };
    expect(one({ matches: [{ path: { type: 'Exact', value: '/x' } }] })).toEqual(clean([{ matches: [{ path: { type: 'Exact', value: '/x' } }], default: { backendRefs: [unresolved] } }]));
  });

  it.each<[string, object, string, string]>([
    ['timeouts', { timeouts: { request: '1s' } }, 'timeouts', 'timeouts are not supported: MeshHTTPRoute has none (Kuma sets timeouts with MeshTimeout)'],
    ['retry', { retry: { attempts: 2 } }, 'retry', 'retry is not supported: MeshHTTPRoute has none (Kuma sets retries with MeshRetry)'],
    ['sessionPersistence', { sessionPersistence: { type: 'Cookie' } }, 'sessionPersistence', 'sessionPersistence is not supported by Kuma'],
  ])('%s: reported as ignored, the rule is kept (Kuma configures it with another policy)', (_name, extra, field, message) => {
    expect(one({ backendRefs: [V1], ...extra })).toEqual({ ...clean([{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }]), problems: [ignored(field, `${message}; it is ignored`)] });
  });

  it('per-backend filters drop the rule (the backend would be served without them)', () => {
    const r = run([{ backendRefs: [V1, { ...V1, filters: [{ type: 'RequestHeaderModifier' }] }] }, { backendRefs: [V1] }]);
    expect(r).toEqual({ ...clean([{ matches: [ROOT], default: { backendRefs: [V1_OUT] } }]), problems: [dropRule('backendRefs[1].filters', "per-backend filters are not supported: Kuma's BackendRef has no filters; the rule is dropped")] });
  });

  it('empty timeouts and empty per-backend filters are not problems', () => {
    expect(one({ timeouts: {}, backendRefs: [{ ...V1, filters: [] }] }).problems).toEqual([]);
  });

  it('problems carry the index of their rule', () => {
    const r = run([{ backendRefs: [V1] }, { backendRefs: [V1] }, { backendRefs: [V1], timeouts: { request: '1s' } }]);
    expect(r.problems.map((p) => [p.ruleIndex, p.field])).toEqual([[2, 'timeouts']]);
    expect(r.rules).toHaveLength(3);
  });

  // The CRD default for absent rules is one empty rule: it matches every path and has no backend
  // (on a Gateway: the unresolved-backend placeholder, 500).
  it.each<[string, unknown]>([['undefined', undefined], ['an object', { a: 1 }], ['an empty list', []]])('rules that are %s become the CRD default rule, nothing fatal', (_n, rules) => {
    expect(run(rules)).toEqual(clean([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], default: { backendRefs: [{ kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 }] } }]));
  });
});

describe('convertHTTPRules: properties', () => {
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(fc.oneof(a, fc.anything()), { nil: undefined });
  const kv = fc.record({ type: maybe(fc.constantFrom('Exact', 'RegularExpression', 'Prefix')), name: maybe(fc.string()), value: maybe(fc.string()) });
  const match = fc.record({
    path: maybe(fc.record({ type: maybe(fc.constantFrom('Exact', 'PathPrefix', 'RegularExpression')), value: maybe(fc.string()) })),
    headers: maybe(fc.array(fc.oneof(kv, fc.anything()))),
    queryParams: maybe(fc.array(kv)),
    method: maybe(fc.constantFrom('GET', 'POST')),
  });
  const backendRef = fc.record({ name: maybe(fc.constantFrom('v1', 'v2', 'missing')), port: maybe(fc.constantFrom(8080, 1)), weight: maybe(fc.nat()), namespace: maybe(fc.constantFrom('app', 'other')), kind: maybe(fc.constant('Service')), filters: fc.anything() });
  const filter = fc.record({
    type: maybe(fc.constantFrom('RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS')),
    requestHeaderModifier: fc.anything(),
    requestRedirect: maybe(fc.record({ scheme: fc.anything(), port: fc.anything(), statusCode: fc.anything(), path: fc.anything() })),
    urlRewrite: fc.anything(),
    requestMirror: maybe(fc.record({ backendRef: maybe(backendRef), percent: fc.anything(), fraction: fc.anything() })),
  });
  const rule = fc.oneof(
    fc.anything(),
    fc.record({ matches: maybe(fc.array(fc.oneof(match, fc.anything()))), filters: maybe(fc.array(filter)), backendRefs: maybe(fc.array(backendRef)), timeouts: fc.anything() }),
  );
  const rules = fc.oneof(fc.anything(), fc.array(rule, { maxLength: 4 }));

  it('never throws, is deterministic, does not mutate its input, and keeps its invariants', () => {
    fc.assert(
      fc.property(rules, (input) => {
        const before = structuredClone(input);
        const a = run(input);
        expect(run(structuredClone(input))).toEqual(a);
        expect(input).toEqual(before);
        const n = Array.isArray(input) ? input.length : 0;
        for (const r of a.rules) {
          expect(r.matches.length).toBeGreaterThan(0);
          for (const b of r.default.backendRefs ?? []) expect(Number.isInteger(b.weight) && b.weight! >= 0).toBe(true);
        }
        for (const p of a.problems) expect(p.ruleIndex >= 0 && p.ruleIndex < n).toBe(true);
        for (const f of a.backendFailures) expect(['BackendNotFound', 'InvalidKind', 'RefNotPermitted', 'UnsupportedProtocol']).toContain(f.reason);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
      { numRuns: 400 },
    );
  });
});
