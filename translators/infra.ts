// Deployment + Service that run a Gateway's proxy, shaped by its MeshGatewayConfig, following
// Kuma's MeshGatewayInstance controller (names, labels, annotations, ports, security context).
import type { Gateway } from './api/gateway-api';
import type { MeshGatewayCommonConfig } from './api/kuma';
import type { KubeObject, OwnerReference } from './api/meta';
import type { TranslationOptions } from './input';
import { gatewayWorkloadNames, MESH_LABEL, ownerLabels, SERVICE_TAG } from './naming';

export interface InfraParams {
  gateway: Gateway;
  mesh: string;
  config: MeshGatewayCommonConfig & { crossMesh?: boolean; tags?: Record<string, string> };
  /** Distinct ports of accepted listeners, ascending. */
  ports: number[];
  serviceTag: string;
  options: TranslationOptions;
}

const DATAPLANE_UID = 5678;

export function gatewayOwnerReference(gw: Gateway): OwnerReference[] | undefined {
  if (!gw.metadata.uid) return undefined; // offline input has no uid; GC then relies on the sweep
  return [{ apiVersion: gw.apiVersion, kind: 'Gateway', name: gw.metadata.name, uid: gw.metadata.uid, controller: true, blockOwnerDeletion: true }];
}

function infraMetadata(p: InfraParams, name: string, extraLabels: Record<string, string> = {}, annotations: Record<string, string> = {}) {
  const gw = p.gateway;
  const infra = gw.spec.infrastructure;
  return {
    name,
    namespace: gw.metadata.namespace,
    labels: {
      ...infra?.labels,
      ...extraLabels,
      ...ownerLabels('Gateway', gw.metadata.namespace ?? '', gw.metadata.name, p.options.controllerName),
      [MESH_LABEL]: p.mesh,
    },
    ...nonEmpty('annotations', { ...infra?.annotations, ...annotations }),
    ...(gatewayOwnerReference(gw) ? { ownerReferences: gatewayOwnerReference(gw) } : {}),
  };
}

export function buildService(p: InfraParams): KubeObject | undefined {
  if (p.ports.length === 0) return undefined;
  const names = gatewayWorkloadNames(p.gateway.metadata.name);
  // Cross-mesh gateways are reached from other meshes through the mesh, never from outside.
  const type = p.config.crossMesh ? 'ClusterIP' : (p.config.serviceType ?? 'LoadBalancer');
  const tpl = p.config.serviceTemplate;
  const spec: Record<string, unknown> = {
    type,
    selector: { app: names.app },
    ports: p.ports.map((port) => ({
      name: String(port),
      protocol: 'TCP',
      port,
      targetPort: port,
      ...(type === 'NodePort' && port >= 30000 && port <= 32767 ? { nodePort: port } : {}),
    })),
  };
  if (tpl?.spec?.loadBalancerIP) spec.loadBalancerIP = tpl.spec.loadBalancerIP;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: infraMetadata(p, names.service, tpl?.metadata?.labels, { 'kuma.io/gateway': 'builtin', ...tpl?.metadata?.annotations }),
    spec,
  } as KubeObject;
}

export function buildDeployment(p: InfraParams): KubeObject {
  const names = gatewayWorkloadNames(p.gateway.metadata.name);
  const pod = p.config.podTemplate;
  const tags = { ...p.config.tags, [SERVICE_TAG]: p.serviceTag };
  const podLabels = {
    ...pod?.metadata?.labels,
    app: names.app,
    'kuma.io/sidecar-injection': 'disabled',
    [MESH_LABEL]: p.mesh,
  };
  const podAnnotations = {
    ...pod?.metadata?.annotations,
    'kuma.io/gateway': 'builtin',
    'kuma.io/tags': JSON.stringify(sortKeys(tags)),
  };
  const container: Record<string, unknown> = {
    name: 'kuma-gateway',
    image: p.options.proxyImage,
    args: ['run', '--log-level=info'],
    env: [
      { name: 'KUMA_CONTROL_PLANE_URL', value: p.options.controlPlaneURL ?? `https://kuma-control-plane.${p.options.systemNamespace}:5678` },
      { name: 'KUMA_DATAPLANE_MESH', value: p.mesh },
      { name: 'KUMA_DATAPLANE_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'KUMA_DATAPLANE_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ],
    resources: p.config.resources ?? {},
    securityContext: {
      runAsUser: DATAPLANE_UID,
      runAsGroup: DATAPLANE_UID,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: pod?.spec?.container?.securityContext?.readOnlyRootFilesystem ?? false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const memLimit = p.config.resources?.limits?.memory;
  if (memLimit !== undefined) {
    (container.env as object[]).push({ name: 'KUMA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES', value: String(memLimit) });
  }
  const podSpec: Record<string, unknown> = {
    containers: [container],
    securityContext: {
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      ...(pod?.spec?.securityContext?.fsGroup !== undefined ? { fsGroup: pod.spec.securityContext.fsGroup } : {}),
    },
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
  if (pod?.spec?.serviceAccountName) podSpec.serviceAccountName = pod.spec.serviceAccountName;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: infraMetadata(p, names.deployment),
    spec: {
      replicas: p.config.replicas ?? 1,
      selector: { matchLabels: { app: names.app } },
      template: { metadata: { labels: podLabels, annotations: podAnnotations }, spec: podSpec },
    },
  } as KubeObject;
}

function nonEmpty(key: string, m: Record<string, string>): Record<string, Record<string, string>> {
  return Object.keys(m).length > 0 ? { [key]: m } : {};
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
