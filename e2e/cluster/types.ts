// The harness's public types: what startCluster() takes and returns.
import type { ClusterPki } from './certs';
import type { InstallGatewayApiOptions } from './crds';
import type { RunResult } from './util';

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
  /**
   * Start etcd over the data an earlier start left in `dir` (which must then be given) instead of
   * an empty store: benchmarks reuse a large converged cluster (BENCH_CLUSTER_DIR). Default false.
   */
  keepEtcdData?: boolean;
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
