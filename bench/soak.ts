// Soak: random churn over every kind meshgate reads (GatewayClass params, Gateways, HTTPRoutes,
// TLSRoutes, ReferenceGrants, Services, Secrets, Namespace labels) at a bounded rate with a
// seeded PRNG, against the real `meshgate controller` on its own real control plane. At the end:
// the cluster equals a fresh translation of the final inputs, controller RSS has not grown more
// than 20% past its value after the first minute (or the first 20% of a shorter run), and no
// route lists more of meshgate's status.parents than it has parentRefs.
//
//   npm run bench:soak                          (10 minutes; MESHGATE_SOAK_MS overrides)
//   MESHGATE_SOAK_MS=60000 MESHGATE_SOAK_SEED=7 MESHGATE_SOAK_OPS=10 npm run bench:soak
//
// e2e/faults/soak.test.ts runs the same with MESHGATE_SOAK_MS (default 60 s) and asserts.
import { startCluster, type TestCluster } from '../e2e/cluster/harness';
import { startController, type ControllerProcess } from '../e2e/support/controller';
import { clusterDiff, expectClusterMatchesTranslation } from '../e2e/support/converged';
import { kubeFrom } from '../e2e/support/kube';
import { certificate, gatewayClass, namespace, SYSTEM_NS, type Obj } from '../e2e/faults/fixture';
import { KubeClient } from '../src/kube/client';
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { resourceForKind, resourcePath } from '../src/kube/resources';
import { CTRL, OTHER, NAMESPACES, CLASS, OTHER_CLASS, Churn, key } from './soak-churn';

export interface SoakOptions {
  durationMs: number;
  seed?: number;
  /** Churn rate, at most 10 ops/s. Default 10. */
  opsPerSec?: number;
  /** RSS sample interval. Default 5 s. */
  sampleMs?: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  seed: number;
  durationMs: number;
  opsPerSec: number;
  ops: number;
  opsByKind: Record<string, number>;
  failedOps: number;
  failures: string[];
  writes: Record<string, number>;
  totalWrites: number;
  watchRestarts: Record<string, number>;
  apiErrors: Record<string, number>;
  /** Controller RSS (and V8 heap in use, for telling a leak from allocator growth) over time, ms since the churn started. */
  rss: { atMs: number; bytes: number; heapUsed: number }[];
  rssBaselineAtMs: number;
  rssBaseline: number;
  rssFinal: number;
  rssMax: number;
  /** (final − baseline) / baseline. */
  rssGrowth: number;
  converged: boolean;
  /** From the last churn op to "the cluster equals a fresh translation". */
  convergenceMs: number;
  generatedObjects: number;
  statuses: number;
  diffs: string[];
  /** Routes that listed more status.parents of meshgate than parentRefs, whenever checked. */
  parentOverflows: string[];
  /** Samples in which a route's status (for an older generation) listed more parents than its current spec. */
  laggingRouteStatuses: number;
  controllerLog: string;
}


async function applyObj(client: KubeClient, o: Obj): Promise<number> {
  const r = resourceForKind(o.kind, o.apiVersion)!;
  const res = await client.request('PATCH', resourcePath(r, o.metadata.namespace, o.metadata.name), {
    body: o, contentType: 'application/apply-patch+yaml', query: { fieldManager: 'soak', force: true }, retries: 2,
  });
  if (res.status >= 300) throw new Error(`apply ${key(o)}: HTTP ${res.status} ${(res.body as { message?: string })?.message ?? ''}`);
  return res.status;
}

async function deleteObj(client: KubeClient, o: Obj): Promise<void> {
  const r = resourceForKind(o.kind, o.apiVersion)!;
  const res = await client.request('DELETE', resourcePath(r, o.metadata.namespace, o.metadata.name), { retries: 2 });
  if (res.status >= 300 && res.status !== 404) throw new Error(`delete ${key(o)}: HTTP ${res.status}`);
}

type Route = Obj & { spec?: { parentRefs?: unknown[] }; status?: { parents?: { controllerName: string; conditions?: { observedGeneration?: number }[] }[] } };

