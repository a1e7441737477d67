// Chart tests with the real helm (built from source by e2e/tools/helm.sh; no cluster needed):
//   - `helm template` golden outputs (charts/meshgate/tests/golden; UPDATE_GOLDEN=1 regenerates them),
//   - `helm lint --strict` with experimental.gatewayAPI false and true,
//   - the GatewayClass renders only when gateway.networking.k8s.io/v1 GatewayClass is served,
//   - least-privilege RBAC, no finalizers, the controller flags,
//   - the rendered CRDs are the repository's crds/*.yaml (single source of truth) and are structural,
//   - every rendered object uses an API version served by Kubernetes 1.34.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const CHART = path.join(ROOT, 'charts', 'meshgate');
const GOLDEN_DIR = path.join(CHART, 'tests', 'golden');
const CRDS_DIR = path.join(ROOT, 'crds');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const KUBE_VERSION = '1.34.0';
const NAMESPACE = 'kuma-system';
const GATEWAY_CLASS_API = 'gateway.networking.k8s.io/v1/GatewayClass';
const SERVICE_MONITOR_API = 'monitoring.coreos.com/v1/ServiceMonitor';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: any };

let helm = '';

function run(cmd: string, args: string[], opts: { timeoutMs?: number } = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function helmRun(args: string[]) {
  const r = run(helm, args);
  // helm logs every symlink it follows (charts/meshgate/files/crds -> crds); that is expected noise.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l && !/found symbolic link in path/.test(l))
    .join('\n');
  return { ...r, stderr };
}

function template(args: string[]): string {
  const r = helmRun(['template', 'meshgate', CHART, '--namespace', NAMESPACE, '--kube-version', KUBE_VERSION, ...args]);
  if (r.status !== 0) throw new Error(`helm template ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

function parse(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`invalid YAML from helm: ${d.errors[0].message}`);
      return d.toJS() as Obj | null;
    })
    .filter((o): o is Obj => !!o);
}

/** The rendered output without the CRD documents (those are checked against crds/ instead). */
function withoutCrds(text: string): string {
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

function golden(name: string, text: string) {
  const file = path.join(GOLDEN_DIR, `${name}.yaml`);
  const body = withoutCrds(text);
  if (UPDATE || !fs.existsSync(file)) {
    if (!UPDATE && process.env.CI) throw new Error(`missing golden ${file}; run with UPDATE_GOLDEN=1`);
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, body);
  }
  expect(body).toEqual(fs.readFileSync(file, 'utf8'));
}

const find = (objs: Obj[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const one = (objs: Obj[], kind: string, name?: string) => {
  const found = find(objs, kind, name);
  expect(found).toHaveLength(1);
  return found[0];
};
const args = (objs: Obj[]): string[] => one(objs, 'Deployment').spec.template.spec.containers[0].args;
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const rules = (o: Obj): Rule[] => o.rules ?? [];
const grants = (rs: Rule[], group: string, resource: string): string[] =>
  rs.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);

// API versions Kubernetes 1.34 serves (built in), plus the CRD-provided ones the chart may render.
const KUBE_134_APIS = new Set([
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

const cases: Record<string, string[]> = {
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
const rendered: Record<string, { text: string; objs: Obj[] }> = {};

beforeAll(() => {
  // First run builds helm from source (minutes); later runs hit the cache instantly.
  const r = run('bash', [path.join(ROOT, 'e2e', 'tools', 'helm.sh')], { timeoutMs: 30 * 60_000 });
  if (r.status !== 0) throw new Error(`e2e/tools/helm.sh failed (${r.status}): ${r.error ?? ''}\n${r.stderr}`);
  helm = r.stdout.trim().split('\n').pop()!;
  expect(fs.existsSync(helm)).toBe(true);
  for (const [name, a] of Object.entries(cases)) {
    const text = template(a);
    rendered[name] = { text, objs: parse(text) };
  }
}, 30 * 60_000);

describe('helm template golden outputs', () => {
  it.each(Object.keys(cases))('%s', (name) => {
    golden(name, rendered[name].text);
  });
});

describe('helm lint --strict', () => {
  it.each([
    ['experimental.gatewayAPI=false', ['--set', 'experimental.gatewayAPI=false']],
    ['experimental.gatewayAPI=true', ['--set', 'experimental.gatewayAPI=true']],
    ['secret-namespaces values', ['-f', path.join(CHART, 'tests', 'values-secret-namespaces.yaml')]],
    ['control-plane values', ['-f', path.join(CHART, 'tests', 'values-control-plane.yaml')]],
  ])('%s', (_label, extra) => {
    const r = helmRun(['lint', '--strict', '--kube-version', KUBE_VERSION, CHART, ...extra]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining('0 chart(s) failed') });
    expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});

describe('createSystemNamespace', () => {
  it('off by default: no Namespace rendered', () => {
    for (const name of ['off', 'on', 'secret-namespaces']) expect(find(rendered[name].objs, 'Namespace')).toHaveLength(0);
  });
  it('on: the system namespace, kept on uninstall, and the Role meshgate writes with lands in it', () => {
    const ns = one(rendered['create-system-namespace'].objs, 'Namespace');
    expect(ns.metadata.name).toBe('mesh-system');
    expect((ns.metadata.annotations as Record<string, string>)['helm.sh/resource-policy']).toBe('keep');
    expect(find(rendered['create-system-namespace'].objs, 'Role').some((r) => r.metadata.namespace === 'mesh-system')).toBe(true);
  });
  it('not rendered when it is the release namespace (helm install --create-namespace creates that one)', () => {
    expect(find(parse(template(['--set', 'createSystemNamespace=true', '--set', `systemNamespace=${NAMESPACE}`])), 'Namespace')).toHaveLength(0);
  });
});

describe('experimental.gatewayAPI', () => {
  it('off: controller runs with --gateway-api=false, no Gateway API RBAC, no GatewayClass', () => {
    const { objs } = rendered.off;
    expect(args(objs)).toContain('--gateway-api=false');
    expect(find(objs, 'GatewayClass')).toHaveLength(0);
    const cr = one(objs, 'ClusterRole');
    expect(rules(cr).filter((r) => r.apiGroups.includes('gateway.networking.k8s.io'))).toEqual([]);
  });

  it('on: Gateway API RBAC, the flag, and the default GatewayClass when the API is served', () => {
    const { objs } = rendered.on;
    expect(args(objs)).toContain('--gateway-api=true');
    const gc = one(objs, 'GatewayClass', 'kuma');
    expect(gc.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gc.spec.controllerName).toBe('gateways.kuma.io/controller');
    expect(gc.spec.parametersRef).toBeUndefined();
    expect(gc.metadata.finalizers).toBeUndefined();
  });

  it('on, but gateway.networking.k8s.io/v1 not served: no GatewayClass', () => {
    const { objs } = rendered['on-without-gateway-api'];
    expect(args(objs)).toContain('--gateway-api=true');
    expect(find(objs, 'GatewayClass')).toHaveLength(0);
    expect(rules(one(objs, 'ClusterRole')).some((r) => r.apiGroups.includes('gateway.networking.k8s.io'))).toBe(true);
  });

  it('gatewayClass.create=false: no GatewayClass even when served', () => {
    const objs = parse(template(['--set', 'experimental.gatewayAPI=true', '--set', 'gatewayClass.create=false', '--api-versions', GATEWAY_CLASS_API]));
    expect(find(objs, 'GatewayClass')).toHaveLength(0);
  });
});

describe('RBAC is least privilege and derived from the controller calls', () => {
  const all = () => Object.values(rendered).flatMap((r) => r.objs);
  const rbacObjs = () => all().filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');

  it('has no wildcards, no finalizers, no escalation verbs', () => {
    for (const o of rbacObjs()) {
      for (const r of rules(o)) {
        expect(r.verbs).not.toContain('*');
        expect(r.resources).not.toContain('*');
        expect(r.apiGroups).not.toContain('*');
        for (const verb of ['escalate', 'bind', 'impersonate', 'deletecollection']) expect(r.verbs).not.toContain(verb);
        for (const res of r.resources) expect(res).not.toMatch(/finalizers/);
      }
    }
  });

  it('never writes Gateway API specs, only their status', () => {
    const rs = rules(one(rendered.on.objs, 'ClusterRole'));
    for (const res of ['gatewayclasses', 'gateways', 'httproutes', 'tlsroutes', 'tcproutes', 'udproutes', 'referencegrants']) {
      expect(grants(rs, 'gateway.networking.k8s.io', res).sort()).toEqual(['get', 'list', 'watch']);
    }
    for (const res of ['gatewayclasses/status', 'gateways/status', 'httproutes/status', 'tlsroutes/status', 'tcproutes/status', 'udproutes/status']) {
      expect(grants(rs, 'gateway.networking.k8s.io', res).sort()).toEqual(['get', 'patch', 'update']);
    }
    expect(grants(rs, 'gateway.networking.k8s.io', 'referencegrants/status')).toEqual([]);
  });

  it('grants exactly the documented cluster-wide calls', () => {
    const rs = rules(one(rendered.on.objs, 'ClusterRole'));
    const rw = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    const ro = ['get', 'list', 'watch'];
    expect(grants(rs, '', 'namespaces').sort()).toEqual(ro);
    expect(grants(rs, '', 'services').sort()).toEqual(rw);
    expect(grants(rs, '', 'secrets').sort()).toEqual(ro);
    expect(grants(rs, '', 'events').sort()).toEqual(['create', 'patch']);
    expect(grants(rs, 'apps', 'deployments').sort()).toEqual(rw);
    expect(grants(rs, 'apiextensions.k8s.io', 'customresourcedefinitions').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshgatewayconfigs').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshgateways').sort()).toEqual(rw);
    expect(grants(rs, 'kuma.io', 'meshhttproutes').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshtcproutes').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshgatewayinstances').sort()).toEqual(['delete', 'get', 'list']);
    expect(grants(rs, 'coordination.k8s.io', 'leases')).toEqual([]);
  });

  it('writes Secrets, MeshHTTPRoutes and MeshTCPRoutes only in the system namespace', () => {
    const role = one(rendered.on.objs, 'Role', 'meshgate-system');
    expect(role.metadata.namespace).toBe('kuma-system');
    expect(grants(rules(role), '', 'secrets').sort()).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect(grants(rules(role), 'kuma.io', 'meshhttproutes').sort()).toEqual(['create', 'delete', 'patch', 'update']);
    expect(grants(rules(role), 'kuma.io', 'meshtcproutes').sort()).toEqual(['create', 'delete', 'patch', 'update']);
    const rb = one(rendered.on.objs, 'RoleBinding', 'meshgate-system');
    expect(rb.metadata.namespace).toBe('kuma-system');
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'meshgate', namespace: NAMESPACE }]);
  });

  it('leases: get, create, update in the release namespace only', () => {
    const role = one(rendered.on.objs, 'Role', 'meshgate-leader-election');
    expect(role.metadata.namespace).toBe(NAMESPACE);
    expect(rules(role)).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]);
  });

  it('secretNamespaces: a Role+RoleBinding per namespace and no cluster-wide Secret read', () => {
    const { objs } = rendered['secret-namespaces'];
    expect(grants(rules(one(objs, 'ClusterRole')), '', 'secrets')).toEqual([]);
    const readers = find(objs, 'Role', 'meshgate-secret-reader');
    expect(readers.map((r) => r.metadata.namespace).sort()).toEqual(['team-a', 'team-b']);
    for (const r of readers) expect(rules(r)).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(objs, 'RoleBinding', 'meshgate-secret-reader').map((r) => r.metadata.namespace).sort()).toEqual(['team-a', 'team-b']);
    expect(args(objs)).toContain('--secret-namespaces=team-a,team-b');
  });
});

describe('controller Deployment', () => {
  it('passes the agreed flags', () => {
    expect(args(rendered.on.objs)).toEqual([
      'controller',
      '--gateway-api=true',
      '--controller-name=gateways.kuma.io/controller',
      '--system-namespace=kuma-system',
      '--proxy-image=docker.io/kumahq/kuma-dp:2.14.3',
      '--control-plane-ca-secret=kuma-tls-cert',
      '--leader-elect=true',
      '--leader-election-id=meshgate-leader',
      '--lease-duration=15s',
      '--renew-deadline=10s',
      '--retry-period=2s',
      '--gui-address=127.0.0.1:5681',
      '--metrics-address=:9090',
      '--kube-qps=auto',
      '--kube-burst=100',
      '--log-level=info',
      '--log-format=json',
    ]);
  });

  it('is hardened, probes /healthz and /readyz on the metrics port, sets POD_NAMESPACE', () => {
    const pod = one(rendered.off.objs, 'Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }]);
    expect(c.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(one(rendered.off.objs, 'Service', 'meshgate-metrics').spec.ports).toEqual([
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(find(rendered.off.objs, 'Service', 'meshgate-gui')).toHaveLength(0);
    expect(find(rendered.off.objs, 'ServiceMonitor')).toHaveLength(0);
  });

  it('controlPlane: URL and CA Secret flags; an inline CA becomes a ConfigMap mounted as --control-plane-ca-file', () => {
    const { objs } = rendered['control-plane'];
    const a = args(objs);
    expect(a).toEqual(expect.arrayContaining(['--control-plane-url=https://kuma-cp.mesh-system.svc:5678', '--control-plane-ca-file=/etc/meshgate/control-plane-ca/ca.crt', '--control-plane-ca-secret=kuma-cp-ca']));
    const cm = find(objs, 'ConfigMap').find((o) => o.metadata.name === 'meshgate-control-plane-ca');
    expect((cm as unknown as { data: Record<string, string> }).data['ca.crt']).toContain('-----BEGIN CERTIFICATE-----');
    expect(args(rendered.on.objs).some((x) => x.startsWith('--control-plane-ca-file') || x.startsWith('--control-plane-url'))).toBe(false);
    expect(find(rendered.on.objs, 'ConfigMap')).toHaveLength(0);
    const bad = helmRun(['template', 'meshgate', CHART, '--set', 'controlPlane.caCert=not-a-certificate']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/caCert/);
  });

  it('leader election: forced on with replicas > 1, off only when asked with one replica', () => {
    expect(args(rendered['secret-namespaces'].objs)).toContain('--leader-elect=true');
    const single = parse(template(['--set', 'leaderElection.enabled=false']));
    expect(args(single)).toContain('--leader-elect=false');
    expect(args(single).some((a) => a.startsWith('--leader-election-id'))).toBe(false);
    expect(find(single, 'Role', 'meshgate-leader-election')).toHaveLength(0);
  });

  it('exposed GUI: binds 0.0.0.0, has a Service, mounts the token; refused without a token Secret', () => {
    const { objs } = rendered['secret-namespaces'];
    const a = args(objs);
    expect(a).toContain('--gui-address=0.0.0.0:5681');
    expect(a).toContain('--gui-token-file=/etc/meshgate/gui-token/token');
    expect(one(objs, 'Service', 'meshgate-gui').spec.ports[0]).toMatchObject({ port: 5681, targetPort: 'gui' });
    expect(one(objs, 'ServiceMonitor').spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
    expect(one(objs, 'GatewayClass').spec.parametersRef).toEqual({ group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'default' });

    const r = helmRun(['template', 'meshgate', CHART, '--set', 'gui.expose=true']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/gui.expose=true requires gui.tokenSecret/);
  });

  it('rejects a parametersRef that is not a cluster-scoped MeshGatewayConfig', () => {
    const r = helmRun(['template', 'meshgate', CHART, '--set', 'gatewayClass.parametersRef.group=kuma.io,gatewayClass.parametersRef.kind=MeshGatewayConfig,gatewayClass.parametersRef.name=x,gatewayClass.parametersRef.namespace=y']);
    expect(r.status).not.toBe(0);
  });

  it('serviceMonitor only when monitoring.coreos.com/v1 is served', () => {
    expect(find(parse(template(['--set', 'metrics.serviceMonitor.enabled=true'])), 'ServiceMonitor')).toHaveLength(0);
  });
});

describe('valid for Kubernetes 1.34', () => {
  it('uses only API versions 1.34 serves, with names and namespaces set', () => {
    for (const { objs } of Object.values(rendered)) {
      for (const o of objs) {
        expect(KUBE_134_APIS.has(`${o.apiVersion}/${o.kind}`) ? `${o.apiVersion}/${o.kind}` : `unexpected ${o.apiVersion}/${o.kind}`).toBe(
          `${o.apiVersion}/${o.kind}`,
        );
        expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
        const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'GatewayClass'].includes(o.kind);
        expect(o.metadata.namespace === undefined).toBe(clusterScoped);
      }
    }
  });
});

// -------------------------------------------------------------------------------------------------
// CRDs: one source of truth, structural schemas

const repoCrds = (): Record<string, Obj> =>
  Object.fromEntries(
    fs
      .readdirSync(CRDS_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f, parse(fs.readFileSync(path.join(CRDS_DIR, f), 'utf8'))[0]]),
  );

describe('CRDs', () => {
  it('crds/*.yaml are up to date with crds/generate.js', () => {
    const r = run(process.execPath, [path.join(CRDS_DIR, 'generate.js'), '--check']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('the chart renders exactly crds/*.yaml (plus chart labels and the keep policy)', () => {
    const fromRepo = repoCrds();
    expect(Object.keys(fromRepo)).toEqual([
      'kuma.io_meshgatewayconfigs.yaml',
      'kuma.io_meshgateways.yaml',
      'kuma.io_meshhttproutes.yaml',
      'kuma.io_meshtcproutes.yaml',
    ]);
    for (const { objs } of Object.values(rendered)) {
      const crds = find(objs, 'CustomResourceDefinition');
      expect(crds.map((c) => c.metadata.name).sort()).toEqual(Object.values(fromRepo).map((c) => c.metadata.name).sort());
      for (const c of crds) {
        const src = Object.values(fromRepo).find((s) => s.metadata.name === c.metadata.name)!;
        expect(c.spec).toEqual(src.spec);
        expect(c.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'meshgate', 'app.kubernetes.io/managed-by': 'Helm' });
        expect((c.metadata.annotations as Record<string, string>)['helm.sh/resource-policy']).toBe('keep');
      }
    }
    expect(find(parse(template(['--set', 'crds.install=false'])), 'CustomResourceDefinition')).toHaveLength(0);
  });

  it('helm package follows the files/crds symlink and ships only the YAML', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'meshgate-chart-'));
    try {
      const r = helmRun(['package', CHART, '--destination', out]);
      expect(r.status).toBe(0);
      const tgz = path.join(out, 'meshgate-0.1.0.tgz');
      const list = run('tar', ['tzf', tgz]).stdout.split('\n').filter((l) => l.includes('files/crds/'));
      expect(list.sort()).toEqual(Object.keys(repoCrds()).map((f) => `meshgate/files/crds/${f}`));
      for (const f of Object.keys(repoCrds())) {
        const packed = run('tar', ['xzOf', tgz, `meshgate/files/crds/${f}`]).stdout;
        expect(packed).toEqual(fs.readFileSync(path.join(CRDS_DIR, f), 'utf8'));
      }
      expect(run('tar', ['tzf', tgz]).stdout).not.toMatch(/tests\/|generate\.js/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it.each(['kuma.io_meshgateways.yaml', 'kuma.io_meshgatewayconfigs.yaml', 'kuma.io_meshhttproutes.yaml', 'kuma.io_meshtcproutes.yaml'])(
    '%s is structural',
    (file) => {
      const crd = repoCrds()[file];
      expect(crd.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'meshgate' });
      expect(crd.spec.names.categories).toEqual(['kuma']);
      expect(crd.spec.versions).toHaveLength(1);
      const v = crd.spec.versions[0];
      expect(v.name).toBe('v1alpha1');
      expect(v.additionalPrinterColumns.map((c: { name: string }) => c.name)).toContain('Age');
      const problems: string[] = [];
      checkStructural(v.schema.openAPIV3Schema, '', problems, true);
      expect(problems).toEqual([]);
    },
  );

  it('scopes, short names and key fields match Kuma 2.14', () => {
    const c = repoCrds();
    const gw = c['kuma.io_meshgateways.yaml'];
    expect(gw.spec.scope).toBe('Cluster');
    expect(gw.spec.names.shortNames).toEqual(['mgw']);
    const gwSchema = gw.spec.versions[0].schema.openAPIV3Schema;
    expect(gwSchema.properties.mesh.type).toBe('string');
    expect(gwSchema.properties.spec.properties.mesh).toBeUndefined();
    const listener = gwSchema.properties.spec.properties.conf.properties.listeners.items;
    expect(listener.properties.protocol.enum).toEqual(['NONE', 'TCP', 'TLS', 'HTTP', 'HTTPS']);
    expect(listener.properties.tls.properties.mode.enum).toEqual(['NONE', 'TERMINATE', 'PASSTHROUGH']);
    expect(listener.properties.tls.properties.certificates.maxItems).toBe(2);
    expect(Object.keys(listener.properties.tls.properties.certificates.items.properties).sort()).toEqual(['file', 'inline', 'inlineString', 'secret']);

    const cfg = c['kuma.io_meshgatewayconfigs.yaml'];
    expect(cfg.spec.scope).toBe('Cluster');
    expect(cfg.spec.versions[0].subresources).toEqual({ status: {} });
    const cfgSpec = cfg.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    expect(cfgSpec.replicas).toMatchObject({ minimum: 1, default: 1 });
    expect(cfgSpec.serviceType).toMatchObject({ enum: ['LoadBalancer', 'ClusterIP', 'NodePort'], default: 'LoadBalancer' });

    for (const [file, short] of [
      ['kuma.io_meshhttproutes.yaml', 'mhttpr'],
      ['kuma.io_meshtcproutes.yaml', 'mtcpr'],
    ]) {
      expect(c[file].spec.scope).toBe('Namespaced');
      expect(c[file].spec.names.shortNames).toEqual([short]);
    }
  });
});

/**
 * The rules of a structural schema (apiextensions.k8s.io/v1), plus meshgate's own: no preserve-unknown-fields.
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
 */
function checkStructural(s: any, at: string, problems: string[], root = false): void {
  const here = at || '<root>';
  if (s['x-kubernetes-preserve-unknown-fields']) problems.push(`${here}: x-kubernetes-preserve-unknown-fields`);
  for (const k of ['$ref', 'oneOf', 'allOf', 'not', 'definitions', 'dependencies', 'additionalItems', 'patternProperties', 'uniqueItems']) {
    if (k in s) problems.push(`${here}: ${k} is not allowed`);
  }
  if (s['x-kubernetes-int-or-string']) {
    if (s.type !== undefined) problems.push(`${here}: int-or-string must not have a type`);
    const ok = JSON.stringify(s.anyOf) === JSON.stringify([{ type: 'integer' }, { type: 'string' }]);
    if (!ok) problems.push(`${here}: int-or-string must have anyOf [integer, string]`);
    return;
  }
  if ('anyOf' in s) problems.push(`${here}: anyOf only with x-kubernetes-int-or-string`);
  if (!s.type) problems.push(`${here}: missing type`);
  if (root && s.type !== 'object') problems.push('root must be an object');
  if (s.type === 'object') {
    if (s.properties && s.additionalProperties !== undefined) problems.push(`${here}: properties and additionalProperties`);
    if (s.additionalProperties === false || s.additionalProperties === true) problems.push(`${here}: boolean additionalProperties`);
    for (const [k, v] of Object.entries<any>(s.properties ?? {})) {
      if (root && k === 'metadata' && JSON.stringify(v) !== JSON.stringify({ type: 'object' })) problems.push('metadata must be {type: object}');
      checkStructural(v, `${at}.${k}`, problems);
    }
    if (s.additionalProperties && typeof s.additionalProperties === 'object') checkStructural(s.additionalProperties, `${at}{}`, problems);
    for (const r of s.required ?? []) if (s.properties && !(r in s.properties)) problems.push(`${here}: required ${r} is not a property`);
  } else if (s.properties || s.additionalProperties) {
    problems.push(`${here}: properties on a non-object`);
  }
  if (s.type === 'array') {
    if (!s.items || Array.isArray(s.items)) problems.push(`${here}: array needs a single items schema`);
    else checkStructural(s.items, `${at}[]`, problems);
  } else if (s.items) problems.push(`${here}: items on a non-array`);
  if (s.enum && s.type && !s.enum.every((e: unknown) => (s.type === 'integer' ? Number.isInteger(e) : typeof e === s.type))) {
    problems.push(`${here}: enum values do not match type ${s.type}`);
  }
  for (const v of s['x-kubernetes-validations'] ?? []) {
    if (typeof v.rule !== 'string' || !v.rule) problems.push(`${here}: CEL rule without rule`);
    if (typeof v.message !== 'string' || !v.message) problems.push(`${here}: CEL rule without message`);
  }
}
