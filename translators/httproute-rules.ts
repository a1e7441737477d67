// HTTPRoute rules → MeshHTTPRoute rules (TRANSLATION-REFERENCE §2.6, REL), pure.
// Where Kuma dropped something silently, meshgate drops it too but reports it as a problem, so
// the caller can set PartiallyInvalid. A dropped part never widens what a rule matches.
import type { BackendRef, HTTPRouteRule } from './api/gateway-api';
import type { MeshBackendRef, MeshHTTPRouteMatch, MeshHTTPRule } from './api/kuma';
import { type BackendContext, describe, isObject, resolveBackend, UNRESOLVED_BACKEND } from './backends';
import { convertFilters } from './httproute-filters';
import { bad, HEADER_NAME, ok, present, type Part, type Severity, type Sink } from './rule-parts';

export interface RuleProblem {
  ruleIndex: number;
  /** Relative to the rule, e.g. `matches[1].queryParams[0].type`; prefix `spec.rules[ruleIndex].` to show it. */
  field: string;
  message: string;
  /** dropped-rule: the rule is not served; ignored: a field Kuma configures elsewhere, the rule is served. */
  severity: 'dropped-rule' | 'ignored';
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

export type KeyValueMatch = { type: 'Exact' | 'RegularExpression'; name: string; value: string };

const NO_BACKEND: MeshBackendRef = Object.freeze({ kind: 'MeshService', name: UNRESOLVED_BACKEND, weight: 1 });
const METHODS: ReadonlySet<unknown> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
/** Rule fields MeshHTTPRoute has no place for: Kuma configures them with other policies. */
const UNSUPPORTED_RULE_FIELDS: [string, string][] = [
  ['timeouts', 'timeouts are not supported: MeshHTTPRoute has none (Kuma sets timeouts with MeshTimeout)'],
  ['retry', 'retry is not supported: MeshHTTPRoute has none (Kuma sets retries with MeshRetry)'],
  ['sessionPersistence', 'sessionPersistence is not supported by Kuma'],
];

/**
 * What differs between route kinds whose rules become MeshHTTPRoute rules (HTTPRoute, GRPCRoute):
 * how a rule's matches convert, and which filter types the kind defines.
 */
export interface RuleDialect {
  convertMatches(raw: unknown, sink: Sink): MeshHTTPRouteMatch[] | undefined;
  /** Filter types the route kind defines; others drop the rule. Absent: all HTTPRoute types. */
  filterTypes?: ReadonlySet<string>;
  kind: string;
}

const HTTP_DIALECT: RuleDialect = { convertMatches, kind: 'HTTPRoute' };

export function convertHTTPRules(rules: HTTPRouteRule[], ctx: BackendContext): ConvertedRules {
  return convertRules(rules, ctx, HTTP_DIALECT);
}

export function convertRules(rules: unknown[], ctx: BackendContext, dialect: RuleDialect): ConvertedRules {
  const out: ConvertedRules = { rules: [], backendFailures: [], problems: [] };
  // The CRD default: a route without rules has one empty rule (which matches `PathPrefix /`).
  const list: unknown[] = Array.isArray(rules) && rules.length > 0 ? rules : [{}];
  // One sink for all the rules (not a closure and a string per rule: 20,000 rules per translation).
  const sink = new RuleSink(ctx, out);
  // map(), not push(): outputs are kept, and an array grown by push() keeps 16 slots or more.
  const converted = list.map((rule, i) => {
    sink.ruleIndex = i;
    return convertRule(isObject(rule) ? rule : {}, sink, dialect);
  });
  out.rules = converted.includes(undefined) ? converted.filter((r): r is MeshHTTPRule => r !== undefined) : (converted as MeshHTTPRule[]);
  // A route is Accepted if at least one rule is implemented; none left means it is not.
  if (list.length > 0 && out.rules.length === 0 && !out.fatal) {
    const first = out.problems[0];
    const detail = first ? `; first problem: spec.rules[${first.ruleIndex}].${first.field}: ${first.message}` : '';
    out.fatal = { reason: 'UnsupportedValue', message: `no rule of the route can be honoured${detail}` };
  }
  return out;
}

/** The Sink of the rule being converted; `base` is built only where a message needs it. */
class RuleSink implements Sink {
  ruleIndex = 0;
  constructor(readonly ctx: BackendContext, readonly out: ConvertedRules) {}
  get base(): string { return `spec.rules[${this.ruleIndex}]`; }
  // A bound function: converters destructure it from the sink.
  readonly problem = (field: string, message: string, severity: Severity): void => {
    this.out.problems.push({ ruleIndex: this.ruleIndex, field, message, severity });
  };
}

function convertRule(rule: Record<string, unknown>, sink: Sink, dialect: RuleDialect): MeshHTTPRule | undefined {
  const { out } = sink;
  const rawFilters: unknown[] = Array.isArray(rule.filters) ? rule.filters : [];
  const types = rawFilters.map((f) => (isObject(f) && typeof f.type === 'string' ? f.type : undefined));
  const foreign = dialect.filterTypes ? types.findIndex((t) => t !== undefined && !dialect.filterTypes!.has(t)) : -1;
  if (foreign >= 0) {
    sink.problem(`filters[${foreign}].type`, `filter type ${describe(types[foreign])} is not defined for ${dialect.kind}; the rule is dropped`, 'dropped-rule');
    return undefined;
  }
  const redirect = types.includes('RequestRedirect');
  if (redirect && types.includes('URLRewrite')) {
    out.fatal ??= { reason: 'IncompatibleFilters', message: `${sink.base}: RequestRedirect and URLRewrite filters cannot be used together` };
    return undefined;
  }
  const matches = dialect.convertMatches(rule.matches, sink);
  if (!matches) return undefined;
  for (const [key, message] of UNSUPPORTED_RULE_FIELDS) {
    const v = rule[key];
    if (present(v) && !(isObject(v) && Object.keys(v).length === 0)) sink.problem(key, `${message}; it is ignored`, 'ignored');
  }
  const filters = convertFilters(rawFilters, matches, sink);
  if (!filters) return undefined;
  // The spec: a redirect answers the request itself, so its backendRefs are ignored.
  const backendRefs = redirect ? [] : convertBackendRefs(rule.backendRefs, sink);
  if (!backendRefs) return undefined;
  // A Gateway rule with nowhere to send traffic must answer 500 (the spec); Kuma refuses a
  // MeshGateway rule without backendRefs, so it gets the placeholder Envoy answers 500 for.
  if (!redirect && backendRefs.length === 0 && !sink.ctx.mesh) backendRefs.push(NO_BACKEND);
  return { matches, default: filters.length ? { filters, backendRefs } : { backendRefs } };
}

// ---- matches ---------------------------------------------------------------------------------

/** The rule's matches, or undefined (reported) if one is invalid: the rule is then dropped whole. */
function convertMatches(raw: unknown, { problem }: Sink): MeshHTTPRouteMatch[] | undefined {
  // The CRD default: no matches means one `PathPrefix /` match.
  if (!Array.isArray(raw) || raw.length === 0) return [{ path: { type: 'PathPrefix', value: '/' } }];
  let failed = false;
  // map(): an exact-size array (outputs are kept; see convertRules).
  const matches = raw.map((m: unknown, j: number) => {
    if (failed) return undefined;
    const r = convertMatch(m);
    if (r.ok) return r.value;
    problem(`matches[${j}]${r.field}`, `${r.message}; the rule is dropped`, 'dropped-rule');
    failed = true;
    return undefined;
  });
  return failed ? undefined : (matches as MeshHTTPRouteMatch[]);
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
export function convertKeyValues(raw: unknown, field: string, header: boolean): Part<KeyValueMatch[]> {
  if (!present(raw)) return ok([]);
  if (!Array.isArray(raw)) return bad(field, `${field.slice(1)} must be a list`);
  // Only the first entry per name counts; a Set only where there are several entries.
  const seen = raw.length > 1 ? new Set<string>() : undefined;
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
    if (seen) {
      if (seen.has(name)) continue;
      seen.add(name);
    }
    out.push({ type, name, value: e.value });
  }
  // One entry (the usual case): an exact-size array (outputs are kept; see convertRules).
  return ok(out.length === 1 ? [out[0]] : out);
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
  const nesting = nestingProblem(tokens);
  if (nesting) return `${invalid}: ${nesting}`;
  try {
    new RegExp(js);
  } catch {
    return invalid;
  }
  return undefined;
}

/**
 * RE2's parser limits: groups nest at most 1000 deep, and nested counted repetitions may not
 * multiply past 1000 (`(?:a{100}){100}` is "bad repetition operator" there, fine in JS).
 */
function nestingProblem(tokens: string[]): string | undefined {
  const stack: number[] = [1]; // per open group: the largest repeat product inside it
  let last = 1; // the repeat product of the atom or group just read
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '(' || t.startsWith('(?')) {
      stack.push(1);
      if (stack.length > 1001) return 'groups nested more than 1000 deep';
      last = 1;
    } else if (t === ')' && stack.length > 1) {
      last = stack.pop()!;
      stack[stack.length - 1] = Math.max(stack[stack.length - 1], last);
    } else if (t === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(tokens.slice(i, i + 12).join(''));
      if (!m) continue;
      const product = last * Math.max(Number(m[1]), Number(m[2] || 0));
      if (product > 1000) return 'nested repeat counts multiply past 1000';
      stack[stack.length - 1] = Math.max(stack[stack.length - 1], product);
      i += m[0].length - 1;
      last = 1;
    } else last = 1;
  }
  return undefined;
}

// ---- backends --------------------------------------------------------------------------------

/** The rule's backends, or undefined (reported) if one carries filters: the rule is then dropped whole. */
function convertBackendRefs(raw: unknown, sink: Sink): MeshBackendRef[] | undefined {
  const { ctx, out, problem } = sink;
  const list: unknown[] = Array.isArray(raw) ? raw : [];
  const withFilters = list.findIndex((b) => isObject(b) && present(b.filters) && !(Array.isArray(b.filters) && b.filters.length === 0));
  if (withFilters >= 0) {
    problem(`backendRefs[${withFilters}].filters`, "per-backend filters are not supported: Kuma's BackendRef has no filters; the rule is dropped", 'dropped-rule');
    return undefined;
  }
  // map(): an exact-size array (outputs are kept; see convertRules).
  return list.map((b, j) => {
    // resolveBackend applies the CRD defaults (group, kind, weight) itself: no defaulted copy.
    const res = resolveBackend(ctx, b as BackendRef);
    // An unresolved backend keeps its weight, so its share of traffic gets a 500 (the spec).
    if (!res.ok) out.backendFailures.push({ reason: res.reason, message: res.message, field: `${sink.base}.backendRefs[${j}]` });
    return res.ref;
  });
}
