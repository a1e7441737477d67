// GRPCRoute rules → MeshHTTPRoute rules, pure. gRPC calls are HTTP/2 POSTs to
// `/<service>/<method>`, so a method match becomes a path match; headers, filters and backends
// convert exactly as HTTPRoute's do (httproute-rules.ts: a rule is served whole or not at all).
import type { GRPCRouteRule } from './api/gateway-api';
import type { MeshHTTPRouteMatch } from './api/kuma';
import { type BackendContext, describe, isObject } from './backends';
import { convertKeyValues, convertRules, type ConvertedRules, regexError, type RuleDialect } from './httproute-rules';
import { bad, ok, present, type Part, type Sink } from './rule-parts';

/** The CRD's patterns for Exact service and method names (GRPCMethodMatch validations). */
const SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;
/** One path segment: what an absent service or method matches in a regular expression. */
const ANY_SEGMENT = '[^/]+';

/** GRPCRouteFilter types (the CRD enum): no redirect, rewrite or CORS. */
const GRPC_FILTERS: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef']);

const GRPC_DIALECT: RuleDialect = { convertMatches: convertGRPCMatches, filterTypes: GRPC_FILTERS, kind: 'GRPCRoute' };

export function convertGRPCRules(rules: GRPCRouteRule[], ctx: BackendContext): ConvertedRules {
  return convertRules(rules, ctx, GRPC_DIALECT);
}

/** The rule's matches, or undefined (reported) if one is invalid: the rule is then dropped whole. */
function convertGRPCMatches(raw: unknown, { problem }: Sink): MeshHTTPRouteMatch[] | undefined {
  // "If no matches are specified, the implementation MUST match every gRPC request."
  if (!Array.isArray(raw) || raw.length === 0) return [{ path: { type: 'PathPrefix', value: '/' } }];
  const matches: MeshHTTPRouteMatch[] = [];
  for (let j = 0; j < raw.length; j++) {
    const r = convertGRPCMatch(raw[j]);
    if (!r.ok) { problem(`matches[${j}]${r.field}`, `${r.message}; the rule is dropped`, 'dropped-rule'); return undefined; }
    matches.push(r.value);
  }
  return matches;
}

export function convertGRPCMatch(m: unknown): Part<MeshHTTPRouteMatch> {
  if (!isObject(m)) return bad('', 'a match must be an object');
  const path = methodPath(m.method);
  if (!path.ok) return path;
  const match: MeshHTTPRouteMatch = { path: path.value };
  const headers = convertKeyValues(m.headers, '.headers', true);
  if (!headers.ok) return headers;
  if (headers.value.length) match.headers = headers.value;
  return ok(match);
}

/**
 * A GRPCMethodMatch as a path match on `/<service>/<method>`:
 * Exact service and method → Exact path; Exact service only → PathPrefix `/<service>` (Kuma's
 * prefixes match whole segments); Exact method only → `/[^/]+/<method>`; RegularExpression →
 * `/(?:service)/(?:method)`, an absent side matching one segment (Envoy matches the whole path).
 */
export function methodPath(raw: unknown): Part<NonNullable<MeshHTTPRouteMatch['path']>> {
  if (!present(raw)) return ok({ type: 'PathPrefix', value: '/' });
  if (!isObject(raw)) return bad('.method', 'method must be an object');
  const type = raw.type ?? 'Exact';
  const service = raw.service ?? '';
  const method = raw.method ?? '';
  if (typeof service !== 'string') return bad('.method.service', `service must be a string, got ${describe(service)}`);
  if (typeof method !== 'string') return bad('.method.method', `method must be a string, got ${describe(method)}`);
  if (service === '' && method === '') return bad('.method', 'one or both of service and method must be set');
  switch (type) {
    case 'Exact':
      if (service !== '' && !SERVICE.test(service)) return bad('.method.service', `${describe(service)} is not a valid gRPC service name`);
      if (method !== '' && !METHOD.test(method)) return bad('.method.method', `${describe(method)} is not a valid gRPC method name`);
      if (method === '') return ok({ type: 'PathPrefix', value: `/${service}` });
      if (service === '') return ok({ type: 'RegularExpression', value: `/${ANY_SEGMENT}/${method}` });
      return ok({ type: 'Exact', value: `/${service}/${method}` });
    case 'RegularExpression': {
      for (const [field, v] of [['service', service], ['method', method]] as const) {
        const err = v === '' ? undefined : regexError(v);
        if (err) return bad(`.method.${field}`, err);
      }
      const s = service === '' ? ANY_SEGMENT : `(?:${service})`;
      const m = method === '' ? ANY_SEGMENT : `(?:${method})`;
      return ok({ type: 'RegularExpression', value: `/${s}/${m}` });
    }
    default:
      return bad('.method.type', `unsupported method match type ${describe(type)}`);
  }
}
