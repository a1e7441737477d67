// The upstream suite waits for every Pod in its namespaces to be Ready (its echo backends), and
// the e2e control plane has no scheduler and no kubelet. This stands in for both, for the suite's
// Pods only: it binds each to a fake Node (the pods/binding subresource, as a scheduler does) and
// reports it Running and Ready (the status subresource, as a kubelet does). It never touches
// Gateway API objects; meshgate's own proxy pods are left to e2e/cluster/kubelet.ts.
import * as fs from 'node:fs';
import { kubeHttps, podStatus, PROXY_POD_SELECTOR } from '../cluster/kubelet';
import type { ClusterPki } from '../cluster/certs';

export const FAKE_NODE = 'conformance-node';
/** The suite's namespaces all start with this (gateway-conformance-infra, -app-backend, ...). */
const SUITE_NAMESPACE_PREFIX = 'gateway-conformance';

interface Pod {
  metadata: { name: string; namespace: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

type Call = (method: string, path: string, body?: unknown, contentType?: string) => Promise<{ status: number; body: string }>;

function client(server: string, pki: ClusterPki): { call: Call; close(): void } {
  const raw = kubeHttps(server, { ca: fs.readFileSync(pki.caCert), cert: fs.readFileSync(pki.adminCert), key: fs.readFileSync(pki.adminKey) });
  const call: Call = (method, path, body, contentType = 'application/json') => raw.call(method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
  return { call, close: raw.close };
}

async function must(call: Call, method: string, path: string, body?: unknown, contentType?: string, okCodes = [200, 201]): Promise<string> {
  const r = await call(method, path, body, contentType);
  if (!okCodes.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return r.body;
}

/** The fake Node, Ready, so the bound pods have somewhere to be. 409 (it exists) is fine. */
async function ensureNode(call: Call): Promise<void> {
  await must(call, 'POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: FAKE_NODE, labels: { 'kubernetes.io/hostname': FAKE_NODE } } }, undefined, [201, 409]);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await must(call, 'PATCH', `/api/v1/nodes/${FAKE_NODE}/status`, {
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'stand-in for the conformance suite', lastHeartbeatTime: now, lastTransitionTime: now }] },
  }, 'application/merge-patch+json');
}

const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** One pass: binds and readies every suite Pod not yet done. Returns how many it changed. */
export async function podPass(call: Call): Promise<number> {
  // Proxy pods (meshgate's) are excluded by label; the stand-in kubelet readies those.
  const body = await must(call, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent(`!${PROXY_POD_SELECTOR.split('=')[0]}`)}`);
  const pods = (JSON.parse(body) as { items: Pod[] }).items.filter((p) => p.metadata.namespace.startsWith(SUITE_NAMESPACE_PREFIX) && !p.metadata.deletionTimestamp);
  let changed = 0;
  await Promise.allSettled(pods.map(async (p) => {
    const base = `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`;
    if (!p.spec?.nodeName) {
      await must(call, 'POST', `${base}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: FAKE_NODE } });
      changed++;
    }
    if (!isReady(p)) {
      await must(call, 'PATCH', `${base}/status`, { status: podStatus(true) }, 'application/merge-patch+json');
      changed++;
    }
  }));
  return changed;
}

/** Runs podPass every `intervalMs` until stopped; a failed pass is retried on the next. */
export async function startSuitePods(server: string, pki: ClusterPki, intervalMs = 300): Promise<{ stop(): Promise<void>; passes(): { changed: number } }> {
  const { call, close } = client(server, pki);
  await ensureNode(call);
  let stopped = false;
  let total = 0;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try { total += await podPass(call); } catch { /* retried on the next pass */ }
      await new Promise<void>((r) => { wake = r; setTimeout(r, intervalMs).unref(); });
    }
  })();
  return {
    async stop() { stopped = true; wake?.(); await loop; close(); },
    passes: () => ({ changed: total }),
  };
}
