// Shared by the chart tests (template.test.ts, template-rbac.test.ts): the real helm, the rendered
// cases, and small lookups over the rendered objects.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHART = path.join(ROOT, 'charts', 'meshgate');
export const GOLDEN_DIR = path.join(CHART, 'tests', 'golden');
export const CRDS_DIR = path.join(ROOT, 'crds');
export const UPDATE = process.env.UPDATE_GOLDEN === '1';
export const KUBE_VERSION = '1.34.0';
export const NAMESPACE = 'kuma-system';
export const GATEWAY_CLASS_API = 'gateway.networking.k8s.io/v1/GatewayClass';
export const SERVICE_MONITOR_API = 'monitoring.coreos.com/v1/ServiceMonitor';

export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: any };

let helm = '';


export function run(cmd: string, args: string[], opts: { timeoutMs?: number } = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

export function helmRun(args: string[]) {
  const r = run(helm, args);
  // helm logs every symlink it follows (charts/meshgate/files/crds -> crds); that is expected noise.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l && !/found symbolic link in path/.test(l))
    .join('\n');
  return { ...r, stderr };
}

export function template(args: string[]): string {
  const r = helmRun(['template', 'meshgate', CHART, '--namespace', NAMESPACE, '--kube-version', KUBE_VERSION, ...args]);
  if (r.status !== 0) throw new Error(`helm template ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

export function parse(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`invalid YAML from helm: ${d.errors[0].message}`);
      return d.toJS() as Obj | null;
    })
    .filter((o): o is Obj => !!o);
}

/** The rendered output without the CRD documents (those are checked against crds/ instead). */
export function withoutCrds(text: string): string {
  return (
    text
      .split(/^---$/m)
      .filter((chunk) => !/^kind: CustomResourceDefinition$/m.test(chunk))
      .map((chunk) => chunk.replace(/^\n+/, '').replace(/\s+$/, ''))
      .filter((chunk) => chunk.length > 0)
      .map((chunk) => `---\n${chunk}\n`)
      .join('')
  );
}

export function golden(name: string, text: string) {
  const file = path.join(GOLDEN_DIR, `${name}.yaml`);
  const body = withoutCrds(text);
  if (UPDATE || !fs.existsSync(file)) {
    if (!UPDATE && process.env.CI) throw new Error(`missing golden ${file}; run with UPDATE_GOLDEN=1`);
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, body);
  }
  expect(body).toEqual(fs.readFileSync(file, 'utf8'));
}

export const find = (objs: Obj[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
export const one = (objs: Obj[], kind: string, name?: string) => {
  const found = find(objs, kind, name);
  expect(found).toHaveLength(1);
  return found[0];
};
export const args = (objs: Obj[]): string[] => one(objs, 'Deployment').spec.template.spec.containers[0].args;
export type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
export const rules = (o: Obj): Rule[] => o.rules ?? [];
export const grants = (rs: Rule[], group: string, resource: string): string[] =>
  rs.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);

// API versions Kubernetes 1.34 serves (built in), plus the CRD-provided ones the chart may render.
export const KUBE_134_APIS = new Set([
  'v1/Namespace',
  'v1/ServiceAccount',
  'v1/Service',
  'v1/ConfigMap',
  'apps/v1/Deployment',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'gateway.networking.k8s.io/v1/GatewayClass',
  'monitoring.coreos.com/v1/ServiceMonitor',
]);

// -------------------------------------------------------------------------------------------------

export const cases: Record<string, string[]> = {
  off: [],
  on: ['--set', 'experimental.gatewayAPI=true', '--api-versions', GATEWAY_CLASS_API],
  'on-without-gateway-api': ['--set', 'experimental.gatewayAPI=true'],
  'create-system-namespace': ['--set', 'createSystemNamespace=true', '--set', 'systemNamespace=mesh-system'],
  'secret-namespaces': [
    '-f',
    path.join(CHART, 'tests', 'values-secret-namespaces.yaml'),
    '--api-versions',
    GATEWAY_CLASS_API,
    '--api-versions',
    SERVICE_MONITOR_API,
  ],
  'control-plane': ['-f', path.join(CHART, 'tests', 'values-control-plane.yaml'), '--api-versions', GATEWAY_CLASS_API],
};
/** The rendered cases, after renderCases() ran in a beforeAll. */
export const rendered: Record<string, { text: string; objs: Obj[] }> = {};

/** Builds helm from source on the first run (minutes; cached after) and renders every case. */
export function renderCases(): void {
  // First run builds helm from source (minutes); later runs hit the cache instantly.
  const r = run('bash', [path.join(ROOT, 'e2e', 'tools', 'helm.sh')], { timeoutMs: 30 * 60_000 });
  if (r.status !== 0) throw new Error(`e2e/tools/helm.sh failed (${r.status}): ${r.error ?? ''}\n${r.stderr}`);
  helm = r.stdout.trim().split('\n').pop()!;
  expect(fs.existsSync(helm)).toBe(true);
  for (const [name, a] of Object.entries(cases)) {
    const text = template(a);
    rendered[name] = { text, objs: parse(text) };
  }
}
export const RENDER_TIMEOUT_MS = 30 * 60_000;
