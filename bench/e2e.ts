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
// BENCH_CONTROLLER_ARGS (extra controller flags), BENCH_NODE_ARGS (e.g. --cpu-prof), BENCH_KEEP=1.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, fstatSync, closeSync, writeFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type TestCluster } from '../e2e/cluster/harness';
import { freePort, parseMetrics } from '../e2e/support/controller';
import { informer } from '../src/informers/informer';
import { KubeClient } from '../src/kube/client';
import { loadKubeConfig } from '../src/kube/kubeconfig';
import { R } from '../src/kube/resources';
import type { KubeObject } from '../translators/api/meta';

const REPO = path.resolve(__dirname, '..');
const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const ROUTES = env('BENCH_ROUTES', 1000);
const GATEWAYS = env('BENCH_GATEWAYS', 100);
const ROUTES_PER_GW = env('BENCH_ROUTES_PER_GATEWAY', 10);
const CONCURRENCY = env('BENCH_CONCURRENCY', 20);
const IDLE_MS = env('BENCH_IDLE_MS', 60_000);
/** Which phases to run (A1, A2, B), comma-separated; default all. */
const PHASES = (process.env.BENCH_PHASES ?? 'A1,A2,B').split(',').map((x) => x.trim().toUpperCase());
const CONTROLLER = 'gateways.kuma.io/controller';
const CLASS = 'bench';
const SYSTEM_NS = 'kuma-system';
const GW_API = 'gateway.networking.k8s.io/v1';

const TARGETS = {
  convergeMs: 1000,
  routeStatusWritesPerRoute: 1.05,
  gatewayStatusWrites: 15,
  idleWrites: 0,
  rssMB: 150,
  limitRatio: 1.5,
};

const out = (s = '') => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (n: number) => `${Math.round(n)} ms`;
const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');

// ---- a plain client: HTTPS keep-alive, admin certificate, bounded concurrency ----------

class Plain {
  private readonly agent: https.Agent;
  constructor(private readonly cluster: TestCluster) {
    const { pki } = cluster;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: readFileSync(pki.caCert), cert: readFileSync(pki.adminCert), key: readFileSync(pki.adminKey) });
  }
  request(method: string, urlPath: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: string }> {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(urlPath, this.cluster.server), {
        method, agent: this.agent,
        headers: { 'User-Agent': 'bench-client', Accept: 'application/json', ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }
  /** Server-side apply, as kubectl apply --server-side does. */
  async apply(o: KubeObject): Promise<void> {
    const p = objectPath(o);
    const r = await this.request('PATCH', `${p}?fieldManager=bench&force=true`, o, 'application/apply-patch+yaml');
    if (r.status >= 300) throw new Error(`apply ${o.kind} ${o.metadata.namespace}/${o.metadata.name}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
  }
  /** Applies all objects, CONCURRENCY in flight; resolves with the time the last apply returned. */
  async applyAll(objs: KubeObject[], concurrency = CONCURRENCY): Promise<{ first: number; last: number }> {
    let i = 0;
    const first = Date.now();
    let last = first;
    await Promise.all(Array.from({ length: Math.min(concurrency, objs.length) }, async () => {
      while (i < objs.length) {
        const o = objs[i++];
        await this.apply(o);
        last = Date.now();
      }
    }));
    return { first, last };
  }
  close(): void { this.agent.destroy(); }
}

const PLURAL: Record<string, string> = { Namespace: 'namespaces', Service: 'services', ConfigMap: 'configmaps', GatewayClass: 'gatewayclasses', Gateway: 'gateways', HTTPRoute: 'httproutes' };
function objectPath(o: KubeObject): string {
  const plural = PLURAL[o.kind];
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : '';
  return `${base}${ns}/${plural}/${encodeURIComponent(o.metadata.name)}`;
}

// ---- manifests --------------------------------------------------------------------------

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const svc = (namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } } as KubeObject);
const gw = (namespace: string, name: string): KubeObject => ({ apiVersion: GW_API, kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: CLASS, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } } as KubeObject);
const route = (namespace: string, gateway: string, name: string): KubeObject => ({
  apiVersion: GW_API, kind: 'HTTPRoute', metadata: { name, namespace },
  spec: { parentRefs: [{ name: gateway }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${name}` } }], backendRefs: [{ name: 'web', port: 8080 }] }] },
} as KubeObject);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

