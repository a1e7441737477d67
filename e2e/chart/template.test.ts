// Chart tests with the real helm (built from source by e2e/tools/helm.sh; no cluster needed):
//   - `helm template` golden outputs (charts/meshgate/tests/golden; UPDATE_GOLDEN=1 regenerates them),
//   - `helm lint --strict` with experimental.gatewayAPI false and true,
//   - the GatewayClass renders only when gateway.networking.k8s.io/v1 GatewayClass is served,
//   - the rendered CRDs are the repository's crds/*.yaml (single source of truth) and are structural,
//   - every rendered object uses an API version served by Kubernetes 1.34.
// (RBAC and the controller Deployment: template-rbac.test.ts.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHART, CRDS_DIR, KUBE_VERSION, NAMESPACE, GATEWAY_CLASS_API, type Obj, run, helmRun, template, parse, golden, find, one, args, rules, KUBE_134_APIS, cases, rendered, renderCases, RENDER_TIMEOUT_MS } from './template-support';

beforeAll(renderCases, RENDER_TIMEOUT_MS);

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
