// The physical limit a benchmark phase is compared with (bench/e2e-phase.ts), measured in the same
// run on the same API server: a plain client, alone, doing meshgate's work by hand. It creates the
// same Gateways and routes, then writes what meshgate writes for them: per route one MeshHTTPRoute
// apply and one status patch; per Gateway (multi-Gateway phases) the MeshGateway, Deployment and
// Service meshgate's own translator generates, and one Gateway status patch; and it waits, as
// meshgate's convergence does, until those proxies are up (the stand-in kubelet readies their pods
// and gives their Services an address: e2e/cluster/kubelet.ts). Without the proxies this limit
// left out 300 of B's writes and the whole pod chain that Programmed waits for (docs/scale.md).
import type { KubeObject } from '../translators/api/meta';
import { translate } from '../translators';
import { addToInput, emptyInput } from '../translators/input';
import { mergeStatus } from '../src/reconcile/status-merge';
import { CONTROLLER_LABEL, OWNER_KIND_LABEL, OWNER_LABEL } from '../translators/naming';
import { CLASS, CONCURRENCY, CONTROLLER, env, gw, GW_API, ns, pad, PLURAL, Plain, route, sleep, svc } from './e2e-lib';

export interface Reference {
  /** A plain client writing as many ConfigMaps (for scale only; NaN when BENCH_CONFIGMAPS=0). */
  plainMs: number;
  plainN: number;
  /**
   * createMs: creating the Gateways and routes; writesMs: then every write meshgate makes for them;
   * proxiesMs: from the first of those writes until every proxy is up (0 without Gateway objects).
   */
  ownWritesMs: { createMs: number; writesMs: number; proxiesMs: number };
}

/** The limit: creates, then the writes or the proxies coming up, whichever ends last. */
export const limitMs = (r: Reference) => r.ownWritesMs.createMs + Math.max(r.ownWritesMs.writesMs, r.ownWritesMs.proxiesMs);

