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
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatePki } from './certs';
import { installGatewayApiCrds, installRepoCrds } from './crds';
import { ManagedProcess, tailFile } from './proc';
import { ensureBinaries, installExitHook, isPortConflict, keepCluster, KEEP_FILE, kubeconfigYaml, liveClusters, OWNER_FILE, sweepStaleDirs, TMP_PREFIX } from './lifecycle';
import { freePorts, request, run, waitFor, type RunResult } from './util';

import { httpApi, startStandInKubelet } from './kubelet';
export { installGatewayApiCrds, installRepoCrds, kumaIoCrds, gatewayApiManifests, sharedDir, repoRoot } from './crds';
export type { InstallGatewayApiOptions } from './crds';
export type { RunResult } from './util';
export { ensureBinaries } from './lifecycle';
export { DEFAULT_CONTROLLERS } from './types';
export type { ClusterTimings, KubectlOptions, StartClusterOptions, TestCluster } from './types';
import { DEFAULT_CONTROLLERS, type ClusterTimings, type KubectlOptions, type StartClusterOptions, type TestCluster } from './types';

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
      if (!(opts.keepEtcdData && opts.dir)) fs.rmSync(path.join(dir, 'etcd-data'), { recursive: true, force: true });
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
