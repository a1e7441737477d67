// e2e test of the test control plane itself (e2e/cluster/harness.ts), against the real
// kube-apiserver / kube-controller-manager / etcd binaries built by build.sh.
import { installGatewayApiCrds, startCluster, type TestCluster } from './harness';
import { sharedCluster, type SharedCluster } from './shared-cluster';
import { sleep } from './util';

jest.setTimeout(120000); // the project's testTimeout is a global-only option in Jest

type Kubectl = Pick<TestCluster, 'kubectl'>;

async function k(c: Kubectl, args: string[], input?: string): Promise<string> {
  const r = await c.kubectl(args, { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function getJson<T = Record<string, any>>(c: Kubectl, args: string[]): Promise<T> {
  return JSON.parse(await k(c, [...args, '-o', 'json'])) as T;
}

/** Resolves when `kubectl get <args>` says NotFound. */
async function waitGone(c: Kubectl, args: string[], timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await c.kubectl(['get', ...args, '-o', 'name']);
    if (r.code !== 0 && /NotFound|not found/.test(r.stderr)) return;
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} still exists after ${timeoutMs}ms: ${r.stdout}${r.stderr}`);
    await sleep(250);
  }
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const suffix = (): string => Math.random().toString(36).slice(2, 8);

describe('shared e2e cluster (globalSetup)', () => {
  let c: SharedCluster;
  beforeAll(() => {
    c = sharedCluster();
  });

  test('kubeconfig is published to workers', () => {
    expect(process.env.MESHGATE_E2E_KUBECONFIG).toBe(c.kubeconfigPath);
    expect(c.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('/version reports Kubernetes 1.34', async () => {
    const v = JSON.parse(await k(c, ['get', '--raw', '/version'])) as { major: string; minor: string; gitVersion: string };
    expect(v.major).toBe('1');
    expect(v.minor).toBe('34');
    expect(v.gitVersion).toMatch(/^v1\.34\.\d+$/);
  });

  test('a namespace is created and, once deleted, finalized by the namespace controller', async () => {
    const ns = `ns-lifecycle-${suffix()}`;
    await k(c, ['create', 'namespace', ns]);
    await k(c, ['-n', ns, 'create', 'configmap', 'content', '--from-literal=a=b']);
    await k(c, ['delete', 'namespace', ns, '--wait=false']);
    const phase = (await getJson(c, ['get', 'namespace', ns]).catch(() => ({ status: { phase: 'Gone' } }))).status.phase;
    expect(['Terminating', 'Gone']).toContain(phase);
    await waitGone(c, ['namespace', ns]);
  });

  test('dependents of a deleted owner are garbage-collected', async () => {
    const ns = `gc-${suffix()}`;
    await k(c, ['create', 'namespace', ns]);
    try {
      await k(c, ['-n', ns, 'create', 'configmap', 'owner']);
      const owner = await getJson(c, ['-n', ns, 'get', 'configmap', 'owner']);
      const dependent = (name: string, uid: string): string =>
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: ns, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }] },
        });
      await k(c, ['apply', '-f', '-'], dependent('dependent', owner.metadata.uid));
      // An ownerReference to an owner that never existed (or is long gone) is collected too.
      await k(c, ['apply', '-f', '-'], dependent('orphan', '00000000-0000-0000-0000-000000000000'));
      await k(c, ['-n', ns, 'delete', 'configmap', 'owner']);
      await waitGone(c, ['-n', ns, 'configmap', 'dependent']);
      await waitGone(c, ['-n', ns, 'configmap', 'orphan']);
    } finally {
      await c.kubectl(['delete', 'namespace', ns, '--wait=false']);
    }
  });

  test('a Deployment gets a ReplicaSet (and the ReplicaSet its Pods)', async () => {
    const ns = `deploy-${suffix()}`;
    await k(c, ['create', 'namespace', ns]);
    try {
      await k(c, ['-n', ns, 'create', 'deployment', 'web', '--image=registry.invalid/web:1', '--replicas=2']);
      const deploy = await getJson(c, ['-n', ns, 'get', 'deployment', 'web']);
      const rs = await eventually('a ReplicaSet owned by the Deployment', async () => {
        const list = await getJson<{ items: any[] }>(c, ['-n', ns, 'get', 'replicasets']);
        return list.items.find((i) => i.metadata.ownerReferences?.some((o: any) => o.kind === 'Deployment' && o.uid === deploy.metadata.uid));
      });
      expect(rs.spec.replicas).toBe(2);
      await eventually('2 Pods owned by the ReplicaSet', async () => {
        const pods = await getJson<{ items: any[] }>(c, ['-n', ns, 'get', 'pods']);
        const owned = pods.items.filter((p) => p.metadata.ownerReferences?.some((o: any) => o.uid === rs.metadata.uid));
        return owned.length === 2 ? owned : undefined;
      });
    } finally {
      await c.kubectl(['delete', 'namespace', ns, '--wait=false']);
    }
  });

  test('the Gateway API CRDs are Established', async () => {
    const crds = await getJson<{ items: any[] }>(c, ['get', 'crd']);
    const established = new Set(
      crds.items
        .filter((i) => i.status?.conditions?.some((cond: any) => cond.type === 'Established' && cond.status === 'True'))
        .map((i) => i.metadata.name as string),
    );
    for (const plural of ['gatewayclasses', 'gateways', 'httproutes', 'tlsroutes', 'referencegrants']) {
      expect(established).toContain(`${plural}.gateway.networking.k8s.io`);
    }
    // and usable
    const r = await c.kubectl(['get', 'gatewayclasses,gateways,httproutes,tlsroutes,referencegrants', '-A']);
    expect(r.stderr).not.toMatch(/error/i);
  });
});

describe('a private cluster (startCluster) without the Gateway API CRDs', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startCluster({ name: 'harness-test', gatewayApiCrds: false });
    // eslint-disable-next-line no-console
    console.log(`startCluster timings: ${JSON.stringify(c.timings)}`);
  }, 180000);
  afterAll(async () => {
    await c?.stop();
  });

  test('has no Gateway API CRDs until installGatewayApiCrds() installs a subset', async () => {
    const r = await c.kubectl(['get', 'crd', 'gateways.gateway.networking.k8s.io']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/NotFound/);

    const installed = await installGatewayApiCrds(c, { except: ['TLSRoute'] });
    expect(installed).toContain('gateways.gateway.networking.k8s.io');
    expect(installed).not.toContain('tlsroutes.gateway.networking.k8s.io');
    expect((await c.kubectl(['get', 'crd', 'tlsroutes.gateway.networking.k8s.io'])).code).not.toBe(0);

    expect(await installGatewayApiCrds(c, { only: ['tlsroutes'] })).toEqual(['tlsroutes.gateway.networking.k8s.io']);
    await k(c, ['get', 'tlsroutes', '-A']);
  });

  test('TokenRequest: a ServiceAccount token authenticates as that ServiceAccount', async () => {
    await k(c, ['create', 'namespace', 'sa-test']);
    await k(c, ['-n', 'sa-test', 'create', 'serviceaccount', 'robot']);
    const token = (await k(c, ['-n', 'sa-test', 'create', 'token', 'robot', '--duration=10m'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const kubeconfig = c.writeTokenKubeconfig(token);
    const asRobot = { kubectl: (args: string[]) => c.kubectl([`--kubeconfig=${kubeconfig}`, ...args]) };
    const whoami = await getJson(asRobot, ['auth', 'whoami']);
    expect(whoami.status.userInfo.username).toBe('system:serviceaccount:sa-test:robot');
    // RBAC is enforced: the ServiceAccount may not list namespaces.
    const denied = await asRobot.kubectl(['get', 'namespaces']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/forbidden/i);
  });

  test('pauseApiServer()/resumeApiServer() make requests hang, then work again', async () => {
    c.pauseApiServer();
    try {
      const r = await c.kubectl(['get', 'ns', '--request-timeout=2s']);
      expect(r.code).not.toBe(0);
    } finally {
      c.resumeApiServer();
    }
    await k(c, ['get', 'ns']);
  });

  test('restartApiServer() keeps the data and the address', async () => {
    await k(c, ['create', 'configmap', 'survivor', '--from-literal=x=1']);
    const t = Date.now();
    await c.restartApiServer();
    // eslint-disable-next-line no-console
    console.log(`restartApiServer took ${Date.now() - t}ms`);
    expect((await getJson(c, ['get', 'configmap', 'survivor'])).data.x).toBe('1');
  });

  test('compactEtcd() compacts to the current revision', async () => {
    const cm = await getJson(c, ['get', 'configmap', 'survivor']);
    const rev = await c.compactEtcd();
    expect(rev).toBeGreaterThanOrEqual(Number(cm.metadata.resourceVersion));
    // A watch from a compacted resourceVersion is now "too old".
    const r = await c.kubectl(['get', '--raw', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1`]);
    expect(r.stdout + r.stderr).toMatch(/too old|Expired|410/);
  });
});
