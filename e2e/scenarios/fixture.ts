// Shared pieces of the scenario tests (Kuma's Gateway API scenarios, replayed on the real API
// server against the real `meshgate controller`): manifest builders, status readers, waits.
// Every test file has its own controllerName, GatewayClass and namespaces; its controller
// watches only its own namespaces (--watch-namespaces), so files never see each other's objects
// even when jest runs them in parallel (GAMMA routes have no class to tell controllers apart).
import { fnv1Digest } from '../../translators/naming';
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { eventually, sharedKube, type Kube } from '../support/kube';
import { tlsSecretFrom as supportTlsSecret, type Pem } from '../support/certs';

export const SYSTEM_NS = 'kuma-system';
export const GW = 'gateway.networking.k8s.io/v1';
export const KUMA = 'kuma.io/v1alpha1';

export interface Condition { type: string; status: string; reason: string; message: string; observedGeneration?: number }
export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[]; creationTimestamp?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  mesh?: string;
  data?: Record<string, string>;
  type?: string;
}
export interface ListenerStatus { name: string; attachedRoutes: number; conditions: Condition[]; supportedKinds: { group?: string; kind: string }[] }
export interface ParentStatus { parentRef: { name: string; namespace?: string; kind?: string; group?: string; sectionName?: string; port?: number }; controllerName: string; conditions: Condition[] }

export const cond = (conds: Condition[] | undefined, type: string): Condition | undefined => conds?.find((c) => c.type === type);
export const gatewayCond = (gw: Obj | undefined, type: string) => cond(gw?.status?.conditions, type);
export const listenerStatus = (gw: Obj | undefined, name: string): ListenerStatus | undefined => (gw?.status?.listeners as ListenerStatus[] | undefined)?.find((l) => l.name === name);
export const listenerCond = (gw: Obj | undefined, listener: string, type: string) => cond(listenerStatus(gw, listener)?.conditions, type);
/** This controller's parent entries of a route's status. */
export const parentsOf = (route: Obj | undefined, controllerName: string): ParentStatus[] => ((route?.status?.parents ?? []) as ParentStatus[]).filter((p) => p.controllerName === controllerName);
export const parentCond = (route: Obj | undefined, controllerName: string, type: string, parentName?: string) =>
  cond(parentsOf(route, controllerName).find((p) => parentName === undefined || p.parentRef.name === parentName)?.conditions, type);

export interface Scenario {
  kube: Kube;
  controllerName: string;
  /** meshgate.io/controller label value of this controller's objects. */
  controllerHash: string;
  className: string;
  namespaces: string[];
  ctl?: ControllerProcess;
  start(args?: string[]): Promise<ControllerProcess>;
  /** Stops the controller and deletes the namespaces, the class and everything this controller generated. */
  cleanup(extra?: Obj[]): Promise<void>;
}

/** A scenario named `suite` whose objects live in the namespaces `e2e-<suite>[-<suffix>]`. */
export function scenario(suite: string, nsSuffixes: string[] = [''], kubeOf: () => Kube = sharedKube): Scenario {
  let kubeCache: Kube | undefined;
  const kubeNow = () => (kubeCache ??= kubeOf());
  const controllerName = testControllerName(`scenario-${suite}`);
  const s: Scenario = {
    get kube() { return kubeNow(); },
    controllerName,
    controllerHash: fnv1Digest(controllerName),
    className: `e2e-${suite}`,
    namespaces: nsSuffixes.map((x) => (x ? `e2e-${suite}-${x}` : `e2e-${suite}`)),
    async start(args = []) {
      await s.ctl?.stop();
      s.ctl = await startController(s.kube.kubeconfigPath, { controllerName, args: [`--watch-namespaces=${s.namespaces.join(',')}`, ...args] });
      return s.ctl;
    },
    async cleanup(extra = []) {
      await s.ctl?.stop();
      const kube = s.kube;
      const sel = `meshgate.io/controller=${s.controllerHash}`;
      await kube.kubectl(['delete', 'meshgateways,meshhttproutes,meshtcproutes,secrets', '-A', '-l', sel, '--ignore-not-found', '--wait=false']);
      await kube.kubectl(['delete', 'namespace', ...s.namespaces, '--ignore-not-found', '--wait=false']);
      await kube.kubectl(['delete', 'gatewayclass', s.className, '--ignore-not-found', '--wait=false']);
      if (extra.length) await kube.remove(extra);
    },
  };
  return s;
}

