// End-to-end benchmark: the real `meshgate controller` (compiled, as shipped) on its own real
// control plane (e2e/cluster/harness.ts). Prints figures next to their targets; asserts nothing.
//
//   npm run bench:e2e
//   BENCH_ROUTES=200 BENCH_GATEWAYS=20 BENCH_IDLE_MS=10000 npm run bench:e2e     (a quick run)
//
// Phases, each in fresh namespaces on the same cluster and controller:
//   A1  BENCH_ROUTES (1,000) HTTPRoutes on one Gateway, created at once (server-side apply,
//       BENCH_CONCURRENCY = 20 in flight)
//   A2  the same, created one by one
//   B   BENCH_GATEWAYS (100) Gateways × BENCH_ROUTES_PER_GATEWAY (10) routes, all at once
//   idle  BENCH_IDLE_MS (60,000) with nothing changing
// For each: time from the last create until every route is Accepted, every listener's
// attachedRoutes is right and every MeshHTTPRoute exists (watched, not polled); meshgate's
// writes by kind and verb (its /metrics, and the API server's audit log filtered to user agent
// "meshgate"; apiserver_request_total has no user-agent label); route-status writes per route;
// Gateway status writes; translation batches and CPU; peak RSS (VmHWM); and the physical limit,
// measured in the same run: a plain client alone writing the same objects (creating the same
// HTTPRoutes, then one MeshHTTPRoute apply and one route status patch per route); for scale, also
// a plain client writing as many ConfigMaps. The API server runs with API Priority and Fairness
// on (the test harness turns it off), as in production; meshgate runs compiled (tsc), as shipped,
// with the chart's default NODE_OPTIONS (charts/meshgate/values.yaml nodeOptions). Env: BENCH_PHASES=A1,A2,B,
// BENCH_CONTROLLER_ARGS (extra controller flags), BENCH_NODE_ARGS (e.g. --cpu-prof), BENCH_KEEP=1 (keeps the audit log and meshgate's log), BENCH_AUDIT_GATEWAY_STATUS=1 (the audit log records Gateway status patches with their bodies).
// The 10,000-route phase and the restart over it: bench/e2e-large.ts (npm run bench:e2e:large).
import { env, out, pad, sleep } from './e2e-lib';
import type { PhaseResult } from './e2e-phase';
import { idlePhase, phase, report, summary, withBench } from './e2e-phase';

const ROUTES = env('BENCH_ROUTES', 1000);
const GATEWAYS = env('BENCH_GATEWAYS', 100);
const ROUTES_PER_GW = env('BENCH_ROUTES_PER_GATEWAY', 10);
/** Which phases to run (A1, A2, B), comma-separated; default all. */
const PHASES = (process.env.BENCH_PHASES ?? 'A1,A2,B').split(',').map((x) => x.trim().toUpperCase());
const RSS_TARGET_MB = 150;

async function main(): Promise<void> {
  await withBench('meshgate end-to-end benchmark', async (b) => {
    const results: PhaseResult[] = [];
    const run = async (name: string, namespace: string, gateways: Map<string, number>, mode: 'parallel' | 'sequential') => {
      results.push(await phase(name, b.plain, b.client, b.m, b.audit, namespace, gateways, mode));
      report(results[results.length - 1], RSS_TARGET_MB);
    };
    if (PHASES.includes('A1')) await run('A1: routes created at once', 'bench-a1', new Map([['gw', ROUTES]]), 'parallel');
    if (PHASES.includes('A2')) await run('A2: routes created one by one', 'bench-a2', new Map([['gw', ROUTES]]), 'sequential');
    if (PHASES.includes('B')) {
      const gwMap = new Map(Array.from({ length: GATEWAYS }, (_, i) => [`gw-${pad(i, 3)}`, ROUTES_PER_GW] as [string, number]));
      await run(`B: ${GATEWAYS} Gateways x ${ROUTES_PER_GW} routes at once`, 'bench-b', gwMap, 'parallel');
    }
    await idlePhase(b, results.reduce((a, r) => a + r.routes, 0), RSS_TARGET_MB);
    if (process.env.BENCH_HEAPSNAPSHOT === '1') {
      // Needs BENCH_NODE_ARGS=--heapsnapshot-signal=SIGUSR2; the file lands in the repo directory.
      b.m.child.kill('SIGUSR2');
      out('  heap snapshot requested (SIGUSR2); waiting 20 s');
      await sleep(20_000);
    }
    summary(results);
  });
}

main().then(() => process.exit(0), (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(1); });
