// Controller configuration from flags, then environment, then defaults.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CA_SECRET } from '../translators/control-plane-ca';
import { DEFAULT_OPTIONS } from '../translators/input';

export interface ControllerConfig {
  gatewayAPI: boolean;
  controllerName: string;
  systemNamespace: string;
  proxyImage: string;
  zone?: string;
  controlPlaneURL?: string;
  /** PEM of the control plane's CA (read from --control-plane-ca-file). */
  controlPlaneCACert?: string;
  /** Secret in the system namespace holding the CA as `ca.crt` (used when no CA file is given). */
  controlPlaneCASecret?: string;
  watchNamespaces?: string[];
  secretNamespaces?: string[];
  leaderElect: boolean;
  leaderElectionId: string;
  leaderElectionNamespace: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  guiAddress: string;
  guiTokenFile?: string;
  metricsAddress: string;
  kubeconfig?: string;
  /** Client-side token bucket; 'auto' = 50/s until the API server shows it does API Priority and Fairness. */
  kubeQPS: number | 'auto';
  kubeBurst: number;
  /** Writes in flight at once (the writer's workers). */
  writeConcurrency: number;
  logLevel: string;
  logFormat: 'json' | 'text';
  /** Server-side watch timeout; the watch is then re-opened from the last resourceVersion. */
  watchTimeoutMs: number;
  /** A watch that receives nothing (not even a bookmark) for this long is restarted. */
  watchStallMs: number;
  identity: string;
}

const FLAGS = {
  'gateway-api': ['MESHGATE_GATEWAY_API', 'true'],
  'controller-name': ['MESHGATE_CONTROLLER_NAME', DEFAULT_OPTIONS.controllerName],
  'system-namespace': ['MESHGATE_SYSTEM_NAMESPACE', DEFAULT_OPTIONS.systemNamespace],
  'proxy-image': ['MESHGATE_PROXY_IMAGE', DEFAULT_OPTIONS.proxyImage],
  zone: ['MESHGATE_ZONE', ''],
  'control-plane-url': ['MESHGATE_CONTROL_PLANE_URL', ''],
  'control-plane-ca-file': ['MESHGATE_CONTROL_PLANE_CA_FILE', ''],
  'control-plane-ca-secret': ['MESHGATE_CONTROL_PLANE_CA_SECRET', DEFAULT_CA_SECRET],
  'watch-namespaces': ['MESHGATE_WATCH_NAMESPACES', ''],
  'secret-namespaces': ['MESHGATE_SECRET_NAMESPACES', ''],
  'leader-elect': ['MESHGATE_LEADER_ELECT', 'false'],
  'leader-election-id': ['MESHGATE_LEADER_ELECTION_ID', 'meshgate-leader'],
  'leader-election-namespace': ['POD_NAMESPACE', 'default'],
  'lease-duration': ['MESHGATE_LEASE_DURATION', '15s'],
  'renew-deadline': ['MESHGATE_RENEW_DEADLINE', '10s'],
  'retry-period': ['MESHGATE_RETRY_PERIOD', '2s'],
  'gui-address': ['MESHGATE_GUI_ADDRESS', '127.0.0.1:5681'],
  'gui-token-file': ['MESHGATE_GUI_TOKEN_FILE', ''],
  'metrics-address': ['MESHGATE_METRICS_ADDRESS', ':9090'],
  kubeconfig: ['KUBECONFIG', ''],
  'kube-qps': ['MESHGATE_KUBE_QPS', 'auto'],
  'kube-burst': ['MESHGATE_KUBE_BURST', '100'],
  'write-concurrency': ['MESHGATE_WRITE_CONCURRENCY', '64'],
  'log-level': ['MESHGATE_LOG_LEVEL', 'info'],
  'log-format': ['MESHGATE_LOG_FORMAT', ''],
  identity: ['POD_NAME', ''],
  'watch-timeout': ['MESHGATE_WATCH_TIMEOUT', '5m'],
  'watch-stall-timeout': ['MESHGATE_WATCH_STALL_TIMEOUT', '90s'],
} as const;

