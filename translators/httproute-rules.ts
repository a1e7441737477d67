// HTTPRoute rules → MeshHTTPRoute rules (TRANSLATION-REFERENCE §2.6, REL), pure.
// Where Kuma dropped something silently, meshgate drops it too but reports it as a problem, so
// the caller can set PartiallyInvalid. A dropped part never widens what a rule matches.
import type { BackendRef, HTTPRouteRule } from './api/gateway-api';
import type { MeshBackendRef, MeshHTTPFilter, MeshHTTPRouteMatch, MeshHTTPRule, MeshHeaderModifier, MeshPathModifier } from './api/kuma';
import { type BackendContext, describe, isObject, isPort, resolveBackend } from './backends';
import { defaultBackendRef } from './input';

export interface RuleProblem {
  ruleIndex: number;
  /** Relative to the rule, e.g. `matches[1].queryParams[0].type`; prefix `spec.rules[ruleIndex].` to show it. */
  field: string;
  message: string;
  severity: 'dropped-rule' | 'dropped-part';
}

export interface BackendFailure {
  reason: string;
  message: string;
  /** Full path from the route, e.g. `spec.rules[0].backendRefs[1]`. */
  field: string;
}

export interface ConvertedRules {
  rules: MeshHTTPRule[];
  /** First backend failure wins for ResolvedRefs (Kuma behaviour); all are listed for messages. */
  backendFailures: BackendFailure[];
  /** Things meshgate cannot honour: reported as PartiallyInvalid/UnsupportedValue (Kuma dropped them silently). */
  problems: RuleProblem[];
  /** IncompatibleFilters etc. that make the whole route unacceptable. */
  fatal?: { reason: 'IncompatibleFilters' | 'UnsupportedValue'; message: string };
}

type Severity = RuleProblem['severity'];
/** What every rule-level step writes to: the context and the result being built. */
interface Sink {
  /** `spec.rules[i]`: prefixes backend-failure fields and fatal messages, not problem fields. */
  base: string;
  ctx: BackendContext;
  out: ConvertedRules;
  problem(field: string, message: string, severity: Severity): void;
}
type Part<T> = { ok: true; value: T } | { ok: false; field: string; message: string };
type KeyValueMatch = { type: 'Exact' | 'RegularExpression'; name: string; value: string };

const ok = <T>(value: T): Part<T> => ({ ok: true, value });
const bad = <T>(field: string, message: string): Part<T> => ({ ok: false, field, message });
const present = (v: unknown): boolean => v !== undefined && v !== null;
/** HTTPHeaderName (RFC 7230 token), the CRD pattern for header and query parameter names. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

const METHODS: ReadonlySet<unknown> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const REDIRECT_CODES: ReadonlySet<unknown> = new Set([301, 302, 303, 307, 308]);
/** The spec allows these at most once per rule; RequestMirror and ExtensionRef may repeat. */
const SINGLE_USE: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']);
/** Rule fields MeshHTTPRoute has no place for: Kuma configures them with other policies. */
const UNSUPPORTED_RULE_FIELDS: [string, string][] = [
  ['timeouts', 'timeouts are not supported: MeshHTTPRoute has none (Kuma sets timeouts with MeshTimeout)'],
  ['retry', 'retry is not supported: MeshHTTPRoute has none (Kuma sets retries with MeshRetry)'],
  ['sessionPersistence', 'sessionPersistence is not supported by Kuma'],
];

export function convertHTTPRules(rules: HTTPRouteRule[], ctx: BackendContext): ConvertedRules {
  const out: ConvertedRules = { rules: [], backendFailures: [], problems: [] };
  const list: unknown[] = Array.isArray(rules) ? rules : [];
  list.forEach((rule, i) => {
    const problem = (field: string, message: string, severity: Severity) =>
      out.problems.push({ ruleIndex: i, field, message, severity });
    const converted = convertRule(isObject(rule) ? rule : {}, { base: `spec.rules[${i}]`, ctx, out, problem });
    if (converted) out.rules.push(converted);
  });
  // A route is Accepted if at least one rule is implemented; none left means it is not.
  if (list.length > 0 && out.rules.length === 0 && !out.fatal) {
    const first = out.problems[0];
    const detail = first ? `; first problem: spec.rules[${first.ruleIndex}].${first.field}: ${first.message}` : '';
    out.fatal = { reason: 'UnsupportedValue', message: `no rule of the route can be honoured${detail}` };
  }
  return out;
}

