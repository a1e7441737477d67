// The one cluster that e2e/globalSetup.ts starts for a whole `jest --selectProjects e2e` run.
// Test files use it through sharedCluster(); tests that inject faults (restart/pause the
// apiserver, compact etcd) must start their own cluster with startCluster() instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, type RunResult } from './util';
import type { KubectlOptions } from './harness';

/** e2e/.artifacts/cluster.json */
export const CLUSTER_INFO_FILE = path.resolve(__dirname, '..', '.artifacts', 'cluster.json');

export interface SharedClusterInfo {
  name: string;
  kubeconfigPath: string;
  server: string;
  binDir: string;
  /** Cluster dir, or "" when reusing an external cluster. */
  dir: string;
  logs?: { etcd: string; apiServer: string; controllerManager: string };
  /** true when globalSetup started it (and globalTeardown stops it). */
  owned: boolean;
  startedAt: string;
}

export interface SharedCluster extends SharedClusterInfo {
  kubectl(args: string[], opts?: KubectlOptions): Promise<RunResult>;
}

/**
 * Writes the info to e2e/.artifacts/cluster.json and to `ownCopy` (a file only this run uses),
 * and points process.env.MESHGATE_E2E_CLUSTER_INFO at the latter, so that test workers of
 * concurrent jest runs in the same checkout never pick up each other's cluster.
 */
export function writeClusterInfo(info: SharedClusterInfo, ownCopy: string): void {
  const json = JSON.stringify(info, null, 2) + '\n';
  fs.mkdirSync(path.dirname(CLUSTER_INFO_FILE), { recursive: true });
  fs.writeFileSync(CLUSTER_INFO_FILE, json);
  fs.mkdirSync(path.dirname(ownCopy), { recursive: true });
  fs.writeFileSync(ownCopy, json);
  process.env.MESHGATE_E2E_CLUSTER_INFO = ownCopy;
  process.env.MESHGATE_E2E_KUBECONFIG = info.kubeconfigPath;
}

/** Reads the info of this run's shared cluster (MESHGATE_E2E_CLUSTER_INFO, else e2e/.artifacts/cluster.json). */
export function readClusterInfo(): SharedClusterInfo {
  const file = process.env.MESHGATE_E2E_CLUSTER_INFO || CLUSTER_INFO_FILE;
  if (!fs.existsSync(file)) {
    throw new Error(`no shared e2e cluster: ${file} is missing (run through \`npx jest --selectProjects e2e\`)`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SharedClusterInfo;
}

/**
 * The shared e2e cluster. Throws a helpful error when the tests were not started
 * through the jest `e2e` project (whose globalSetup starts the cluster).
 */
export function sharedCluster(): SharedCluster {
  const info = readClusterInfo();
  if (!fs.existsSync(info.kubeconfigPath)) {
    throw new Error(`shared e2e cluster is gone: ${info.kubeconfigPath} does not exist`);
  }
  return {
    ...info,
    kubectl(args: string[], opts: KubectlOptions = {}): Promise<RunResult> {
      const env = { ...process.env };
      delete env.KUBECONFIG;
      const cacheDir = info.dir ? path.join(info.dir, 'kubectl-cache') : undefined;
      return run(
        path.join(info.binDir, 'kubectl'),
        [`--kubeconfig=${info.kubeconfigPath}`, ...(cacheDir ? [`--cache-dir=${cacheDir}`] : []), ...args],
        { env, input: opts.input, timeoutMs: opts.timeoutMs ?? 60000 },
      );
    },
  };
}
