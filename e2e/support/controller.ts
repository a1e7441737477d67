// e2e support: run the real `meshgate controller` as a child process against a real API server,
// with its own controllerName (so test files sharing one cluster never see each other's
// Gateways), and read what it did from its /metrics endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(REPO, 'e2e', '.artifacts', 'controllers');
let seq = 0;

export interface ControllerProcess {
  name: string;
  pid: number;
  metricsURL: string;
  logFile: string;
  /** "Kind verb" → count of writes (all results), from meshgate_writes_total. */
  writes(): Promise<Record<string, number>>;
  totalWrites(): Promise<number>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Resolves when the queue is empty and nothing is in flight for `quietMs`. */
  idle(quietMs?: number, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const p of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[p[1]] = p[2];
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

export async function startController(kubeconfigPath: string, opts: { controllerName: string; args?: string[]; env?: NodeJS.ProcessEnv; waitReady?: boolean }): Promise<ControllerProcess> {
  const port = await freePort();
  mkdirSync(ARTIFACTS, { recursive: true });
  const name = `${opts.controllerName.replace(/[^a-z0-9]+/gi, '-')}-${process.pid}-${++seq}`;
  const logFile = path.join(ARTIFACTS, `${name}.log`);
  const log = createWriteStream(logFile);
  const args = [
    '-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'controller',
    `--kubeconfig=${kubeconfigPath}`, `--controller-name=${opts.controllerName}`,
    `--metrics-address=127.0.0.1:${port}`, '--gui-address=off', '--log-format=json',
    `--log-level=${process.env.MESHGATE_E2E_LOG ?? 'info'}`, ...(opts.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => { exited = true; r(); }));
  const metricsURL = `http://127.0.0.1:${port}/metrics`;
  const scrape = async () => parseMetrics(await (await fetch(metricsURL)).text());
  const proc: ControllerProcess = {
    name, pid: child.pid!, metricsURL, logFile,
    async writes() {
      const out: Record<string, number> = {};
      for (const m of await scrape()) if (m.name === 'meshgate_writes_total' && m.value > 0) out[`${m.labels.kind} ${m.labels.verb}`] = (out[`${m.labels.kind} ${m.labels.verb}`] ?? 0) + m.value;
      return out;
    },
    async totalWrites() {
      return Object.values(await proc.writes()).reduce((a, b) => a + b, 0);
    },
    async metric(metricName, labels = {}) {
      return (await scrape()).filter((m) => m.name === metricName && Object.entries(labels).every(([k, v]) => m.labels[k] === v)).reduce((a, m) => a + m.value, 0);
    },
    async idle(quietMs = 1000, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let quietSince = 0;
      let lastWrites = -1;
      for (;;) {
        const ms = await scrape();
        const busy = ms.filter((m) => m.name === 'meshgate_queue_depth' || m.name === 'meshgate_writes_in_flight').reduce((a, m) => a + m.value, 0);
        const writes = ms.filter((m) => m.name === 'meshgate_writes_total').reduce((a, m) => a + m.value, 0);
        if (busy > 0 || writes !== lastWrites) quietSince = Date.now();
        lastWrites = writes;
        if (Date.now() - quietSince >= quietMs) return;
        if (Date.now() > deadline) throw new Error(`controller ${name} not idle after ${timeoutMs} ms (log: ${logFile})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill(signal = 'SIGKILL') {
      if (!exited) child.kill(signal);
      await exit;
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(t);
    },
  };
  if (opts.waitReady !== false) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`controller exited during start-up (log: ${logFile})`);
      try { if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break; } catch { /* not listening yet */ }
      if (Date.now() > deadline) { await proc.kill(); throw new Error(`controller not ready after 60 s (log: ${logFile})`); }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return proc;
}

/** A unique controllerName per test file. */
export function testControllerName(suite: string): string {
  return `meshgate.test/${suite.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}`;
}