function convertRule(rule: Record<string, unknown>, sink: Sink): MeshHTTPRule | undefined {
  const { base, out, problem } = sink;
  const rawFilters: unknown[] = Array.isArray(rule.filters) ? rule.filters : [];
  const types = rawFilters.map((f) => (isObject(f) && typeof f.type === 'string' ? f.type : undefined));
  const redirect = types.includes('RequestRedirect');
  if (redirect && types.includes('URLRewrite')) {
    out.fatal ??= { reason: 'IncompatibleFilters', message: `${base}: RequestRedirect and URLRewrite filters cannot be used together` };
    return undefined;
  }
  const matches = convertMatches(rule.matches, sink);
  if (matches.length === 0) {
    problem('matches', 'every match of the rule is invalid, so the rule is dropped', 'dropped-rule');
    return undefined;
  }
  for (const [key, message] of UNSUPPORTED_RULE_FIELDS) {
    const v = rule[key];
    if (present(v) && !(isObject(v) && Object.keys(v).length === 0)) problem(key, message, 'dropped-part');
  }
  const filters = convertFilters(rawFilters, matches, sink);
  if (!filters) return undefined;
  // The spec: a redirect answers the request itself, so its backendRefs are ignored.
  const backendRefs = redirect ? [] : convertBackendRefs(rule.backendRefs, sink);
  return { matches, default: filters.length ? { filters, backendRefs } : { backendRefs } };
}

// ---- matches ---------------------------------------------------------------------------------

function convertMatches(raw: unknown, { problem }: Sink): MeshHTTPRouteMatch[] {
  // The CRD default: no matches means one `PathPrefix /` match.
  if (!Array.isArray(raw) || raw.length === 0) return [{ path: { type: 'PathPrefix', value: '/' } }];
  const matches: MeshHTTPRouteMatch[] = [];
  raw.forEach((m: unknown, j) => {
    const r = convertMatch(m);
    // A match is a conjunction: dropping one of its conditions would widen it, so drop it all.
    if (r.ok) matches.push(r.value);
    else problem(`matches[${j}]${r.field}`, `${r.message}; the match is dropped`, 'dropped-part');
  });
  return matches;
}

function convertMatch(m: unknown): Part<MeshHTTPRouteMatch> {
  if (!isObject(m)) return bad('', 'a match must be an object');
  const path = convertPath(m.path);
  if (!path.ok) return path;
  const match: MeshHTTPRouteMatch = { path: path.value };
  if (present(m.method)) {
    if (!METHODS.has(m.method)) return bad('.method', `unsupported method ${describe(m.method)}`);
    match.method = m.method as string;
  }
  const headers = convertKeyValues(m.headers, '.headers', true);
  if (!headers.ok) return headers;
  if (headers.value.length) match.headers = headers.value;
  const query = convertKeyValues(m.queryParams, '.queryParams', false);
  if (!query.ok) return query;
  if (query.value.length) match.queryParams = query.value;
  return ok(match);
}

function convertPath(p: unknown): Part<NonNullable<MeshHTTPRouteMatch['path']>> {
  if (!present(p)) return ok({ type: 'PathPrefix', value: '/' });
  if (!isObject(p)) return bad('.path', 'path must be an object');
  const type = p.type ?? 'PathPrefix';
  const value = p.value ?? '/';
  if (typeof value !== 'string') return bad('.path.value', `path value must be a string, got ${describe(value)}`);
  switch (type) {
    case 'Exact':
      return value.startsWith('/') ? ok({ type: 'Exact', value }) : bad('.path.value', `path ${describe(value)} must start with "/"`);
    case 'PathPrefix':
      if (!value.startsWith('/')) return bad('.path.value', `path ${describe(value)} must start with "/"`);
      // Kuma's validator rejects a trailing '/' on a prefix (PR #9686); prefix matching is per segment anyway.
      return ok({ type: 'PathPrefix', value: value.replace(/\/+$/, '') || '/' });
    case 'RegularExpression': {
      const err = regexError(value);
      return err ? bad('.path.value', err) : ok({ type: 'RegularExpression', value });
    }
    default:
      return bad('.path.type', `unsupported path match type ${describe(type)}`);
  }
}

