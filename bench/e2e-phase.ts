// One benchmark phase on the real API server (bench/e2e.ts, bench/e2e-large.ts): create the
// routes (and Gateways), watch until converged, count meshgate's writes, and measure the plain-client
// limit in the same run. Also the shared set-up (cluster with APF and an audit log, meshgate) and
// the idle check. Prints figures next to their targets; asserts nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '../e2e/cluster/harness';
import { KubeClient } from '../src/kube/client';
import { loadKubeConfig } from '../src/kube/kubeconfig';
import type { KubeObject } from '../translators/api/meta';
import type { Meshgate } from './e2e-lib';
import type { Reference } from './e2e-reference';
import { limitMs, references } from './e2e-reference';
import {
  apiserverRequests, Audit, byUserAgent, CLASS, compile, CONCURRENCY, CONTROLLER, diff, env, gw, GW_API, heap, IDLE_MS, idle, mark, memory, ms, ns, out, pad,
  Plain, route, sleep, startMeshgate, stopMeshgate, svc, SYSTEM_NS, Watcher, writesOf,
} from './e2e-lib';

/** The issue's targets (meshgate #13); rssMB is per benchmark (the large one holds ten times the routes). */
export const TARGETS = {
  convergeMs: 1000,
  routeStatusWritesPerRoute: 1.05,
  gatewayStatusWrites: 15,
  gatewayStatusWritesPerGateway: 2,
  idleWrites: 0,
  limitRatio: 1.2,
};

export interface PhaseResult {
  name: string;
  routes: number;
  gateways: number;
  createMs: number;
  convergeAfterLastMs: number;
  /** First create → converged. */
  convergeMs: number;
  /** For multi-Gateway phases, last create → every Gateway Programmed (NaN: not by the timeout). */
  programmedAfterLastMs?: number;
  mode: 'parallel' | 'sequential';
  writes: Record<string, number>;
  /** Translation batches, their total time, and meshgate's CPU time during the phase. */
  work: Record<string, number>;
  audit: Record<string, number>;
  /** Mean time in the API server (ms) by resource and verb: meshgate's requests, the bench client's. */
  auditLatency: Record<string, number>;
  benchLatency: Record<string, number>;
  auditSpanMs?: number;
  apiserver: Record<string, number>;
  hwmMB: number;
  plainMs: number;
  plainN: number;
  /** A plain client, alone: creating these routes (HTTPRoutes, CONCURRENCY in flight), then doing meshgate's writes for them (bench/e2e-reference.ts). */
  ownWritesMs: Reference['ownWritesMs'];
}

