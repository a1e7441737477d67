// The two clusters of install.test.ts (with and without the Gateway API CRDs) and what the test does with
// them: the chart's Deployment, the controller run as its ServiceAccount, the Lease, the scenario.
import { startCluster, type TestCluster } from '../cluster/harness';
import { startController, type ControllerProcess } from '../support/controller';
import { findCondition, kubeFrom, type Cond, type Kube } from '../support/kube';
import { tlsSecret } from '../../translators/testdata/certs';
import { CHART, chartControllerCommand, edgeScenario, forbidden, helmFor, serviceAccountToken, type ChartDeployment, type Helm } from './install-support';

export const RELEASE = 'meshgate';
export const NS = 'meshgate-system';
export const SYSTEM_NS = 'kuma-system';
export const CONTROLLER_NAME = 'gateways.kuma.io/controller';
export const LEASE = 'meshgate-leader';
export const INSTALL = ['install', RELEASE, CHART, '-n', NS, '--create-namespace', '--set', 'experimental.gatewayAPI=true'];
export const UPGRADE = ['upgrade', RELEASE, CHART, '-n', NS, '--reuse-values'];

export type Obj = { metadata: { name: string; namespace?: string; uid?: string; generation?: number; finalizers?: string[]; labels?: Record<string, string> }; spec?: any; status?: any };
export interface Listener { name: string; attachedRoutes: number; conditions: Cond[] }
export interface GatewayObj extends Obj { status?: { conditions?: Cond[]; listeners?: Listener[] } }
export interface RouteObj extends Obj { status?: { parents?: { controllerName: string; conditions: Cond[] }[] } }

export interface Env { cluster: TestCluster; kube: Kube; helm: Helm; procs: ControllerProcess[]; sa: string }

export async function setup(name: string, gatewayApiCrds: boolean): Promise<Env> {
  const cluster = await startCluster({ name, gatewayApiCrds, repoCrds: false });
  return { cluster, kube: kubeFrom(cluster.kubeconfigPath, cluster.kubectl.bind(cluster)), helm: helmFor(cluster), procs: [], sa: '' };
}

// ---------------------------------------------------------------------------------------------

export const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
export const GW = 'gateway.networking.k8s.io/v1';
export const scenario = [
  ns('app'),
  ns('other'),
  tlsSecret('app', 'www-cert'),
  tlsSecret('other', 'other-cert'),
  // The chart's GatewayClass points at it (gatewayClass.parametersRef); the generated Deployment gets 2 replicas.
  { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGatewayConfig', metadata: { name: 'e2e-config' }, spec: { replicas: 2, serviceType: 'ClusterIP' } },
  // A second class for the same controller (deleted by the test after uninstall).
  { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'e2e-extra' }, spec: { controllerName: CONTROLLER_NAME } },
  ...edgeScenario('kuma'),
  {
    apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'other' },
    spec: { gatewayClassName: 'e2e-extra', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'other.example.com', tls: { certificateRefs: [{ name: 'other-cert' }] } }] },
  },
];

export const cond = (conds: Cond[] | undefined, type: string) => findCondition(conds, type)?.status;
export const listener = (g: GatewayObj | undefined, name: string) => g?.status?.listeners?.find((l) => l.name === name);
export const parentOk = (r: RouteObj | undefined) => r?.status?.parents?.some((p) => p.controllerName === CONTROLLER_NAME && cond(p.conditions, 'Accepted') === 'True' && cond(p.conditions, 'ResolvedRefs') === 'True');

/** The chart's Deployment as the API server stored it (rendered by helm, defaulted by the server). */
export async function chartDeployment(e: Env): Promise<ChartDeployment> {
  const d = await e.kube.get<ChartDeployment>('deployment', RELEASE, NS);
  if (!d) throw new Error(`deployment ${NS}/${RELEASE} not found`);
  return d;
}

/**
 * Runs what the chart's Pod `podName` would run: the Deployment's args and env, authenticated with a
 * TokenRequest token of the Deployment's ServiceAccount (nothing of the admin's).
 */
export async function startChartController(e: Env, podName: string): Promise<ControllerProcess> {
  const deploy = await chartDeployment(e);
  const cmd = chartControllerCommand(deploy, podName);
  expect(cmd.dropped.map((a) => a.replace(/=.*/, '')).sort()).toEqual(['--gui-address', '--metrics-address']);
  const controllerName = cmd.args.find((a) => a.startsWith('--controller-name='))!.slice('--controller-name='.length);
  const token = await serviceAccountToken(e.cluster, deploy.spec.template.spec.serviceAccountName, NS);
  const ctl = await startController(e.cluster.writeTokenKubeconfig(token), { controllerName, args: cmd.args, env: cmd.env });
  e.procs.push(ctl);
  return ctl;
}

export async function expectNo403(ctl: ControllerProcess): Promise<void> {
  const f = await forbidden(ctl);
  expect({ controller: ctl.name, forbiddenLogLines: f.lines, requests403: f.metric403 }).toEqual({ controller: ctl.name, forbiddenLogLines: [], requests403: 0 });
  expect(f.metric2xx).toBeGreaterThan(0);
}

export async function leaseHolder(e: Env): Promise<string | undefined> {
  const l = await e.kube.get<{ spec?: { holderIdentity?: string } }>('lease', LEASE, NS);
  return l?.spec?.holderIdentity || undefined;
}

export async function stopAll(e: Env): Promise<void> {
  for (const p of e.procs.splice(0)) await p.stop();
}

export async function gatewayProgrammed(e: Env, namespace: string, name: string): Promise<GatewayObj | false> {
  const g = await e.kube.get<GatewayObj>('gateway', name, namespace);
  return cond(g?.status?.conditions, 'Programmed') === 'True' && !!g && g;
}
