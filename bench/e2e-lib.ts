// Shared by the end-to-end benchmarks (bench/e2e.ts, bench/e2e-large.ts): a plain HTTPS client,
// the manifests, a convergence watcher, the compiled meshgate process and its /metrics, and the
// API server's view (audit log by user agent, apiserver_request_total). Asserts nothing.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, openSync, readFileSync, readSync, fstatSync, closeSync, rmSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { TestCluster } from '../e2e/cluster/harness';
import { freePort, parseMetrics } from '../e2e/support/controller';
import { informer } from '../src/informers/informer';
import type { KubeClient } from '../src/kube/client';
import { R } from '../src/kube/resources';
import type { KubeObject } from '../translators/api/meta';

export const REPO = path.resolve(__dirname, '..');
export const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
export const CONCURRENCY = env('BENCH_CONCURRENCY', 20);
export const IDLE_MS = env('BENCH_IDLE_MS', 60_000);
export const CONTROLLER = 'gateways.kuma.io/controller';
export const CLASS = 'bench';
export const SYSTEM_NS = 'kuma-system';
export const GW_API = 'gateway.networking.k8s.io/v1';

export const out = (s = '') => process.stdout.write(`${s}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const ms = (n: number) => `${Math.round(n)} ms`;
export const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');

// ---- a plain client: HTTPS keep-alive, admin certificate, bounded concurrency ----------

export class Plain {
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

export const PLURAL: Record<string, string> = { Namespace: 'namespaces', Service: 'services', ConfigMap: 'configmaps', GatewayClass: 'gatewayclasses', Gateway: 'gateways', HTTPRoute: 'httproutes', Deployment: 'deployments', MeshGateway: 'meshgateways' };
export function objectPath(o: KubeObject): string {
  const plural = PLURAL[o.kind];
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : '';
  return `${base}${ns}/${plural}/${encodeURIComponent(o.metadata.name)}`;
}

// ---- manifests --------------------------------------------------------------------------

export const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
export const svc = (namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } } as KubeObject);
export const gw = (namespace: string, name: string): KubeObject => ({ apiVersion: GW_API, kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: CLASS, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } } as KubeObject);
export const route = (namespace: string, gateway: string, name: string): KubeObject => ({
  apiVersion: GW_API, kind: 'HTTPRoute', metadata: { name, namespace },
  spec: { parentRefs: [{ name: gateway }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${name}` } }], backendRefs: [{ name: 'web', port: 8080 }] }] },
} as KubeObject);
export const pad = (n: number, w: number) => String(n).padStart(w, '0');

// ---- watching convergence ---------------------------------------------------------------

export interface Expect { namespace: string; gateways: Map<string, number> } // Gateway name → routes

/** Watches the phase's routes, Gateways and MeshHTTPRoutes; resolves at the first instant all are converged. */
export class Watcher {
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

export interface Meshgate { child: ChildProcess; pid: number; metricsURL: string; logFile: string }

export function compile(): string {
  const outDir = path.join(REPO, '.meshgate-cache', 'bench-dist');
  rmSync(outDir, { recursive: true, force: true });
  out(`compiling meshgate (tsc -p tsconfig.build.json --outDir ${path.relative(REPO, outDir)})...`);
  execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: REPO, stdio: 'inherit' });
  return path.join(outDir, 'src', 'cli.js');
}

/** Children being stopped on purpose (their exit is not a crash). */
const stopping = new WeakSet<object>();

export async function startMeshgate(cli: string, kubeconfig: string, logDir: string): Promise<Meshgate> {
  const port = await freePort();
  const logFile = path.join(logDir, 'meshgate.log');
  const extra = (process.env.BENCH_CONTROLLER_ARGS ?? '').split(/\s+/).filter(Boolean);
  // As shipped: the chart's default NODE_OPTIONS (heap caps), then BENCH_NODE_ARGS (e.g. --cpu-prof).
  const nodeArgs = [...chartNodeOptions(), ...(process.env.BENCH_NODE_ARGS ?? '').split(/\s+/)].filter(Boolean);
  const args = [...nodeArgs, cli, 'controller', `--kubeconfig=${kubeconfig}`, `--metrics-address=127.0.0.1:${port}`, '--gui-address=off', '--log-format=json', ...extra];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } });
  const log = createWriteStream(logFile, { flags: 'a' }); // a restart appends
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  process.on('exit', () => child.kill('SIGKILL'));
  // A crash must be visible in the output, with the end of its log (the log directory is removed afterwards).
  child.once('exit', (code, signal) => {
    if (stopping.has(child)) return;
    out(`\n!! meshgate (pid ${child.pid}) exited on its own: code ${code}, signal ${signal}; the end of ${logFile}:`);
    setTimeout(() => { try { out(readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')); } catch { /* gone */ } }, 200);
  });
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

/** Stops meshgate (SIGTERM, at most 10 s); an exit after this is not reported as a crash. */
export async function stopMeshgate(m: Meshgate): Promise<void> {
  if (m.child.exitCode !== null) return;
  stopping.add(m.child);
  const exited = new Promise((r) => m.child.once('exit', r));
  m.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
}

/** `nodeOptions` from the chart's values.yaml: the flags the shipped Deployment runs node with. */
export function chartNodeOptions(): string[] {
  const m = /^nodeOptions:\s*"([^"]*)"/m.exec(readFileSync(path.join(REPO, 'charts', 'meshgate', 'values.yaml'), 'utf8'));
  return m ? m[1].split(/\s+/) : [];
}

export async function writesOf(m: Meshgate): Promise<Record<string, number>> {
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

export async function idle(m: Meshgate, quietMs = 1000): Promise<void> {
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

export async function heap(m: Meshgate): Promise<string> {
  const xs = parseMetrics(await (await fetch(m.metricsURL)).text());
  const mb = (name: string) => (xs.filter((x) => x.name === name).reduce((a, x) => a + x.value, 0) / 1048576).toFixed(0);
  return `heap used ${mb('meshgate_nodejs_heap_size_used_bytes')} MB of ${mb('meshgate_nodejs_heap_size_total_bytes')} MB, external ${mb('meshgate_nodejs_external_memory_bytes')} MB`;
}

export function memory(pid: number): { hwmMB: number; rssMB: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
  return { hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
}

export const diff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys({ ...a, ...b }).map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)]).filter(([, v]) => v !== 0).sort(([x], [y]) => (x < y ? -1 : 1))) as Record<string, number>;

// ---- the API server's view: audit log (user agent) and apiserver_request_total -----------

export interface AuditEvent { verb: string; userAgent?: string; objectRef?: { resource?: string; subresource?: string }; responseStatus?: { code?: number }; requestReceivedTimestamp: string; stageTimestamp: string }

export class Audit {
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

export function byUserAgent(events: AuditEvent[], agent: RegExp): { counts: Record<string, number>; latency: Record<string, number>; first?: number; last?: number } {
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

export async function apiserverRequests(plain: Plain): Promise<Record<string, number>> {
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
