// Does a Gateway's proxy run and can it be reached? Programmed=True needs both: its Deployment has
// an available replica and its Service a usable address. Read from the bundle's Deployments and
// Services (their status included), so offline translation says what it waits for.
// Rules and reasons: docs/kuma-compatibility.md ("Gateway status").
import type { Gateway, GatewayStatusAddress } from './api/gateway-api';
import type { Condition, Deployment, Service } from './api/meta';
import { serviceType } from './infra';
import type { InfraParams } from './infra';
import { gatewayWorkloadNames, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './naming';
import { ok } from './status/conditions';
import { gatewayProxyNotReady } from './status/gateway';

export interface ProxyState {
  /** Present only when meshgate manages it (a foreign Service is reported elsewhere). */
  deployment?: Deployment;
  service?: Service;
}

const managed = <T extends { metadata: { labels?: Record<string, string> } }>(o: T | undefined): T | undefined =>
  o && o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE ? o : undefined;

export function proxyState(gw: Gateway, deployments: ReadonlyMap<string, Deployment>, services: ReadonlyMap<string, Service>): ProxyState {
  const names = gatewayWorkloadNames(gw.metadata.name);
  const ns = gw.metadata.namespace ?? '';
  return { deployment: managed(deployments.get(`${ns}/${names.deployment}`)), service: managed(services.get(`${ns}/${names.service}`)) };
}

/**
 * LoadBalancer: only `status.loadBalancer.ingress` (a pending load balancer has no usable
 * address; its ClusterIP is not reachable from where LoadBalancer clients are). ClusterIP and
 * NodePort: the ClusterIP, which is where in-cluster and node-port traffic ends up.
 */
export function gatewayAddresses(state: ProxyState, configType: string): GatewayStatusAddress[] {
  const svc = state.service;
  if (!svc) return [];
  const type = liveType(state, configType);
  const out: GatewayStatusAddress[] = [];
  if (type === 'LoadBalancer') {
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
      if (ing.ip) out.push({ type: 'IPAddress', value: ing.ip });
      if (ing.hostname) out.push({ type: 'Hostname', value: ing.hostname });
    }
  } else if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') {
    out.push({ type: 'IPAddress', value: svc.spec.clusterIP });
  }
  return out.slice(0, 16);
}

/** What the Service is now (it may not have been rewritten to the configured type yet). */
function liveType(state: ProxyState, configType: string): string {
  return state.service?.spec?.type ?? configType;
}

/** Programmed for a Gateway whose configuration was generated: does the proxy run and have an address? */
export function proxyProgrammed(gw: Gateway, state: ProxyState, config: InfraParams['config'], addresses: GatewayStatusAddress[]): Condition {
  const names = gatewayWorkloadNames(gw.metadata.name);
  const ns = gw.metadata.namespace ?? '';
  const missing: string[] = [];
  let noResources = false;
  const d = state.deployment;
  const dep = `Deployment ${ns}/${names.deployment}`;
  if (!d) missing.push(`${dep} does not exist yet`);
  else if ((d.status?.availableReplicas ?? 0) < 1) {
    const wanted = d.spec?.replicas ?? 1;
    const failure = d.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (wanted === 0) { noResources = true; missing.push(`${dep} is scaled to 0 replicas`); }
    else if (failure) { noResources = true; missing.push(`${dep} cannot create pods (${failure.reason ?? 'ReplicaFailure'}: ${failure.message ?? ''})`); }
    else missing.push(`${dep} has no available replica (${d.status?.readyReplicas ?? 0} of ${wanted} ready)`);
  }
  const svc = `Service ${ns}/${names.service}`;
  const type = liveType(state, serviceType(config));
  if (!state.service) missing.push(`${svc} does not exist yet`);
  else if (addresses.length === 0) missing.push(type === 'LoadBalancer' ? `${svc} has no load-balancer address yet (status.loadBalancer.ingress is empty)` : `${svc} has no cluster IP yet`);
  if (missing.length === 0) return ok.programmed();
  return gatewayProxyNotReady(noResources, missing);
}
