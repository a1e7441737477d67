// Shared pieces of the fault-injection tests: each test file starts its OWN control plane
// (faults restart, pause and compact it), manifest builders, certificates, and small helpers for
// writes that must land even while the API server is down.
import { startCluster, type TestCluster } from '../cluster/harness';
import { kubeFrom, type Kube } from '../support/kube';
import { freshCertificate, tlsSecretFrom, type Pem } from '../support/certs';
export type { Pem };

export const SYSTEM_NS = 'kuma-system';
export const GW = 'gateway.networking.k8s.io/v1';
export const KUMA = 'kuma.io/v1alpha1';

export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; uid?: string; generation?: number };
  [field: string]: unknown;
}

export interface FaultEnv {
  cluster: TestCluster;
  kube: Kube;
  stop(): Promise<void>;
}

/** A fresh control plane for one fault test file, with the system namespace in place. */
export async function faultCluster(name: string, apiServerArgs: string[] = []): Promise<FaultEnv> {
  const cluster = await startCluster({ name: `faults-${name}`, apiServerArgs });
  const kube = kubeFrom(cluster.kubeconfigPath, cluster.kubectl.bind(cluster));
  await kube.apply([namespace(SYSTEM_NS)]);
  return { cluster, kube, stop: () => cluster.stop() };
}

export const namespace = (name: string, labels?: Record<string, string>): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });

export function gatewayClass(name: string, controllerName: string, config?: string): Obj {
  return {
    apiVersion: GW, kind: 'GatewayClass', metadata: { name },
    spec: { controllerName, ...(config ? { parametersRef: { group: 'kuma.io', kind: 'MeshGatewayConfig', name: config } } : {}) },
  };
}

export const meshGatewayConfig = (name: string, spec: Record<string, unknown>): Obj => ({ apiVersion: KUMA, kind: 'MeshGatewayConfig', metadata: { name }, spec });

export const gateway = (ns: string, name: string, cls: string, listeners: Record<string, unknown>[]): Obj =>
  ({ apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName: cls, listeners } });

export const httpListener = (name: string, port: number, extra: Record<string, unknown> = {}) => ({ name, port, protocol: 'HTTP', ...extra });
export const httpsListener = (name: string, port: number, secrets: { name: string; namespace?: string }[], extra: Record<string, unknown> = {}) =>
  ({ name, port, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: secrets.map((s) => ({ kind: 'Secret', group: '', ...s })) }, ...extra });
export const tlsListener = (name: string, port: number, hostname: string, extra: Record<string, unknown> = {}) =>
  ({ name, port, protocol: 'TLS', hostname, tls: { mode: 'Passthrough' }, allowedRoutes: { kinds: [{ kind: 'TLSRoute' }] }, ...extra });

export const service = (ns: string, name: string, ports: number[]): Obj => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns },
  spec: { selector: { app: name }, ports: ports.map((port) => ({ name: `p${port}`, port, targetPort: port })) },
});

export interface ParentRef { name: string; namespace?: string; sectionName?: string; port?: number }
export interface BackendRef { name: string; namespace?: string; port: number; weight?: number }

export function httpRoute(ns: string, name: string, parents: ParentRef[], backends: BackendRef[], opts: { hostnames?: string[]; path?: string } = {}): Obj {
  return {
    apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: ns },
    spec: {
      parentRefs: parents,
      ...(opts.hostnames ? { hostnames: opts.hostnames } : {}),
      rules: [{ ...(opts.path ? { matches: [{ path: { type: 'PathPrefix', value: opts.path } }] } : {}), backendRefs: backends }],
    },
  };
}

export const tlsRoute = (ns: string, name: string, parents: ParentRef[], hostnames: string[], backends: BackendRef[]): Obj => ({
  apiVersion: GW, kind: 'TLSRoute', metadata: { name, namespace: ns },
  spec: { parentRefs: parents, hostnames, rules: [{ backendRefs: backends }] },
});

export function referenceGrant(ns: string, name: string, from: { kind: string; namespace: string }[], to: { kind: string; name?: string }[]): Obj {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace: ns },
    spec: { from: from.map((f) => ({ group: f.kind === 'Gateway' || f.kind.endsWith('Route') ? 'gateway.networking.k8s.io' : '', ...f })), to: to.map((t) => ({ group: '', ...t })) },
  };
}


/** A self-signed certificate (openssl CLI) for `hosts`. */
export const certificate = (cn: string, hosts: string[]) => freshCertificate(cn, hosts, 'ec');
export const tlsSecret = (ns: string, name: string, pem: Pem): Obj => tlsSecretFrom(ns, name, pem) as unknown as Obj;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `op` (e.g. a kubectl apply while the API server is down) until it succeeds. */
export async function untilDone(what: string, op: () => Promise<unknown>, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await op();
      return attempt;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${timeoutMs} ms: ${(e as Error).message}`);
      await sleep(200);
    }
  }
}

/** Generated objects of one owner (by meshgate's owner labels). */
export async function generatedFor(kube: Kube, controllerHash: string, kind: string, ownerLabel: string, namespace?: string): Promise<Obj[]> {
  return kube.list<Obj>(kind, { namespace, selector: `meshgate.io/controller=${controllerHash},meshgate.io/owner=${ownerLabel}` });
}

export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
