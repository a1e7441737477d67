// One-line summaries of route rules (source and generated), so the route page can show them
// side by side without the browser knowing either schema.
import type { BackendRef, GRPCRouteMatch, HTTPRouteFilter, HTTPRouteMatch } from '../../translators/api/gateway-api';
import type { MeshBackendRef, MeshHTTPFilter, MeshHTTPRouteMatch, TargetRef } from '../../translators/api/kuma';

type AnyMatch = HTTPRouteMatch | MeshHTTPRouteMatch;
type AnyFilter = HTTPRouteFilter | MeshHTTPFilter;

export function matchText(m: AnyMatch | undefined): string {
  if (!m) return 'any request';
  const parts: string[] = [];
  if (m.path) parts.push(`${m.path.type ?? 'PathPrefix'} ${m.path.value ?? '/'}`);
  if (m.method) parts.push(m.method);
  for (const h of m.headers ?? []) parts.push(`header ${h.name}${h.type && h.type !== 'Exact' ? ` ${h.type}` : ''}${h.value !== undefined ? `=${h.value}` : ''}`);
  for (const q of m.queryParams ?? []) parts.push(`query ${q.name}${q.type && q.type !== 'Exact' ? ` ${q.type}` : ''}=${q.value}`);
  return parts.length ? parts.join(', ') : 'any request';
}

/** A GRPCRoute match as the user wrote it: `service/method` (Exact) or `~service/~method` (RegularExpression). */
export function grpcMatchText(m: GRPCRouteMatch | undefined): string {
  if (!m) return 'any gRPC request';
  const parts: string[] = [];
  if (m.method) {
    const re = m.method.type === 'RegularExpression' ? '~' : '';
    parts.push(`${m.method.service ? `${re}${m.method.service}` : '*'}/${m.method.method ? `${re}${m.method.method}` : '*'}`);
  }
  for (const h of m.headers ?? []) parts.push(`header ${h.name}${h.type && h.type !== 'Exact' ? ` ${h.type}` : ''}=${h.value}`);
  return parts.length ? parts.join(', ') : 'any gRPC request';
}

function headerMod(h: { set?: { name: string; value: string }[]; add?: { name: string; value: string }[]; remove?: string[] } | undefined): string {
  if (!h) return '';
  const p: string[] = [];
  for (const s of h.set ?? []) p.push(`set ${s.name}=${s.value}`);
  for (const a of h.add ?? []) p.push(`add ${a.name}=${a.value}`);
  for (const r of h.remove ?? []) p.push(`remove ${r}`);
  return p.join(', ');
}

function pathMod(p: { type: string; replaceFullPath?: string; replacePrefixMatch?: string } | undefined): string {
  if (!p) return '';
  return p.type === 'ReplaceFullPath' ? `path=${p.replaceFullPath ?? ''}` : `prefix→${p.replacePrefixMatch ?? ''}`;
}

export function filterText(f: AnyFilter): string {
  switch (f.type) {
    case 'RequestHeaderModifier':
      return `request headers: ${headerMod(f.requestHeaderModifier)}`;
    case 'ResponseHeaderModifier':
      return `response headers: ${headerMod(f.responseHeaderModifier)}`;
    case 'RequestRedirect': {
      const r = f.requestRedirect ?? {};
      const bits = [r.scheme && `scheme=${r.scheme}`, r.hostname && `host=${r.hostname}`, r.port && `port=${r.port}`, pathMod(r.path), r.statusCode && `${r.statusCode}`];
      return `redirect ${bits.filter(Boolean).join(' ')}`;
    }
    case 'URLRewrite': {
      const r = f.urlRewrite ?? {};
      return `rewrite ${[r.hostname && `host=${r.hostname}`, pathMod(r.path)].filter(Boolean).join(' ')}`;
    }
    case 'RequestMirror': {
      const m = f.requestMirror as { backendRef?: BackendRef | MeshBackendRef } | undefined;
      return `mirror to ${m?.backendRef ? backendName(m.backendRef) : '?'}`;
    }
    default:
      return f.type;
  }
}

function backendName(b: BackendRef | MeshBackendRef | TargetRef): string {
  const t = b as TargetRef;
  if (t.labels && t.labels['kuma.io/display-name']) {
    const ns = t.labels['k8s.kuma.io/namespace'];
    return `${t.kind} ${ns ? `${ns}/` : ''}${t.labels['kuma.io/display-name']}${t.sectionName ? `:${t.sectionName}` : ''}`;
  }
  if (t.tags && t.tags['kuma.io/service']) return `${t.kind} ${t.tags['kuma.io/service']}`;
  const ns = (b as { namespace?: string }).namespace;
  const port = (b as { port?: number }).port;
  return `${t.kind ?? 'Service'} ${ns ? `${ns}/` : ''}${t.name ?? ''}${port ? `:${port}` : ''}`;
}

export function meshBackendText(b: MeshBackendRef): string {
  return `${backendName(b)}${b.weight !== undefined ? ` (weight ${b.weight})` : ''}`;
}

export function targetText(t: TargetRef | undefined): string {
  if (!t) return '?';
  return `${backendName(t)}`;
}
