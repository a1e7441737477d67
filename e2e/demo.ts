// `npm run demo`: meshgate on a real Kubernetes control plane, on this machine, in one command.
//
//   npm run demo                         run until Ctrl-C, then remove everything
//   npm run demo -- --exit-after-ready   print what was created, clean up, exit 0 (CI)
//   npm run demo -- --gui-address=127.0.0.1:0 --examples=DIR
//
// Builds (first run only: Kubernetes from source, several minutes) or reuses the cached
// kube-apiserver, kube-controller-manager, kubectl and etcd; starts them (e2e/cluster/harness.ts);
// installs the Gateway API and kuma.io CRDs; creates kuma-system; applies examples/; runs
// `meshgate controller` (its logs on this terminal, its GUI on 127.0.0.1:5681); prints what it
// generated and the Gateway statuses. Reads no standard input.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensureBinaries, kumaIoCrds, startCluster, type TestCluster } from './cluster/harness';
import { gatewayApiCrdDir } from './upstream/locate';
import { freePort, parseMetrics } from './support/controller';

const REPO = path.resolve(__dirname, '..');
const CONTROLLER_NAME = 'gateways.kuma.io/controller'; // meshgate's default (Kuma's)
const SYSTEM_NS = 'kuma-system';
const LISTING = 'gatewayclasses,gateways,httproutes,tlsroutes,meshgateways,meshhttproutes,meshtcproutes,deploy,svc';

interface Options { exitAfterReady: boolean; guiAddress: string; examples: string; timeoutMs: number }

function usage(code: number): never {
  process.stderr.write('usage: npm run demo -- [--exit-after-ready] [--gui-address=HOST:PORT|off] [--examples=DIR] [--timeout=SECONDS]\n');
  process.exit(code);
}

function parseOptions(argv: string[]): Options {
  const o: Options = { exitAfterReady: false, guiAddress: '127.0.0.1:5681', examples: path.join(REPO, 'examples'), timeoutMs: 180_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i] ?? usage(2);
    if (flag === '--exit-after-ready') o.exitAfterReady = true;
    else if (flag === '--gui-address') o.guiAddress = value();
    else if (flag === '--examples') o.examples = path.resolve(value());
    else if (flag === '--timeout') o.timeoutMs = Number(value()) * 1000;
    else if (flag === '--help' || flag === '-h') usage(0);
    else usage(2);
  }
  return o;
}

