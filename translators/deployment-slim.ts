// What the snapshot keeps of a generated proxy Deployment: only what readiness reads (readiness.ts).
import type { Deployment } from './api/meta';

/** What readiness reads of a Deployment: identity, owner labels, wanted replicas and the status counts. */
export function slimDeployment(d: Deployment): Deployment {
  // Bundles from files are not schema-checked: anything that is not the expected shape counts as absent.
  const st = (typeof d.status === 'object' && d.status !== null ? d.status : {}) as NonNullable<Deployment['status']>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const failure = (Array.isArray(st.conditions) ? st.conditions : []).filter((c) => typeof c === 'object' && c !== null && c.type === 'ReplicaFailure' && c.status === 'True');
  const readyReplicas = count(st.readyReplicas);
  const availableReplicas = count(st.availableReplicas);
  return {
    apiVersion: d.apiVersion,
    kind: 'Deployment',
    metadata: { name: d.metadata.name, namespace: d.metadata.namespace, ...(d.metadata.labels ? { labels: d.metadata.labels } : {}) },
    spec: { replicas: count(d.spec?.replicas) ?? 1 },
    status: {
      ...(readyReplicas !== undefined ? { readyReplicas } : {}),
      ...(availableReplicas !== undefined ? { availableReplicas } : {}),
      ...(failure.length ? { conditions: failure.map((c) => ({ type: c.type, status: c.status, reason: String(c.reason ?? ''), message: String(c.message ?? '') })) } : {}),
    },
  };
}