// ---- watching convergence ---------------------------------------------------------------

interface Expect { namespace: string; gateways: Map<string, number> } // Gateway name → routes

/** Watches the phase's routes, Gateways and MeshHTTPRoutes; resolves at the first instant all are converged. */
class Watcher {
  private readonly accepted = new Set<string>();
  private readonly attached = new Map<string, number>();
  private readonly programmed = new Set<string>();
  private readonly mhr = new Map<string, string>(); // MeshHTTPRoute name → MeshGateway
  private readonly mhrPerGw = new Map<string, number>();
  private readonly subs: { unsubscribe(): void }[] = [];
  private readonly routesTotal: number;
  private done: (t: number) => void = () => {};
  readonly converged: Promise<number>;
  programmedAt = 0;

  constructor(client: KubeClient, private readonly e: Expect) {
    this.routesTotal = [...e.gateways.values()].reduce((a, b) => a + b, 0);
    this.converged = new Promise((r) => { this.done = r; });
    const on = (f: (o: KubeObject, deleted: boolean) => void) => (ev: { type: string; object?: KubeObject }) => { if (ev.object && (ev.type === 'upsert' || ev.type === 'delete')) { f(ev.object, ev.type === 'delete'); this.check(); } };
    this.subs.push(informer(client, R.httpRoutes, { namespace: e.namespace }).subscribe(on((o) => {
      type P = { controllerName: string; conditions: { type: string; status: string; observedGeneration?: number }[] };
      const parents = ((o as { status?: { parents?: P[] } }).status?.parents ?? []).filter((p) => p.controllerName === CONTROLLER);
      const ok = parents.some((p) => p.conditions.some((c) => c.type === 'Accepted' && c.status === 'True' && c.observedGeneration === o.metadata.generation));
      if (ok) this.accepted.add(o.metadata.name); else this.accepted.delete(o.metadata.name);
    })));
    this.subs.push(informer(client, R.gateways, { namespace: e.namespace }).subscribe(on((o) => {
      const st = (o as { status?: { listeners?: { attachedRoutes: number }[]; conditions?: { type: string; status: string }[] } }).status;
      this.attached.set(o.metadata.name, st?.listeners?.[0]?.attachedRoutes ?? 0);
      if (st?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True')) this.programmed.add(o.metadata.name);
      if (this.programmed.size === e.gateways.size && !this.programmedAt) this.programmedAt = Date.now();
    })));
    this.subs.push(informer(client, R.meshHTTPRoutes, { namespace: SYSTEM_NS }).subscribe(on((o, deleted) => {
      const target = (o as { spec?: { targetRef?: { name?: string } } }).spec?.targetRef?.name ?? '';
      const prev = this.mhr.get(o.metadata.name);
      if (prev !== undefined) { this.mhr.delete(o.metadata.name); this.mhrPerGw.set(prev, (this.mhrPerGw.get(prev) ?? 1) - 1); }
      if (!deleted) { this.mhr.set(o.metadata.name, target); this.mhrPerGw.set(target, (this.mhrPerGw.get(target) ?? 0) + 1); }
    })));
  }

  private check(): void {
    if (this.accepted.size !== this.routesTotal) return;
    for (const [name, n] of this.e.gateways) {
      if (this.attached.get(name) !== n) return;
      if ((this.mhrPerGw.get(`${name}.${this.e.namespace}`) ?? 0) !== n) return;
    }
    this.done(Date.now());
  }

  state(): string {
    const mhr = [...this.e.gateways.keys()].reduce((a, g) => a + (this.mhrPerGw.get(`${g}.${this.e.namespace}`) ?? 0), 0);
    const att = [...this.e.gateways.keys()].reduce((a, g) => a + (this.attached.get(g) ?? 0), 0);
    return `accepted ${this.accepted.size}/${this.routesTotal}, attached ${att}/${this.routesTotal}, MeshHTTPRoutes ${mhr}/${this.routesTotal}`;
  }

  stop(): void { for (const s of this.subs) s.unsubscribe(); }
}

// ---- meshgate -------------------------------------------------------------------------

interface Meshgate { child: ChildProcess; pid: number; metricsURL: string; logFile: string }

function compile(): string {
  const outDir = path.join(REPO, '.meshgate-cache', 'bench-dist');
  rmSync(outDir, { recursive: true, force: true });
  out(`compiling meshgate (tsc -p tsconfig.build.json --outDir ${path.relative(REPO, outDir)})...`);
  execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: REPO, stdio: 'inherit' });
  return path.join(outDir, 'src', 'cli.js');
}

