// Support for e2e/chart/install.test.ts: the real helm against a real API server, the chart's
// Deployment turned into a local controller process, `kubectl auth can-i` as the chart's
// ServiceAccount, and "did the API server ever say 403" checks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestCluster } from '../cluster/harness';
import { run, type RunResult } from '../cluster/util';
import type { ControllerProcess } from '../support/controller';

const ROOT = path.resolve(__dirname, '..', '..');
export const CHART = path.join(ROOT, 'charts', 'meshgate');

let helmPath: Promise<string> | undefined;

/** The real helm binary (built once by e2e/tools/helm.sh and cached). */
export function helmBinary(): Promise<string> {
  helmPath ??= run('bash', [path.join(ROOT, 'e2e', 'tools', 'helm.sh')], { timeoutMs: 20 * 60_000 }).then((r) => {
    const bin = r.stdout.trim().split('\n').pop()?.trim() ?? '';
    if (r.code !== 0 || !bin || !fs.existsSync(bin)) throw new Error(`e2e/tools/helm.sh failed (${r.code}):\n${r.stderr}`);
    return bin;
  });
  return helmPath;
}

export interface Helm {
  /** `helm <args>` against the cluster; never throws on a non-zero exit code. */
  run(args: string[], timeoutMs?: number): Promise<RunResult>;
  /** Like run, but throws unless helm exits 0; returns stdout. */
  ok(args: string[], timeoutMs?: number): Promise<string>;
}

/**
 * helm bound to one cluster: its admin kubeconfig, and helm's own cache/config/data dirs and the
 * discovery cache inside the cluster dir, so runs (and clusters reusing a port) never share state.
 */