/**
 * Routes whose status.parents of meshgate outnumber their parentRefs. While churn runs a status
 * may lag its spec (written for generation N, the spec is at N+1 with fewer parentRefs): those
 * entries are counted as `lagging`, and only entries that claim the current generation count
 * (`strict` counts every entry: for the converged end state).
 */
async function parentOverflows(client: KubeClient, strict: boolean): Promise<{ overflows: string[]; lagging: number }> {
  const overflows: string[] = [];
  let lagging = 0;
  for (const kind of ['HTTPRoute', 'TLSRoute']) {
    const r = resourceForKind(kind, 'gateway.networking.k8s.io/v1')!;
    const list = await client.call<{ items: Route[] }>('GET', resourcePath(r));
    for (const rt of list.items) {
      const gen = rt.metadata.generation;
      const mine = (rt.status?.parents ?? []).filter((p) => p.controllerName === CTRL);
      const current = mine.filter((p) => (p.conditions ?? []).every((c) => c.observedGeneration === gen));
      const refs = rt.spec?.parentRefs?.length ?? 0;
      const n = strict ? mine.length : current.length;
      if (mine.length > refs && current.length <= refs) lagging++;
      if (n > refs) overflows.push(`${kind} ${rt.metadata.namespace}/${rt.metadata.name}: ${n} status.parents of meshgate for ${refs} parentRefs (generation ${gen}) ${JSON.stringify({ refs: rt.spec?.parentRefs, parents: mine })}`);
    }
  }
  return { overflows, lagging };
}

/**
 * The harness's kubeconfig (client certificate) as far as KubeClient.create reads it. Not
 * loadKubeConfig(): @kubernetes/client-node is ESM-only and jest's module runtime cannot load it.
 */
function certKubeConfig(path: string): KubeConfig {
  type KC = { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[]; users: { user: Record<string, string> }[] };
  const kc = parse(readFileSync(path, 'utf8')) as KC;
  const b64 = (v: string) => Buffer.from(v, 'base64');
  const fake = {
    getCurrentCluster: () => ({ server: kc.clusters[0].cluster.server }),
    applyToHTTPSOptions: async (o: { ca?: Buffer; cert?: Buffer; key?: Buffer }) => {
      o.ca = b64(kc.clusters[0].cluster['certificate-authority-data']);
      o.cert = b64(kc.users[0].user['client-certificate-data']);
      o.key = b64(kc.users[0].user['client-key-data']);
    },
  };
  return fake as unknown as KubeConfig;
}

