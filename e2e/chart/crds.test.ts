// The kuma.io CRDs and the chart's output against the real kube-apiserver (1.34) of the shared e2e cluster:
//   - the CRDs are accepted (structural, CEL rules compile within the cost budget) and Established,
//   - objects like those meshgate writes are valid; the mistakes users make are rejected with a clear message,
//   - defaults (MeshGatewayConfig replicas/serviceType, backendRef weight, redirect statusCode) are applied,
//   - `helm template` output passes `kubectl apply --dry-run=server`.
// Everything is a server-side dry run: nothing is left in the shared cluster (the CRDs themselves are
// re-applied from crds/, which is what the harness installs anyway). When the harness installed Kuma's
// own CRDs instead (../shared/kuma/crds present), this file tests crds/ on a cluster of its own, so the
// rest of the run keeps Kuma's schemas.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kumaIoCrds, startCluster, type TestCluster } from '../cluster/harness';
import type { KubectlOptions } from '../cluster/harness';
import { sharedCluster } from '../cluster/shared-cluster';
import type { RunResult } from '../cluster/util';

const ROOT = path.resolve(__dirname, '..', '..');
const CRD_FILES = ['meshgatewayconfigs', 'meshgateways', 'meshhttproutes', 'meshtcproutes'].map((p) =>
  path.join(ROOT, 'crds', `kuma.io_${p}.yaml`),
);

let cluster: { kubectl(args: string[], opts?: KubectlOptions): Promise<RunResult> };
let own: TestCluster | undefined;

async function dryRun(manifest: string): Promise<{ ok: boolean; out: string }> {
  const r = await cluster.kubectl(['apply', '--dry-run=server', '-o', 'json', '-f', '-'], { input: manifest });
  return { ok: r.code === 0, out: r.code === 0 ? r.stdout : r.stderr };
}