export async function phase(
  name: string, plain: Plain, client: KubeClient, m: Meshgate, audit: Audit,
  namespace: string, gateways: Map<string, number>, mode: 'parallel' | 'sequential', deferReferences = false,
): Promise<PhaseResult & { references?: () => Promise<unknown> }> {
  out(`\n== ${name}`);
  const nRoutes = [...gateways.values()].reduce((a, b) => a + b, 0);
  await plain.applyAll([ns(namespace), svc(namespace)], 1);
  const gws = [...gateways.keys()].map((g) => gw(namespace, g));
  const routes: KubeObject[] = [];
  for (const [g, n] of gateways) for (let i = 0; i < n; i++) routes.push(route(namespace, g, gateways.size === 1 ? `r-${pad(i, 4)}` : `${g}-r-${pad(i, 2)}`));
  // Single-Gateway phases: the Gateway exists (Programmed) before the routes come.
  const watcher = new Watcher(client, { namespace, gateways });
  if (gateways.size === 1) {
    await plain.applyAll(gws);
    const t = Date.now();
    while (!watcher.programmedAt) { if (Date.now() - t > 60_000) throw new Error('Gateway not programmed'); await sleep(50); }
  }
  await idle(m, 500);
  audit.take();
  const w0 = await writesOf(m);
  const a0 = await apiserverRequests(plain);
  const objs = gateways.size === 1 ? routes : [...gws, ...routes];
  out(`creating ${objs.length} objects (${mode === 'parallel' ? `at once, ${CONCURRENCY} in flight` : 'one by one'})...`);
  const { first, last } = await plain.applyAll(objs, mode === 'parallel' ? CONCURRENCY : 1);
  out(`  created in ${ms(last - first)}`);
  const timeoutMs = env('BENCH_TIMEOUT_MS', 600_000);
  const timeout = sleep(timeoutMs).then(() => 0);
  const reporter = setInterval(() => out(`  ... +${Date.now() - last} ms: ${watcher.state()}`), env('BENCH_REPORT_MS', 5000));
  const converged = await Promise.race([watcher.converged, timeout]);
  clearInterval(reporter);
  if (!converged) out(`  NOT CONVERGED after ${timeoutMs / 1000} s: ${watcher.state()}`);
  // The limit includes the proxies coming up (e2e-reference.ts), so meshgate's figure does too.
  while (converged && gateways.size > 1 && !watcher.programmedAt && Date.now() - last < timeoutMs) await sleep(50);
  await idle(m, 1500);
  const w1 = await writesOf(m);
  const a1 = await apiserverRequests(plain);
  const events = audit.take();
  const au = byUserAgent(events, /^meshgate$/);
  const bench = byUserAgent(events, /^bench-client$/);
  const programmedAfterLastMs = gateways.size > 1 ? (watcher.programmedAt ? watcher.programmedAt - last : NaN) : undefined;
  watcher.stop();
  const all = diff(w0, w1);
  const writes = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('~')));
  const work = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('~')).map(([k, v]) => [k.slice(1), v]));
  const gwS = writes['Gateway status'] ?? 0;
  out(`  meshgate: converged ${ms(converged ? converged - last : NaN)} after the last create, ${ms(converged ? converged - first : NaN)} after the first; route-status writes per route ${((writes['HTTPRoute status'] ?? 0) / nRoutes).toFixed(3)}; Gateway status writes ${gwS} (${(gwS / gateways.size).toFixed(2)} per Gateway); CPU ${((work['cpu ms'] ?? 0) / nRoutes).toFixed(2)} s per 1,000 routes; peak RSS ${memory(m.pid).hwmMB.toFixed(0)} MB`);
  const refs = { plainMs: NaN, plainN: objs.length, ownWritesMs: { createMs: NaN, writesMs: NaN, proxiesMs: NaN } };
  const measure = () => references(plain, namespace, objs.length, nRoutes, gateways.size, mode).then((x) => Object.assign(r, x));
  const r: PhaseResult = {
    name, routes: nRoutes, gateways: gateways.size, createMs: last - first,
    convergeAfterLastMs: converged ? converged - last : NaN, convergeMs: converged ? converged - first : NaN, programmedAfterLastMs,
    writes, work, audit: au.counts, auditLatency: au.latency, benchLatency: bench.latency, auditSpanMs: au.first !== undefined && au.last !== undefined ? au.last - au.first : undefined,
    apiserver: diff(a0, a1), hwmMB: memory(m.pid).hwmMB, mode, ...refs,
  };
  // The large benchmark measures the references after its restart, so its own figures come first.
  if (deferReferences) return Object.assign(r, { references: measure });
  await measure();
  return r;
}