const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const seed = opts.seed ?? 20240611;
  const opsPerSec = Math.min(10, opts.opsPerSec ?? 10);
  const sampleMs = opts.sampleMs ?? 5000;
  let cluster: TestCluster | undefined;
  let ctl: ControllerProcess | undefined;
  let client: KubeClient | undefined;
  try {
    const certs = [
      certificate('wild', ['*.example.com']), certificate('a', ['a.example.com']),
      certificate('both', ['a.example.com', 'b.example.com', '*.tls.example.com']), certificate('other', ['other.test']),
    ];
    cluster = await startCluster({ name: 'soak' });
    const kube = kubeFrom(cluster.kubeconfigPath, cluster.kubectl.bind(cluster));
    client = await KubeClient.create(certKubeConfig(cluster.kubeconfigPath), { qps: 100, burst: 100 });
    for (const o of [namespace(SYSTEM_NS), ...NAMESPACES.map((n) => namespace(n, { team: 'red' })), gatewayClass(CLASS, CTRL), gatewayClass(OTHER_CLASS, OTHER)]) await applyObj(client, o);
    ctl = await startController(cluster.kubeconfigPath, { controllerName: CTRL });
    log(`soak: seed ${seed}, ${(opts.durationMs / 1000).toFixed(0)} s at ≤ ${opsPerSec} ops/s; controller log ${ctl.logFile}`);

    const churn = new Churn(seed, certs);
    const opsByKind: Record<string, number> = {};
    const failures: string[] = [];
    let ops = 0;
    let failedOps = 0;
    const overflows = new Set<string>();
    let laggingStatus = 0;
    const rss: SoakReport['rss'] = [];
    const started = Date.now();
    const end = started + opts.durationMs;
    const controller = ctl;
    const kc = client;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const atMs = Date.now() - started;
        try {
          rss.push({ atMs, bytes: await controller.metric('meshgate_process_resident_memory_bytes'), heapUsed: await controller.metric('meshgate_nodejs_heap_size_used_bytes') });
          const p = await parentOverflows(kc, false);
          for (const o of p.overflows) overflows.add(`at ${(atMs / 1000).toFixed(0)} s: ${o}`);
          laggingStatus += p.lagging;
        } catch (e) {
          log(`soak: sample failed: ${(e as Error).message}`);
        }
        const wait = sampleMs - ((Date.now() - started) % sampleMs);
        await new Promise((r) => setTimeout(r, wait));
      }
    })();

    const interval = 1000 / opsPerSec;
    let lastOpAt = Date.now();
    for (let i = 0; ; i++) {
      const due = started + i * interval;
      if (due >= end) break;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const op = churn.next();
      const k = key(op.obj);
      opsByKind[`${op.kind} ${op.verb}`] = (opsByKind[`${op.kind} ${op.verb}`] ?? 0) + 1;
      ops++;
      try {
        if (op.verb === 'delete') { await deleteObj(kc, op.obj); churn.existing.delete(k); }
        else { await applyObj(kc, op.obj); churn.existing.add(k); }
      } catch (e) {
        failedOps++;
        if (failures.length < 20) failures.push((e as Error).message);
      }
      lastOpAt = Date.now();
      if (i > 0 && i % Math.round(opsPerSec * 30) === 0) {
        const last = rss[rss.length - 1];
        log(`soak: ${((Date.now() - started) / 1000).toFixed(0)} s, ${ops} ops, ${await controller.totalWrites()} writes, RSS ${last ? mib(last.bytes) : '?'}`);
      }
    }
    // A last op with a large effect: the class loses its parametersRef (which may point to a
    // deleted config), so every Gateway of the class becomes accepted and gets generated objects.
    await applyObj(kc, gatewayClass(CLASS, CTRL));
    opsByKind['GatewayClass update'] = (opsByKind['GatewayClass update'] ?? 0) + 1;
    ops++;
    lastOpAt = Date.now();

    let converged = true;
    let convergenceMs = 0;
    let generatedObjects = 0;
    let statuses = 0;
    let diffs: string[] = [];
    try {
      const t0 = Date.now();
      const c = await expectClusterMatchesTranslation(kube, CTRL, { settle: controller, timeoutMs: 120_000 });
      convergenceMs = t0 - lastOpAt + c.ms;
      generatedObjects = c.objects;
      statuses = c.statuses;
    } catch (e) {
      converged = false;
      diffs = (await clusterDiff(kube, CTRL)).diffs;
      log(`soak: NOT converged: ${(e as Error).message.split('\n')[0]}`);
    }
    sampling = false;
    await sampler;
    for (const o of (await parentOverflows(kc, true)).overflows) overflows.add(`at the end: ${o}`);
    const finalSample = { atMs: Date.now() - started, bytes: await controller.metric('meshgate_process_resident_memory_bytes'), heapUsed: await controller.metric('meshgate_nodejs_heap_size_used_bytes') };
    rss.push(finalSample);

    const baselineAt = Math.min(60_000, opts.durationMs * 0.2);
    const baseline = rss.find((s) => s.atMs >= baselineAt) ?? rss[0];
    const watchRestarts: Record<string, number> = {};
    for (const reason of ['relist', 'error', 'stall', 'timeout']) watchRestarts[reason] = await controller.metric('meshgate_watch_restarts_total', { reason });
    const apiErrors: Record<string, number> = {};
    for (const code of ['409', '422', '429', '500', '503', '404']) {
      const n = await controller.metric('meshgate_api_requests_total', { code });
      if (n) apiErrors[code] = n;
    }
    const writes = await controller.writes();
    return {
      seed, durationMs: opts.durationMs, opsPerSec, ops, opsByKind, failedOps, failures,
      writes, totalWrites: Object.values(writes).reduce((a, b) => a + b, 0), watchRestarts, apiErrors,
      rss, rssBaselineAtMs: baseline.atMs, rssBaseline: baseline.bytes, rssFinal: finalSample.bytes, rssMax: Math.max(...rss.map((s) => s.bytes)),
      rssGrowth: (finalSample.bytes - baseline.bytes) / baseline.bytes,
      converged, convergenceMs, generatedObjects, statuses, diffs, parentOverflows: [...overflows], laggingRouteStatuses: laggingStatus, controllerLog: controller.logFile,
    };
  } finally {
    await ctl?.stop();
    client?.close();
    await cluster?.stop();
  }
}

