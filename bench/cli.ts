// npm run bench:cli — `meshgate translate` end to end on one file with 10,000 HTTPRoutes on one listener:
// generates the file, runs the compiled CLI (dist/src/cli.js, `npm run build` first) as a child process
// BENCH_RUNS times (default 5), and prints wall time and peak RSS (min/median/max). Targets: ≤ 3 s, ≤ 300 MB.
// Peak RSS is the child's own getrusage maxRSS, reported at exit by a preloaded one-line module, so the
// figure is the CLI's and not this process's. Prints figures only; nothing here asserts on time.
//   BENCH_ROUTES=N        routes (default 10000)
//   BENCH_KEEP=DIR        keep the input and the last output in DIR
//   BENCH_CPU_PROF=DIR    run once more with --cpu-prof into DIR
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const ROUTES = Number(process.env.BENCH_ROUTES ?? 10_000);
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const NS = 20;

/** The bench input: a GatewayClass, one Gateway with one HTTP listener, ROUTES HTTPRoutes attached to it. */
export function benchManifests(routes: number): object[] {
  const docs: object[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'kuma' }, spec: { controllerName: 'gateways.kuma.io/controller' } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'infra' },
      spec: { gatewayClassName: 'kuma', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }] },
    },
  ];
  for (let n = 0; n < NS; n++) {
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } });
    for (let s = 0; s < 10; s++) docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: `team-${n}` }, spec: { ports: [{ name: 'http', port: 8080 }] } });
  }
  for (let r = 0; r < routes; r++) {
    docs.push({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
      metadata: { name: `route-${r}`, namespace: `team-${r % NS}`, creationTimestamp: new Date(Date.UTC(2024, 0, 1) + r * 1000).toISOString() },
      spec: {
        parentRefs: [{ name: 'edge', namespace: 'infra', sectionName: 'http' }],
        hostnames: [`r${r}.example.com`],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: `/api/v${r % 3}` }, headers: [{ name: 'X-Tenant', value: `t${r % 10}` }] }],
            filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Route', value: `r${r}` }] } }],
            backendRefs: [{ name: `svc-${r % 10}`, port: 8080, weight: 90 }, { name: `svc-${(r + 1) % 10}`, port: 8080, weight: 10 }],
          },
          { matches: [{ path: { type: 'Exact', value: `/health/${r}` } }], backendRefs: [{ name: `svc-${r % 10}`, port: 8080 }] },
        ],
      },
    });
  }
  return docs;
}

interface Run { wallMs: number; cpuMs: number; maxRssMB: number; outBytes: number }

function runOnce(input: string, out: string, extraNodeArgs: string[] = []): Promise<Run> {
  const rssFile = `${out}.rss`;
  const preload = join(tmpdir(), `meshgate-bench-rss-${process.pid}.js`);
  writeFileSync(preload, "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.BENCH_RSS_FILE, `${u.maxRSS} ${(u.userCPUTime + u.systemCPUTime) / 1000}`); });\n");
  // stdout goes straight to the file, as with `meshgate translate -f x > out.yaml`: piping it through
  // this process would put the bench's own copying on the same two cores as the CLI it measures.
  const outFd = openSync(out, 'w');
  const t0 = performance.now();
  const child = spawn(process.execPath, [...extraNodeArgs, '--require', preload, CLI, 'translate', '-f', input], {
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', outFd, 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { if (stderr.length < 4096) stderr += d; });
  const exited = new Promise<number | null>((res, rej) => { child.on('error', rej); child.on('close', (code) => res(code)); });
  return exited.then((code) => {
    const wallMs = performance.now() - t0;
    closeSync(outFd);
    if (code !== 0) throw new Error(`meshgate translate exited ${code}: ${stderr}`);
    const [rssKB, cpuMs] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
    return { wallMs, cpuMs, maxRssMB: rssKB / 1024, outBytes: statSync(out).size };
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[], unit: string, digits: number) =>
  `min ${Math.min(...xs).toFixed(digits)} ${unit}, median ${median(xs).toFixed(digits)} ${unit}, max ${Math.max(...xs).toFixed(digits)} ${unit}`;

async function main(): Promise<void> {
  try { statSync(CLI); } catch { throw new Error(`${CLI} is missing: run \`npm run build\` first`); }
  const dir = process.env.BENCH_KEEP ? resolve(process.env.BENCH_KEEP) : mkdtempSync(join(tmpdir(), 'meshgate-bench-cli-'));
  mkdirSync(dir, { recursive: true });
  const input = join(dir, `routes-${ROUTES}.yaml`);
  writeFileSync(input, benchManifests(ROUTES).map((d) => stringify(d)).join('---\n'));
  console.log(`input: ${input} (${(statSync(input).size / 1e6).toFixed(1)} MB, ${ROUTES} HTTPRoutes on one listener); node ${process.version}`);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(input, join(dir, 'out.yaml'));
    runs.push(r);
    console.log(`  run ${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s (CPU ${(r.cpuMs / 1000).toFixed(2)} s), peak RSS ${r.maxRssMB.toFixed(0)} MB, output ${(r.outBytes / 1e6).toFixed(1)} MB`);
  }
  console.log(`meshgate translate, ${RUNS} runs: wall ${fmt(runs.map((r) => r.wallMs / 1000), 's', 2)}`);
  console.log(`                    CPU (user+system) ${fmt(runs.map((r) => r.cpuMs / 1000), 's', 2)}`);
  console.log(`                    peak RSS ${fmt(runs.map((r) => r.maxRssMB), 'MB', 0)}   (targets: ≤ 3 s, ≤ 300 MB)`);
  if (process.env.BENCH_CPU_PROF) {
    const profDir = resolve(process.env.BENCH_CPU_PROF);
    await runOnce(input, join(dir, 'out-prof.yaml'), ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
    console.log(`CPU profile written to ${profDir}`);
  }
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  rmSync(join(tmpdir(), `meshgate-bench-rss-${process.pid}.js`), { force: true });
}

if (require.main === module) {
  main().catch((e) => { console.error(e); process.exitCode = 1; });
}
