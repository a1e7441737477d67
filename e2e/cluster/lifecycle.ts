// The harness's process-level plumbing: the control-plane binaries (build.sh, once per process), temp
// directories left by killed runs, the exit hook that kills live clusters, kubeconfig files.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tailFile } from './proc';

const HARNESS_DIR = __dirname;
export const TMP_PREFIX = 'meshgate-e2e-';
export const OWNER_FILE = '.meshgate-owner-pid';
export const KEEP_FILE = '.meshgate-keep';

export const keepCluster = (): boolean => process.env.MESHGATE_KEEP_CLUSTER === '1';

let binDirPromise: Promise<string> | undefined;

/**
 * Runs build.sh once per process (instant when the binaries are cached) and returns the bin dir.
 * MESHGATE_K8S_BIN_DIR overrides it (no build).
 */
export function ensureBinaries(): Promise<string> {
  if (process.env.MESHGATE_K8S_BIN_DIR) return Promise.resolve(path.resolve(process.env.MESHGATE_K8S_BIN_DIR));
  binDirPromise ??= new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [path.join(HARNESS_DIR, 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out.trim().split('\n');
      const dir = lines[lines.length - 1]?.trim() ?? '';
      if (code !== 0 || !dir || !fs.existsSync(path.join(dir, 'kube-apiserver'))) {
        reject(new Error(`e2e/cluster/build.sh failed (exit ${code}):\n${out}`));
      } else {
        resolve(dir);
      }
    });
  });
  binDirPromise.catch(() => {
    binDirPromise = undefined;
  });
  return binDirPromise;
}

/** Removes temp cluster dirs whose owning Node process is gone (left by SIGKILLed test runs). */
export function sweepStaleDirs(): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(os.tmpdir()).filter((e) => e.startsWith(TMP_PREFIX));
  } catch {
    return;
  }
  for (const e of entries) {
    const d = path.join(os.tmpdir(), e);
    try {
      if (fs.existsSync(path.join(d, KEEP_FILE))) continue;
      const pid = Number(fs.readFileSync(path.join(d, OWNER_FILE), 'utf8').trim());
      if (!pid || pid === process.pid) continue;
      try {
        process.kill(pid, 0);
        continue; // owner alive
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') continue;
      }
      fs.rmSync(d, { recursive: true, force: true });
    } catch {
      // not ours or racing with another sweeper
    }
  }
}

export const liveClusters = new Set<{ killNow(): void }>();
let exitHookInstalled = false;
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of liveClusters) c.killNow();
  });
}

export function kubeconfigYaml(name: string, server: string, caPem: Buffer, user: Record<string, string>): string {
  const b64 = (b: Buffer): string => b.toString('base64');
  const userLines = Object.entries(user)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  return `apiVersion: v1
kind: Config
clusters:
- name: ${name}
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(caPem)}
users:
- name: ${name}-user
  user:
${userLines}
contexts:
- name: ${name}
  context:
    cluster: ${name}
    user: ${name}-user
current-context: ${name}
`;
}

export function isPortConflict(logFiles: string[]): boolean {
  return logFiles.some((f) => /address already in use/i.test(tailFile(f, 200)));
}