/** Header and query-param matches. Only the first entry per name counts (Gateway API). */
function convertKeyValues(raw: unknown, field: string, header: boolean): Part<KeyValueMatch[]> {
  if (!present(raw)) return ok([]);
  if (!Array.isArray(raw)) return bad(field, `${field.slice(1)} must be a list`);
  const seen = new Set<string>();
  const out: KeyValueMatch[] = [];
  for (let k = 0; k < raw.length; k++) {
    const f = `${field}[${k}]`;
    const e: unknown = raw[k];
    if (!isObject(e) || typeof e.name !== 'string' || e.name === '' || typeof e.value !== 'string') {
      return bad(f, 'a match needs a non-empty string name and a string value');
    }
    if (!HEADER_NAME.test(e.name)) return bad(`${f}.name`, `${describe(e.name)} is not a valid ${header ? 'header' : 'query parameter'} name`);
    const type = e.type ?? 'Exact';
    if (type !== 'Exact' && type !== 'RegularExpression') return bad(`${f}.type`, `unsupported match type ${describe(type)}`);
    const err = type === 'RegularExpression' ? regexError(e.value) : undefined;
    if (err) return bad(`${f}.value`, err);
    // Header names are case-insensitive and Kuma forbids upper case; query names are exact.
    const name = header ? e.name.toLowerCase() : e.name;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ type, name, value: e.value });
  }
  return ok(out);
}

// ---- regular expressions ---------------------------------------------------------------------

/**
 * Why `value` is not a usable RE2 pattern, or undefined. Rough: rejects what RE2 lacks
 * (backreferences, lookaround, counts over 1000), maps RE2-only syntax (`(?P<`, `(?i)`) to JS,
 * then compiles with `new RegExp`. Compiling is safe; only matching can backtrack, and we never match.
 */
export function regexError(value: string): string | undefined {
  const invalid = `${describe(value)} is not a valid RE2 regular expression`;
  // Tokens: an escape, a character class, a `(?` group opener, or any other character.
  const tokens = value.match(/\\[\s\S]?|\[(?:\\[\s\S]|[^\]\\])*\]?|\(\?(?:P<|<?[=!]|[imsU-]+[:)])?|[\s\S]/g) ?? [];
  let js = '';
  for (const t of tokens) {
    if (/^\\[1-9]/.test(t)) return `${invalid}: backreferences are not supported`;
    if (/^\(\?<?[=!]/.test(t)) return `${invalid}: lookaround is not supported`;
    // RE2-only syntax JS lacks: `(?P<name>` groups and `(?i)` / `(?i:` flag groups.
    js += t === '(?P<' ? '(?<' : /^\(\?[imsU-]+\)$/.test(t) ? '' : /^\(\?[imsU-]+:$/.test(t) ? '(?:' : t;
  }
  // RE2 rejects escapes of letters and digits it does not define (\Z, \k<name>, \G, \u, a bare
  // \x or \p); JS without the u flag reads most of them as the letter itself.
  for (const m of value.matchAll(/\\(x\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|[pP](?:\{\^?[A-Za-z_]+\}|[A-Za-z])|[\s\S]?)/g)) {
    const e = m[1];
    if (/^[A-Za-z0-9]/.test(e) && !/^(?:x.|[pP].|[0-7afnrtvdDsSwWbBAzCQE])/.test(e)) return `${invalid}: invalid escape sequence \\${e}`;
  }
  for (const m of value.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(m[1]) > 1000 || Number(m[2] ?? 0) > 1000) return `${invalid}: repeat count over 1000`;
  }
  try {
    new RegExp(js);
  } catch {
    return invalid;
  }
  return undefined;
}