export function formatReport(r: SoakReport): string {
  const lines = [
    `soak ${(r.durationMs / 1000).toFixed(0)} s, seed ${r.seed}, ≤ ${r.opsPerSec} ops/s`,
    `ops: ${r.ops} (${r.failedOps} failed): ${Object.entries(r.opsByKind).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ...(r.failures.length ? [`first failed ops: ${r.failures.slice(0, 5).join(' | ')}`] : []),
    `meshgate writes: ${r.totalWrites}: ${Object.entries(r.writes).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `watch restarts: ${JSON.stringify(r.watchRestarts)}; API answers 4xx/5xx: ${JSON.stringify(r.apiErrors)}`,
    `RSS (MiB, by second of the run): ${r.rss.map((s) => `${(s.atMs / 1000).toFixed(0)}:${(s.bytes / 1048576).toFixed(0)}`).join(' ')}`,
    `V8 heap used (MiB, every 30 s): ${r.rss.filter((_, i) => i % 6 === 0 || i === r.rss.length - 1).map((s) => `${(s.atMs / 1000).toFixed(0)}:${(s.heapUsed / 1048576).toFixed(1)}`).join(' ')}`,
    `RSS baseline ${mib(r.rssBaseline)} at ${(r.rssBaselineAtMs / 1000).toFixed(0)} s, final ${mib(r.rssFinal)} (${r.rssGrowth >= 0 ? '+' : ''}${(r.rssGrowth * 100).toFixed(1)}%), max ${mib(r.rssMax)}`,
    r.converged
      ? `converged ${(r.convergenceMs / 1000).toFixed(1)} s after the last op: ${r.generatedObjects} generated objects, ${r.statuses} statuses equal a fresh translation`
      : `NOT converged; differences:\n  ${r.diffs.slice(0, 40).join('\n  ')}`,
    `route status.parents overflows: ${r.parentOverflows.length ? `\n  ${r.parentOverflows.slice(0, 20).join('\n  ')}` : 'none'} (statuses still for an older generation with more parents, seen in samples: ${r.laggingRouteStatuses})`,
  ];
  return lines.join('\n');
}

/** The pass/fail criteria of the soak. */
export function soakProblems(r: SoakReport): string[] {
  const p: string[] = [];
  if (!r.converged) p.push('cluster did not converge to a fresh translation of the final inputs');
  if (r.rssGrowth > 0.2) p.push(`controller RSS grew ${(r.rssGrowth * 100).toFixed(1)}% (> 20%) past its baseline`);
  if (r.parentOverflows.length) p.push(`${r.parentOverflows.length} route status.parents overflows`);
  if (r.ops === 0) p.push('no churn ops ran');
  return p;
}

if (require.main === module) {
  const durationMs = Number(process.env.MESHGATE_SOAK_MS ?? 600_000);
  runSoak({ durationMs, seed: process.env.MESHGATE_SOAK_SEED ? Number(process.env.MESHGATE_SOAK_SEED) : undefined, opsPerSec: process.env.MESHGATE_SOAK_OPS ? Number(process.env.MESHGATE_SOAK_OPS) : undefined })
    .then((r) => {
      process.stdout.write(`${formatReport(r)}\n`);
      const problems = soakProblems(r);
      process.stdout.write(problems.length ? `FAIL: ${problems.join('; ')}\n` : 'PASS\n');
      process.exit(problems.length ? 1 : 0);
    })
    .catch((e) => {
      process.stderr.write(`${(e as Error).stack}\n`);
      process.exit(2);
    });
}
