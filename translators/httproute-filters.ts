// HTTPRoute filters → MeshHTTPRoute filters. A filter meshgate cannot honour drops its whole rule,
// reported: a rule is served as written or not at all, never with parts stripped.
import type { BackendRef } from './api/gateway-api';
import type { MeshBackendRef, MeshHTTPFilter, MeshHTTPRouteMatch, MeshHeaderModifier, MeshPathModifier } from './api/kuma';
import { describe, isObject, isPort, resolveBackend } from './backends';
import { defaultBackendRef } from './input';
import { hostnameProblem } from './hostnames';
import { bad, HEADER_NAME, ok, present, type Part, type Sink } from './rule-parts';

const REDIRECT_CODES: ReadonlySet<unknown> = new Set([301, 302, 303, 307, 308]);
/** The spec allows these at most once per rule; RequestMirror and ExtensionRef may repeat. */
const SINGLE_USE: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']);

type FilterResult = Part<MeshHTTPFilter | undefined>;

export function convertFilters(raw: unknown[], matches: MeshHTTPRouteMatch[], sink: Sink): MeshHTTPFilter[] | undefined {
  const { problem } = sink;
  const filters: MeshHTTPFilter[] = [];
  const seen: string[] | undefined = raw.length > 1 ? [] : undefined; // the types met so far (a few: no Set)
  for (let j = 0; j < raw.length; j++) {
    const field = `filters[${j}]`;
    const f = raw[j];
    if (!isObject(f) || typeof f.type !== 'string') {
      problem(`${field}.type`, 'a filter needs a string type; the rule is dropped', 'dropped-rule');
      return undefined;
    }
    if (seen && SINGLE_USE.has(f.type) && seen.includes(f.type)) {
      problem(field, `${f.type} may appear once per rule; the rule is dropped`, 'dropped-rule');
      return undefined;
    }
    seen?.push(f.type);
    const r = convertFilter(f, f.type, matches, field, sink);
    if (r.ok) {
      if (r.value) filters.push(r.value);
      continue;
    }
    // Serving the rule without the filter would serve something else than it says: drop it whole.
    problem(`${field}${r.field}`, `${r.message}; the rule is dropped`, 'dropped-rule');
    return undefined;
  }
  // One filter (the usual case): an exact-size array, as outputs are kept (see convertRules).
  return filters.length === 1 ? [filters[0]] : filters;
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
      return redirectFilter(f.requestRedirect, matches);
    case 'URLRewrite':
      return rewriteFilter(f.urlRewrite, matches);
    case 'RequestMirror':
      return mirrorFilter(f.requestMirror, field, sink);
    // An ExtensionRef that cannot be resolved "MUST NOT be skipped" (HTTPRouteFilter), and an
    // unknown filter type must not be served as if it were absent: drop the rule (fail closed).
    case 'ExtensionRef':
      return bad('', 'ExtensionRef filters are not supported: Kuma has no extension filters');
    case 'CORS':
      return bad('', 'CORS filters are not supported: MeshHTTPRoute has no CORS filter');
    default:
      return bad('.type', `unsupported filter type ${describe(type)}`);
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

/** A PreciseHostname: Envoy refuses the whole listener config for a Host it cannot write. */
function optionalHostname(v: unknown, field: string): Part<string | undefined> {
  if (!present(v)) return ok(undefined);
  const problem = typeof v === 'string' && v.startsWith('*') ? `hostname ${describe(v)} must not be a wildcard` : hostnameProblem(v);
  return problem ? bad(field, problem) : ok(v as string);
}

/**
 * An absolute path of RFC 3986 path characters and %-escapes (the Gateway API path pattern): no
 * CR, LF, NUL or spaces, which Envoy refuses, and no `javascript:` or `//host` redirect targets.
 */
const PATH = /^\/(?!\/)(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*$/;

function pathValue(v: unknown, field: string, what: string): Part<string> {
  if (typeof v !== 'string') return bad(field, `${what} must be a string`);
  if (v.length > 1024) return bad(field, `${what} is longer than 1024 characters`);
  return PATH.test(v) ? ok(v) : bad(field, `${what} ${describe(v)} must be an absolute path ("/…") of URL path characters and %-escapes`);
}

function pathModifier(cfg: unknown, matches: MeshHTTPRouteMatch[], field: string): Part<MeshPathModifier | undefined> {
  if (!present(cfg)) return ok(undefined);
  if (!isObject(cfg)) return bad(field, 'the path modifier must be an object');
  if (cfg.type === 'ReplaceFullPath') {
    const v = pathValue(cfg.replaceFullPath, `${field}.replaceFullPath`, 'replaceFullPath');
    return v.ok ? ok({ type: cfg.type, replaceFullPath: v.value }) : v;
  }
  if (cfg.type === 'ReplacePrefixMatch') {
    const p = pathValue(cfg.replacePrefixMatch, `${field}.replacePrefixMatch`, 'replacePrefixMatch');
    if (!p.ok) return p;
    const v = p.value;
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