// ---- filters ---------------------------------------------------------------------------------

type FilterResult = Part<MeshHTTPFilter | undefined> & { severity?: Severity };

function convertFilters(raw: unknown[], matches: MeshHTTPRouteMatch[], sink: Sink): MeshHTTPFilter[] | undefined {
  const { problem } = sink;
  const filters: MeshHTTPFilter[] = [];
  const seen = new Set<string>();
  for (let j = 0; j < raw.length; j++) {
    const field = `filters[${j}]`;
    const f = raw[j];
    if (!isObject(f) || typeof f.type !== 'string') {
      problem(`${field}.type`, 'a filter needs a string type; the filter is dropped', 'dropped-part');
      continue;
    }
    if (SINGLE_USE.has(f.type) && seen.has(f.type)) {
      problem(field, `${f.type} may appear once per rule; this repeat is dropped`, 'dropped-part');
      continue;
    }
    seen.add(f.type);
    const r = convertFilter(f, f.type, matches, field, sink);
    if (r.ok) {
      if (r.value) filters.push(r.value);
      continue;
    }
    const severity = r.severity ?? 'dropped-part';
    const what = severity === 'dropped-rule' ? 'the rule is dropped' : 'the filter is dropped';
    problem(`${field}${r.field}`, `${r.message}; ${what}`, severity);
    if (severity === 'dropped-rule') return undefined;
  }
  return filters;
}

function convertFilter(f: Record<string, unknown>, type: string, matches: MeshHTTPRouteMatch[], field: string, sink: Sink): FilterResult {
  switch (type) {
    case 'RequestHeaderModifier': {
      const m = headerModifier(f.requestHeaderModifier, '.requestHeaderModifier');
      return m.ok ? ok({ type, requestHeaderModifier: m.value }) : m;
    }
    case 'ResponseHeaderModifier': {
      const m = headerModifier(f.responseHeaderModifier, '.responseHeaderModifier');
      return m.ok ? ok({ type, responseHeaderModifier: m.value }) : m;
    }
    // Serving a rule without its redirect or rewrite would send traffic elsewhere: drop the rule.
    case 'RequestRedirect':
      return { ...redirectFilter(f.requestRedirect, matches), severity: 'dropped-rule' };
    case 'URLRewrite':
      return { ...rewriteFilter(f.urlRewrite, matches), severity: 'dropped-rule' };
    case 'RequestMirror':
      return mirrorFilter(f.requestMirror, field, sink);
    // An ExtensionRef that cannot be resolved "MUST NOT be skipped" (HTTPRouteFilter), and an
    // unknown filter type must not be served as if it were absent: drop the rule (fail closed).
    case 'ExtensionRef':
      return { ...bad('', 'ExtensionRef filters are not supported: Kuma has no extension filters'), severity: 'dropped-rule' };
    case 'CORS':
      return bad('', 'CORS filters are not supported: MeshHTTPRoute has no CORS filter');
    default:
      return { ...bad('.type', `unsupported filter type ${describe(type)}`), severity: 'dropped-rule' };
  }
}

function headerModifier(cfg: unknown, field: string): Part<MeshHeaderModifier> {
  if (!isObject(cfg)) return bad(field, `the filter needs its ${field.slice(1)} configuration`);
  const m: MeshHeaderModifier = {};
  for (const op of ['set', 'add'] as const) {
    const list: unknown = cfg[op];
    if (!present(list)) continue;
    if (!Array.isArray(list) || !list.every(isHeader)) {
      return bad(`${field}.${op}`, `${op} needs a list of headers with a non-empty string name and a string value`);
    }
    // Envoy rejects such names and CR/LF/NUL in values (and with it the whole gateway's config).
    const k = list.findIndex((h) => !HEADER_NAME.test(h.name) || /[\r\n\0]/.test(h.value));
    if (k >= 0) {
      const h = list[k];
      return bad(`${field}.${op}[${k}]`, HEADER_NAME.test(h.name) ? 'a header value must not contain CR, LF or NUL' : `${describe(h.name)} is not a valid header name`);
    }
    m[op] = list.map((h) => ({ name: h.name.toLowerCase(), value: h.value }));
  }
  const remove: unknown = cfg.remove;
  if (present(remove)) {
    if (!Array.isArray(remove) || !remove.every((n) => typeof n === 'string' && n !== '')) {
      return bad(`${field}.remove`, 'remove needs a list of non-empty header names');
    }
    const k = remove.findIndex((n: string) => !HEADER_NAME.test(n));
    if (k >= 0) return bad(`${field}.remove[${k}]`, `${describe(remove[k])} is not a valid header name`);
    m.remove = remove.map((n: string) => n.toLowerCase());
  }
  return ok(m);
}

