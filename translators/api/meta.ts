// Minimal Kubernetes object shapes shared by every kind the translator reads or writes.
// Kept local (not @kubernetes/client-node classes) so bundles round-trip through YAML unchanged.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  deletionTimestamp?: string;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  /** Stamped by the writer, never by the translator (no clock in the pure core). */
  lastTransitionTime?: string;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface Namespace extends KubeObject {
  kind: 'Namespace';
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
  nodePort?: number;
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    selector?: Record<string, string>;
    ports?: ServicePort[];
    loadBalancerIP?: string;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** A generated proxy Deployment as far as readiness cares (the informer layer slims it to this). */
export interface Deployment extends KubeObject {
  kind: 'Deployment';
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface Secret extends KubeObject {
  kind: 'Secret';
  type?: string;
  /** base64 values, as the API returns them. */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Identifies any object: namespace is absent for cluster-scoped kinds. */
export interface ObjectRef {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function keyOf(ref: { namespace?: string; name: string }): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}
