// Jest globalSetup of the `e2e` project: starts one real control plane
// (etcd + kube-apiserver + kube-controller-manager, Gateway API CRDs installed)
// for the whole run. Test files find it through sharedCluster()
// (e2e/cluster/shared-cluster.ts), process.env.MESHGATE_E2E_KUBECONFIG or
// e2e/.artifacts/cluster.json.
//
// Set MESHGATE_E2E_KUBECONFIG beforehand to reuse a running cluster
// (e.g. one from `npm run cluster:up`); it is then neither started nor stopped here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBinaries, kumaIoCrds, startCluster, type TestCluster } from './cluster/harness';
import { writeClusterInfo } from './cluster/shared-cluster';

const GLOBAL_CLUSTER_KEY = '__MESHGATE_E2E_CLUSTER__';

export default async function globalSetup(): Promise<void> {
  const external = process.env.MESHGATE_E2E_KUBECONFIG;
  if (external) {
    const text = fs.readFileSync(external, 'utf8');
    const server = /^\s*server:\s*(\S+)/m.exec(text)?.[1] ?? '';
    writeClusterInfo(
      {
        name: 'external',
        kubeconfigPath: path.resolve(external),
        server,
        binDir: await ensureBinaries(),
        dir: '',
        owned: false,
        startedAt: new Date().toISOString(),
      },
      path.join(os.tmpdir(), `meshgate-e2e-cluster-info-${process.pid}.json`),
    );
    process.stderr.write(`\n[e2e] reusing the cluster of MESHGATE_E2E_KUBECONFIG=${external} (${server})\n`);
    return;
  }
  // Says which kuma.io CRDs every scenario runs against (Kuma's own when ../shared has them).
  process.stderr.write(`\n[e2e] ${kumaIoCrds().note}\n`);
  const cluster: TestCluster = await startCluster({ name: 'e2e' });
  (globalThis as Record<string, unknown>)[GLOBAL_CLUSTER_KEY] = cluster;
  writeClusterInfo(
    {
      name: cluster.name,
      kubeconfigPath: cluster.kubeconfigPath,
      server: cluster.server,
      binDir: cluster.binDir,
      dir: cluster.dir,
      logs: cluster.logs,
      owned: true,
      startedAt: new Date().toISOString(),
    },
    path.join(cluster.dir, 'cluster.json'),
  );
  process.stderr.write(
    `\n[e2e] control plane ${cluster.server} ready in ${(cluster.timings.totalMs / 1000).toFixed(1)}s; kubeconfig ${cluster.kubeconfigPath}\n`,
  );
}
