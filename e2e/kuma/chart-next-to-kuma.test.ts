// The chart installed next to Kuma v2.14.3's own kuma.io CRDs (../shared/kuma/crds), as on a
// cluster where Kuma's chart installed them first: `helm install` leaves them alone and says so,
// and the controller, run as the chart's Deployment describes it (its args, env and ServiceAccount
// token; there is no kubelet), writes MeshGateway, MeshHTTPRoute, MeshTCPRoute and the Secret copy
// that Kuma's CRDs admit, with the Gateway API status of a working install. Uninstalling keeps
// Kuma's CRDs. Without ../shared/kuma/crds the test says so and is skipped.
import path from 'node:path';
import { applyAndWait, kumaCrdDir } from '../cluster/crds';
import { startCluster, type TestCluster } from '../cluster/harness';
import { CHART, chartControllerCommand, edgeScenario, helmFor, serviceAccountToken, type ChartDeployment, type Helm } from '../chart/install-support';
import { startController, type ControllerProcess } from '../support/controller';
import { eventually, findCondition, kubeFrom, type Cond, type Kube } from '../support/kube';
import { tlsSecret } from '../../translators/testdata/certs';

const RELEASE = 'meshgate';
const NS = 'meshgate-system';
const SYSTEM_NS = 'kuma-system';
const CONTROLLER_NAME = 'gateways.kuma.io/controller';
const GW = 'gateway.networking.k8s.io/v1';
const KINDS = ['meshgateways', 'meshgatewayconfigs', 'meshhttproutes', 'meshtcproutes'];

type Obj = { metadata: { name: string; namespace?: string; generation?: number; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; status?: any };

const kuma = kumaCrdDir();

if (!kuma.dir) {
  test.skip(`SKIPPED: needs Kuma's own CRDs. ${kuma.reason}`, () => undefined);
  process.stderr.write(`\n[e2e/kuma/chart-next-to-kuma] skipped: ${kuma.reason}\n`);
} else {
  const kumaFiles = KINDS.map((p) => path.join(kuma.dir, `kuma.io_${p}.yaml`));
  let cluster: TestCluster | undefined;
  let kube: Kube;
  let helm: Helm;
  let ctl: ControllerProcess | undefined;

  beforeAll(async () => {
    cluster = await startCluster({ name: 'chart-kuma-crds', repoCrds: false });
    kube = kubeFrom(cluster.kubeconfigPath, cluster.kubectl.bind(cluster));
    helm = helmFor(cluster);
    // What Kuma's chart leaves behind: its CRDs, and its system namespace.
    await applyAndWait(cluster, kumaFiles);
    await kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NS } }]);
  }, 180_000);

  afterAll(async () => {
    await ctl?.stop();
    await cluster?.stop();
  });

  const kumaSchema = async (plural: string) => {
    const crd = await kube.get<Obj>('crd', `${plural}.kuma.io`);
    return { labels: crd?.metadata.labels ?? {}, generatedBy: crd?.metadata.annotations?.['controller-gen.kubebuilder.io/version'] };
  };

  test("helm install leaves Kuma's CRDs alone and says so", async () => {
    const out = await helm.ok(['install', RELEASE, CHART, '-n', NS, '--create-namespace', '--set', 'experimental.gatewayAPI=true']);
    expect(out).toMatch(/STATUS: deployed/);
    for (const p of KINDS) {
      expect(out).toContain(`NOTE: CRD ${p}.kuma.io already exists and is not managed by this release: left untouched`);
      const s = await kumaSchema(p);
      expect(s.generatedBy).toBeDefined(); // Kuma's controller-gen CRD, not crds/generate.js's
      expect(s.labels['app.kubernetes.io/managed-by']).toBeUndefined();
    }
    const manifest = await helm.ok(['get', 'manifest', RELEASE, '-n', NS]);
    expect(manifest).not.toMatch(/^kind: CustomResourceDefinition$/m);
  });

  test("the controller, as the chart runs it, writes what Kuma's CRDs admit and reports a working install", async () => {
    const deploy = await kube.get<ChartDeployment>('deployment', RELEASE, NS);
    const cmd = chartControllerCommand(deploy!, 'meshgate-0');
    const token = await serviceAccountToken(cluster!, deploy!.spec.template.spec.serviceAccountName, NS);
    ctl = await startController(cluster!.writeTokenKubeconfig(token), { controllerName: CONTROLLER_NAME, args: cmd.args, env: cmd.env });
    await kube.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
      tlsSecret('app', 'www-cert'),
      { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGatewayConfig', metadata: { name: 'two' }, spec: { replicas: 2, serviceType: 'ClusterIP' } },
      { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma-two' }, spec: { controllerName: CONTROLLER_NAME, parametersRef: { group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'two' } } },
      ...edgeScenario('kuma-two'),
    ]);
    const cond = (l: Cond[] | undefined, t: string) => findCondition(l, t)?.status;
    const gw = await eventually(async () => {
      const g = await kube.get<Obj>('gateway', 'edge', 'app');
      const listeners = (g?.status?.listeners ?? []) as { name: string; attachedRoutes: number }[];
      return listeners.length === 2 && listeners.every((l) => l.attachedRoutes === 1) && g;
    }, 60_000, 'Gateway app/edge with both routes attached');
    expect(cond(gw.status.conditions, 'Accepted')).toBe('True');
    for (const [kind, name] of [['httproute', 'web'], ['tlsroute', 'db']]) {
      const r = await eventually(async () => {
        const o = await kube.get<Obj>(kind, name, 'app');
        return o?.status?.parents?.find((p: { controllerName: string }) => p.controllerName === CONTROLLER_NAME);
      }, 30_000, `${kind} app/${name} status`);
      expect([cond(r.conditions, 'Accepted'), cond(r.conditions, 'ResolvedRefs')]).toEqual(['True', 'True']);
    }
    // Stored under Kuma's schemas (a write Kuma's CRDs refused would leave these missing).
    await eventually(() => kube.get('meshgateway', 'edge.app'), 30_000, 'MeshGateway edge.app');
    await eventually(async () => (await kube.list('meshhttproutes', { namespace: SYSTEM_NS })).length === 1, 30_000, 'one MeshHTTPRoute');
    await eventually(async () => (await kube.list('meshtcproutes', { namespace: SYSTEM_NS })).length === 1, 30_000, 'one MeshTCPRoute');
    const deployment = await eventually(() => kube.get<Obj>('deployment', 'edge', 'app'), 30_000, 'gateway Deployment app/edge');
    expect(deployment.spec.replicas).toBe(2); // the MeshGatewayConfig, read through Kuma's CRD
  }, 180_000);

  test("helm uninstall keeps Kuma's CRDs", async () => {
    await ctl?.stop();
    ctl = undefined;
    await helm.ok(['uninstall', RELEASE, '-n', NS, '--wait']);
    for (const p of KINDS) expect((await kumaSchema(p)).generatedBy).toBeDefined();
  });
}
