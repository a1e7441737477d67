// A real Kubernetes control plane for tests: etcd + kube-apiserver +
// kube-controller-manager on 127.0.0.1, built from source by ./build.sh.
// No Docker, no kubelet, no mocks. Node built-ins only.
//
//   const cluster = await startCluster({ name: 'my-test' });
//   await cluster.kubectl(['get', 'ns']);
//   ...
//   await cluster.stop();
//
// See docs/e2e-control-plane.md.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatePki, type ClusterPki } from './certs';
import { installGatewayApiCrds, installRepoCrds, type InstallGatewayApiOptions } from './crds';
import { ManagedProcess, tailFile } from './proc';
import { freePorts, request, run, waitFor, type RunResult } from './util';

import { httpApi, startStandInKubelet } from './kubelet';
export { installGatewayApiCrds, installRepoCrds, kumaIoCrds, gatewayApiManifests, sharedDir, repoRoot } from './crds';
export type { InstallGatewayApiOptions } from './crds';
export type { RunResult } from './util';

/** Controllers kube-controller-manager runs by default (canonical 1.34 names). */
export const DEFAULT_CONTROLLERS = [
  'namespace-controller', // finalizes deleted namespaces
  'garbage-collector-controller', // ownerReferences
  'deployment-controller', // Deployment -> ReplicaSet
  'replicaset-controller', // ReplicaSet -> Pods (which stay Pending: there is no kubelet/scheduler)
  'serviceaccount-controller', // "default" ServiceAccount in every namespace
  'serviceaccount-token-controller', // legacy SA token Secrets
  'root-ca-certificate-publisher-controller', // kube-root-ca.crt ConfigMap
  'clusterrole-aggregation-controller', // admin/edit/view aggregated ClusterRoles
];

export interface StartClusterOptions {
  /** Used in the temp dir name and the kubeconfig context name. Default "meshgate-e2e". */
  name?: string;
  /** Cluster dir (certs, etcd data, logs, kubeconfig). Default: a fresh temp dir, removed by stop(). A dir you pass is not removed. */
  dir?: string;
  /** Install the Gateway API CRDs (experimental channel) during startup. Default true. Pass options to install a subset. */
  gatewayApiCrds?: boolean | InstallGatewayApiOptions;
  /** Install the kuma.io CRDs (kumaIoCrds(): Kuma's own from ../shared/kuma/crds when present, else crds/). Default true. */
  repoCrds?: boolean;
  /** Start kube-controller-manager. Default true. */
  controllerManager?: boolean;
  /** kube-controller-manager --controllers. Default DEFAULT_CONTROLLERS. */
  controllers?: string[];
  /**
   * Stand in for a kubelet and a load balancer (e2e/cluster/kubelet.ts): gateway proxy pods become
   * Ready, meshgate's LoadBalancer Services get an address. Default true when the controller manager runs.
   */
  standInKubelet?: boolean;
  /** Extra kube-apiserver flags (e.g. ['--feature-gates=...']). */
  apiServerArgs?: string[];
  /** Overall startup timeout (excluding the one-time build). Default 120s. */
  startTimeoutMs?: number;
  /** Progress messages. Default: silent. */
  log?: (msg: string) => void;
}

export interface ClusterTimings {
  buildMs: number;
  pkiMs: number;
  etcdMs: number;
  apiServerMs: number;
  crdsMs: number;
  controllerManagerMs: number;
  /** startCluster() call to ready, including the (cached) build check. */
  totalMs: number;
}

export interface KubectlOptions {
  /** stdin for the command (e.g. a manifest with `-f -`). */
  input?: string;
  /** Kill kubectl after this long. Default 60s. */
  timeoutMs?: number;
}

