// meshgate's own crds/ and Kuma v2.14.3's real CRDs (../shared/kuma/crds) accept and refuse the same
// generated objects: every kuma.io object of every golden output (translators/testdata/*.out.yaml,
// the examples' included) is server-side dry-run created against both sets, installed side by side
// in one API server of its own (meshgate's copy under another API group, schemas untouched), and
// the verdicts are compared object by object. Neither set may silently drop a field meshgate
// writes. Without ../shared/kuma/crds (a user's clone) the test says so and is skipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyAndWait, kumaCrdDir, repoRoot, yamlFilesUnder } from '../cluster/crds';
import { startCluster, type TestCluster } from '../cluster/harness';
import { boundaryProbes, droppedPaths, dryRunCreate, goldenOutputs, inBatches, KUMA_GROUP, kumaObjectsOf, regroup, resourcesOf, type Sample, type Verdict } from './crd-verdicts';

const kuma = kumaCrdDir();
const REPO_GROUP = 'crds.meshgate.test'; // where meshgate's crds/ are installed for the comparison
const REPO_CRDS = yamlFilesUnder(path.join(repoRoot, 'crds'));
const ARTIFACT = path.join(repoRoot, 'e2e', '.artifacts', 'crd-verdicts.json');

if (!kuma.dir) {
  test.skip(`SKIPPED: needs Kuma's own CRDs. ${kuma.reason}`, () => undefined);
  process.stderr.write(`\n[e2e/kuma/crd-verdicts] skipped: ${kuma.reason}\n`);
} else {
  const kumaDir = kuma.dir;
  // Kuma's CRDs for the kinds meshgate writes (the same file names as crds/).
  const KUMA_CRDS = REPO_CRDS.map((f) => path.join(kumaDir, path.basename(f)));
  const goldens: Sample[] = kumaObjectsOf(goldenOutputs(path.join(repoRoot, 'translators', 'testdata')));
  // Where the two schemas once differed (found by this test; crds/ fixed): a destination without
  // rules, and a backendRef with proxyTypes. The verdict of each is compared like a golden's.
  const samples: Sample[] = [...goldens, ...boundaryProbes()];
  let cluster: TestCluster | undefined;
  let verdicts: { id: string; repo: Verdict; kuma: Verdict }[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ name: 'crd-verdicts', controllerManager: false, gatewayApiCrds: false, repoCrds: false });
    await applyAndWait(cluster, KUMA_CRDS);
    const moved = regroup(REPO_CRDS, REPO_GROUP);
    const r = await cluster.kubectl(['apply', '--server-side', '--field-manager=meshgate-e2e', '-f', '-'], { input: moved.yaml });
    if (r.code !== 0) throw new Error(`installing crds/ under ${REPO_GROUP} failed: ${r.stderr}`);
    const waited = await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...moved.crds.map((c) => `crd/${c.metadata.name}`)], { timeoutMs: 70_000 });
    if (waited.code !== 0) throw new Error(`crds/ under ${REPO_GROUP} not Established: ${waited.stderr}`);
    const namespaces = [...new Set(samples.map((s) => s.obj.metadata.namespace).filter((n): n is string => !!n))];
    const created = await cluster.kubectl(['create', 'namespace', ...namespaces.filter((n) => n !== 'default')]);
    if (created.code !== 0 && !/AlreadyExists/.test(created.stderr)) throw new Error(created.stderr);

    const repoRes = resourcesOf(REPO_CRDS);
    const kumaRes = resourcesOf(KUMA_CRDS);
    verdicts = await inBatches(samples, 6, async (s) => ({
      id: s.id,
      repo: await dryRunCreate(cluster!, REPO_GROUP, repoRes, s.obj),
      kuma: await dryRunCreate(cluster!, KUMA_GROUP, kumaRes, s.obj),
    }));
    mkdirSync(path.dirname(ARTIFACT), { recursive: true });
    writeFileSync(ARTIFACT, `${JSON.stringify(verdicts.map((v) => ({ id: v.id, repo: v.repo.allowed || v.repo.message, kuma: v.kuma.allowed || v.kuma.message })), null, 1)}\n`);
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  test('the goldens hold kuma.io objects of every kind meshgate writes', () => {
    const kinds = new Set(samples.map((s) => s.obj.kind));
    expect([...new Set(goldens.map((s) => s.obj.kind))].sort()).toEqual(['MeshGateway', 'MeshHTTPRoute', 'MeshTCPRoute']);
    expect(kinds.size).toBe(3);
    expect(goldens.length).toBeGreaterThan(100);
  });

  test('meshgate crds/ and Kuma 2.14.3 CRDs give the same verdict on every object', () => {
    const differ = verdicts.filter((v) => v.repo.allowed !== v.kuma.allowed)
      .map((v) => `${v.id}: crds/ ${v.repo.allowed ? 'accepts' : `refuses (${v.repo.message})`}, Kuma ${v.kuma.allowed ? 'accepts' : `refuses (${v.kuma.message})`}`);
    expect(differ).toEqual([]);
    expect(verdicts).toHaveLength(samples.length);
  });

  test("Kuma's CRDs admit every generated object", () => {
    expect(verdicts.filter((v) => !v.kuma.allowed && !v.id.startsWith('probe')).map((v) => `${v.id}: ${v.kuma.message}`)).toEqual([]);
  });

  test('neither set drops or changes a field meshgate writes', () => {
    const dropped = verdicts.flatMap((v, i) => [
      ...(v.repo.stored ? droppedPaths(samples[i].obj, v.repo.stored).map((p) => `${v.id}: crds/ drops ${p}`) : []),
      ...(v.kuma.stored ? droppedPaths(samples[i].obj, v.kuma.stored).map((p) => `${v.id}: Kuma drops ${p}`) : []),
    ]);
    expect(dropped).toEqual([]);
  });
}
