// Helpers of crd-verdicts.test.ts: the kuma.io objects of the goldens, a second copy of a CRD set
// under another API group (so two sets can be installed side by side in one API server, with no
// race while a swapped schema reaches the handler), and a server-side dry-run create that returns
// the API server's verdict and what it would have stored.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { TestCluster } from '../cluster/harness';
import { request } from '../cluster/util';

export const KUMA_GROUP = 'kuma.io';

export interface KumaObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface Sample {
  /** "<golden file>: <Kind> <namespace>/<name>" */
  id: string;
  obj: KumaObject;
}

/** Every kuma.io object in the given YAML files, with where it came from. */
export function kumaObjectsOf(files: string[]): Sample[] {
  const out: Sample[] = [];
  for (const file of files) {
    for (const d of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const o = d.toJSON() as KumaObject | null;
      if (!o || typeof o !== 'object' || !String(o.apiVersion).startsWith(`${KUMA_GROUP}/`)) continue;
      const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
      out.push({ id: `${path.basename(file)}: ${o.kind} ${ns}${o.metadata?.name}`, obj: o });
    }
  }
  return out;
}

/** The golden outputs (translators/testdata/*.out.yaml, examples included). */
export function goldenOutputs(testdata: string): string[] {
  return readdirSync(testdata).filter((f) => f.endsWith('.out.yaml')).sort().map((f) => path.join(testdata, f));
}

/**
 * Objects on the boundaries where crds/ and Kuma's CRDs differed (each derived from a valid route
 * by one change), compared like the goldens: no verdict is assumed here.
 */
export function boundaryProbes(): Sample[] {
  const meta = (name: string) => ({ name, namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default' } });
  const gwRef = { kind: 'MeshGateway', name: 'probe.default' };
  const backend = { kind: 'MeshService', name: 'web_app_svc_8080', weight: 1 };
  const http = (name: string, to: unknown[]): Sample => ({ id: `probe: MeshHTTPRoute ${name}`, obj: { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshHTTPRoute', metadata: meta(name), spec: { targetRef: gwRef, to } } });
  const tcp = (name: string, to: unknown[]): Sample => ({ id: `probe: MeshTCPRoute ${name}`, obj: { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshTCPRoute', metadata: meta(name), spec: { targetRef: gwRef, to } } });
  const httpRule = (b: object) => ({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], default: { backendRefs: [b] } });
  return [
    http('valid', [{ targetRef: { kind: 'Mesh' }, rules: [httpRule(backend)] }]),
    http('to-without-rules', [{ targetRef: { kind: 'Mesh' } }]),
    http('backend-proxytypes', [{ targetRef: { kind: 'Mesh' }, rules: [httpRule({ ...backend, proxyTypes: ['Gateway'] })] }]),
    tcp('valid', [{ targetRef: { kind: 'Mesh' }, rules: [{ default: { backendRefs: [backend] } }] }]),
    tcp('to-without-rules', [{ targetRef: { kind: 'Mesh' } }]),
    tcp('backend-proxytypes', [{ targetRef: { kind: 'Mesh' }, rules: [{ default: { backendRefs: [{ ...backend, proxyTypes: ['Sidecar'] }] } }] }]),
  ];
}

interface Crd {
  metadata: { name: string; [k: string]: unknown };
  spec: { group: string; names: { plural: string; kind: string }; scope: 'Cluster' | 'Namespaced'; [k: string]: unknown };
}

/** The CRDs of `files` moved to `group` (name and spec.group only; schemas untouched), as YAML. */
export function regroup(files: string[], group: string): { yaml: string; crds: Crd[] } {
  const crds = files.map((f) => parse(readFileSync(f, 'utf8')) as Crd).map((c) => ({
    ...c,
    metadata: { name: `${c.spec.names.plural}.${group}` },
    spec: { ...c.spec, group },
  }));
  return { yaml: crds.map((c) => stringify(c)).join('---\n'), crds };
}

export interface Verdict {
  allowed: boolean;
  /** The API server's message when refused. */
  message?: string;
  /** What it would have stored (when allowed). */
  stored?: KumaObject;
}

/** kind → plural and scope, from the installed CRD files. */
export function resourcesOf(files: string[]): Map<string, { plural: string; namespaced: boolean }> {
  return new Map(files.map((f) => parse(readFileSync(f, 'utf8')) as Crd).map((c) => [c.spec.names.kind, { plural: c.spec.names.plural, namespaced: c.spec.scope === 'Namespaced' }]));
}

/** Server-side dry-run create of `obj` under `group`: nothing is stored. */
export async function dryRunCreate(cluster: TestCluster, group: string, resources: Map<string, { plural: string; namespaced: boolean }>, obj: KumaObject): Promise<Verdict> {
  const res = resources.get(obj.kind);
  if (!res) throw new Error(`no CRD for kind ${obj.kind}`);
  const version = obj.apiVersion.split('/')[1];
  const body = { ...obj, apiVersion: `${group}/${version}` };
  delete (body as { status?: unknown }).status;
  const ns = res.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
  const url = `${cluster.server}/apis/${group}/${version}${ns}/${res.plural}?dryRun=All&fieldValidation=Ignore`;
  const tls = { ca: readFileSync(cluster.pki.caCert, 'utf8'), cert: readFileSync(cluster.pki.adminCert, 'utf8'), key: readFileSync(cluster.pki.adminKey, 'utf8') };
  const r = await request(url, { ...tls, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, timeoutMs: 30_000 });
  if (r.status === 201 || r.status === 200) return { allowed: true, stored: JSON.parse(r.body) as KumaObject };
  if (r.status === 422 || r.status === 400) return { allowed: false, message: (JSON.parse(r.body) as { message?: string }).message ?? r.body };
  throw new Error(`dry-run create of ${obj.kind} ${obj.metadata.name} under ${group}: HTTP ${r.status} ${r.body.slice(0, 500)}`);
}

/**
 * Paths of `sent` that `stored` does not hold with the same value: what the schema pruned (or
 * changed). Only the payload is compared: metadata is the API server's to fill in.
 */
export function droppedPaths(sent: unknown, stored: unknown, at = ''): string[] {
  if (sent === null || typeof sent !== 'object') return JSON.stringify(sent) === JSON.stringify(stored) ? [] : [at || '.'];
  if (stored === null || typeof stored !== 'object') return [at || '.'];
  if (Array.isArray(sent)) {
    if (!Array.isArray(stored)) return [at];
    return sent.flatMap((v, i) => droppedPaths(v, stored[i], `${at}[${i}]`));
  }
  return Object.entries(sent as Record<string, unknown>).flatMap(([k, v]) =>
    at === '' && (k === 'metadata' || k === 'apiVersion' || k === 'status') ? [] : droppedPaths(v, (stored as Record<string, unknown>)[k], at ? `${at}.${k}` : k),
  );
}

/** Runs `fn` over `items`, `width` at a time, keeping order. */
export async function inBatches<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}