beforeAll(async () => {
  if (kumaIoCrds().source === 'kuma') {
    own = await startCluster({ name: 'chart-crds', repoCrds: false, controllerManager: false });
    cluster = own;
  } else {
    cluster = sharedCluster();
  }
  const applied = await cluster.kubectl([
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=meshgate-chart-test',
    ...CRD_FILES.flatMap((f) => ['-f', f]),
  ]);
  if (applied.code !== 0) throw new Error(`applying crds/ failed: ${applied.stderr}`);
  const waited = await cluster.kubectl(
    ['wait', '--for=condition=Established', '--timeout=60s', ...CRD_FILES.map((f) => `crd/${path.basename(f, '.yaml').replace(/^kuma\.io_/, '')}.kuma.io`)],
    { timeoutMs: 90_000 },
  );
  if (waited.code !== 0) throw new Error(`CRDs not Established: ${waited.stderr}`);
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

// ---------------------------------------------------------------------------------------------

const meshGateway = (listeners: string, extra = '') => `
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: chart-test-gw.default
spec:
  selectors:
    - match: {kuma.io/service: gw_default_svc}
${extra}
  conf:
    listeners:
${listeners}
`;

const CERT = '{secret: gapi-default-cert}';

const validMeshGateway = meshGateway(`
      - port: 80
        protocol: HTTP
        hostname: "*"
        tags: {gateways.kuma.io/listener-name: http, gateways.kuma.io/listener-port: "80"}
      - port: 443
        protocol: HTTPS
        hostname: foo.example.com
        tls: {mode: TERMINATE, certificates: [${CERT}, {inlineString: pem}]}
      - port: 443
        protocol: HTTPS
        hostname: bar.example.com
        tls: {mode: TERMINATE, certificates: [${CERT}], options: {}}
      - {port: 8443, protocol: TLS, hostname: "*.example.com", tls: {mode: PASSTHROUGH}, resources: {connectionLimit: 100}}
`);

const meshGatewayConfig = (spec: string) => `
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayConfig
metadata:
  name: chart-test-config
spec:
${spec}
`;

const meshHTTPRoute = (rules: string, top = '  targetRef: {kind: MeshGateway, name: gw.default}', extraTo = '') => `
apiVersion: kuma.io/v1alpha1
kind: MeshHTTPRoute
metadata:
  name: chart-test-route
  namespace: default
  labels: {kuma.io/mesh: default}
spec:
${top}
  to:
    - targetRef: {kind: Mesh}
${extraTo}
      rules:
${rules}
`;

const validMeshHTTPRoute = meshHTTPRoute(
  `
        - matches:
            - path: {type: PathPrefix, value: /api}
              method: GET
              headers: [{type: Exact, name: x-env, value: prod}, {type: Present, name: x-debug}]
              queryParams: [{type: RegularExpression, name: q, value: ".*"}]
          default:
            filters:
              - type: RequestHeaderModifier
                requestHeaderModifier: {set: [{name: x-a, value: "1"}], add: [{name: x-b, value: "2"}], remove: [x-c]}
              - type: ResponseHeaderModifier
                responseHeaderModifier: {set: [{name: x-a, value: "1"}]}
              - type: URLRewrite
                urlRewrite: {hostname: backend.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}, hostToBackendHostname: false}
              - type: RequestMirror
                requestMirror: {backendRef: {kind: MeshService, name: mirror_default_svc_80}, percentage: "12.5"}
            backendRefs:
              - {kind: MeshServiceSubset, name: echo_default_svc_80, tags: {kuma.io/zone: zone-1}, weight: 3}
              - {kind: MeshService, labels: {kuma.io/display-name: echo, k8s.kuma.io/namespace: default}, sectionName: http}
        - matches: [{path: {type: Exact, value: /old}}]
          default:
            filters:
              - type: RequestRedirect
                requestRedirect: {scheme: https, hostname: new.example.com, port: 443, path: {type: ReplaceFullPath, replaceFullPath: /new}}`,
  '  targetRef: {kind: MeshGateway, name: gw.default, tags: {gateways.kuma.io/listener-name: http}}',
  '      hostnames: [foo.example.com, "*.example.com"]',
);

const meshTCPRoute = (to: string) => `
apiVersion: kuma.io/v1alpha1
kind: MeshTCPRoute
metadata:
  name: chart-test-tcp
  namespace: default
  labels: {kuma.io/mesh: default}
spec:
  targetRef:
    kind: MeshGateway
    name: gw.default
    tags: {gateways.kuma.io/listener-name: tls, gateways.kuma.io/listener-port: "8443"}
  to:
${to}
`;

const validMeshTCPRoute = meshTCPRoute(`
    - targetRef: {kind: Mesh}
      rules:
        - default:
            backendRefs:
              - {kind: MeshServiceSubset, name: tls-echo_default_svc_443, tags: {kuma.io/zone: zone-1}}
              - {kind: MeshService, name: other_default_svc_443, weight: 0, port: 443}`);

describe('valid objects are accepted, with defaults', () => {
  it('MeshGateway (HTTP, HTTPS TERMINATE with 1 and 2 certificates, TLS PASSTHROUGH)', async () => {
    const r = await dryRun(validMeshGateway);
    expect(r).toMatchObject({ ok: true });
    const o = JSON.parse(r.out);
    expect(o.mesh).toBe('default');
    expect(o.spec.conf.listeners).toHaveLength(4);
  });

  it('MeshGateway crossMesh HTTP listener', async () => {
    expect(await dryRun(meshGateway('      - {port: 80, protocol: HTTP, crossMesh: true}'))).toMatchObject({ ok: true });
  });

  it('MeshGatewayConfig with every field, and its defaults', async () => {
    const full = await dryRun(
      meshGatewayConfig(`
  crossMesh: true
  replicas: 3
  serviceType: NodePort
  tags: {kuma.io/service: custom, team: a}
  resources:
    limits: {cpu: "1", memory: 512Mi}
    requests: {cpu: 100m, memory: 128Mi}
  serviceTemplate:
    metadata: {labels: {a: b}, annotations: {c: d}}
    spec: {loadBalancerIP: 10.0.0.1}
  podTemplate:
    metadata: {labels: {a: b}, annotations: {c: d}}
    spec:
      serviceAccountName: gw
      securityContext: {fsGroup: 2000}
      container:
        securityContext: {readOnlyRootFilesystem: true}`),
    );
    expect(full).toMatchObject({ ok: true });
    const empty = JSON.parse((await dryRun(meshGatewayConfig('  tags: {}'))).out);
    expect(empty.spec).toMatchObject({ replicas: 1, serviceType: 'LoadBalancer' });
  });

  it('MeshHTTPRoute as meshgate writes it, with defaults', async () => {
    const r = await dryRun(validMeshHTTPRoute);
    expect(r).toMatchObject({ ok: true });
    const rules = JSON.parse(r.out).spec.to[0].rules;
    expect(rules[0].default.backendRefs[1].weight).toBe(1);
    expect(rules[1].default.filters[0].requestRedirect.statusCode).toBe(302);
    expect(rules[0].matches[0].headers[1].type).toBe('Present');
  });

  it('MeshTCPRoute targeting a MeshGateway listener by tags', async () => {
    const r = await dryRun(validMeshTCPRoute);
    expect(r).toMatchObject({ ok: true });
    expect(JSON.parse(r.out).spec.to[0].rules[0].default.backendRefs[0].weight).toBe(1);
  });
});

// [case, manifest, expected error]
const invalid: [string, string, RegExp][] = [
  // MeshGateway
  ['mesh under spec', validMeshGateway.replace('spec:\n', 'spec:\n  mesh: default\n'), /unknown field "spec.mesh"/],
  ['no selectors', meshGateway('      - {port: 80, protocol: HTTP}').replace(/selectors:\n.*\n/, 'selectors: []\n'), /selectors: Invalid value: 0: spec.selectors in body should have at least 1 items|should have at least 1 items/],
  ['selector without kuma.io/service', meshGateway('      - {port: 80, protocol: HTTP}').replace('kuma.io/service: gw_default_svc', 'app: gw'), /each selector must match a kuma.io\/service tag/],
  ['no listeners', meshGateway('      []'), /should have at least 1 items/],
  ['port 0', meshGateway('      - {port: 0, protocol: HTTP}'), /should be greater than or equal to 1/],
  ['port 65536', meshGateway('      - {port: 65536, protocol: HTTP}'), /should be less than or equal to 65535/],
  ['protocol UDP', meshGateway('      - {port: 53, protocol: UDP}'), /Unsupported value: "UDP"/],
  ['protocol NONE', meshGateway('      - {port: 80, protocol: NONE}'), /protocol must be set/],
  ['crossMesh HTTPS', meshGateway(`      - {port: 443, protocol: HTTPS, crossMesh: true, tls: {mode: TERMINATE, certificates: [${CERT}]}}`), /crossMesh listeners must use protocol HTTP/],
  ['crossMesh TCP', meshGateway('      - {port: 9000, protocol: TCP, crossMesh: true}'), /crossMesh listeners must use protocol HTTP/],
  ['crossMesh with tls', meshGateway(`      - {port: 80, protocol: HTTP, crossMesh: true, tls: {mode: TERMINATE, certificates: [${CERT}]}}`), /tls must be empty on crossMesh listeners/],
  ['HTTPS without tls', meshGateway('      - {port: 443, protocol: HTTPS}'), /HTTPS listeners need tls with mode TERMINATE/],
  ['HTTPS PASSTHROUGH', meshGateway('      - {port: 443, protocol: HTTPS, tls: {mode: PASSTHROUGH}}'), /HTTPS listeners need tls with mode TERMINATE/],
  ['TERMINATE without certificates', meshGateway('      - {port: 443, protocol: HTTPS, tls: {mode: TERMINATE}}'), /tls.mode TERMINATE needs 1 or 2 certificates/],
  ['TERMINATE with 3 certificates', meshGateway(`      - {port: 443, protocol: HTTPS, tls: {mode: TERMINATE, certificates: [${CERT}, ${CERT}, ${CERT}]}}`), /Too many: 3: must have at most 2 items/],
  ['PASSTHROUGH with certificates', meshGateway(`      - {port: 8443, protocol: TLS, tls: {mode: PASSTHROUGH, certificates: [${CERT}]}}`), /tls.mode PASSTHROUGH must not have certificates/],
  ['TLS without tls', meshGateway('      - {port: 8443, protocol: TLS}'), /TLS listeners need tls with mode TERMINATE or PASSTHROUGH/],
  ['tls without mode', meshGateway(`      - {port: 80, protocol: HTTP, tls: {certificates: [${CERT}]}}`), /tls.mode must be TERMINATE or PASSTHROUGH when tls is set/],
  ['certificate with two sources', meshGateway('      - {port: 443, protocol: HTTPS, tls: {mode: TERMINATE, certificates: [{secret: a, file: /b}]}}'), /must have at most 1 item/],
  ['listener tag kuma.io/service', meshGateway('      - {port: 80, protocol: HTTP, tags: {kuma.io/service: x}}'), /listener tags must not contain the tags kuma.io\/service/],
  ['listener tag kuma.io/protocol', meshGateway('      - {port: 80, protocol: HTTP, tags: {kuma.io/protocol: http}}'), /listener tags must not contain/],
  ['listener tag kuma.io/zone', meshGateway('      - {port: 80, protocol: HTTP, tags: {kuma.io/zone: z}}'), /listener tags must not contain/],
  ['gateway tag kuma.io/service', meshGateway('      - {port: 80, protocol: HTTP}', '  tags: {kuma.io/service: x}'), /gateway tags must not contain/],
  ['two protocols on one port', meshGateway(`      - {port: 443, protocol: HTTPS, hostname: a.example.com, tls: {mode: TERMINATE, certificates: [${CERT}]}}\n      - {port: 443, protocol: TLS, hostname: b.example.com, tls: {mode: PASSTHROUGH}}`), /listeners on the same port must use the same protocol/],
  ['same hostname on one port', meshGateway('      - {port: 80, protocol: HTTP}\n      - {port: 80, protocol: HTTP, hostname: "*"}'), /listeners on the same port must have different hostnames/],
  ['crossMesh with two selectors', meshGateway('      - {port: 80, protocol: HTTP, crossMesh: true}').replace('    - match: {kuma.io/service: gw_default_svc}', '    - match: {kuma.io/service: gw_default_svc}\n    - match: {kuma.io/service: other}'), /exactly one selector/],
  // MeshGatewayConfig
  ['replicas 0', meshGatewayConfig('  replicas: 0'), /should be greater than or equal to 1/],
  ['serviceType ExternalName', meshGatewayConfig('  serviceType: ExternalName'), /Unsupported value: "ExternalName"/],
  ['empty kuma.io/service tag', meshGatewayConfig('  tags: {kuma.io/service: ""}'), /the kuma.io\/service tag must not be empty/],
  ['bad quantity', meshGatewayConfig('  resources: {limits: {memory: lots}}'), /should match/],
  ['unknown podTemplate field', meshGatewayConfig('  podTemplate: {spec: {hostNetwork: true}}'), /unknown field "spec.podTemplate.spec.hostNetwork"/],
  // MeshHTTPRoute
  ['redirect statusCode 304', meshHTTPRoute('        - matches: [{path: {type: Exact, value: /a}}]\n          default: {filters: [{type: RequestRedirect, requestRedirect: {statusCode: 304}}]}'), /Unsupported value: 304/],
  ['filter without its config', meshHTTPRoute('        - matches: [{path: {type: Exact, value: /a}}]\n          default: {filters: [{type: RequestRedirect}]}'), /requestRedirect must be set when type is RequestRedirect/],
  ['upper-case header name', meshHTTPRoute('        - matches: [{headers: [{name: X-Env, value: a}]}]\n          default: {}'), /should match/],
  ['PathPrefix with trailing slash', meshHTTPRoute('        - matches: [{path: {type: PathPrefix, value: /api/}}]\n          default: {}'), /PathPrefix values must not end with \//],
  ['relative Exact path', meshHTTPRoute('        - matches: [{path: {type: Exact, value: api}}]\n          default: {}'), /must start with \//],
  ['rule without matches', meshHTTPRoute('        - default: {}'), /matches: Required value/],
  ['unknown targetRef kind', meshHTTPRoute('        - matches: [{path: {type: Exact, value: /a}}]\n          default: {}', '  targetRef: {kind: Gateway, name: gw}'), /Unsupported value: "Gateway"/],
  ['hostnames without a MeshGateway target', meshHTTPRoute('        - matches: [{path: {type: Exact, value: /a}}]\n          default: {}', '  targetRef: {kind: Mesh}', '      hostnames: [a.example.com]'), /hostnames can only be used when the top-level targetRef is a MeshGateway/],
  ['ReplaceFullPath without value', meshHTTPRoute('        - matches: [{path: {type: Exact, value: /a}}]\n          default: {filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath}}}]}'), /replaceFullPath must be set/],
  // MeshTCPRoute
  ['TCP route with two rules', meshTCPRoute('    - targetRef: {kind: Mesh}\n      rules:\n        - default: {backendRefs: [{kind: MeshService, name: a}]}\n        - default: {backendRefs: [{kind: MeshService, name: b}]}'), /must have at most 1 item/],
  ['TCP route without backendRefs', meshTCPRoute('    - targetRef: {kind: Mesh}\n      rules:\n        - default: {backendRefs: []}'), /should have at least 1 items/],
  ['TCP route without to', meshTCPRoute('    []'), /should have at least 1 items/],
];

describe('mistakes are rejected by the API server', () => {
  it.each(invalid)('%s', async (_name, manifest, expected) => {
    const r = await dryRun(manifest);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(expected);
  });
});

describe('what the translators generate is valid for the CRDs', () => {
  // Every kuma.io object in the translator goldens (translators/testdata/*.out.yaml), namespaced ones moved to
  // "default" (the system namespace may not exist here). Keeps the CRDs and the translators in step.
  const dir = path.join(ROOT, 'translators', 'testdata');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.out.yaml')).sort() : [];
  const cases = files
    .map((f) => {
      const objs = parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'))
        .map((d) => d.toJS() as { apiVersion?: string; metadata?: { namespace?: string } } | null)
        .filter((o): o is { apiVersion: string; metadata: { namespace?: string } } => !!o && o.apiVersion === 'kuma.io/v1alpha1');
      for (const o of objs) if (o.metadata?.namespace) o.metadata.namespace = 'default';
      return [f, objs] as const;
    })
    .filter(([, objs]) => objs.length > 0);

  if (cases.length === 0) {
    it.skip('no translator goldens with kuma.io objects yet', () => undefined);
    return;
  }
  it.each(cases)('%s', async (_file, objs) => {
    // As JSON: kubectl reads YAML 1.1, where a re-serialised plain `on`/`yes` would turn into a boolean.
    const r = await dryRun(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
    expect(r.ok ? '' : r.out).toBe('');
  });
});

describe('helm template output is valid for the API server', () => {
  let helm = '';
  beforeAll(() => {
    const r = spawnSync('bash', [path.join(ROOT, 'e2e', 'tools', 'helm.sh')], { encoding: 'utf8', timeout: 30 * 60_000 });
    if (r.status !== 0) throw new Error(`e2e/tools/helm.sh failed: ${r.stderr}`);
    helm = r.stdout.trim().split('\n').pop()!;
  }, 30 * 60_000);

  it.each([
    ['experimental.gatewayAPI=false', []],
    ['experimental.gatewayAPI=true with the default GatewayClass', ['--set', 'experimental.gatewayAPI=true', '--api-versions', 'gateway.networking.k8s.io/v1/GatewayClass']],
    [
      'secretNamespaces, parametersRef, exposed GUI, 2 replicas',
      [
        '--set', 'experimental.gatewayAPI=true',
        '--api-versions', 'gateway.networking.k8s.io/v1/GatewayClass',
        '--set', 'secretNamespaces={kube-system,kube-public}',
        '--set', 'gatewayClass.parametersRef.group=kuma.io,gatewayClass.parametersRef.kind=MeshGatewayConfig,gatewayClass.parametersRef.name=default',
        '--set', 'gatewayClass.name=chart-test-class',
        '--set', 'replicas=2,gui.expose=true,gui.tokenSecret=gui-token',
      ],
    ],
  ])('%s', async (_name, extra) => {
    // The system namespace must exist; "default" always does. Nothing is persisted (server dry run).
    const t = spawnSync(
      helm,
      ['template', 'chart-test', path.join(ROOT, 'charts', 'meshgate'), '-n', 'default', '--kube-version', '1.34.0', '--set', 'systemNamespace=default', ...(extra as string[])],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(t.status).toBe(0);
    // Server-side apply, as helm 4 does; --force-conflicts because the harness applied the CRDs first.
    const r = await cluster.kubectl(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=meshgate-chart-test', '--dry-run=server', '-f', '-'],
      { input: t.stdout },
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/deployment.apps\/chart-test-meshgate serverside-applied \(server dry run\)/);
    expect(r.stdout.trim().split('\n').length).toBe(t.stdout.split(/^kind: /m).length - 1);
  });
});
