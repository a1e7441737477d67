// Starts a local control plane for humans and keeps it up until Ctrl-C.
//
//   npm run cluster:up                       (= npx ts-node --transpile-only e2e/cluster/up.ts)
//   npm run cluster:up -- --no-gateway-api   (skip the Gateway API CRDs)
//   npm run cluster:up -- --dir /tmp/mycluster --name dev
import { startCluster, type TestCluster } from './harness';

function usage(): never {
  process.stderr.write('usage: up.ts [--name NAME] [--dir DIR] [--no-gateway-api] [--no-repo-crds]\n');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let name = 'dev';
  let dir: string | undefined;
  let gatewayApiCrds = true;
  let repoCrds = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--name') name = args[++i] ?? usage();
    else if (a === '--dir') dir = args[++i] ?? usage();
    else if (a === '--no-gateway-api') gatewayApiCrds = false;
    else if (a === '--no-repo-crds') repoCrds = false;
    else usage();
  }

  let cluster: TestCluster | undefined;
  let stopping = false;
  const shutdown = async (sig: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${sig}: stopping the cluster...\n`);
    await cluster?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));

  cluster = await startCluster({
    name,
    dir,
    gatewayApiCrds,
    repoCrds,
    log: (m) => process.stderr.write(`[cluster] ${m}\n`),
  });
  if (stopping) return;
  const kubectl = `${cluster.binDir}/kubectl`;
  process.stdout.write(
    [
      '',
      `Cluster "${cluster.name}" is up (${(cluster.timings.totalMs / 1000).toFixed(1)}s): ${cluster.server}`,
      `  kubeconfig: ${cluster.kubeconfigPath}`,
      `  logs:       ${cluster.dir}/logs/`,
      '',
      `  ${kubectl} --kubeconfig ${cluster.kubeconfigPath} get ns`,
      `  export KUBECONFIG=${cluster.kubeconfigPath}`,
      `  MESHGATE_E2E_KUBECONFIG=${cluster.kubeconfigPath} npx jest --selectProjects e2e   # reuse it for e2e tests`,
      '',
      'Press Ctrl-C to stop it and remove its files (MESHGATE_KEEP_CLUSTER=1 keeps them).',
      '',
    ].join('\n'),
  );
  // Stay alive until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
