// Every examples/<x>/ folder applies as it is: `kubectl apply -f examples/<x>/` on a fresh cluster
// that has only the CRDs (its own cluster: nothing created beforehand, not even the namespaces the
// example uses). Then the real controller, started as the chart would run it (its default
// controllerName, the one the examples' GatewayClasses name), accepts every example Gateway and
// route with resolved references and writes a MeshGateway per Gateway.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startCluster, type TestCluster } from '../cluster/harness';
import { loadExamples } from '../demo';
import { startController, type ControllerProcess } from '../support/controller';
import { eventually, kubeFrom, type Cond, type Kube } from '../support/kube';

const REPO = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const CONTROLLER = 'gateways.kuma.io/controller'; // meshgate's default, as in the chart
const SYSTEM_NS = 'kuma-system';

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number };
  spec?: { gatewayClassName?: string; controllerName?: string; parentRefs?: { name: string; namespace?: string; kind?: string }[] };
  status?: { conditions?: Cond[]; parents?: { controllerName: string; conditions: Cond[] }[] };
}

const folders = readdirSync(EXAMPLES).filter((d) => statSync(path.join(EXAMPLES, d)).isDirectory()).sort();
const docsOf = (folder: string) => loadExamples(path.join(EXAMPLES, folder)).map((l) => l.doc as unknown as Obj);
const allDocs = folders.flatMap(docsOf);

let cluster: TestCluster | undefined;
let kube: Kube;
let ctl: ControllerProcess | undefined;

beforeAll(async () => {
  // No kube-controller-manager: nothing here needs it, and it saves a core.
  cluster = await startCluster({ name: 'examples-apply', controllerManager: false });
  kube = kubeFrom(cluster.kubeconfigPath, cluster.kubectl.bind(cluster));
}, 180_000);

afterAll(async () => {
  await ctl?.stop();
  await cluster?.stop();
});

test('there are example folders, and every Gateway they hold is for meshgate', () => {
  expect(folders.length).toBeGreaterThanOrEqual(5);
  const classes = new Map(allDocs.filter((d) => d.kind === 'GatewayClass').map((c) => [c.metadata.name, c.spec?.controllerName]));
  for (const g of allDocs.filter((d) => d.kind === 'Gateway')) expect(classes.get(g.spec!.gatewayClassName!)).toBe(CONTROLLER);
});

describe.each(folders)('examples/%s/', (folder) => {
  test('kubectl apply -f works on a cluster where none of its namespaces exist yet', async () => {
    const docs = docsOf(folder);
    const used = [...new Set(docs.map((d) => d.metadata.namespace).filter((n): n is string => !!n))].sort();
    const existing = new Set((await kube.list<Obj>('namespaces')).map((n) => n.metadata.name));
    // Folders must not lean on each other: what this one uses is not there before it is applied.
    expect(used.filter((n) => existing.has(n))).toEqual([]);
    const r = await cluster!.kubectl(['apply', '-f', `${path.join(EXAMPLES, folder)}/`], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`kubectl apply -f examples/${folder}/ failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    for (const d of docs) {
      expect(await kube.get(d.kind, d.metadata.name, d.metadata.namespace)).toMatchObject({ kind: d.kind, metadata: { name: d.metadata.name } });
    }
  });
});

test('the controller accepts every example Gateway and route, with resolved references, and writes a MeshGateway per Gateway', async () => {
  // The chart creates the system namespace; here the test does.
  await kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NS } }]);
  ctl = await startController(cluster!.kubeconfigPath, { controllerName: CONTROLLER });
  const cond = (l: Cond[] | undefined, t: string) => l?.find((c) => c.type === t);
  for (const g of allDocs.filter((d) => d.kind === 'Gateway')) {
    const ns = g.metadata.namespace!;
    // Programmed=True once its Service has an address (AddressNotAssigned before); a proxy that
    // is not running yet may later say Pending instead.
    let last: Cond[] | undefined;
    const live = await eventually(async () => {
      const o = await kube.get<Obj>('gateway', g.metadata.name, ns);
      last = o?.status?.conditions;
      const programmed = cond(last, 'Programmed');
      return programmed?.observedGeneration === o?.metadata.generation && (programmed?.status === 'True' || programmed?.reason === 'Pending') && o;
    }, 60_000, `Gateway ${ns}/${g.metadata.name} Programmed`).catch((e: Error) => { throw new Error(`${e.message}; last conditions: ${JSON.stringify(last)}`); });
    expect(cond(live.status?.conditions, 'Accepted')).toMatchObject({ status: 'True', reason: 'Accepted' });
    await eventually(() => kube.get('meshgateway', `${g.metadata.name}.${ns}`), 30_000, `MeshGateway ${g.metadata.name}.${ns}`);
  }
  for (const r of allDocs.filter((d) => d.kind === 'HTTPRoute' || d.kind === 'TLSRoute' || d.kind === 'TCPRoute')) {
    const ns = r.metadata.namespace!;
    const parents = await eventually(async () => {
      const o = await kube.get<Obj>(r.kind.toLowerCase(), r.metadata.name, ns);
      const ours = o?.status?.parents?.filter((p) => p.controllerName === CONTROLLER) ?? [];
      return ours.length === (r.spec?.parentRefs?.length ?? 0) && ours.length > 0 && ours;
    }, 60_000, `${r.kind} ${ns}/${r.metadata.name} parent status`);
    for (const p of parents) {
      expect(cond(p.conditions, 'Accepted')).toMatchObject({ status: 'True' });
      expect(cond(p.conditions, 'ResolvedRefs')).toMatchObject({ status: 'True' });
    }
  }
}, 180_000);