function isHeader(h: unknown): h is { name: string; value: string } {
  return isObject(h) && typeof h.name === 'string' && h.name !== '' && typeof h.value === 'string';
}

function redirectFilter(cfg: unknown, matches: MeshHTTPRouteMatch[]): Part<MeshHTTPFilter> {
  const field = '.requestRedirect';
  if (!isObject(cfg)) return bad(field, 'the filter needs its requestRedirect configuration');
  const rr: NonNullable<MeshHTTPFilter['requestRedirect']> = {};
  if (present(cfg.scheme)) {
    if (cfg.scheme !== 'http' && cfg.scheme !== 'https') return bad(`${field}.scheme`, `unsupported scheme ${describe(cfg.scheme)}`);
    rr.scheme = cfg.scheme;
  }
  const hostname = optionalHostname(cfg.hostname, `${field}.hostname`);
  if (!hostname.ok) return hostname;
  if (hostname.value !== undefined) rr.hostname = hostname.value;
  const path = pathModifier(cfg.path, matches, `${field}.path`);
  if (!path.ok) return path;
  if (path.value) rr.path = path.value;
  if (present(cfg.port)) {
    if (!isPort(cfg.port)) return bad(`${field}.port`, `invalid port ${describe(cfg.port)}`);
    rr.port = cfg.port;
  } else if (rr.scheme) {
    rr.port = rr.scheme === 'https' ? 443 : 80; // Kuma: the scheme's well-known port (upstream PR 1880)
  }
  const statusCode = cfg.statusCode ?? 302;
  if (!REDIRECT_CODES.has(statusCode)) {
    return bad(`${field}.statusCode`, `unsupported status code ${describe(statusCode)}: use 301, 302, 303, 307 or 308`);
  }
  rr.statusCode = statusCode as number;
  return ok({ type: 'RequestRedirect', requestRedirect: rr });
}

function rewriteFilter(cfg: unknown, matches: MeshHTTPRouteMatch[]): Part<MeshHTTPFilter> {
  const field = '.urlRewrite';
  if (!isObject(cfg)) return bad(field, 'the filter needs its urlRewrite configuration');
  const rw: NonNullable<MeshHTTPFilter['urlRewrite']> = {};
  const hostname = optionalHostname(cfg.hostname, `${field}.hostname`);
  if (!hostname.ok) return hostname;
  if (hostname.value !== undefined) rw.hostname = hostname.value;
  const path = pathModifier(cfg.path, matches, `${field}.path`);
  if (!path.ok) return path;
  if (path.value) rw.path = path.value;
  return ok({ type: 'URLRewrite', urlRewrite: rw });
}

function optionalHostname(v: unknown, field: string): Part<string | undefined> {
  if (!present(v)) return ok(undefined);
  return typeof v === 'string' && v !== '' ? ok(v) : bad(field, `invalid hostname ${describe(v)}`);
}

