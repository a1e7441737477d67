// Gateway API v1.6.1's own conformance suite (Go, conformance_test.go) against the real controller
// on its own real control plane. The suite's Pods are bound and readied by pods.ts (no kubelet);
// meshgate's proxies by the stand-in kubelet, whose load-balancer addresses are loopback ones here:
// no test here sends traffic, and if one ever did it could only reach this machine. Fails on any
// test that ran and failed, and on a claimed feature no passing test exercised.
// UPDATE_CONFORMANCE_DOC=1 rewrites docs/conformance.md.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startCluster, type TestCluster } from '../cluster/harness';
import { httpApi, startStandInKubelet } from '../cluster/kubelet';
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { eventually } from '../support/kube';
import { renderConformanceDoc } from './doc';
import { startSuitePods } from './pods';
import { outcomes, parseGoTestJson, problems, type TestInfo } from './results';

const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..');
const OUT = path.join(REPO, 'e2e', '.artifacts', 'upstream-conformance');
const CLASS = 'meshgate-upstream-conformance';
const GO = process.env.GO ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go');
/** The whole phase's budget is ~10 minutes on 2 cores; the suite alone gets most of it. */
const SUITE_TIMEOUT_MS = 12 * 60_000;

jest.setTimeout(SUITE_TIMEOUT_MS + 3 * 60_000);

/** A loopback load-balancer address per Service (the cluster's Service range is 10.0.0.0/24). */
function loopbackIPFor(clusterIP: string | undefined): string {
  const d = Number((clusterIP ?? '').split('.')[3] ?? '1');
  return `127.0.1.${Number.isInteger(d) && d > 0 && d < 255 ? d : 1}`;
}

function goTest(env: NodeJS.ProcessEnv, logFile: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const args = ['test', '-json', '-count=1', `-timeout=${Math.floor(SUITE_TIMEOUT_MS / 1000)}s`, '-run', '^TestUpstreamConformance$', '.'];
    const child = spawn(GO, args, { cwd: HERE, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = fs.createWriteStream(logFile);
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); log.write(c); });
    child.stderr.on('data', (c: Buffer) => log.write(c));
    child.on('error', reject);
    child.on('close', (code) => { log.end(); resolve({ code, stdout }); });
  });
}

describe('upstream Gateway API conformance suite (v1.6.1)', () => {
  let cluster: TestCluster;
  let ctl: ControllerProcess | undefined;
  let pods: Awaited<ReturnType<typeof startSuitePods>> | undefined;
  let kubelet: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    cluster = await startCluster({ name: 'upstream-conformance', standInKubelet: false });
    const tls = { ca: fs.readFileSync(cluster.pki.caCert), cert: fs.readFileSync(cluster.pki.adminCert), key: fs.readFileSync(cluster.pki.adminKey) };
    kubelet = startStandInKubelet(httpApi(cluster.server, tls), 300, loopbackIPFor);
  }, 5 * 60_000);

  afterAll(async () => {
    await pods?.stop();
    await kubelet?.stop();
    await ctl?.stop();
    await cluster?.stop();
  });

  it('passes every test it runs, and every claimed feature rests on a passing test', async () => {
    const controllerName = testControllerName('upstream-conformance');
    ctl = await startController(cluster.kubeconfigPath, { controllerName });
    const gc = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName } };
    const applied = await cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(gc) });
    expect(applied.code).toBe(0);
    // The suite reads the claimed features from the class status: wait until they are written.
    const claimedList = await eventually(async () => {
      const r = await cluster.kubectl(['get', 'gatewayclass', CLASS, '-o', 'json']);
      const s = r.code === 0 ? (JSON.parse(r.stdout) as { status?: { supportedFeatures?: { name: string }[] } }).status : undefined;
      return s?.supportedFeatures?.length ? s.supportedFeatures.map((f) => f.name) : undefined;
    }, 60_000, 'GatewayClass supportedFeatures');
    pods = await startSuitePods(cluster.server, cluster.pki);

    const reportFile = path.join(OUT, 'report.yaml');
    const testsFile = path.join(OUT, 'tests.json');
    fs.rmSync(reportFile, { force: true });
    const started = Date.now();
    const run = await goTest({
      KUBECONFIG: cluster.kubeconfigPath,
      MESHGATE_CONFORMANCE_CLASS: CLASS,
      MESHGATE_CONFORMANCE_REPORT: reportFile,
      MESHGATE_CONFORMANCE_TESTS: testsFile,
      MESHGATE_VERSION: (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version,
    }, path.join(OUT, 'go-test.jsonl'));
    const seconds = (Date.now() - started) / 1000;

    const tests = JSON.parse(fs.readFileSync(testsFile, 'utf8')) as TestInfo[];
    // The suite's profiles (GATEWAY-HTTP, GATEWAY-TLS) count their core features as claimed.
    const claimed = new Set([...claimedList, 'Gateway', 'HTTPRoute', 'ReferenceGrant', 'TLSRoute']);
    const results = outcomes(tests, parseGoTestJson(run.stdout), claimed);
    const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : '';
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    process.stderr.write(`[upstream-conformance] ${seconds.toFixed(0)} s: ${count('passed')} passed, ${count('failed')} failed, `
      + `${count('not run: needs a data plane')} need a data plane, ${count('not run: feature not claimed')} not claimed (log ${OUT})\n`);
    if (process.env.UPDATE_CONFORMANCE_DOC === '1' && report) {
      fs.writeFileSync(path.join(REPO, 'docs', 'conformance.md'), renderConformanceDoc(parse(report), results, claimedList));
    }

    expect(problems(results, claimed)).toEqual([]);
    expect(run.code).toBe(0);
    expect(report).toMatch(/kind: ConformanceReport/);
    expect(count('passed')).toBeGreaterThan(0);
  });
});