export async function references(plain: Plain, namespace: string, plainN: number, nRoutes: number, gateways: number, mode: 'parallel' | 'sequential'): Promise<Reference> {
  const cmNs = `${namespace}-plain`;
  await plain.applyAll([ns(cmNs)], 1);
  const cms = Array.from({ length: plainN }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${pad(i, 5)}`, namespace: cmNs }, data: { route: `r-${i}`, path: `/r-${i}` } }) as KubeObject);
  // BENCH_CONFIGMAPS=0 skips this one (for scale only; the large benchmark's longest step besides the limit).
  const p = env('BENCH_CONFIGMAPS', 1) ? await plain.applyAll(cms, mode === 'parallel' ? CONCURRENCY : 1) : { first: 0, last: NaN };
  const ownWritesMs = await plainMeshgateWrites(plain, `${namespace}-ref`, nRoutes, gateways === 1 ? 0 : gateways, mode === 'parallel' ? CONCURRENCY : 1);
  return { plainMs: p.last - p.first, plainN, ownWritesMs };
}

/**
 * The objects and status meshgate generates for `names` Gateways in `namespace`, from its own
 * translator, relabelled so that the running meshgate neither owns nor sweeps them (ownership is
 * the managed-by label and its controller hash; managed-by stays: the stand-in kubelet keys on it).
 */
export function proxyObjects(namespace: string, names: string[]): { objects: KubeObject[]; statuses: Map<string, Record<string, unknown>> } {
  const input = emptyInput();
  const add = (o: unknown) => addToInput(input, o as KubeObject);
  add(ns(namespace));
  add({ apiVersion: GW_API, kind: 'GatewayClass', metadata: { name: CLASS, generation: 1 }, spec: { controllerName: CONTROLLER } });
  for (const name of names) add({ ...gw(namespace, name), metadata: { name, namespace, generation: 1, uid: `ref-${name}` } });
  const result = translate(input);
  const objects = result.objects.filter((o) => o.kind !== 'Secret').map((o) => {
    const labels: Record<string, string> = { ...o.metadata.labels, [CONTROLLER_LABEL]: 'bench-reference' };
    delete labels[OWNER_LABEL];
    delete labels[OWNER_KIND_LABEL];
    const { ownerReferences: _, ...metadata } = o.metadata;
    return { ...o, metadata: { ...metadata, labels } } as KubeObject;
  });
  const statuses = new Map<string, Record<string, unknown>>();
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const s of result.statuses) if (s.target.kind === 'Gateway') statuses.set(s.target.name, mergeStatus({}, s, CONTROLLER, now));
  return { objects, statuses };
}

/** Times for a plain client, alone, to create n routes (and the Gateways), then to write what meshgate writes for them. */
async function plainMeshgateWrites(plain: Plain, namespace: string, n: number, gateways: number, createConcurrency: number): Promise<Reference['ownWritesMs']> {
  await plain.applyAll([ns(namespace), svc(namespace)], 1);
  const names = Array.from({ length: n }, (_, i) => `r-${pad(i, 4)}`);
  const gwNames = Array.from({ length: gateways }, (_, i) => `gw-${pad(i, 3)}`);
  // The same creates as the phase: its Gateways (of a class nobody serves) first, then the routes.
  const gws = gwNames.map((g) => ({ ...gw(namespace, g), spec: { gatewayClassName: 'nobody', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } }) as KubeObject);
  const created = await plain.applyAll([...gws, ...names.map((r) => route(namespace, 'no-such-gateway', r))], createConcurrency);
  const jobs: (() => Promise<void>)[] = [];
  const check = (what: string, res: { status: number; body: string }) => { if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.body.slice(0, 200)}`); };
  // Proxies first: they take longest to come up.
  const proxies = proxyObjects(namespace, gwNames);
  for (const o of proxies.objects) jobs.push(async () => plain.apply(o));
  for (const [g, status] of proxies.statuses) {
    jobs.push(async () => check('Gateway status', await plain.request('PATCH', `/apis/${GW_API}/namespaces/${namespace}/gateways/${g}/status`, { status }, 'application/merge-patch+json')));
  }
  for (const r of names) {
    jobs.push(async () => {
      const mhr = {
        apiVersion: 'kuma.io/v1alpha1', kind: 'MeshHTTPRoute', metadata: { name: `${r}-${namespace}-0123abcd`, namespace, labels: { 'kuma.io/mesh': 'default' } },
        spec: { targetRef: { kind: 'MeshGateway', name: `gw.${namespace}`, tags: { 'gateways.kuma.io/listener-name': 'http' } }, to: [{ targetRef: { kind: 'Mesh' }, rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${r}` } }], default: { backendRefs: [{ kind: 'MeshService', name: `web_${namespace}_svc_8080`, weight: 1 }] } }] }] },
      };
      check('MeshHTTPRoute apply', await plain.request('PATCH', `/apis/kuma.io/v1alpha1/namespaces/${namespace}/meshhttproutes/${mhr.metadata.name}?fieldManager=bench&force=true`, mhr, 'application/apply-patch+yaml'));
    });
    jobs.push(async () => {
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const cond = (type: string) => ({ type, status: 'True', reason: type, message: type, observedGeneration: 1, lastTransitionTime: now });
      const status = { parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'no-such-gateway' }, controllerName: 'bench.example.com/plain', conditions: [cond('Accepted'), cond('ResolvedRefs')] }] };
      check('HTTPRoute status', await plain.request('PATCH', `/apis/${GW_API}/namespaces/${namespace}/httproutes/${r}/status`, { status }, 'application/merge-patch+json'));
    });
  }
  let i = 0;
  const t0 = Date.now();
  const up = proxiesUp(plain, namespace, proxies.objects);
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (i < jobs.length) await jobs[i++](); }));
  const writesMs = Date.now() - t0;
  const proxiesMs = (await up) - t0;
  return { createMs: created.last - created.first, writesMs, proxiesMs: gateways ? proxiesMs : 0 };
}

/** When every Deployment among `objects` is available and every LoadBalancer Service has an address (polled; 10 min at most). */
async function proxiesUp(plain: Plain, namespace: string, objects: KubeObject[]): Promise<number> {
  const deployments = new Set(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name));
  const services = new Set(objects.filter((o) => o.kind === 'Service' && (o as { spec?: { type?: string } }).spec?.type === 'LoadBalancer').map((o) => o.metadata.name));
  const list = async (path: string) => {
    const res = await plain.request('GET', path);
    return res.status === 200 ? (JSON.parse(res.body) as { items: { metadata: { name: string }; spec?: { replicas?: number }; status?: { availableReplicas?: number; loadBalancer?: { ingress?: unknown[] } } }[] }).items : [];
  };
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (deployments.size === 0 && services.size === 0) return Date.now();
    const [ds, ss] = await Promise.all([list(`/apis/apps/v1/namespaces/${namespace}/${PLURAL.Deployment}`), list(`/api/v1/namespaces/${namespace}/services`)]);
    for (const d of ds) if (deployments.has(d.metadata.name) && (d.status?.availableReplicas ?? 0) >= (d.spec?.replicas ?? 1)) deployments.delete(d.metadata.name);
    for (const s of ss) if (services.has(s.metadata.name) && (s.status?.loadBalancer?.ingress?.length ?? 0) > 0) services.delete(s.metadata.name);
    if (deployments.size === 0 && services.size === 0) return Date.now();
    await sleep(100);
  }
  return NaN;
}