function pathModifier(cfg: unknown, matches: MeshHTTPRouteMatch[], field: string): Part<MeshPathModifier | undefined> {
  if (!present(cfg)) return ok(undefined);
  if (!isObject(cfg)) return bad(field, 'the path modifier must be an object');
  if (cfg.type === 'ReplaceFullPath') {
    const v = cfg.replaceFullPath;
    return typeof v === 'string' ? ok({ type: cfg.type, replaceFullPath: v }) : bad(`${field}.replaceFullPath`, 'replaceFullPath must be a string');
  }
  if (cfg.type === 'ReplacePrefixMatch') {
    const v = cfg.replacePrefixMatch;
    if (typeof v !== 'string') return bad(`${field}.replacePrefixMatch`, 'replacePrefixMatch must be a string');
    // The spec and Kuma's validator both require prefix matches for a prefix replacement.
    if (!matches.every((m) => m.path?.type === 'PathPrefix')) {
      return bad(field, 'ReplacePrefixMatch needs every match of the rule to be a PathPrefix match');
    }
    return ok({ type: cfg.type, replacePrefixMatch: v });
  }
  return bad(`${field}.type`, `unsupported path modifier type ${describe(cfg.type)}`);
}

function mirrorFilter(cfg: unknown, field: string, { base, ctx, out }: Sink): FilterResult {
  if (!isObject(cfg) || !isObject(cfg.backendRef)) return bad('.requestMirror.backendRef', 'the filter needs a backendRef');
  const percentage = mirrorPercentage(cfg);
  if (!percentage.ok) return percentage;
  const res = resolveBackend(ctx, defaultBackendRef(cfg.backendRef as unknown as BackendRef));
  if (!res.ok) {
    // Kept out of problems: it is a ResolvedRefs failure, and the route still serves.
    out.backendFailures.push({ reason: res.reason, message: res.message, field: `${base}.${field}.requestMirror.backendRef` });
    return ok(undefined);
  }
  const backendRef: MeshBackendRef = { ...res.ref };
  delete backendRef.weight; // a mirror has one target; weight means nothing there
  const requestMirror: NonNullable<MeshHTTPFilter['requestMirror']> = { backendRef };
  if (percentage.value !== undefined) requestMirror.percentage = percentage.value;
  return ok({ type: 'RequestMirror', requestMirror });
}

/**
 * percent / fraction → Kuma's int-or-string `percentage`. A whole number stays a number; a
 * fractional one becomes a decimal string, since the CRD's int-or-string rejects a JSON float.
 */
function mirrorPercentage(cfg: Record<string, unknown>): Part<number | string | undefined> {
  const field = '.requestMirror';
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  if (present(cfg.percent) && present(cfg.fraction)) return bad(field, 'percent and fraction cannot both be set');
  if (present(cfg.percent)) {
    const p = cfg.percent;
    return isInt(p) && p >= 0 && p <= 100 ? ok(p) : bad(`${field}.percent`, `percent must be an integer 0-100, got ${describe(p)}`);
  }
  if (!present(cfg.fraction)) return ok(undefined);
  const fr = isObject(cfg.fraction) ? cfg.fraction : {};
  const num = fr.numerator;
  const den = fr.denominator ?? 100;
  if (!isInt(num) || !isInt(den) || num < 0 || den <= 0 || num > den) {
    return bad(`${field}.fraction`, 'fraction needs integers 0 <= numerator <= denominator, denominator > 0');
  }
  const text = ((num * 100) / den).toFixed(6).replace(/\.?0+$/, '');
  return ok(/^\d+$/.test(text) ? Number(text) : text);
}

// ---- backends --------------------------------------------------------------------------------

function convertBackendRefs(raw: unknown, { base, ctx, out, problem }: Sink): MeshBackendRef[] {
  const list: unknown[] = Array.isArray(raw) ? raw : [];
  return list.map((b, j) => {
    const field = `backendRefs[${j}]`;
    const ref = isObject(b) ? b : {};
    const filters = ref.filters;
    if (present(filters) && !(Array.isArray(filters) && filters.length === 0)) {
      problem(`${field}.filters`, "per-backend filters are not supported: Kuma's BackendRef has no filters; they are dropped", 'dropped-part');
    }
    const res = resolveBackend(ctx, defaultBackendRef(ref as unknown as BackendRef));
    // An unresolved backend keeps its weight, so its share of traffic gets a 500 (the spec).
    if (!res.ok) out.backendFailures.push({ reason: res.reason, message: res.message, field: `${base}.${field}` });
    return res.ref;
  });
}
