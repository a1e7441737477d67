// The large end-to-end benchmark (meshgate issue #13): BENCH_GATEWAYS (1,000) Gateways x
// BENCH_ROUTES_PER_GATEWAY (10) HTTPRoutes created at once on the real API server, then an idle
// period, then a restart of the controller over that converged cluster. Prints figures next to
// their targets; asserts nothing. Same set-up and measurements as bench/e2e.ts (e2e-phase.ts).
//
//   npm run bench:e2e:large
//   BENCH_GATEWAYS=200 BENCH_IDLE_MS=10000 npm run bench:e2e:large      (a quick run)
//
// Restart: meshgate is stopped (SIGTERM) and started again; "ready" is its /readyz answering 200
// (every informer listed, the first full translation done), "idle" the first instant from which
// its queue stayed empty with no write in flight and no write made for BENCH_RESTART_QUIET_MS
// (1,000). Writes after the restart are counted from its own /metrics and the audit log.
// BENCH_RESTARTS (1) restarts in a row. To measure restarts again without the phase: keep the
// control plane of one run (BENCH_CLUSTER_DIR=/some/dir), then run with that dir, BENCH_REUSE=1 and
// BENCH_RESTART_ONLY=1 (the same BENCH_GATEWAYS).
import { readFileSync } from 'node:fs';
import { byUserAgent, diff, env, heap, mark, memory, ms, out, pad, sleep, startMeshgate, stopMeshgate, writesOf } from './e2e-lib';
import type { Meshgate } from './e2e-lib';
import { parseMetrics } from '../e2e/support/controller';
import type { Bench } from './e2e-phase';
import { cpuPer1000, idlePhase, phase, report, summary, withBench } from './e2e-phase';

const GATEWAYS = env('BENCH_GATEWAYS', 1000);
const ROUTES_PER_GW = env('BENCH_ROUTES_PER_GATEWAY', 10);
const RESTART_WATCH_MS = env('BENCH_RESTART_WATCH_MS', 20_000);
const RESTART_QUIET_MS = env('BENCH_RESTART_QUIET_MS', 1000);
/** Restarts in a row (each figure is noisy on a shared machine). */
const RESTARTS = env('BENCH_RESTARTS', 1);
const TARGETS = { rssMB: 250, restartIdleMs: 10_000, restartWrites: 0 };

async function main(): Promise<void> {
  await withBench('meshgate large end-to-end benchmark', async (b) => {
    if (process.env.BENCH_RESTART_ONLY === '1') {
      // Over a cluster an earlier run converged and kept (BENCH_CLUSTER_DIR, BENCH_REUSE=1): the
      // restarts only, to measure a change to start-up without creating 11,000 objects again.
      for (let i = 0; i < RESTARTS; i++) await restart(b, GATEWAYS * ROUTES_PER_GW);
      return;
    }
    const gwMap = new Map(Array.from({ length: GATEWAYS }, (_, i) => [`gw-${pad(i, 4)}`, ROUTES_PER_GW] as [string, number]));
    const r = await phase(`L: ${GATEWAYS} Gateways x ${ROUTES_PER_GW} routes at once`, b.plain, b.client, b.m, b.audit, 'bench-l', gwMap, 'parallel', true);
    await idlePhase(b, r.routes, TARGETS.rssMB);
    for (let i = 0; i < RESTARTS; i++) await restart(b, r.routes);
    // The plain-client references last: meshgate's own figures are printed even if they do not finish.
    out('\n== the plain-client limit (meshgate idle)');
    await r.references!();
    report(r, TARGETS.rssMB);
    summary([r]);
    out(`  CPU per 1,000 routes (phase L): ${cpuPer1000(r).toFixed(2)} s`);
  });
}

