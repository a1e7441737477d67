// e2e support: drive a gateway proxy's readiness by hand, as its kubelet and load balancer would,
// through the status subresources (the e2e control plane has neither). For Gateways that opt out
// of the stand-in kubelet (spec.infrastructure.labels `meshgate.io/e2e-kubelet: manual`, see
// e2e/cluster/kubelet.ts). The Deployment's own status is then computed by the real
// ReplicaSet and Deployment controllers from the pods, as in a real cluster.
import { KUBELET_LABEL, setLoadBalancerIngress, setPodReady } from '../cluster/kubelet';
import { eventually, type Kube } from './kube';

export { KUBELET_LABEL };
/** spec.infrastructure for a Gateway whose proxy readiness the test drives itself. */
export const MANUAL_PROXY = { labels: { [KUBELET_LABEL]: 'manual' } };

interface Pod { metadata: { name: string; deletionTimestamp?: string } }
interface Deployment { status?: { availableReplicas?: number; readyReplicas?: number; replicas?: number } }

/** The proxy pods of Gateway `name` (its Deployment selects `app: <name>`), once there are `count`. */
export async function proxyPods(kube: Kube, namespace: string, name: string, count = 1): Promise<string[]> {
  return eventually(async () => {
    const pods = (await kube.list<Pod>('pods', { namespace, selector: `app=${name}` })).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length >= count && pods.map((p) => p.metadata.name);
  }, 30_000, `${count} proxy pod(s) of ${namespace}/${name} (created by the ReplicaSet controller)`);
}

/** Marks every proxy pod Ready (or not) and waits until the Deployment reports that many available replicas. */
export async function setProxyReady(kube: Kube, namespace: string, name: string, ready: boolean, count = 1): Promise<void> {
  for (const pod of await proxyPods(kube, namespace, name, count)) await setPodReady(kube.kubectl, namespace, pod, ready);
  const want = ready ? count : 0;
  await eventually(async () => {
    const d = await kube.get<Deployment>('deployment', name, namespace);
    return (d?.status?.availableReplicas ?? 0) === want;
  }, 30_000, `Deployment ${namespace}/${name} status.availableReplicas = ${want}`);
}

/** Sets (or, with [], clears) the Service's load-balancer ingress. */
export async function setServiceIngress(kube: Kube, namespace: string, name: string, ingress: { ip?: string; hostname?: string }[]): Promise<void> {
  await setLoadBalancerIngress(kube.kubectl, namespace, name, ingress);
}