async function startMeshgate(cli: string, kubeconfig: string, logDir: string): Promise<Meshgate> {
  const port = await freePort();
  const logFile = path.join(logDir, 'meshgate.log');
  const extra = (process.env.BENCH_CONTROLLER_ARGS ?? '').split(/\s+/).filter(Boolean);
  // As shipped: the chart's default NODE_OPTIONS (heap caps), then BENCH_NODE_ARGS (e.g. --cpu-prof).
  const nodeArgs = [...chartNodeOptions(), ...(process.env.BENCH_NODE_ARGS ?? '').split(/\s+/)].filter(Boolean);
  const args = [...nodeArgs, cli, 'controller', `--kubeconfig=${kubeconfig}`, `--metrics-address=127.0.0.1:${port}`, '--gui-address=off', '--log-format=json', ...extra];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  process.on('exit', () => child.kill('SIGKILL'));
  const m: Meshgate = { child, pid: child.pid!, metricsURL: `http://127.0.0.1:${port}/metrics`, logFile };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`meshgate exited (see ${logFile})`);
    try { if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break; } catch { /* starting */ }
    if (Date.now() > deadline) throw new Error('meshgate not ready in 120 s');
    await sleep(100);
  }
  const mem = memory(m.pid);
  out(`meshgate pid ${m.pid}, node ${nodeArgs.join(' ')}${extra.length ? ` (extra args: ${extra.join(' ')})` : ''}, RSS when ready ${mem.rssMB.toFixed(0)} MB (${await heap(m)}), log ${logFile}`);
  return m;
}

/** `nodeOptions` from the chart's values.yaml: the flags the shipped Deployment runs node with. */
function chartNodeOptions(): string[] {
  const m = /^nodeOptions:\s*"([^"]*)"/m.exec(readFileSync(path.join(REPO, 'charts', 'meshgate', 'values.yaml'), 'utf8'));
  return m ? m[1].split(/\s+/) : [];
}

async function writesOf(m: Meshgate): Promise<Record<string, number>> {
  const res: Record<string, number> = {};
  for (const x of parseMetrics(await (await fetch(m.metricsURL)).text())) {
    // Not writes, but the same before/after bookkeeping: translation batches and their CPU time.
    if (x.name === 'meshgate_translation_duration_seconds_count') res['~translations'] = x.value;
    if (x.name === 'meshgate_translation_duration_seconds_sum') res['~translation ms'] = Math.round(x.value * 1000);
    if (x.name === 'meshgate_process_cpu_seconds_total') res['~cpu ms'] = Math.round(x.value * 1000);
    if (x.name !== 'meshgate_writes_total' || x.value === 0) continue;
    const k = `${x.labels.kind} ${x.labels.verb}${x.labels.result !== 'ok' ? ` (${x.labels.result})` : ''}`;
    res[k] = (res[k] ?? 0) + x.value;
  }
  return res;
}