export function report(r: PhaseResult, rssTargetMB: number): void {
  const routeStatus = (r.writes['HTTPRoute status'] ?? 0) / r.routes;
  const gwStatus = r.writes['Gateway status'] ?? 0;
  const nWrites = Object.values(r.writes).reduce((a, b) => a + b, 0);
  out(`\n-- ${r.name}: ${r.routes} routes on ${r.gateways} Gateway(s)`);
  out(`  created in ${ms(r.createMs)}`);
  out(`  ${mark(r.convergeAfterLastMs <= TARGETS.convergeMs)} converged ${ms(r.convergeAfterLastMs)} after the last create        (target <= ${TARGETS.convergeMs} ms)`);
  if (r.programmedAfterLastMs !== undefined) out(`       all Gateways Programmed ${ms(r.programmedAfterLastMs)} after the last create`);
  out(`  ${mark(routeStatus <= TARGETS.routeStatusWritesPerRoute)} route-status writes per route: ${routeStatus.toFixed(3)}      (target <= ${TARGETS.routeStatusWritesPerRoute})`);
  if (r.gateways === 1) out(`  ${mark(gwStatus <= TARGETS.gatewayStatusWrites)} Gateway status writes: ${gwStatus}                 (target <= ${TARGETS.gatewayStatusWrites})`);
  else out(`  ${mark(gwStatus / r.gateways <= TARGETS.gatewayStatusWritesPerGateway)} Gateway status writes: ${gwStatus} (${(gwStatus / r.gateways).toFixed(2)} per Gateway)   (target <= ${TARGETS.gatewayStatusWritesPerGateway} per Gateway)`);
  const ratio = r.convergeMs / r.plainMs;
  const how = r.mode === 'parallel' ? `${CONCURRENCY} in flight` : 'one by one';
  // The physical limit: a plain client alone doing meshgate's work on the same API server in the same run.
  const limit = doneMs(r) / limitMs(r);
  const proxies = r.gateways > 1 ? ` + ${r.gateways} MeshGateway, Deployment and Service applies and Gateway status patches` : '';
  out(`  ${mark(limit <= TARGETS.limitRatio)} converged${r.programmedAfterLastMs !== undefined ? ' with every Gateway Programmed' : ''} ${ms(doneMs(r))} after the first create; a plain client alone creates the same ${r.gateways > 1 ? `${r.gateways} Gateways and ` : ''}${r.routes} HTTPRoutes (${how}) in ${ms(r.ownWritesMs.createMs)}, then writes what meshgate writes for them (${r.routes} MeshHTTPRoute applies + ${r.routes} HTTPRoute status patches${proxies}, ${CONCURRENCY} in flight) in ${ms(r.ownWritesMs.writesMs)}${r.gateways > 1 ? `, its proxies up ${ms(r.ownWritesMs.proxiesMs)} after its first write` : ''}: ${limit.toFixed(2)}x that limit   (target <= ${TARGETS.limitRatio}x)`);
  out(`       meshgate's ${nWrites} writes spanned ${ms(r.auditSpanMs ?? NaN)} (first to last, audit log)`);
  out(`       for scale: a plain client writes ${r.plainN} ConfigMaps (${how}) in ${ms(r.plainMs)}; converged/that = ${ratio.toFixed(2)}x (ConfigMaps are cheaper than CEL-validated HTTPRoutes, and meshgate writes two objects per route)`);
  out(`  ${mark(r.hwmMB <= rssTargetMB)} meshgate peak RSS (VmHWM) so far: ${r.hwmMB.toFixed(0)} MB             (target <= ${rssTargetMB} MB)`);
  out(`  meshgate /metrics writes: ${JSON.stringify(r.writes)}`);
  out(`  meshgate work: ${r.work.translations ?? 0} translation batches taking ${r.work['translation ms'] ?? 0} ms; ${r.work['cpu ms'] ?? 0} ms CPU (${cpuPer1000(r).toFixed(2)} CPU s per 1,000 routes)`);
  out(`  audit log, user agent "meshgate": ${JSON.stringify(r.audit)}`);
  out(`  mean time in the API server (ms): meshgate ${JSON.stringify(r.auditLatency)}; the bench's creates ${JSON.stringify(r.benchLatency)}`);
  const mine = Object.fromEntries(Object.entries(r.apiserver).filter(([k]) => /^(meshhttproutes|meshgateways|meshtcproutes|events|httproutes\/status|gateways\/status|deployments|services|secrets) /.test(k)));
  out(`  apiserver_request_total (no user-agent label; resources meshgate writes, any client): ${JSON.stringify(mine)}`);
}


/** First create → converged and, in multi-Gateway phases, every Gateway Programmed: what the limit is compared with. */
export const doneMs = (r: PhaseResult) => (r.programmedAfterLastMs === undefined ? r.convergeMs : Math.max(r.convergeMs, r.createMs + r.programmedAfterLastMs));

/** meshgate's CPU seconds during the phase, per 1,000 routes. */
export const cpuPer1000 = (r: PhaseResult) => (r.work['cpu ms'] ?? 0) / r.routes;

/** One line per phase, the figures of the issue's table. */
export function summary(results: PhaseResult[]): void {
  out('\n== summary');
  out('phase                                     routes  create ms  converge-after-last ms  route-status/route  gw-status  (per gw)  writes  converge/limit  converge/ConfigMaps  CPU s/1k routes');
  for (const r of results) {
    const nW = Object.values(r.writes).reduce((a, b) => a + b, 0);
    const gws = r.writes['Gateway status'] ?? 0;
    out(`${r.name.padEnd(42)}${String(r.routes).padStart(6)}${String(Math.round(r.createMs)).padStart(11)}${String(Math.round(r.convergeAfterLastMs)).padStart(24)}${((r.writes['HTTPRoute status'] ?? 0) / r.routes).toFixed(3).padStart(20)}${String(gws).padStart(11)}${(gws / r.gateways).toFixed(2).padStart(10)}${String(nW).padStart(8)}${(doneMs(r) / limitMs(r)).toFixed(2).padStart(16)}${(r.convergeMs / r.plainMs).toFixed(2).padStart(21)}${cpuPer1000(r).toFixed(2).padStart(17)}`);
  }
}

export interface Bench { cli: string; cluster: Awaited<ReturnType<typeof startCluster>>; plain: Plain; audit: Audit; client: KubeClient; m: Meshgate; logDir: string }