export const namespace = (name: string, labels?: Record<string, string>): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });
export const systemNamespace = (): Obj => namespace(SYSTEM_NS);

export function gatewayClass(name: string, controllerName: string, configName?: string): Obj {
  return {
    apiVersion: GW, kind: 'GatewayClass', metadata: { name },
    spec: { controllerName, ...(configName ? { parametersRef: { group: 'kuma.io', kind: 'MeshGatewayConfig', name: configName } } : {}) },
  };
}

export function meshGatewayConfig(name: string, spec: Record<string, unknown>): Obj {
  return { apiVersion: KUMA, kind: 'MeshGatewayConfig', metadata: { name }, spec };
}

export function gateway(ns: string, name: string, className: string, listeners: Record<string, unknown>[], labels?: Record<string, string>): Obj {
  return { apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, spec: { gatewayClassName: className, listeners } };
}

export const httpListener = (name = 'http', port = 80, extra: Record<string, unknown> = {}) => ({ name, port, protocol: 'HTTP', ...extra });
export const httpsListener = (name: string, port: number, secret: string, extra: Record<string, unknown> = {}) =>
  ({ name, port, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: secret }] }, ...extra });

export function service(ns: string, name: string, ports: number[], labels?: Record<string, string>): Obj {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
    spec: { selector: { app: name }, ports: ports.map((port) => ({ name: `p${port}`, port, targetPort: port })) },
  };
}

export function httpRoute(ns: string, name: string, parentRefs: Record<string, unknown>[], backend: { name: string; port: number }, extra: { hostnames?: string[]; labels?: Record<string, string>; path?: string } = {}): Obj {
  return {
    apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: ns, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: {
      parentRefs,
      ...(extra.hostnames ? { hostnames: extra.hostnames } : {}),
      rules: [{ ...(extra.path ? { matches: [{ path: { type: 'PathPrefix', value: extra.path } }] } : {}), backendRefs: [backend] }],
    },
  };
}

/** The generated objects of one owner (by meshgate's owner labels), as the API server has them. */
export async function generatedBy(s: Scenario, kind: string, ownerKind: string, namespace = SYSTEM_NS): Promise<Obj[]> {
  return s.kube.list<Obj>(kind, { namespace, selector: `meshgate.io/controller=${s.controllerHash},meshgate.io/owner-kind=${ownerKind}` });
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  return eventually(check, timeoutMs, what);
}

/** Waits until the Gateway's status satisfies `pred`; returns it. */
export async function gatewayWhen(s: Scenario, ns: string, name: string, pred: (gw: Obj) => boolean, what: string, timeoutMs = 30_000): Promise<Obj> {
  return waitFor(`Gateway ${ns}/${name}: ${what}`, async () => {
    const gw = await s.kube.get<Obj>('gateway', name, ns);
    return gw && gw.status && pred(gw) && gw;
  }, timeoutMs);
}

export async function routeWhen(s: Scenario, kind: string, ns: string, name: string, pred: (r: Obj) => boolean, what: string, timeoutMs = 30_000): Promise<Obj> {
  return waitFor(`${kind} ${ns}/${name}: ${what}`, async () => {
    const r = await s.kube.get<Obj>(kind, name, ns);
    return r && pred(r) && r;
  }, timeoutMs);
}

export const programmed = (gw: Obj) => gatewayCond(gw, 'Programmed')?.status === 'True' && gatewayCond(gw, 'Programmed')?.observedGeneration === (gw.metadata as { generation?: number }).generation;

export async function waitGone(s: Scenario, kind: string, name: string, ns?: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`${kind} ${ns ? `${ns}/` : ''}${name} to be gone`, async () => (await s.kube.get(kind, name, ns)) === undefined, timeoutMs);
}

export { freshCertificate } from '../support/certs';
export const tlsSecretFrom = (ns: string, name: string, pem: Pem): Obj => supportTlsSecret(ns, name, pem) as unknown as Obj;

/** What Kuma reads from a Secret copy: the key PEM, then the certificate PEM. */
export function kumaSecretValue(pem: { crt: string; key: string }): string {
  const key = pem.key.endsWith('\n') ? pem.key : `${pem.key}\n`;
  return Buffer.from(key + pem.crt).toString('base64');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