export interface TestCluster {
  name: string;
  /** Cluster dir: pki/, etcd-data/, logs/, kubeconfig. */
  dir: string;
  /** Admin kubeconfig (client cert in group system:masters), <dir>/kubeconfig. */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** Dir holding kube-apiserver, kube-controller-manager, kubectl, etcd. */
  binDir: string;
  /** http://127.0.0.1:<port> */
  etcdEndpoint: string;
  pki: ClusterPki;
  /** Log files of each process (appended across restarts). */
  logs: { etcd: string; apiServer: string; controllerManager: string };
  timings: ClusterTimings;
  /** Runs `kubectl --kubeconfig <admin> ...args`. Never throws on a non-zero exit code. */
  kubectl(args: string[], opts?: KubectlOptions): Promise<RunResult>;
  /** Writes a kubeconfig for the same server authenticating with a bearer token (e.g. from `kubectl create token`). Returns its path. */
  writeTokenKubeconfig(token: string, file?: string): string;
  /** Stops kube-apiserver (SIGTERM, or SIGKILL with {graceful:false}) and starts it again on the same port; resolves when /readyz is ok. */
  restartApiServer(opts?: { graceful?: boolean; downMs?: number }): Promise<void>;
  /** Stops kube-apiserver (the port then refuses connections). */
  stopApiServer(opts?: { graceful?: boolean }): Promise<void>;
  /** Starts a stopped kube-apiserver again and waits for /readyz. */
  startApiServer(): Promise<void>;
  /** SIGSTOP kube-apiserver: connections hang instead of failing. */
  pauseApiServer(): void;
  /** SIGCONT kube-apiserver. */
  resumeApiServer(): void;
  /** Compacts etcd at its current revision (physical). Watches from older resourceVersions then get 410 Gone. Returns the revision. */
  compactEtcd(): Promise<number>;
  /** Kills everything; removes the temp dir unless MESHGATE_KEEP_CLUSTER=1. Idempotent. */
  stop(): Promise<void>;
}

const HARNESS_DIR = __dirname;
const TMP_PREFIX = 'meshgate-e2e-';
const OWNER_FILE = '.meshgate-owner-pid';
const KEEP_FILE = '.meshgate-keep';

const keepCluster = (): boolean => process.env.MESHGATE_KEEP_CLUSTER === '1';

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
function sweepStaleDirs(): void {
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

const liveClusters = new Set<{ killNow(): void }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of liveClusters) c.killNow();
  });
}