async function idle(m: Meshgate, quietMs = 1000): Promise<void> {
  let quietSince = Date.now();
  let last = -1;
  for (;;) {
    const xs = parseMetrics(await (await fetch(m.metricsURL)).text());
    const busy = xs.filter((x) => x.name === 'meshgate_queue_depth' || x.name === 'meshgate_writes_in_flight').reduce((a, x) => a + x.value, 0);
    const w = xs.filter((x) => x.name === 'meshgate_writes_total').reduce((a, x) => a + x.value, 0);
    if (busy > 0 || w !== last) quietSince = Date.now();
    last = w;
    if (Date.now() - quietSince >= quietMs) return;
    await sleep(100);
  }
}

async function heap(m: Meshgate): Promise<string> {
  const xs = parseMetrics(await (await fetch(m.metricsURL)).text());
  const mb = (name: string) => (xs.filter((x) => x.name === name).reduce((a, x) => a + x.value, 0) / 1048576).toFixed(0);
  return `heap used ${mb('meshgate_nodejs_heap_size_used_bytes')} MB of ${mb('meshgate_nodejs_heap_size_total_bytes')} MB, external ${mb('meshgate_nodejs_external_memory_bytes')} MB`;
}

function memory(pid: number): { hwmMB: number; rssMB: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
  return { hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
}

const diff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys({ ...a, ...b }).map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)]).filter(([, v]) => v !== 0).sort(([x], [y]) => (x < y ? -1 : 1))) as Record<string, number>;

// ---- the API server's view: audit log (user agent) and apiserver_request_total -----------

interface AuditEvent { verb: string; userAgent?: string; objectRef?: { resource?: string; subresource?: string }; responseStatus?: { code?: number }; requestReceivedTimestamp: string; stageTimestamp: string }

class Audit {
  private offset = 0;
  constructor(readonly file: string) {}
  /** Audit events since the last call. */
  take(): AuditEvent[] {
    if (!existsSync(this.file)) return [];
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      const text = buf.toString('utf8');
      const end = text.lastIndexOf('\n') + 1;
      this.offset += Buffer.byteLength(text.slice(0, end));
      return text.slice(0, end).split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent);
    } finally {
      closeSync(fd);
    }
  }
}

function byUserAgent(events: AuditEvent[], agent: RegExp): { counts: Record<string, number>; latency: Record<string, number>; first?: number; last?: number } {
  const counts: Record<string, number> = {};
  const total: Record<string, number> = {};
  let first: number | undefined;
  let last: number | undefined;
  for (const e of events) {
    if (!agent.test(e.userAgent ?? '')) continue;
    const res = `${e.objectRef?.resource ?? '?'}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`;
    const k = `${res} ${e.verb}${(e.responseStatus?.code ?? 200) >= 300 ? ` (${e.responseStatus?.code})` : ''}`;
    counts[k] = (counts[k] ?? 0) + 1;
    const t0 = Date.parse(e.requestReceivedTimestamp);
    const t1 = Date.parse(e.stageTimestamp);
    total[k] = (total[k] ?? 0) + (t1 - t0);
    first = first === undefined ? t0 : Math.min(first, t0);
    last = last === undefined ? t1 : Math.max(last, t1);
  }
  const sorted = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1));
  return { counts: Object.fromEntries(sorted), latency: Object.fromEntries(sorted.map(([k, n]) => [k, Math.round(total[k] / n)])), first, last };
}

async function apiserverRequests(plain: Plain): Promise<Record<string, number>> {
  const r = await plain.request('GET', '/metrics');
  const res: Record<string, number> = {};
  for (const x of parseMetrics(r.body)) {
    if (x.name !== 'apiserver_request_total') continue;
    if (!['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY', 'CREATE', 'UPDATE'].includes(x.labels.verb)) continue;
    const k = `${x.labels.resource}${x.labels.subresource ? `/${x.labels.subresource}` : ''} ${x.labels.verb}`;
    res[k] = (res[k] ?? 0) + x.value;
  }
  return res;
}

