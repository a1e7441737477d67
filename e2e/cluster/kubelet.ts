// The e2e control plane has no kubelet, no scheduler and no load balancer, so a gateway proxy
// never runs and a Gateway never becomes Programmed. This stands in for them, through the status
// subresources, as a real node and load balancer would: pods of gateway proxy Deployments are
// marked Running and Ready (the real ReplicaSet and Deployment controllers then count them
// available) and LoadBalancer Services meshgate manages get a load-balancer ingress IP.
//
// Setting Deployment status directly does not work here: kube-controller-manager's
// deployment-controller recomputes it from the ReplicaSets on every change and overwrites it.
//
// A Gateway whose spec.infrastructure.labels hold `meshgate.io/e2e-kubelet: manual` is left alone
// (the label reaches its Deployment and Service): tests drive those with e2e/support/proxy.ts.
import * as https from 'node:https';
import type { TlsClientOptions } from './util';

type Kubectl = (args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<{ stdout: string; stderr: string; code: number | null }>;

export const KUBELET_LABEL = 'meshgate.io/e2e-kubelet';
/** Pod label of every gateway proxy (translators/infra.ts); nothing else in the e2e clusters has it. */
export const PROXY_POD_SELECTOR = 'kuma.io/sidecar-injection=disabled';

interface Item {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { type?: string; clusterIP?: string; selector?: { matchLabels?: Record<string, string> } };
  status?: { conditions?: { type: string; status: string }[]; loadBalancer?: { ingress?: unknown[] } };
}

/** A deterministic load-balancer IP for a Service (TEST-NET-2 range, from its ClusterIP). */
export function loadBalancerIPFor(clusterIP: string | undefined): string {
  const [, , c = '0', d = '1'] = (clusterIP ?? '').split('.');
  return `198.51.${Number(c) % 256}.${Number(d) % 256}`;
}


/** The status the kubelet reports for a pod that started (ready) or whose readiness probe fails. */
export function podStatus(ready: boolean): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const s = ready ? 'True' : 'False';
  return {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: s, lastTransitionTime: now },
      { type: 'Ready', status: s, lastTransitionTime: now },
    ],
  };
}

async function must(kubectl: Kubectl, args: string[]): Promise<string> {
  const r = await kubectl(args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Through kubectl (what a test process has): marks a pod ready or not, as its kubelet would. */
export async function setPodReady(kubectl: Kubectl, namespace: string, pod: string, ready: boolean): Promise<void> {
  await must(kubectl, ['patch', 'pod', pod, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: podStatus(ready) })]);
}

/** Through kubectl: what a load-balancer implementation writes once it has an address (empty list: none). */
export async function setLoadBalancerIngress(kubectl: Kubectl, namespace: string, service: string, ingress: { ip?: string; hostname?: string }[]): Promise<void> {
  await must(kubectl, ['patch', 'service', service, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { loadBalancer: { ingress } } })]);
}

/** The few API calls the loop makes, over HTTPS with the admin certificate (a kubectl per pass costs ~0.1 s of CPU). */
export interface KubeApi {
  list(path: string): Promise<Item[]>;
  mergePatch(path: string, body: unknown): Promise<void>;
}

/** Raw calls to the API server over one kept-alive connection (a TLS handshake per call would cost more than a pass). */
export function kubeHttps(server: string, tls: TlsClientOptions): {
  call(method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; body: string }>;
  close(): void;
} {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca: tls.ca, cert: tls.cert, key: tls.key });
  const call = (method: string, path: string, body?: string, contentType = 'application/merge-patch+json') => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = https.request(`${server}${path}`, { method, agent, timeout: 10_000, headers: body ? { 'Content-Type': contentType } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end(body);
  });
  return { call, close: () => agent.destroy() };
}

export function httpApi(server: string, tls: TlsClientOptions): KubeApi & { close(): void } {
  const { call, close: closeAgent } = kubeHttps(server, tls);
  return {
    async list(path) {
      const r = await call('GET', path);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
      return (JSON.parse(r.body) as { items: Item[] }).items;
    },
    async mergePatch(path, body) {
      const r = await call('PATCH', path, JSON.stringify(body));
      if (r.status !== 200) throw new Error(`PATCH ${path}: ${r.status} ${r.body.slice(0, 200)}`);
    },
    close() { closeAgent(); },
  };
}

const isReady = (p: Item) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const sel = (s: string) => `?labelSelector=${encodeURIComponent(s)}`;

/** One pass: ready every proxy pod and give every LoadBalancer Service an address (`ipFor`), except opted-out ones. Returns the writes made. */
export async function kubeletPass(api: KubeApi, ipFor: (clusterIP: string | undefined) => string = loadBalancerIPFor): Promise<number> {
  const [pods, services, manual] = await Promise.all([
    api.list(`/api/v1/pods${sel(PROXY_POD_SELECTOR)}`),
    api.list(`/api/v1/services${sel('app.kubernetes.io/managed-by=meshgate')}`),
    api.list(`/apis/apps/v1/deployments${sel(`${KUBELET_LABEL}=manual`)}`),
  ]);
  // Pods carry the template labels only: find their Deployment by its selector's `app`.
  const manualApps = new Set(manual.map((d) => `${d.metadata.namespace}/${d.spec?.selector?.matchLabels?.app}`));
  const work: Promise<void>[] = [];
  for (const p of pods) {
    if (p.metadata.deletionTimestamp || isReady(p) || manualApps.has(`${p.metadata.namespace}/${p.metadata.labels?.app}`)) continue;
    work.push(api.mergePatch(`/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/status`, { status: podStatus(true) }));
  }
  for (const svc of services) {
    if (svc.metadata.deletionTimestamp || svc.metadata.labels?.[KUBELET_LABEL] === 'manual' || svc.spec?.type !== 'LoadBalancer' || svc.status?.loadBalancer?.ingress?.length) continue;
    work.push(api.mergePatch(`/api/v1/namespaces/${svc.metadata.namespace}/services/${svc.metadata.name}/status`, { status: { loadBalancer: { ingress: [{ ip: ipFor(svc.spec.clusterIP) }] } } }));
  }
  // A pod or Service deleted in between is not an error worth stopping for.
  await Promise.allSettled(work);
  return work.length;
}

/** Runs kubeletPass every `intervalMs` until stopped; errors (API server restarts in fault tests) are retried. */
export function startStandInKubelet(api: KubeApi & { close?(): void }, intervalMs = 300, ipFor: (clusterIP: string | undefined) => string = loadBalancerIPFor): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try { await kubeletPass(api, ipFor); } catch { /* retried on the next pass */ }
      await new Promise<void>((r) => { wake = r; setTimeout(r, intervalMs).unref(); });
    }
  })();
  return {
    async stop() { stopped = true; wake?.(); await loop; api.close?.(); },
  };
}