export const CONTROLLER_USAGE = `Usage: meshgate controller [flags]\n${Object.entries(FLAGS)
  .map(([f, [env, def]]) => `  --${f}=VALUE   (env ${env}${def ? `, default ${def}` : ''})`)
  .join('\n')}\n`;

export class ConfigError extends Error {}

function duration(flag: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new ConfigError(`--${flag}: "${v}" is not a duration (e.g. 15s, 500ms)`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

function bool(flag: string, v: string): boolean {
  if (['true', '1', 'yes'].includes(v.toLowerCase())) return true;
  if (['false', '0', 'no', ''].includes(v.toLowerCase())) return false;
  throw new ConfigError(`--${flag}: "${v}" is not a boolean`);
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`--${flag}: "${v}" must be a positive number`);
  return n;
}

const list = (v: string) => (v.trim() ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

function controlPlaneURL(v: string): string | undefined {
  if (!v) return undefined;
  let u: URL;
  try { u = new URL(v); } catch { throw new ConfigError(`--control-plane-url: "${v}" is not a URL`); }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ConfigError(`--control-plane-url: "${v}" must be http or https (kuma-dp refuses other schemes)`);
  return v;
}

/** The CA file is read once at start; kuma-dp needs a PEM certificate or nothing. */
function caFile(path: string, read: (p: string) => string): string | undefined {
  if (!path) return undefined;
  let pem: string;
  try { pem = read(path); } catch (e) { throw new ConfigError(`--control-plane-ca-file: cannot read ${path}: ${(e as Error).message}`); }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`--control-plane-ca-file: ${path} holds no PEM certificate`);
  return pem;
}

export function parseControllerConfig(argv: string[], env: NodeJS.ProcessEnv = process.env, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): ControllerConfig {
  const options = Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }]));
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const get = (f: keyof typeof FLAGS): string => values[f] ?? env[FLAGS[f][0]] ?? FLAGS[f][1];
  const format = get('log-format') || (process.stdout.isTTY ? 'text' : 'json');
  if (format !== 'json' && format !== 'text') throw new ConfigError(`--log-format: "${format}" must be json or text`);
  return {
    gatewayAPI: bool('gateway-api', get('gateway-api')),
    controllerName: get('controller-name'),
    systemNamespace: get('system-namespace'),
    proxyImage: get('proxy-image'),
    zone: get('zone') || undefined,
    controlPlaneURL: controlPlaneURL(get('control-plane-url')),
    controlPlaneCACert: caFile(get('control-plane-ca-file'), readFile),
    controlPlaneCASecret: get('control-plane-ca-secret') || undefined,
    watchNamespaces: list(get('watch-namespaces')),
    secretNamespaces: list(get('secret-namespaces')),
    leaderElect: bool('leader-elect', get('leader-elect')),
    leaderElectionId: get('leader-election-id'),
    leaderElectionNamespace: get('leader-election-namespace'),
    leaseDurationMs: duration('lease-duration', get('lease-duration')),
    renewDeadlineMs: duration('renew-deadline', get('renew-deadline')),
    retryPeriodMs: duration('retry-period', get('retry-period')),
    guiAddress: get('gui-address'),
    guiTokenFile: get('gui-token-file') || undefined,
    metricsAddress: get('metrics-address'),
    kubeconfig: get('kubeconfig') || undefined,
    kubeQPS: get('kube-qps') === 'auto' ? 'auto' : positive('kube-qps', get('kube-qps')),
    kubeBurst: positive('kube-burst', get('kube-burst')),
    writeConcurrency: Math.max(1, Math.round(positive('write-concurrency', get('write-concurrency')))),
    logLevel: get('log-level'),
    logFormat: format,
    watchTimeoutMs: duration('watch-timeout', get('watch-timeout')),
    watchStallMs: duration('watch-stall-timeout', get('watch-stall-timeout')),
    identity: get('identity') || `meshgate-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  };
}

export function splitAddress(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  const host = i > 0 ? addr.slice(0, i).replace(/^\[|\]$/g, '') : '0.0.0.0';
  return { host: host || '0.0.0.0', port: Number(addr.slice(i + 1)) };
}