/** Stops meshgate and starts it again over the converged cluster: time to ready, to idle, and its writes. */
async function restart(b: Bench, routes: number): Promise<void> {
  out(`\n== restart over the converged cluster (${routes} routes)`);
  await stopMeshgate(b.m);
  b.audit.take();
  const t0 = Date.now();
  // BENCH_RESTART_NODE_ARGS (e.g. --cpu-prof --cpu-prof-dir=/tmp/p): node flags for the restarted process only.
  const nodeArgs = process.env.BENCH_NODE_ARGS;
  if (process.env.BENCH_RESTART_NODE_ARGS) process.env.BENCH_NODE_ARGS = `${nodeArgs ?? ''} ${process.env.BENCH_RESTART_NODE_ARGS}`;
  b.m = await startMeshgate(b.cli, b.cluster.kubeconfigPath, b.logDir);
  if (nodeArgs === undefined) delete process.env.BENCH_NODE_ARGS;
  else process.env.BENCH_NODE_ARGS = nodeArgs;
  const readyMs = Date.now() - t0;
  const idleAt = await quietFrom(b.m, RESTART_QUIET_MS, t0 + readyMs + RESTART_WATCH_MS);
  // Keep watching until RESTART_WATCH_MS after ready: a late write still counts.
  await sleep(Math.max(0, t0 + readyMs + RESTART_WATCH_MS - Date.now()));
  const w = Object.fromEntries(Object.entries(diff({}, await writesOf(b.m))).filter(([k]) => !k.startsWith('~')));
  const audit = byUserAgent(b.audit.take(), /^meshgate$/).counts;
  const n = Object.values(w).reduce((a, x) => a + x, 0);
  const work = await writesOf(b.m);
  const cpu = work['~cpu ms'] ?? 0;
  const idleMs = idleAt === undefined ? NaN : idleAt - t0;
  out(`  ready (/readyz) ${ms(readyMs)} after the start; from its log: ${milestones(b.m.logFile, t0)}`);
  out(`  ${mark(idleMs <= TARGETS.restartIdleMs)} ready and idle ${ms(idleMs)} after the start   (target <= ${TARGETS.restartIdleMs} ms)`);
  out(`  ${mark(n <= TARGETS.restartWrites)} writes from the start until ${RESTART_WATCH_MS / 1000} s after ready: ${n} ${JSON.stringify(w)}; audit log: ${JSON.stringify(audit)}   (target ${TARGETS.restartWrites})`);
  const mem = memory(b.m.pid);
  out(`  ${mark(mem.hwmMB <= TARGETS.rssMB)} peak RSS (VmHWM) of the restarted meshgate: ${mem.hwmMB.toFixed(0)} MB, RSS now ${mem.rssMB.toFixed(0)} MB (${await heap(b.m)}); CPU since its start ${(cpu / 1000).toFixed(1)} s, ${work['~translations'] ?? 0} translation batches taking ${work['~translation ms'] ?? 0} ms   (target <= ${TARGETS.rssMB} MB)`);
}

/** When the restarted process logged its start-up milestones, in ms after t0 (its log is JSON lines, appended to by each start). */
function milestones(logFile: string, t0: number): string {
  const at: Record<string, number> = {};
  let lastList: [string, number] | undefined;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line) as { message?: string; timestamp?: string; kind?: string; objects?: number };
      const t = e.timestamp ? Date.parse(e.timestamp) - t0 : NaN;
      if (!(t >= 0)) continue;
      if (e.message === 'metrics and health endpoints') at['metrics endpoint'] ??= t;
      if (e.message === 'watching') { at['first watch'] ??= t; at['last watch'] = t; }
      if (e.message === 'caches synced') at['caches synced (lists + first translation)'] ??= t;
      if (e.message === 'first pass planned') at[`first pass planned (Kuma adoption ${ms((e as { adoptionMs?: number }).adoptionMs ?? NaN)}, planning ${ms((e as { planMs?: number }).planMs ?? NaN)})`] ??= t;
      // The controller logs each kind's first list; the last one is what the translation waited for.
      if (e.message === 'listed' && !('caches synced (lists + first translation)' in at)) lastList = [`last list done (${e.kind}, ${e.objects} objects)`, t];
    } catch { /* not a log line */ }
  }
  if (lastList) at[lastList[0]] = lastList[1];
  return Object.entries(at).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k} ${ms(v)}`).join(', ');
}

/** The first instant from which meshgate's queue stayed empty, nothing in flight and no write made, for quietMs (undefined if not by `deadline`). */
async function quietFrom(m: Meshgate, quietMs: number, deadline: number): Promise<number | undefined> {
  let since: number | undefined;
  let last = -1;
  while (Date.now() < deadline) {
    const now = Date.now();
    const xs = parseMetrics(await (await fetch(m.metricsURL)).text());
    const busy = xs.filter((x) => x.name === 'meshgate_queue_depth' || x.name === 'meshgate_writes_in_flight').reduce((a, x) => a + x.value, 0);
    const writes = xs.filter((x) => x.name === 'meshgate_writes_total').reduce((a, x) => a + x.value, 0);
    if (busy > 0 || writes !== last) since = undefined;
    else since ??= now;
    last = writes;
    if (since !== undefined && Date.now() - since >= quietMs) return since;
    await sleep(50);
  }
  return undefined;
}

main().then(() => process.exit(0), (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(1); });