/**
 * A cluster with API Priority and Fairness on (as in production; the test harness turns it off)
 * and an audit log of writes, the GatewayClass, and meshgate (compiled, the chart's NODE_OPTIONS);
 * runs `body`, then stops everything. `b.m` may be replaced by body (a restart); the last is stopped.
 */
export async function withBench(title: string, body: (b: Bench) => Promise<void>): Promise<void> {
  out(`${title} (${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  const cli = compile();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshgate-bench-'));
  const policy = path.join(tmp, 'audit-policy.yaml');
  writeFileSync(policy, [
    'apiVersion: audit.k8s.io/v1', 'kind: Policy', 'omitStages: ["RequestReceived"]', 'rules:',
    // BENCH_AUDIT_GATEWAY_STATUS=1 (with BENCH_KEEP=1): Gateway status patches with their bodies, to
    // see what each of a Gateway's status writes changed.
    ...(process.env.BENCH_AUDIT_GATEWAY_STATUS === '1' ? ['- level: Request', '  verbs: ["patch"]', '  resources: [{group: "gateway.networking.k8s.io", resources: ["gateways/status"]}]'] : []),
    '- level: Metadata', '  verbs: ["create", "update", "patch", "delete", "deletecollection"]', '- level: None', '',
  ].join('\n'));
  const auditFile = path.join(tmp, 'audit.log');
  // BENCH_CLUSTER_DIR: the control plane's directory, kept afterwards; BENCH_REUSE=1 starts it over
  // the etcd data a run left there (bench/e2e-large.ts BENCH_RESTART_ONLY: restarts over a kept L).
  const clusterDir = process.env.BENCH_CLUSTER_DIR;
  const cluster = await startCluster({
    name: 'bench',
    dir: clusterDir,
    keepEtcdData: clusterDir !== undefined && process.env.BENCH_REUSE === '1',
    apiServerArgs: [
      '--enable-priority-and-fairness=true',
      // The harness's /24 holds 254 Services: phase L (a Service per Gateway) filled it at ~250
      // Gateways and every further proxy Service failed with "range is full".
      '--service-cluster-ip-range=10.0.0.0/16',
      `--audit-policy-file=${policy}`, `--audit-log-path=${auditFile}`, '--audit-log-format=json', '--audit-log-maxsize=0',
    ],
    log: (s) => out(`[cluster] ${s}`),
  });
  const plain = new Plain(cluster);
  const b: Partial<Bench> = { cli, cluster, plain, audit: new Audit(auditFile), logDir: path.join(tmp, 'logs') };
  try {
    await plain.applyAll([ns(SYSTEM_NS), { apiVersion: GW_API, kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName: CONTROLLER } } as KubeObject], 1);
    mkdirSync(b.logDir!, { recursive: true });
    b.m = await startMeshgate(cli, cluster.kubeconfigPath, b.logDir!);
    b.client = await KubeClient.create(loadKubeConfig(cluster.kubeconfigPath), { qps: 1e6, burst: 1e6 });
    await body(b as Bench);
    b.client.close();
  } finally {
    if (b.m) await stopMeshgate(b.m);
    plain.close();
    await cluster.stop();
    if (process.env.BENCH_KEEP !== '1') rmSync(tmp, { recursive: true, force: true });
    else out(`kept ${tmp}`);
  }
}

/** IDLE_MS with nothing changing: meshgate's writes (its /metrics and the audit log), and its memory. */
export async function idlePhase(b: Bench, routes: number, rssTargetMB: number): Promise<number> {
  out(`\n== idle: ${IDLE_MS / 1000} s with nothing changing`);
  await idle(b.m, 1000);
  b.audit.take();
  const w0 = await writesOf(b.m);
  await sleep(IDLE_MS);
  const idleWrites = Object.fromEntries(Object.entries(diff(w0, await writesOf(b.m))).filter(([k]) => !k.startsWith('~')));
  const idleAudit = byUserAgent(b.audit.take(), /^meshgate$/).counts;
  const n = Object.values(idleWrites).reduce((a, x) => a + x, 0);
  out(`  ${mark(n <= TARGETS.idleWrites)} writes in ${IDLE_MS / 1000} s idle: ${n} ${JSON.stringify(idleWrites)}; audit log: ${JSON.stringify(idleAudit)}   (target ${TARGETS.idleWrites})`);
  const mem = memory(b.m.pid);
  out(`  ${mark(mem.hwmMB <= rssTargetMB)} meshgate peak RSS (VmHWM): ${mem.hwmMB.toFixed(0)} MB, RSS now ${mem.rssMB.toFixed(0)} MB (${await heap(b.m)}), holding ${routes} routes   (target <= ${rssTargetMB} MB)`);
  return n;
}