export function helmFor(cluster: Pick<TestCluster, 'kubeconfigPath' | 'dir'>): Helm {
  const home = path.join(cluster.dir, 'helm-home');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HELM_') && k !== 'KUBECONFIG' && k !== 'KUBECACHEDIR') env[k] = v;
  Object.assign(env, {
    KUBECONFIG: cluster.kubeconfigPath,
    KUBECACHEDIR: path.join(home, 'kube-cache'),
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
  });
  const h: Helm = {
    async run(args, timeoutMs = 120_000) {
      const r = await run(await helmBinary(), args, { cwd: ROOT, env, timeoutMs });
      // helm logs every symlink it follows (charts/meshgate/files/crds -> crds): expected noise.
      const stderr = r.stderr.split('\n').filter((l) => l && !/found symbolic link in path/.test(l)).join('\n');
      return { ...r, stderr };
    },
    async ok(args, timeoutMs) {
      const r = await h.run(args, timeoutMs);
      if (r.code !== 0) throw new Error(`helm ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    },
  };
  return h;
}

interface EnvVar { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }
export interface ChartDeployment {
  metadata: { namespace: string };
  spec: { replicas: number; template: { spec: { serviceAccountName: string; containers: { name: string; args: string[]; env?: EnvVar[] }[] } } };
}

/** Flags that bind local ports: the local process gets a free metrics port and no GUI instead. */
const LOCAL_ONLY = /^--(metrics-address|gui-address)=/;

/**
 * The controller command line of the chart's (rendered, applied) Deployment, for a local process:
 * its args after the `controller` subcommand (minus the two port bindings, returned in `dropped`)
 * and its env with the Downward API resolved as the kubelet would for Pod `podName`.
 */
export function chartControllerCommand(deploy: ChartDeployment, podName: string): { args: string[]; env: Record<string, string>; dropped: string[] } {
  const c = deploy.spec.template.spec.containers.find((x) => x.name === 'controller');
  if (!c) throw new Error('the chart Deployment has no "controller" container');
  const [sub, ...rest] = c.args;
  if (sub !== 'controller') throw new Error(`the chart Deployment runs "${sub}", not "controller"`);
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    const field = e.valueFrom?.fieldRef?.fieldPath;
    if (field === 'metadata.namespace') env[e.name] = deploy.metadata.namespace;
    else if (field === 'metadata.name') env[e.name] = podName;
    else if (e.value !== undefined) env[e.name] = e.value;
    else throw new Error(`env ${e.name}: unsupported valueFrom ${JSON.stringify(e.valueFrom)}`);
  }
  return { args: rest.filter((a) => !LOCAL_ONLY.test(a)), env, dropped: rest.filter((a) => LOCAL_ONLY.test(a)) };
}

/** A token for a ServiceAccount from the TokenRequest API (`kubectl create token`). */
export async function serviceAccountToken(cluster: Pick<TestCluster, 'kubectl'>, sa: string, namespace: string): Promise<string> {
  const r = await cluster.kubectl(['create', 'token', sa, '-n', namespace, '--duration=2h']);
  if (r.code !== 0 || !r.stdout.trim()) throw new Error(`kubectl create token ${sa} failed: ${r.stderr}`);
  return r.stdout.trim();
}

export interface CanI { verb: string; resource: string; namespace?: string; subresource?: string; allNamespaces?: boolean }

/** `kubectl auth can-i` as `user` (impersonated by the admin). */
export async function canI(cluster: Pick<TestCluster, 'kubectl'>, user: string, q: CanI): Promise<boolean> {
  const args = ['auth', 'can-i', q.verb, q.resource, `--as=${user}`];
  if (q.subresource) args.push(`--subresource=${q.subresource}`);
  if (q.allNamespaces) args.push('--all-namespaces');
  else if (q.namespace) args.push('-n', q.namespace);
  const r = await cluster.kubectl(args);
  const answer = r.stdout.trim().split('\n').pop();
  if (answer !== 'yes' && answer !== 'no') throw new Error(`kubectl ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return answer === 'yes';
}

export const describeCanI = (q: CanI): string =>
  `${q.verb} ${q.resource}${q.subresource ? `/${q.subresource}` : ''} ${q.allNamespaces ? 'in all namespaces' : q.namespace ? `in ${q.namespace}` : '(cluster)'}`;

/** What a 403 leaves in the controller's JSON log: KubeError messages ("HTTP 403: … is forbidden …"). */
const FORBIDDEN = /HTTP 403|"status":\s*403|forbidden/i;

/** Every sign of a 403 the (running) controller got: log lines and meshgate_api_requests_total{code="403"}; 2xx for contrast. */
export async function forbidden(ctl: ControllerProcess): Promise<{ lines: string[]; metric403: number; metric2xx: number }> {
  const lines = fs.readFileSync(ctl.logFile, 'utf8').split('\n').filter((l) => FORBIDDEN.test(l));
  const metric403 = await ctl.metric('meshgate_api_requests_total', { code: '403' });
  let metric2xx = 0;
  for (const code of ['200', '201']) metric2xx += await ctl.metric('meshgate_api_requests_total', { code });
  return { lines, metric403, metric2xx };
}

/**
 * The chart scenarios' Gateway `app/edge` of class `className` (HTTPS www.example.com with Secret
 * `www-cert`, TLS passthrough on 8443), its two backend Services and an HTTPRoute and a TLSRoute.
 */
export function edgeScenario(className: string): object[] {
  const GW = 'gateway.networking.k8s.io/v1';
  return [
    {
      apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app' },
      spec: {
        gatewayClassName: className,
        listeners: [
          { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'www.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'www-cert' }] } },
          { name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
        ],
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'app' }, spec: { ports: [{ name: 'http', port: 8080 }], selector: { app: 'web' } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'app' }, spec: { ports: [{ port: 5432 }], selector: { app: 'db' } } },
    { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'app' }, spec: { parentRefs: [{ name: 'edge', sectionName: 'https' }], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } },
    { apiVersion: GW, kind: 'TLSRoute', metadata: { name: 'db', namespace: 'app' }, spec: { parentRefs: [{ name: 'edge', sectionName: 'tls' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } },
  ];
}