const say = (msg = '') => process.stdout.write(`${msg}\n`);
const step = (msg: string) => say(`\n==> ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

// ---- control-plane binaries -------------------------------------------------------------

/** Where e2e/cluster/build.sh puts the binaries (same rules), and whether they are all there. */
function cachedBinaries(): { dir: string; cached: boolean; kube: string } {
  const gomod = readFileSync(path.join(REPO, 'e2e', 'cluster', 'go', 'go.mod'), 'utf8');
  const kube = /^\s*k8s\.io\/kubernetes\s+(v\S+)/m.exec(gomod)?.[1] ?? 'unknown';
  if (process.env.MESHGATE_K8S_BIN_DIR) return { dir: path.resolve(process.env.MESHGATE_K8S_BIN_DIR), cached: true, kube };
  const root = process.env.MESHGATE_CACHE || path.join(process.env.HOME || '/tmp', '.cache', 'meshgate');
  const dir = path.join(root, `k8s-${kube}`, 'bin');
  const cached = ['kube-apiserver', 'kube-controller-manager', 'kubectl', 'etcd'].every((b) => {
    try { return (statSync(path.join(dir, b)).mode & 0o111) !== 0; } catch { return false; }
  });
  return { dir, cached, kube };
}

async function binaries(): Promise<void> {
  const bins = cachedBinaries();
  if (bins.cached) { say(`Kubernetes ${bins.kube} binaries: cached in ${bins.dir}`); await ensureBinaries(); return; }
  say(`FIRST RUN: building Kubernetes ${bins.kube} (kube-apiserver, kube-controller-manager, kubectl) and etcd from source.`);
  say('This takes several minutes (about 7 on 2 cores; Go modules are downloaded once). Later runs start in seconds');
  say(`from the cache in ${bins.dir}. Progress:`);
  const t0 = Date.now();
  const ticker = setInterval(() => {
    const s = Math.round((Date.now() - t0) / 1000);
    say(`  ... building (${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s)`);
  }, 20_000);
  try {
    await ensureBinaries(); // e2e/cluster/build.sh; its own progress lines go to stderr
  } finally {
    clearInterval(ticker);
  }
  say(`built in ${secs(Date.now() - t0)}`);
}

// ---- examples ---------------------------------------------------------------------------

interface Doc { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string }; spec?: { controllerName?: string } }

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name) && !/^kustomization\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Every object of every YAML file under `dir`, with the file it came from. */
export function loadExamples(dir: string): { file: string; doc: Doc }[] {
  if (!existsSync(dir)) throw new Error(`examples directory ${dir} does not exist`);
  const out: { file: string; doc: Doc }[] = [];
  for (const file of yamlFiles(dir)) {
    for (const d of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (d.errors.length) throw new Error(`${path.relative(REPO, file)}: ${d.errors[0].message}`);
      const doc = d.toJSON() as Doc | null;
      if (doc && typeof doc === 'object' && doc.kind) out.push({ file, doc });
    }
  }
  return out;
}

function toYaml(docs: object[]): string {
  return docs.map((d) => JSON.stringify(d)).join('\n---\n'); // JSON is YAML
}

async function applyExamples(cluster: TestCluster, dir: string): Promise<Doc[]> {
  const loaded = loadExamples(dir);
  const byDir = new Map<string, number>();
  for (const { file } of loaded) byDir.set(path.relative(REPO, path.dirname(file)), (byDir.get(path.relative(REPO, path.dirname(file))) ?? 0) + 1);
  for (const [d, n] of byDir) say(`  ${d}/: ${n} objects`);
  const docs = loaded.map((l) => l.doc);
  for (const { file, doc } of loaded) {
    if (doc.kind === 'GatewayClass' && doc.spec?.controllerName !== CONTROLLER_NAME) {
      say(`  note: ${path.relative(REPO, file)}: GatewayClass ${doc.metadata?.name} has controllerName ${doc.spec?.controllerName}, not ${CONTROLLER_NAME}: meshgate ignores its Gateways`);
    }
  }
  // Namespaces first: the declared ones, plus those the examples use without declaring them.
  const declared = new Set(docs.filter((d) => d.kind === 'Namespace').map((d) => d.metadata?.name));
  const implied = [...new Set([SYSTEM_NS, ...docs.map((d) => d.metadata?.namespace).filter((n): n is string => !!n)])].filter((n) => !declared.has(n)).sort();
  const namespaces = [...docs.filter((d) => d.kind === 'Namespace'), ...implied.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }))];
  await kubectlApply(cluster, namespaces);
  await kubectlApply(cluster, docs.filter((d) => d.kind !== 'Namespace'));
  say(`  applied ${docs.length} objects (namespaces created: ${implied.join(', ')})`);
  return docs;
}

async function kubectlApply(cluster: TestCluster, docs: object[]): Promise<void> {
  if (docs.length === 0) return;
  const r = await cluster.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=meshgate-demo', '-f', '-'], { input: toYaml(docs), timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr || r.stdout}`);
}

// ---- the controller ---------------------------------------------------------------------

interface Controller { child: ChildProcess; metricsURL: string; guiURL: Promise<string | undefined>; exited: Promise<number | null> }

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function guiAddress(requested: string): Promise<string> {
  if (requested === 'off') return requested;
  const i = requested.lastIndexOf(':');
  const host = requested.slice(0, i) || '127.0.0.1';
  const port = Number(requested.slice(i + 1));
  if (port === 0 || (await portFree(host, port))) return requested;
  say(`  note: ${requested} is in use; the GUI takes a free port instead (or pass --gui-address=HOST:PORT)`);
  return `${host}:0`;
}

