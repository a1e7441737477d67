// The kuma-dp container of a gateway proxy, field by field as Kuma 2.14.3 builds it for a builtin
// gateway (its DataplaneProxyFactory with the control plane's default configuration, then the
// gateway-instance controller's changes). What each value is and why: docs/kuma-compatibility.md.
import type { MeshGatewayCommonConfig } from './api/kuma';

export const GATEWAY_CONTAINER = 'kuma-gateway';
const DATAPLANE_UID = 5678;
/** Where Kubernetes mounts the ServiceAccount token; kuma-dp sends it as its runtime token. */
export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** Kuma's default drain time (runtime.kubernetes.injector.sidecarContainer.drainTime). */
const DRAIN_TIME = '30s';
/**
 * kuma-dp's readiness port. Kuma's default puts the Envoy admin API on a Unix socket, so probes
 * use the readiness reporter's port instead of the admin port (9901).
 */
export const READINESS_PORT = 9902;
/** Builtin DNS is on by default, with the experimental (in-process) DNS proxy on this port. */
const DNS_PROXY_PORT = 15053;

/** Kuma's default sidecar resources (requests 50m/64Mi, limits 512Mi, no CPU limit). */
export const DEFAULT_RESOURCES = {
  requests: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '50M' },
  limits: { memory: '512Mi', 'ephemeral-storage': '1G' },
} as const;

export interface ProxyContainerParams {
  image: string;
  mesh: string;
  controlPlaneURL: string;
  /** PEM of the control plane's CA; absent = kuma-dp verifies against the system roots. */
  controlPlaneCACert?: string;
  config: MeshGatewayCommonConfig;
}

type EnvVar = { name: string; value?: string; valueFrom?: Record<string, unknown> };

const fieldRef = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
const value = (name: string, v: string | undefined): EnvVar => (v ? { name, value: v } : { name }); // the API server drops empty values

// What every proxy's container has alike, built once and shared (frozen) by the 1,000 Deployments
// of a large translation: outputs are never mutated, and the serialised objects are the same.
const deepFreeze = <T>(o: T): T => {
  if (typeof o === 'object' && o !== null) { for (const v of Object.values(o)) deepFreeze(v); Object.freeze(o); }
  return o;
};
const POD_NAME_ENV = deepFreeze(fieldRef('POD_NAME', 'metadata.name'));
const POD_NAMESPACE_ENV = deepFreeze(fieldRef('POD_NAMESPACE', 'metadata.namespace'));
const INSTANCE_IP_ENV = deepFreeze(fieldRef('INSTANCE_IP', 'status.podIP'));
const HOST_IP_ENV = deepFreeze(fieldRef('HOST_IP', 'status.hostIP'));
const DRAIN_TIME_ENV = deepFreeze(value('KUMA_DATAPLANE_DRAIN_TIME', DRAIN_TIME));
const TOKEN_PATH_ENV = deepFreeze(value('KUMA_DATAPLANE_RUNTIME_TOKEN_PATH', SERVICE_ACCOUNT_TOKEN_PATH));
const DNS_ENABLED_ENV = deepFreeze(value('KUMA_DNS_ENABLED', 'true'));
const DNS_LOGGING_ENV = deepFreeze(value('KUMA_DNS_ENABLE_LOGGING', 'false'));
const DNS_PORT_ENV = deepFreeze(value('KUMA_DNS_PROXY_PORT', String(DNS_PROXY_PORT)));
const MAX_MEMORY_ENV = deepFreeze({ name: 'KUMA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES', valueFrom: { resourceFieldRef: { containerName: GATEWAY_CONTAINER, resource: 'limits.memory' } } });

/** Kuma's env, sorted by name as its factory sorts it, then the memory limit appended last. */
export function proxyEnv(p: ProxyContainerParams): EnvVar[] {
  const env: EnvVar[] = [
    // kuma-dp names the Dataplane "<POD_NAME>.<POD_NAMESPACE>" when KUMA_DATAPLANE_NAME is unset,
    // which is the name Kuma's pod controller gives the Dataplane it creates for the pod.
    POD_NAME_ENV,
    POD_NAMESPACE_ENV,
    INSTANCE_IP_ENV,
    HOST_IP_ENV, // OTel pipe mode (Kuma default on)
    value('KUMA_CONTROL_PLANE_URL', p.controlPlaneURL),
    value('KUMA_DATAPLANE_MESH', p.mesh),
    DRAIN_TIME_ENV,
    TOKEN_PATH_ENV,
    value('KUMA_CONTROL_PLANE_CA_CERT', p.controlPlaneCACert),
    DNS_ENABLED_ENV,
    DNS_LOGGING_ENV,
    DNS_PORT_ENV,
  ].sort(byName);
  // kuma-dp parses an integer; the resourceFieldRef yields the limit in bytes.
  env.push(MAX_MEMORY_ENV);
  return env;
}

const byName = (a: EnvVar, b: EnvVar): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function probe(initialDelaySeconds: number, successThreshold: number) {
  return { httpGet: { path: '/ready', port: READINESS_PORT }, initialDelaySeconds, timeoutSeconds: 3, periodSeconds: 5, successThreshold, failureThreshold: 12 };
}
const LIVENESS_PROBE = deepFreeze(probe(60, 1));
const READINESS_PROBE = deepFreeze(probe(1, 1));
const ARGS = deepFreeze(['run', '--log-level=info']);
const CAPABILITIES = deepFreeze({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
const VOLUME_MOUNTS = deepFreeze([{ name: 'tmp', mountPath: '/tmp' }]);

export function proxyContainer(p: ProxyContainerParams): Record<string, unknown> {
  const readOnlyRoot = p.config.podTemplate?.spec?.container?.securityContext?.readOnlyRootFilesystem;
  return {
    name: GATEWAY_CONTAINER,
    image: p.image,
    imagePullPolicy: 'IfNotPresent',
    // No --concurrency: Kuma adds it only when a CPU limit is configured for the control plane's sidecars.
    args: ARGS,
    env: proxyEnv(p),
    securityContext: {
      runAsUser: DATAPLANE_UID,
      runAsGroup: DATAPLANE_UID,
      capabilities: CAPABILITIES,
      allowPrivilegeEscalation: false,
      ...(readOnlyRoot !== undefined ? { readOnlyRootFilesystem: readOnlyRoot } : {}),
    },
    livenessProbe: LIVENESS_PROBE,
    readinessProbe: READINESS_PROBE,
    // A MeshGatewayConfig's resources replace Kuma's defaults whole, as Kuma does.
    resources: p.config.resources ?? DEFAULT_RESOURCES,
    volumeMounts: VOLUME_MOUNTS,
  };
}
