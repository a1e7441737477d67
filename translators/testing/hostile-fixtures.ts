// Builders and readers shared by the hostile-input tests (hostile.test.ts, hostile-churn.test.ts).
import type { KubeObject } from '../api/meta';
import type { TranslationInput, TranslationOptions } from '../input';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from '../input';
import type { GatewayStatusUpdate, RouteStatusUpdate, TranslationResult } from '../result';
import { translate } from '../index';

/** What a Gateway rule with no backend gets: Kuma refuses an empty list; Envoy answers 500 for this. */
export const UNRESOLVED = { kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 };

export const OURS = DEFAULT_OPTIONS.controllerName;
export const GW = 'gateway.networking.k8s.io/v1';
export const NOW = '2024-06-01T00:00:00.000Z';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;
export interface Cond { type: string; status: string; reason: string; message: string }

// ---- builders ---------------------------------------------------------------------------------

export const gatewayClass = (name = 'kuma', controllerName = OURS): KubeObject => ({ apiVersion: GW, kind: 'GatewayClass', metadata: { name, uid: `uid-gc-${name}`, generation: 1 }, spec: { controllerName } } as KubeObject);
export const gateway = (ns: string, name: string, listeners: unknown, extra: { className?: string; uid?: string; generation?: number } = {}): KubeObject =>
  ({ apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: ns, uid: extra.uid ?? `uid-gw-${name}`, generation: extra.generation ?? 1 }, spec: { gatewayClassName: extra.className ?? 'kuma', listeners } } as KubeObject);
export const http = (name = 'http', port: unknown = 80, extra: object = {}) => ({ name, port, protocol: 'HTTP', ...extra });
export const https = (name: string, port: number, secret: string, extra: { hostname?: string; certNamespace?: string } = {}) => ({
  name, port, protocol: 'HTTPS',
  ...(extra.hostname ? { hostname: extra.hostname } : {}),
  tls: { certificateRefs: [{ name: secret, ...(extra.certNamespace ? { namespace: extra.certNamespace } : {}) }] },
});
export const httpRoute = (ns: string, name: string, spec: unknown, meta: object = {}): KubeObject =>
  ({ apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: ns, uid: `uid-rt-${name}`, generation: 1, creationTimestamp: '2024-01-01T00:00:00Z', ...meta }, spec } as KubeObject);
export const tlsRoute = (ns: string, name: string, spec: unknown): KubeObject =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', metadata: { name, namespace: ns, uid: `uid-tls-${name}`, generation: 1 }, spec } as KubeObject);
export const service = (ns: string, name: string, ports: number[] = [80]): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP: '10.96.0.10', ports: ports.map((port) => ({ port })) } } as KubeObject);
export const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
export const grant = (ns: string, name: string, fromKind: string, fromNs: string, toKind: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace: ns },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: fromKind, namespace: fromNs }], to: [{ group: '', kind: toKind }] },
} as KubeObject);
/** A route on Gateway app/edge with one backend, web:80; `rule` is merged into the one rule. */
export const routeWith = (rule: object, spec: object = {}) => httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }], ...rule }], ...spec });
/** The usual surroundings: our class, Gateway app/edge with one HTTP listener, Service app/web. */
export const BASE = (): KubeObject[] => [gatewayClass(), gateway('app', 'edge', [http()]), service('app', 'web')];

// ---- running and reading ----------------------------------------------------------------------

export function bundle(objs: KubeObject[], options: Partial<TranslationOptions> = {}): TranslationInput {
  const input = emptyInput(options);
  for (const o of objs) addToInput(input, o);
  return input;
}

/** translate(); never throws (a throw fails the case). */
export function run(objs: KubeObject[], options: Partial<TranslationOptions> = {}): TranslationResult {
  return translate(bundle(objs, options));
}

export function gwStatus(r: TranslationResult, ns: string, name: string): GatewayStatusUpdate | undefined {
  return r.statuses.find((s): s is GatewayStatusUpdate => s.target.kind === 'Gateway' && s.target.namespace === ns && s.target.name === name);
}
export function listenerCond(r: TranslationResult, ns: string, gw: string, listener: unknown, type: string): Cond | undefined {
  return gwStatus(r, ns, gw)?.listeners.find((l) => l.name === listener)?.conditions.find((c) => c.type === type);
}
export function routeStatus(r: TranslationResult, kind: string, ns: string, name: string): RouteStatusUpdate | undefined {
  return r.statuses.find((s): s is RouteStatusUpdate => s.target.kind === kind && s.target.namespace === ns && s.target.name === name);
}
export function parentCond(r: TranslationResult, ns: string, route: string, type: string, kind = 'HTTPRoute'): Cond | undefined {
  return routeStatus(r, kind, ns, route)?.parents[0]?.conditions.find((c) => c.type === type);
}
export const of = (r: TranslationResult, kind: string) => r.objects.filter((o) => o.kind === kind) as Any[];
/** `expect.objectContaining` for a condition: exact type, status and reason, a part of the message. */
export const cond = (type: string, status: string, reason: string, message: string) => expect.objectContaining({ type, status, reason, message: expect.stringContaining(message) });

// Names Kubernetes accepts: Services DNS-1035 labels ≤63, everything else DNS-1123 subdomains ≤253.
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export function nameProblems(objects: KubeObject[]): string[] {
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