// ---- phases -----------------------------------------------------------------------------

interface PhaseResult {
  name: string;
  routes: number;
  gateways: number;
  createMs: number;
  convergeAfterLastMs: number;
  /** First create → converged. */
  convergeMs: number;
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
  /** A plain client, alone: creating these routes (HTTPRoutes, CONCURRENCY in flight), then doing meshgate's writes for them. */
  ownWritesMs: { createMs: number; writesMs: number };
}

async function phase(
  name: string, plain: Plain, client: KubeClient, m: Meshgate, audit: Audit,
  namespace: string, gateways: Map<string, number>, mode: 'parallel' | 'sequential',
): Promise<PhaseResult> {
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
  const timeout = sleep(300_000).then(() => 0);
  const reporter = setInterval(() => out(`  ... +${Date.now() - last} ms: ${watcher.state()}`), env('BENCH_REPORT_MS', 5000));
  const converged = await Promise.race([watcher.converged, timeout]);
  clearInterval(reporter);
  if (!converged) out(`  NOT CONVERGED after 300 s: ${watcher.state()}`);
  await idle(m, 1500);
  const w1 = await writesOf(m);
  const a1 = await apiserverRequests(plain);
  const events = audit.take();
  const au = byUserAgent(events, /^meshgate$/);
  const bench = byUserAgent(events, /^bench-client$/);
  const programmedAfterLastMs = gateways.size > 1 && watcher.programmedAt ? watcher.programmedAt - last : undefined;
  watcher.stop();
  const all = diff(w0, w1);
  const writes = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('~')));
  const work = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('~')).map(([k, v]) => [k.slice(1), v]));
  // The physical limit: a plain client writing as many objects as were created (ConfigMaps),
  // the same way (at once with the same concurrency, or one by one), on the same API server.
  const plainN = objs.length;
  const cmNs = `${namespace}-plain`;
  await plain.applyAll([ns(cmNs)], 1);
  const cms = Array.from({ length: plainN }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${pad(i, 5)}`, namespace: cmNs }, data: { route: `r-${i}`, path: `/r-${i}` } }) as KubeObject);
  const p = await plain.applyAll(cms, mode === 'parallel' ? CONCURRENCY : 1);
  // A second reference: meshgate's own writes (one MeshHTTPRoute apply and one HTTPRoute status
  // patch per route) done by a plain client, CONCURRENCY in flight, with nothing else running.
  const ownWritesMs = await plainMeshgateWrites(plain, `${namespace}-ref`, nRoutes, gateways.size === 1 ? 0 : gateways.size, mode === 'parallel' ? CONCURRENCY : 1);
  return {
    name, routes: nRoutes, gateways: gateways.size, createMs: last - first,
    convergeAfterLastMs: converged ? converged - last : NaN, convergeMs: converged ? converged - first : NaN, programmedAfterLastMs,
    writes, work, audit: au.counts, auditLatency: au.latency, benchLatency: bench.latency, auditSpanMs: au.first !== undefined && au.last !== undefined ? au.last - au.first : undefined,
    apiserver: diff(a0, a1), hwmMB: memory(m.pid).hwmMB, plainMs: p.last - p.first, plainN, mode, ownWritesMs,
  };
}

/** Times for a plain client, alone, to create n routes and then to write what meshgate writes for them. */
async function plainMeshgateWrites(plain: Plain, namespace: string, n: number, gateways: number, createConcurrency: number): Promise<{ createMs: number; writesMs: number }> {
  await plain.applyAll([ns(namespace), svc(namespace)], 1);
  const names = Array.from({ length: n }, (_, i) => `r-${pad(i, 4)}`);
  // The same creates as the phase: its Gateways (of a class nobody serves) first, then the routes.
  const gws = Array.from({ length: gateways }, (_, i) => ({ ...gw(namespace, `gw-${pad(i, 3)}`), spec: { gatewayClassName: 'nobody', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } }) as KubeObject);
  const created = await plain.applyAll([...gws, ...names.map((r) => route(namespace, 'no-such-gateway', r))], createConcurrency);
  const jobs: (() => Promise<void>)[] = [];
  for (const r of names) {
    jobs.push(async () => {
      const mhr = {
        apiVersion: 'kuma.io/v1alpha1', kind: 'MeshHTTPRoute', metadata: { name: `${r}-${namespace}-0123abcd`, namespace, labels: { 'kuma.io/mesh': 'default' } },
        spec: { targetRef: { kind: 'MeshGateway', name: `gw.${namespace}`, tags: { 'gateways.kuma.io/listener-name': 'http' } }, to: [{ targetRef: { kind: 'Mesh' }, rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${r}` } }], default: { backendRefs: [{ kind: 'MeshService', name: `web_${namespace}_svc_8080`, weight: 1 }] } }] }] },
      };
      const a = await plain.request('PATCH', `/apis/kuma.io/v1alpha1/namespaces/${namespace}/meshhttproutes/${mhr.metadata.name}?fieldManager=bench&force=true`, mhr, 'application/apply-patch+yaml');
      if (a.status >= 300) throw new Error(`MeshHTTPRoute apply: HTTP ${a.status} ${a.body.slice(0, 200)}`);
    });
    jobs.push(async () => {
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const cond = (type: string) => ({ type, status: 'True', reason: type, message: type, observedGeneration: 1, lastTransitionTime: now });
      const status = { parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'no-such-gateway' }, controllerName: 'bench.example.com/plain', conditions: [cond('Accepted'), cond('ResolvedRefs')] }] };
      const b = await plain.request('PATCH', `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes/${r}/status`, { status }, 'application/merge-patch+json');
      if (b.status >= 300) throw new Error(`HTTPRoute status: HTTP ${b.status} ${b.body.slice(0, 200)}`);
    });
  }
  let i = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (i < jobs.length) await jobs[i++](); }));
  return { createMs: created.last - created.first, writesMs: Date.now() - t0 };
}

