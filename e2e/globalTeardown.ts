// Jest globalTeardown of the `e2e` project: stops the cluster globalSetup started
// (MESHGATE_KEEP_CLUSTER=1 keeps its dir, logs included, for post-mortems).
import * as fs from 'node:fs';
import type { TestCluster } from './cluster/harness';
import { CLUSTER_INFO_FILE, type SharedClusterInfo } from './cluster/shared-cluster';

const GLOBAL_CLUSTER_KEY = '__MESHGATE_E2E_CLUSTER__';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const cluster = g[GLOBAL_CLUSTER_KEY] as TestCluster | undefined;
  const own = process.env.MESHGATE_E2E_CLUSTER_INFO;
  // Remove e2e/.artifacts/cluster.json only if it still describes our cluster.
  try {
    const info = JSON.parse(fs.readFileSync(CLUSTER_INFO_FILE, 'utf8')) as SharedClusterInfo;
    if (own && fs.existsSync(own) && (JSON.parse(fs.readFileSync(own, 'utf8')) as SharedClusterInfo).kubeconfigPath === info.kubeconfigPath) {
      fs.rmSync(CLUSTER_INFO_FILE, { force: true });
    }
  } catch {
    // nothing to clean up
  }
  if (own && !cluster) fs.rmSync(own, { force: true }); // external cluster: our temp info file
  delete process.env.MESHGATE_E2E_CLUSTER_INFO;
  if (!cluster) return; // external cluster, or setup failed
  delete g[GLOBAL_CLUSTER_KEY];
  delete process.env.MESHGATE_E2E_KUBECONFIG;
  if (process.env.MESHGATE_KEEP_CLUSTER === '1') {
    process.stderr.write(`\n[e2e] MESHGATE_KEEP_CLUSTER=1: cluster files kept in ${cluster.dir}\n`);
  }
  await cluster.stop();
}
