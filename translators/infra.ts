// Deployment + Service that run a Gateway's proxy, shaped by its MeshGatewayConfig, following
// Kuma 2.14.3's MeshGatewayInstance controller; the container is proxy-container.ts. Where
// meshgate differs on purpose, docs/kuma-compatibility.md says why.
import type { Gateway } from './api/gateway-api';
import type { MeshGatewayCommonConfig } from './api/kuma';
import type { KubeObject, OwnerReference } from './api/meta';
import type { TranslationOptions } from './input';
import { gatewayNameLabel, gatewayWorkloadNames, MESH_LABEL, ownerLabels, SERVICE_TAG } from './naming';
import { proxyContainer } from './proxy-container';

export interface InfraParams {
  gateway: Gateway;
  mesh: string;
  config: MeshGatewayCommonConfig & { crossMesh?: boolean; tags?: Record<string, string> };
  /** Distinct ports of accepted listeners, in the order they first appear in spec.listeners (Kuma's order). */
  ports: number[];
  serviceTag: string;
  options: TranslationOptions;
  /** The control plane's CA (PEM), from the options or Kuma's CA Secret in the bundle. */
  controlPlaneCACert?: string;
}

export function controlPlaneURL(options: TranslationOptions): string {
  return options.controlPlaneURL ?? `https://kuma-control-plane.${options.systemNamespace}:5678`;
}

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
      ...gatewayNameLabel(gw.metadata.name),
    },
    ...nonEmpty('annotations', { ...infra?.annotations, ...annotations }),
    ...(gatewayOwnerReference(gw) ? { ownerReferences: gatewayOwnerReference(gw) } : {}),
  };
}

/** The Service type the proxy gets: cross-mesh gateways are reached through the mesh only (Kuma forces ClusterIP). */
export function serviceType(config: InfraParams['config']): string {
  return config.crossMesh ? 'ClusterIP' : (config.serviceType ?? 'LoadBalancer');
}

export function buildService(p: InfraParams): KubeObject | undefined {
  if (p.ports.length === 0) return undefined;
  const names = gatewayWorkloadNames(p.gateway.metadata.name);
  const type = serviceType(p.config);
  const tpl = p.config.serviceTemplate;
  const spec: Record<string, unknown> = {
    type,
    selector: { app: names.app },
    ports: p.ports.map((port) => ({
      name: String(port),
      protocol: 'TCP',
      port,
      targetPort: port,
      // Kuma asks for nodePort = port whatever the port, which the API server refuses outside the
      // node-port range (e.g. 80); meshgate asks only for ports in the range and lets the API server pick otherwise.
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

// Alike in every proxy's pod: shared (frozen) by all the Deployments (outputs are never mutated).
const SYSCTLS = Object.freeze([Object.freeze({ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' })]);
const VOLUMES = Object.freeze([Object.freeze({ name: 'tmp', emptyDir: Object.freeze({}) })]);

export function buildDeployment(p: InfraParams): KubeObject {
  const names = gatewayWorkloadNames(p.gateway.metadata.name);
  const pod = p.config.podTemplate;
  const tags = { ...p.config.tags, [SERVICE_TAG]: p.serviceTag };
  // The selector label and Kuma's markers win over the template, and the template over the
  // Gateway's spec.infrastructure: a template `app` label would detach the pods from the
  // Deployment's selector (Kuma lets the template override them). The pods carry the Gateway's
  // infrastructure metadata too, as Gateway API asks of every generated resource.
  const infra = p.gateway.spec.infrastructure;
  const podLabels = {
    ...infra?.labels,
    ...pod?.metadata?.labels,
    ...gatewayNameLabel(p.gateway.metadata.name),
    app: names.app,
    'kuma.io/sidecar-injection': 'disabled',
    [MESH_LABEL]: p.mesh,
  };
  const podAnnotations = {
    ...infra?.annotations,
    ...pod?.metadata?.annotations,
    'kuma.io/gateway': 'builtin',
    'kuma.io/tags': JSON.stringify(sortKeys(tags)),
  };
  const container = proxyContainer({
    image: p.options.proxyImage,
    mesh: p.mesh,
    controlPlaneURL: controlPlaneURL(p.options),
    controlPlaneCACert: p.controlPlaneCACert,
    config: p.config,
  });
  const podSpec: Record<string, unknown> = {
    securityContext: {
      sysctls: SYSCTLS,
      ...(pod?.spec?.securityContext?.fsGroup !== undefined ? { fsGroup: pod.spec.securityContext.fsGroup } : {}),
    },
    containers: [container],
    ...(pod?.spec?.serviceAccountName ? { serviceAccountName: pod.spec.serviceAccountName } : {}),
    volumes: VOLUMES,
  };
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