function report(r: PhaseResult): void {
  const routeStatus = (r.writes['HTTPRoute status'] ?? 0) / r.routes;
  const gwStatus = r.writes['Gateway status'] ?? 0;
  const nWrites = Object.values(r.writes).reduce((a, b) => a + b, 0);
  out(`\n-- ${r.name}: ${r.routes} routes on ${r.gateways} Gateway(s)`);
  out(`  created in ${ms(r.createMs)}`);
  out(`  ${mark(r.convergeAfterLastMs <= TARGETS.convergeMs)} converged ${ms(r.convergeAfterLastMs)} after the last create        (target <= ${TARGETS.convergeMs} ms)`);
  if (r.programmedAfterLastMs !== undefined) out(`       all Gateways Programmed ${ms(r.programmedAfterLastMs)} after the last create`);
  out(`  ${mark(routeStatus <= TARGETS.routeStatusWritesPerRoute)} route-status writes per route: ${routeStatus.toFixed(3)}      (target <= ${TARGETS.routeStatusWritesPerRoute})`);
  if (r.gateways === 1) out(`  ${mark(gwStatus <= TARGETS.gatewayStatusWrites)} Gateway status writes: ${gwStatus}                 (target <= ${TARGETS.gatewayStatusWrites})`);
  else out(`       Gateway status writes: ${gwStatus} (${(gwStatus / r.gateways).toFixed(2)} per Gateway)`);
  const ratio = r.convergeMs / r.plainMs;
  const how = r.mode === 'parallel' ? `${CONCURRENCY} in flight` : 'one by one';
  // The physical limit: a plain client alone writing the same objects — the routes, then one
  // MeshHTTPRoute and one route status per route — on the same API server in the same run.
  const own = r.ownWritesMs.createMs + r.ownWritesMs.writesMs;
  const limit = r.convergeMs / own;
  out(`  ${mark(limit <= TARGETS.limitRatio)} converged ${ms(r.convergeMs)} after the first create; a plain client alone creates the same ${r.gateways > 1 ? `${r.gateways} Gateways and ` : ''}${r.routes} HTTPRoutes (${how}) in ${ms(r.ownWritesMs.createMs)}, then writes what meshgate writes for them (${r.routes} MeshHTTPRoute applies + ${r.routes} HTTPRoute status patches, ${CONCURRENCY} in flight) in ${ms(r.ownWritesMs.writesMs)}: ${limit.toFixed(2)}x that limit   (target <= ${TARGETS.limitRatio}x)`);
  out(`       meshgate's ${nWrites} writes spanned ${ms(r.auditSpanMs ?? NaN)} (first to last, audit log)`);
  out(`       for scale: a plain client writes ${r.plainN} ConfigMaps (${how}) in ${ms(r.plainMs)}; converged/that = ${ratio.toFixed(2)}x (ConfigMaps are cheaper than CEL-validated HTTPRoutes, and meshgate writes two objects per route)`);
  out(`  ${mark(r.hwmMB <= TARGETS.rssMB)} meshgate peak RSS (VmHWM) so far: ${r.hwmMB.toFixed(0)} MB             (target <= ${TARGETS.rssMB} MB)`);
  out(`  meshgate /metrics writes: ${JSON.stringify(r.writes)}`);
  out(`  meshgate work: ${r.work.translations ?? 0} translation batches taking ${r.work['translation ms'] ?? 0} ms; ${r.work['cpu ms'] ?? 0} ms CPU`);
  out(`  audit log, user agent "meshgate": ${JSON.stringify(r.audit)}`);
  out(`  mean time in the API server (ms): meshgate ${JSON.stringify(r.auditLatency)}; the bench's creates ${JSON.stringify(r.benchLatency)}`);
  const mine = Object.fromEntries(Object.entries(r.apiserver).filter(([k]) => /^(meshhttproutes|meshgateways|meshtcproutes|events|httproutes\/status|gateways\/status|deployments|services|secrets) /.test(k)));
  out(`  apiserver_request_total (no user-agent label; resources meshgate writes, any client): ${JSON.stringify(mine)}`);
}

