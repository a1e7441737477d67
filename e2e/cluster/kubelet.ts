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
type Kubectl = (args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<{ stdout: string; stderr: string; code: number | null }>;

export const KUBELET_LABEL = 'meshgate.io/e2e-kubelet';
/** Pod label of every gateway proxy (translators/infra.ts); nothing else in the e2e clusters has it. */
export const PROXY_POD_SELECTOR = 'kuma.io/sidecar-injection=disabled';

interface Item {
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { type?: string; clusterIP?: string; selector?: { matchLabels?: Record<string, string> } };
  status?: { conditions?: { type: string; status: string }[]; loadBalancer?: { ingress?: unknown[] } };
}

/** A deterministic load-balancer IP for a Service (TEST-NET-2 range, from its ClusterIP). */
export function loadBalancerIPFor(clusterIP: string | undefined): string {
  const [, , c = '0', d = '1'] = (clusterIP ?? '').split('.');
  return `198.51.${Number(c) % 256}.${Number(d) % 256}`;
}

async function must(kubectl: Kubectl, args: string[]): Promise<string> {
  const r = await kubectl(args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** What the kubelet reports for a pod that started (ready) or whose readiness probe fails (not ready). */
export async function setPodReady(kubectl: Kubectl, namespace: string, pod: string, ready: boolean): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const s = ready ? 'True' : 'False';
  const status = {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: s, lastTransitionTime: now },
      { type: 'Ready', status: s, lastTransitionTime: now },
    ],
  };
  await must(kubectl, ['patch', 'pod', pod, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
}

/** What a load-balancer implementation writes once it has an address for the Service (empty list: none). */
export async function setLoadBalancerIngress(kubectl: Kubectl, namespace: string, service: string, ingress: { ip?: string; hostname?: string }[]): Promise<void> {
  await must(kubectl, ['patch', 'service', service, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { loadBalancer: { ingress } } })]);
}

const isReady = (p: Item) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** One pass: ready every proxy pod and give every LoadBalancer Service an address, except opted-out ones. */
export async function kubeletPass(kubectl: Kubectl): Promise<number> {
  const items = (JSON.parse(await must(kubectl, ['get', 'pods,services,deployments', '-A', '-l', 'kuma.io/mesh', '-o', 'json'])) as { items: Item[] }).items;
  const off = (i: Item) => i.metadata.labels?.[KUBELET_LABEL] === 'manual';
  // Pods carry the template labels only: find their Deployment by its selector's `app`.
  const offApps = new Set(items.filter((i) => i.kind === 'Deployment' && off(i)).map((d) => `${d.metadata.namespace}/${d.spec?.selector?.matchLabels?.app}`));
  const work: Promise<void>[] = [];
  for (const i of items) {
    if (i.metadata.deletionTimestamp) continue;
    if (i.kind === 'Pod' && i.metadata.labels?.['kuma.io/sidecar-injection'] === 'disabled' && !isReady(i) && !offApps.has(`${i.metadata.namespace}/${i.metadata.labels?.app}`)) {
      work.push(setPodReady(kubectl, i.metadata.namespace, i.metadata.name, true));
    }
    if (i.kind === 'Service' && !off(i) && i.metadata.labels?.['app.kubernetes.io/managed-by'] === 'meshgate' && i.spec?.type === 'LoadBalancer' && !i.status?.loadBalancer?.ingress?.length) {
      work.push(setLoadBalancerIngress(kubectl, i.metadata.namespace, i.metadata.name, [{ ip: loadBalancerIPFor(i.spec.clusterIP) }]));
    }
  }
  // A pod or Service deleted in between is not an error worth stopping for.
  await Promise.allSettled(work);
  return work.length;
}

/** Runs kubeletPass every `intervalMs` until stopped; errors (API server restarts in fault tests) are retried. */
export function startStandInKubelet(kubectl: Kubectl, intervalMs = 500): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try { await kubeletPass(kubectl); } catch { /* retried on the next pass */ }
      await new Promise<void>((r) => { wake = r; setTimeout(r, intervalMs).unref(); });
    }
  })();
  return {
    async stop() { stopped = true; wake?.(); await loop; },
  };
}