async function startMeshgate(kubeconfig: string, gui: string): Promise<Controller> {
  if (gui !== 'off' && !existsSync(path.join(REPO, 'dist', 'gui', 'index.html'))) {
    say('  building the GUI front end (npm run build:gui)...');
    await new Promise<void>((resolve, reject) => {
      const b = spawn('npm', ['run', '--silent', 'build:gui'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
      b.on('error', reject);
      b.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build:gui failed (exit ${code})`))));
    });
  }
  const metricsPort = await freePort();
  const args = [
    '-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'controller',
    `--kubeconfig=${kubeconfig}`, `--gui-address=${gui}`, `--metrics-address=127.0.0.1:${metricsPort}`, '--log-format=text',
  ];
  say(`  meshgate controller ${args.slice(4).join(' ')}`);
  const env = { ...process.env };
  delete env.KUBECONFIG;
  const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let resolveGui!: (u: string | undefined) => void;
  const guiURL = new Promise<string | undefined>((r) => { resolveGui = r; });
  if (gui === 'off') resolveGui(undefined);
  // Its logs go to this terminal (stderr), prefixed; the GUI URL is read from them.
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /\bGUI url=(\S+)/.exec(line);
        if (m) resolveGui(m[1]);
        process.stderr.write(`  [meshgate] ${line}\n`);
      }
    });
  }
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => { resolveGui(undefined); r(code); }));
  process.on('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  return { child, metricsURL: `http://127.0.0.1:${metricsPort}/metrics`, guiURL, exited };
}

async function waitReady(c: Controller, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const readyz = c.metricsURL.replace(/\/metrics$/, '/readyz');
  for (;;) {
    if (c.child.exitCode !== null) throw new Error(`meshgate exited during start-up (exit ${c.child.exitCode})`);
    try { if ((await fetch(readyz)).status === 200) return; } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`meshgate not ready after ${secs(timeoutMs)}`);
    await sleep(200);
  }
}

// ---- convergence and the report ---------------------------------------------------------

interface Cond { type: string; status: string; reason: string; message: string; observedGeneration?: number }
interface Live {
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number };
  spec: { gatewayClassName?: string; controllerName?: string; listeners?: { name: string; port: number; protocol: string; hostname?: string }[]; parentRefs?: { name: string; kind?: string }[] };
  status?: { conditions?: Cond[]; addresses?: { value: string }[]; listeners?: { name: string; attachedRoutes: number; conditions: Cond[] }[]; parents?: { parentRef: { name: string; namespace?: string; kind?: string; sectionName?: string }; controllerName: string; conditions: Cond[] }[] };
}

async function getAll(cluster: TestCluster, kinds: string): Promise<Live[]> {
  const r = await cluster.kubectl(['get', kinds, '-A', '-o', 'json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { items: Live[] }).items;
}

const cond = (l: Cond[] | undefined, t: string) => l?.find((c) => c.type === t);
const ref = (o: Live) => `${o.metadata.namespace}/${o.metadata.name}`;

/** What is not done yet: Gateways of meshgate's classes without a current Programmed, routes without our status. */
async function pending(cluster: TestCluster): Promise<string[]> {
  const classes = new Set((await getAll(cluster, 'gatewayclasses')).filter((c) => c.spec.controllerName === CONTROLLER_NAME).map((c) => c.metadata.name));
  const out: string[] = [];
  for (const g of await getAll(cluster, 'gateways')) {
    if (!classes.has(g.spec.gatewayClassName ?? '')) continue;
    const p = cond(g.status?.conditions, 'Programmed');
    if (!p || p.observedGeneration !== g.metadata.generation) out.push(`Gateway ${ref(g)}`);
  }
  for (const r of await getAll(cluster, 'httproutes,tlsroutes')) {
    if (!r.status?.parents?.some((p) => p.controllerName === CONTROLLER_NAME)) out.push(`${r.kind} ${ref(r)}`);
  }
  return out;
}

async function waitConverged(cluster: TestCluster, c: Controller, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  let lastWrites = -1;
  for (;;) {
    const ms = parseMetrics(await (await fetch(c.metricsURL)).text());
    const busy = ms.filter((m) => m.name === 'meshgate_queue_depth' || m.name === 'meshgate_writes_in_flight').reduce((a, m) => a + m.value, 0);
    const writes = ms.filter((m) => m.name === 'meshgate_writes_total').reduce((a, m) => a + m.value, 0);
    if (busy > 0 || writes !== lastWrites) quietSince = Date.now();
    lastWrites = writes;
    if (Date.now() - quietSince >= 1500) {
      const left = await pending(cluster);
      if (left.length === 0) return;
      if (Date.now() > deadline) throw new Error(`not converged after ${secs(timeoutMs)}: ${left.join(', ')}`);
    }
    if (Date.now() > deadline) throw new Error(`meshgate still busy after ${secs(timeoutMs)}`);
    if (c.child.exitCode !== null) throw new Error(`meshgate exited (exit ${c.child.exitCode})`);
    await sleep(250);
  }
}

function condSummary(c: Cond | undefined, type: string): string {
  if (!c) return `${type}=?`;
  return c.status === 'True' ? `${type}=True` : `${type}=${c.status} (${c.reason}: ${c.message})`;
}

async function statusSummary(cluster: TestCluster): Promise<string[]> {
  const lines: string[] = [];
  const classes = new Set((await getAll(cluster, 'gatewayclasses')).filter((c) => c.spec.controllerName === CONTROLLER_NAME).map((c) => c.metadata.name));
  for (const g of (await getAll(cluster, 'gateways')).filter((x) => classes.has(x.spec.gatewayClassName ?? ''))) {
    const addrs = (g.status?.addresses ?? []).map((a) => a.value).join(', ') || 'none';
    lines.push(`  Gateway ${ref(g)} (class ${g.spec.gatewayClassName}): ${condSummary(cond(g.status?.conditions, 'Accepted'), 'Accepted')}, ${condSummary(cond(g.status?.conditions, 'Programmed'), 'Programmed')}; address ${addrs}`);
    for (const l of g.spec.listeners ?? []) {
      const s = g.status?.listeners?.find((x) => x.name === l.name);
      lines.push(`    listener ${l.name} ${l.protocol} ${l.hostname ?? '*'}:${l.port}: attachedRoutes=${s?.attachedRoutes ?? '?'}, ${condSummary(cond(s?.conditions, 'Programmed'), 'Programmed')}`);
    }
  }
  const routes = await getAll(cluster, 'httproutes,tlsroutes');
  for (const r of routes) {
    for (const p of r.status?.parents?.filter((x) => x.controllerName === CONTROLLER_NAME) ?? []) {
      const parent = `${p.parentRef.kind ?? 'Gateway'} ${p.parentRef.namespace ?? r.metadata.namespace}/${p.parentRef.name}${p.parentRef.sectionName ? `:${p.parentRef.sectionName}` : ''}`;
      lines.push(`  ${r.kind} ${ref(r)} -> ${parent}: ${condSummary(cond(p.conditions, 'Accepted'), 'Accepted')}, ${condSummary(cond(p.conditions, 'ResolvedRefs'), 'ResolvedRefs')}`);
    }
  }
  return lines;
}

// ---- main -------------------------------------------------------------------------------

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const t0 = Date.now();
  let cluster: TestCluster | undefined;
  let controller: Controller | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => (cleaning ??= (async () => {
    step('Cleaning up');
    if (controller && controller.child.exitCode === null) {
      controller.child.kill('SIGTERM');
      const t = setTimeout(() => controller?.child.kill('SIGKILL'), 5000);
      await controller.exited;
      clearTimeout(t);
      say('  meshgate stopped');
    }
    if (cluster) {
      await cluster.stop();
      say(process.env.MESHGATE_KEEP_CLUSTER === '1' ? `  control plane stopped; files kept in ${cluster.dir} (MESHGATE_KEEP_CLUSTER=1)` : `  control plane stopped, ${cluster.dir} removed`);
    }
  })());
  let signalled = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (signalled) { process.stderr.write('\nforced exit\n'); process.exit(130); }
      signalled = true;
      process.stderr.write(`\n${sig}: stopping the demo...\n`);
      void cleanup().then(() => process.exit(0), () => process.exit(1));
    });
  }

  try {
    say('meshgate demo: Gateway API -> Kuma (MeshGateway, MeshHTTPRoute, MeshTCPRoute) on a real Kubernetes API server');
    step('Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager; no kubelet, no Docker)');
    await binaries();
    cluster = await startCluster({ name: 'meshgate-demo', log: (m) => say(`  [cluster] ${m}`) });
    say(`  up in ${secs(cluster.timings.totalMs)}: ${cluster.server} (Gateway API and kuma.io CRDs installed)`);
    say(`  Gateway API CRDs: ${gatewayApiCrdDir()}`);
    say(`  ${kumaIoCrds().note}`);

    step(`Applying ${path.relative(REPO, opts.examples) || opts.examples}/ (and namespace ${SYSTEM_NS})`);
    await applyExamples(cluster, opts.examples);

    step('Starting meshgate (logs below, prefixed [meshgate])');
    controller = await startMeshgate(cluster.kubeconfigPath, await guiAddress(opts.guiAddress));
    await waitReady(controller, 120_000);
    await waitConverged(cluster, controller, opts.timeoutMs);
    const guiURL = await Promise.race([controller.guiURL, sleep(5000).then(() => undefined)]);
    if (guiURL) {
      const r = await fetch(guiURL);
      if (r.status !== 200) throw new Error(`GUI ${guiURL} answered HTTP ${r.status}`);
    }

    const kubectl = `${path.join(cluster.binDir, 'kubectl')} --kubeconfig ${cluster.kubeconfigPath}`;
    step(`What meshgate created: kubectl --kubeconfig ${cluster.kubeconfigPath} get ${LISTING} -A`);
    const listing = await cluster.kubectl(['get', LISTING, '-A']);
    if (listing.code !== 0) throw new Error(`kubectl get failed: ${listing.stderr}`);
    say(listing.stdout.trimEnd());

    step('Gateway and route statuses (written by meshgate)');
    for (const l of await statusSummary(cluster)) say(l);

    step(`Ready in ${secs(Date.now() - t0)}`);
    say(`  kubeconfig: ${cluster.kubeconfigPath}`);
    say(`    ${kubectl} get meshgateways -o yaml`);
    say(`    export KUBECONFIG=${cluster.kubeconfigPath}   # then: kubectl get gateways -A`);
    say(`  GUI:        ${guiURL ?? 'off'}`);
    say(`  the control plane's logs: ${path.join(cluster.dir, 'logs')}${os.EOL}`);
    if (opts.exitAfterReady) {
      await cleanup();
      return 0;
    }
    say('Press Ctrl-C to stop meshgate and the control plane and remove everything.');
    const code = await controller.exited;
    if (!signalled) {
      process.stderr.write(`meshgate exited unexpectedly (exit ${code})\n`);
      await cleanup();
      return 1;
    }
    await new Promise(() => undefined); // the signal handler exits
    return 0;
  } catch (e) {
    process.stderr.write(`\ndemo failed: ${(e as Error).message}\n`);
    await cleanup().catch(() => undefined);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(1); });
}