async function main(): Promise<void> {
  out(`meshgate end-to-end benchmark (${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  const cli = compile();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshgate-bench-'));
  const policy = path.join(tmp, 'audit-policy.yaml');
  writeFileSync(policy, [
    'apiVersion: audit.k8s.io/v1', 'kind: Policy', 'omitStages: ["RequestReceived"]', 'rules:',
    '- level: Metadata', '  verbs: ["create", "update", "patch", "delete", "deletecollection"]', '- level: None', '',
  ].join('\n'));
  const auditFile = path.join(tmp, 'audit.log');
  const cluster = await startCluster({
    name: 'bench',
    apiServerArgs: [
      // As in production (the test harness turns it off): the API server queues and sheds load.
      '--enable-priority-and-fairness=true',
      `--audit-policy-file=${policy}`, `--audit-log-path=${auditFile}`, '--audit-log-format=json', '--audit-log-maxsize=0',
    ],
    log: (s) => out(`[cluster] ${s}`),
  });
  const plain = new Plain(cluster);
  const audit = new Audit(auditFile);
  let m: Meshgate | undefined;
  try {
    await plain.applyAll([ns(SYSTEM_NS), { apiVersion: GW_API, kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName: CONTROLLER } } as KubeObject], 1);
    mkdirSync(path.join(tmp, 'logs'), { recursive: true });
    m = await startMeshgate(cli, cluster.kubeconfigPath, path.join(tmp, 'logs'));
    const client = await KubeClient.create(loadKubeConfig(cluster.kubeconfigPath), { qps: 1e6, burst: 1e6 });
    const results: PhaseResult[] = [];
    const run = (p: string) => PHASES.includes(p);
    if (run('A1')) {
      results.push(await phase('A1: routes created at once', plain, client, m, audit, 'bench-a1', new Map([['gw', ROUTES]]), 'parallel'));
      report(results[results.length - 1]);
    }
    if (run('A2')) {
      results.push(await phase('A2: routes created one by one', plain, client, m, audit, 'bench-a2', new Map([['gw', ROUTES]]), 'sequential'));
      report(results[results.length - 1]);
    }
    if (run('B')) {
      const gwMap = new Map(Array.from({ length: GATEWAYS }, (_, i) => [`gw-${pad(i, 3)}`, ROUTES_PER_GW] as [string, number]));
      results.push(await phase(`B: ${GATEWAYS} Gateways x ${ROUTES_PER_GW} routes at once`, plain, client, m, audit, 'bench-b', gwMap, 'parallel'));
      report(results[results.length - 1]);
    }

    out(`\n== idle: ${IDLE_MS / 1000} s with nothing changing`);
    await idle(m, 1000);
    audit.take();
    const w0 = await writesOf(m);
    await sleep(IDLE_MS);
    const idleWrites = Object.fromEntries(Object.entries(diff(w0, await writesOf(m))).filter(([k]) => !k.startsWith('~')));
    const idleAudit = byUserAgent(audit.take(), /^meshgate$/).counts;
    const n = Object.values(idleWrites).reduce((a, b) => a + b, 0);
    out(`  ${mark(n <= TARGETS.idleWrites)} writes in ${IDLE_MS / 1000} s idle: ${n} ${JSON.stringify(idleWrites)}; audit log: ${JSON.stringify(idleAudit)}   (target ${TARGETS.idleWrites})`);
    const mem = memory(m.pid);
    out(`  ${mark(mem.hwmMB <= TARGETS.rssMB)} meshgate peak RSS (VmHWM): ${mem.hwmMB.toFixed(0)} MB, RSS now ${mem.rssMB.toFixed(0)} MB (${await heap(m)}), holding ${results.reduce((a, r) => a + r.routes, 0)} routes   (target <= ${TARGETS.rssMB} MB)`);

    if (process.env.BENCH_HEAPSNAPSHOT === '1') {
      // Needs BENCH_NODE_ARGS=--heapsnapshot-signal=SIGUSR2; the file lands in the repo directory.
      m.child.kill('SIGUSR2');
      out('  heap snapshot requested (SIGUSR2); waiting 20 s');
      await sleep(20_000);
    }
    out('\n== summary');
    out('phase                                     routes  create ms  converge-after-last ms  route-status/route  gw-status  writes  converge/limit  converge/ConfigMaps');
    for (const r of results) {
      const nW = Object.values(r.writes).reduce((a, b) => a + b, 0);
      out(`${r.name.padEnd(42)}${String(r.routes).padStart(6)}${String(Math.round(r.createMs)).padStart(11)}${String(Math.round(r.convergeAfterLastMs)).padStart(24)}${((r.writes['HTTPRoute status'] ?? 0) / r.routes).toFixed(3).padStart(20)}${String(r.writes['Gateway status'] ?? 0).padStart(11)}${String(nW).padStart(8)}${(r.convergeMs / (r.ownWritesMs.createMs + r.ownWritesMs.writesMs)).toFixed(2).padStart(15)}${(r.convergeMs / r.plainMs).toFixed(2).padStart(21)}`);
    }
    client.close();
  } finally {
    if (m && m.child.exitCode === null) {
      const exited = new Promise((r) => m!.child.once('exit', r));
      m.child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
    }
    plain.close();
    await cluster.stop();
    if (process.env.BENCH_KEEP !== '1') rmSync(tmp, { recursive: true, force: true });
    else out(`kept ${tmp}`);
  }
}

main().then(() => process.exit(0), (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(1); });