function kubeconfigYaml(name: string, server: string, caPem: Buffer, user: Record<string, string>): string {
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

function isPortConflict(logFiles: string[]): boolean {
  return logFiles.some((f) => /address already in use/i.test(tailFile(f, 200)));
}

export async function startCluster(opts: StartClusterOptions = {}): Promise<TestCluster> {
  const t0 = Date.now();
  const name = (opts.name ?? 'meshgate-e2e').replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase();
  const log = opts.log ?? ((): void => undefined);
  const startTimeoutMs = opts.startTimeoutMs ?? 120000;

  log('checking control-plane binaries (build.sh)...');
  const binDir = await ensureBinaries();
  const buildMs = Date.now() - t0;
  const bin = (b: string): string => path.join(binDir, b);

  sweepStaleDirs();
  const ownDir = !opts.dir;
  let dir: string;
  if (opts.dir) {
    dir = path.resolve(opts.dir);
    fs.mkdirSync(dir, { recursive: true });
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `${TMP_PREFIX}${name}-`));
    fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  }
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logs = {
    etcd: path.join(logDir, 'etcd.log'),
    apiServer: path.join(logDir, 'kube-apiserver.log'),
    controllerManager: path.join(logDir, 'kube-controller-manager.log'),
  };
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  const kubectlCache = path.join(dir, 'kubectl-cache');

  let etcd: ManagedProcess | undefined;
  let apiServer: ManagedProcess | undefined;
  let kcm: ManagedProcess | undefined;
  let stopped = false;

  const removeDir = (): void => {
    if (!ownDir) return;
    if (keepCluster()) {
      fs.writeFileSync(path.join(dir, KEEP_FILE), '');
      return;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const handle = {
    killNow(): void {
      kcm?.killNow();
      apiServer?.killNow();
      etcd?.killNow();
      try {
        removeDir();
      } catch {
        // best effort at exit
      }
    },
  };
  installExitHook();
  liveClusters.add(handle);

  const stopAll = async (): Promise<void> => {
    await Promise.all([kcm?.stop(3000), apiServer?.stop(3000)]);
    await etcd?.stop(3000);
  };

  try {
    const tPki = Date.now();
    const pki = await generatePki(path.join(dir, 'pki'));
    const pkiMs = Date.now() - tPki;
    const caPem = fs.readFileSync(pki.caCert);
    const adminCertPem = fs.readFileSync(pki.adminCert);
    const adminKeyPem = fs.readFileSync(pki.adminKey);
    const tls = { ca: caPem, cert: adminCertPem, key: adminKeyPem };

    const deadline = t0 + buildMs + startTimeoutMs;
    const remaining = (): number => Math.max(1000, deadline - Date.now());
    const exitedMsg = (p: ManagedProcess | undefined, logFile: string): string | undefined =>
      p?.exited ? `${p.name} exited (code=${p.exited.code}, signal=${p.exited.signal}); last log lines of ${logFile}:\n${tailFile(logFile)}` : undefined;

    let ports: number[] = [];
    let etcdMs = 0;
    let apiServerMs = 0;
    for (let attempt = 1; ; attempt++) {
      ports = await freePorts(4);
      const [etcdClient, etcdPeer, apiPort] = ports as [number, number, number, number];
      const etcdUrl = `http://127.0.0.1:${etcdClient}`;
      const server = `https://127.0.0.1:${apiPort}`;
      fs.rmSync(path.join(dir, 'etcd-data'), { recursive: true, force: true });
      try {
        const tEtcd = Date.now();
        etcd = new ManagedProcess('etcd', bin('etcd'), [
          '--name=meshgate',
          `--data-dir=${path.join(dir, 'etcd-data')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
          `--initial-cluster=meshgate=http://127.0.0.1:${etcdPeer}`,
          '--initial-cluster-state=new',
          '--unsafe-no-fsync=true', // test data only: no fsync, much faster on slow disks
          '--snapshot-count=10000',
        ], logs.etcd);
        etcd.start();
        log(`etcd starting on ${etcdUrl}`);
        await waitFor(
          'etcd /health',
          async () => {
            const r = await request(`${etcdUrl}/health`, { timeoutMs: 2000 });
            return r.status === 200 && /"health":\s*"true"/.test(r.body);
          },
          { timeoutMs: remaining(), intervalMs: 50, abort: () => exitedMsg(etcd, logs.etcd) },
        );
        etcdMs = Date.now() - tEtcd;

        const tApi = Date.now();
        apiServer = new ManagedProcess('kube-apiserver', bin('kube-apiserver'), [
          '--bind-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          '--advertise-address=127.0.0.1',
          `--etcd-servers=${etcdUrl}`,
          `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
          `--tls-cert-file=${pki.servingCert}`,
          `--tls-private-key-file=${pki.servingKey}`,
          `--client-ca-file=${pki.caCert}`,
          `--service-account-key-file=${pki.saPub}`,
          `--service-account-signing-key-file=${pki.saKey}`,
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          '--authorization-mode=RBAC',
          '--service-cluster-ip-range=10.0.0.0/24',
          '--allow-privileged=true',
          // No kubelet and no token volume projection needed: pods need not reference existing SAs.
          '--disable-admission-plugins=ServiceAccount',
          '--enable-priority-and-fairness=false',
          // The lease reconciler would try to publish 127.0.0.1 as the endpoint of the
          // "kubernetes" Service and fail every 10s (loopback IPs are invalid endpoints).
          '--endpoint-reconciler-type=none',
          // Without this a graceful stop (SIGTERM) waits ~60s for open watches (e.g. KCM's).
          '--shutdown-watch-termination-grace-period=1s',
          '--profiling=false',
          ...(opts.apiServerArgs ?? []),
        ], logs.apiServer);
        apiServer.start();
        log(`kube-apiserver starting on ${server}`);
        fs.writeFileSync(
          kubeconfigPath,
          kubeconfigYaml(name, server, caPem, {
            'client-certificate-data': adminCertPem.toString('base64'),
            'client-key-data': adminKeyPem.toString('base64'),
          }),
          { mode: 0o600 },
        );
        const apiServerRef = apiServer;
        await waitFor(
          'kube-apiserver /readyz',
          async () => (await request(`${server}/readyz`, { ...tls, timeoutMs: 5000 })).status === 200,
          { timeoutMs: remaining(), intervalMs: 100, abort: () => exitedMsg(apiServerRef, logs.apiServer) ?? exitedMsg(etcd, logs.etcd) },
        );
        apiServerMs = Date.now() - tApi;
        break;
      } catch (err) {
        await stopAll();
        if (attempt < 3 && isPortConflict([logs.etcd, logs.apiServer])) {
          log(`port conflict, retrying with new ports (attempt ${attempt + 1})`);
          continue;
        }
        throw err;
      }
    }
    const [, , apiPort, kcmPort] = ports as [number, number, number, number];
    const etcdEndpoint = `http://127.0.0.1:${ports[0]}`;
    const server = `https://127.0.0.1:${apiPort}`;

    const readyz = (): Promise<boolean> =>
      waitFor(
        'kube-apiserver /readyz',
        async () => (await request(`${server}/readyz`, { ...tls, timeoutMs: 5000 })).status === 200,
        { timeoutMs: startTimeoutMs, intervalMs: 100, abort: () => (apiServer?.exited ? `kube-apiserver exited; see ${logs.apiServer}:\n${tailFile(logs.apiServer)}` : undefined) },
      );

    const kubectl = (args: string[], kopts: KubectlOptions = {}): Promise<RunResult> => {
      const env = { ...process.env };
      delete env.KUBECONFIG;
      return run(bin('kubectl'), [`--kubeconfig=${kubeconfigPath}`, `--cache-dir=${kubectlCache}`, ...args], {
        env,
        input: kopts.input,
        timeoutMs: kopts.timeoutMs ?? 60000,
      });
    };

    // kube-controller-manager (it gives up if the apiserver is not healthy within 10s, so start it now).
    const tKcm = Date.now();
    let kcmReady: Promise<unknown> = Promise.resolve();
    if (opts.controllerManager !== false) {
      kcm = new ManagedProcess('kube-controller-manager', bin('kube-controller-manager'), [
        `--kubeconfig=${kubeconfigPath}`,
        `--authentication-kubeconfig=${kubeconfigPath}`,
        `--authorization-kubeconfig=${kubeconfigPath}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        `--cert-dir=${path.join(dir, 'kcm-certs')}`,
        '--leader-elect=false',
        `--controllers=${(opts.controllers ?? DEFAULT_CONTROLLERS).join(',')}`,
        `--service-account-private-key-file=${pki.saKey}`,
        `--root-ca-file=${pki.caCert}`,
        '--use-service-account-credentials=false',
        '--profiling=false',
      ], logs.controllerManager);
      kcm.start();
      log('kube-controller-manager starting');
      const kcmRef = kcm;
      kcmReady = waitFor(
        'kube-controller-manager /healthz',
        async () => (await request(`https://127.0.0.1:${kcmPort}/healthz`, { timeoutMs: 2000, insecure: true })).status === 200,
        { timeoutMs: remaining(), intervalMs: 100, abort: () => exitedMsg(kcmRef, logs.controllerManager) },
      );
    }
    let controllerManagerMs = 0;
    const kcmDone = kcmReady.then(() => {
      controllerManagerMs = Date.now() - tKcm;
    });

    const tCrds = Date.now();
    const runner = { kubectl };
    const gw = opts.gatewayApiCrds ?? true;
    await Promise.all([
      gw ? installGatewayApiCrds(runner, typeof gw === 'object' ? gw : {}) : Promise.resolve([]),
      opts.repoCrds !== false ? installRepoCrds(runner) : Promise.resolve([]),
    ]);
    const crdsMs = gw || opts.repoCrds !== false ? Date.now() - tCrds : 0;
    await kcmDone;
    const kubelet = opts.controllerManager !== false && opts.standInKubelet !== false ? startStandInKubelet(httpApi(server, tls)) : undefined;
    const timings: ClusterTimings = { buildMs, pkiMs, etcdMs, apiServerMs, crdsMs, controllerManagerMs, totalMs: Date.now() - t0 };
    log(`cluster ready in ${timings.totalMs}ms (${JSON.stringify(timings)})`);

    const stopApiServer = async (sopts: { graceful?: boolean } = {}): Promise<void> => {
      if (!apiServer?.running) return;
      if (sopts.graceful === false) {
        apiServer.killNow();
        await apiServer.waitExit();
      } else {
        await apiServer.stop(10000);
      }
    };
    const startApiServer = async (): Promise<void> => {
      if (!apiServer) throw new Error('no apiserver');
      if (!apiServer.running) apiServer.start();
      await readyz();
    };

    const cluster: TestCluster = {
      name,
      dir,
      kubeconfigPath,
      server,
      binDir,
      etcdEndpoint,
      pki,
      logs,
      timings,
      kubectl,
      writeTokenKubeconfig(token: string, file?: string): string {
        const out = file ?? path.join(dir, `kubeconfig-token-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
        fs.writeFileSync(out, kubeconfigYaml(name, server, caPem, { token }), { mode: 0o600 });
        return out;
      },
      stopApiServer,
      startApiServer,
      async restartApiServer(ropts: { graceful?: boolean; downMs?: number } = {}): Promise<void> {
        await stopApiServer(ropts);
        if (ropts.downMs) await new Promise((r) => setTimeout(r, ropts.downMs));
        await startApiServer();
      },
      pauseApiServer(): void {
        apiServer!.signal('SIGSTOP');
      },
      resumeApiServer(): void {
        apiServer!.signal('SIGCONT');
      },
      async compactEtcd(): Promise<number> {
        const range = await request(`${etcdEndpoint}/v3/kv/range`, {
          method: 'POST',
          body: JSON.stringify({ key: Buffer.from('/').toString('base64'), limit: 1 }),
        });
        if (range.status !== 200) throw new Error(`etcd range failed: ${range.status} ${range.body}`);
        const revision = Number((JSON.parse(range.body) as { header: { revision: string } }).header.revision);
        const c = await request(`${etcdEndpoint}/v3/kv/compaction`, {
          method: 'POST',
          body: JSON.stringify({ revision: String(revision), physical: true }),
        });
        if (c.status !== 200 && !/required revision has been compacted/.test(c.body)) {
          throw new Error(`etcd compaction failed: ${c.status} ${c.body}`);
        }
        return revision;
      },
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        await kubelet?.stop();
        await stopAll();
        liveClusters.delete(handle);
        removeDir();
      },
    };
    return cluster;
  } catch (err) {
    await stopAll();
    liveClusters.delete(handle);
    const kept = keepCluster() || !ownDir;
    if (!kept) {
      // Keep the logs in the error message since the dir is about to go.
      const tails = [logs.etcd, logs.apiServer, logs.controllerManager]
        .filter((f) => fs.existsSync(f))
        .map((f) => `--- ${path.basename(f)} (last lines) ---\n${tailFile(f, 20)}`)
        .join('\n');
      removeDir();
      throw new Error(`startCluster failed: ${(err as Error).message}\n${tails}\n(set MESHGATE_KEEP_CLUSTER=1 to keep ${dir})`);
    }
    throw new Error(`startCluster failed: ${(err as Error).message}\n(logs in ${logDir})`);
  }
}
