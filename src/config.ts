// Controller configuration from flags, then environment, then defaults.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CA_SECRET } from '../translators/control-plane-ca';
import { DEFAULT_OPTIONS } from '../translators/input';
import { addressProblem, controllerNameProblem, EXIT_CODES_HELP, namespaceProblem, subdomainProblem, UsageError } from './flags';

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
  /** Take over what Kuma's own Gateway API controllers left (docs/migrating-from-kuma.md). */
  adoptKumaObjects: boolean;
}

// flag: [environment variable, default, what it sets]
const FLAGS = {
  'gateway-api': ['MESHGATE_GATEWAY_API', 'true', 'watch and translate Gateway API resources (true|false)'],
  'controller-name': ['MESHGATE_CONTROLLER_NAME', DEFAULT_OPTIONS.controllerName, 'controllerName of the GatewayClasses to claim (domain/path)'],
  'system-namespace': ['MESHGATE_SYSTEM_NAMESPACE', DEFAULT_OPTIONS.systemNamespace, "Kuma's system namespace: generated routes, TLS Secret copies"],
  'proxy-image': ['MESHGATE_PROXY_IMAGE', DEFAULT_OPTIONS.proxyImage, 'image of the kuma-dp gateway proxies'],
  zone: ['MESHGATE_ZONE', '', 'Kuma zone of this cluster'],
  'control-plane-url': ['MESHGATE_CONTROL_PLANE_URL', '', "URL of Kuma's control plane for the proxies"],
  'control-plane-ca-file': ['MESHGATE_CONTROL_PLANE_CA_FILE', '', "PEM file of the control plane's CA (default: the CA Secret)"],
  'control-plane-ca-secret': ['MESHGATE_CONTROL_PLANE_CA_SECRET', DEFAULT_CA_SECRET, "Secret in the system namespace whose ca.crt is the control plane's CA"],
  'watch-namespaces': ['MESHGATE_WATCH_NAMESPACES', '', 'comma-separated namespaces to watch (default: all)'],
  'secret-namespaces': ['MESHGATE_SECRET_NAMESPACES', '', 'comma-separated namespaces whose Secrets may be read (default: all)'],
  'leader-elect': ['MESHGATE_LEADER_ELECT', 'false', 'elect one writing replica with a Lease (true|false)'],
  'leader-election-id': ['MESHGATE_LEADER_ELECTION_ID', 'meshgate-leader', 'name of the Lease'],
  'leader-election-namespace': ['POD_NAMESPACE', 'default', 'namespace of the Lease'],
  'lease-duration': ['MESHGATE_LEASE_DURATION', '15s', 'Lease duration (e.g. 15s, 500ms, 1m)'],
  'renew-deadline': ['MESHGATE_RENEW_DEADLINE', '10s', 'time the leader has to renew the Lease'],
  'retry-period': ['MESHGATE_RETRY_PERIOD', '2s', 'time between Lease attempts'],
  'gui-address': ['MESHGATE_GUI_ADDRESS', '127.0.0.1:5681', 'HOST:PORT of the GUI, or off'],
  'gui-token-file': ['MESHGATE_GUI_TOKEN_FILE', '', 'file holding the bearer token the GUI requires'],
  'metrics-address': ['MESHGATE_METRICS_ADDRESS', ':9090', 'HOST:PORT of /metrics, /healthz and /readyz'],
  kubeconfig: ['KUBECONFIG', '', 'kubeconfig file (default: in-cluster)'],
  'kube-qps': ['MESHGATE_KUBE_QPS', 'auto', 'API requests per second, or auto'],
  'kube-burst': ['MESHGATE_KUBE_BURST', '100', 'API request burst'],
  'write-concurrency': ['MESHGATE_WRITE_CONCURRENCY', '64', 'writes in flight at once'],
  'log-level': ['MESHGATE_LOG_LEVEL', 'info', 'error|warn|info|debug'],
  'log-format': ['MESHGATE_LOG_FORMAT', '', 'json|text (default: text on a terminal, else json)'],
  identity: ['POD_NAME', '', 'this replica\'s identity in the Lease (default: meshgate-PID-random)'],
  'watch-timeout': ['MESHGATE_WATCH_TIMEOUT', '5m', 'server-side watch timeout'],
  'watch-stall-timeout': ['MESHGATE_WATCH_STALL_TIMEOUT', '90s', 'restart a watch silent for this long'],
  'adopt-kuma-objects': ['MESHGATE_ADOPT_KUMA_OBJECTS', 'true', "take over what Kuma's own Gateway API controllers left (true|false)"],
} as const;

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

export const CONTROLLER_USAGE = `Usage: meshgate controller [flags]

Runs the controller: watches Gateway API resources and writes Kuma resources and status. Every flag can
also be set by its environment variable; a flag wins over the environment. -h, --help prints this help.

Flags (--flag=VALUE or --flag VALUE):
${Object.entries(FLAGS)
  .map(([f, [env, def, what]]) => `  --${f.padEnd(26)} ${what}\n  ${''.padEnd(28)} env ${env}${def ? `, default ${def}` : ''}`)
  .join('\n')}

${EXIT_CODES_HELP}`;

/** A usage error in the controller's flags or environment (exit code 2). */
export class ConfigError extends UsageError {}

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
    values = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (e) {
    throw new ConfigError((e as Error).message.split('. To specify a positional')[0]);
  }
  const get = (f: keyof typeof FLAGS): string => values[f] ?? env[FLAGS[f][0]] ?? FLAGS[f][1];
  // A value from the environment is named by its variable too, so a bad POD_NAMESPACE is found quickly.
  const valid = (f: keyof typeof FLAGS, problem: (v: string) => string | undefined, v = get(f)): string => {
    const p = problem(v);
    if (p) throw new ConfigError(`--${f}${values[f] === undefined && env[FLAGS[f][0]] !== undefined ? ` (env ${FLAGS[f][0]})` : ''}: ${p}`);
    return v;
  };
  const namespaces = (f: 'watch-namespaces' | 'secret-namespaces') => {
    const l = list(get(f));
    for (const ns of l ?? []) valid(f, namespaceProblem, ns);
    return l;
  };
  const format = get('log-format') || (process.stdout.isTTY ? 'text' : 'json');
  if (format !== 'json' && format !== 'text') throw new ConfigError(`--log-format: "${format}" must be json or text`);
  valid('log-level', (v) => (LOG_LEVELS.includes(v) ? undefined : `"${v}" is not a log level; use one of ${LOG_LEVELS.join(', ')}`));
  valid('proxy-image', (v) => (v.trim() ? undefined : 'an image is needed'));
  valid('control-plane-url', (v) => (v === '' || URL.canParse(v) ? undefined : `"${v}" is not a URL`));
  valid('metrics-address', addressProblem);
  valid('gui-address', (v) => (v === 'off' ? undefined : addressProblem(v)));
  return {
    gatewayAPI: bool('gateway-api', get('gateway-api')),
    controllerName: valid('controller-name', controllerNameProblem),
    systemNamespace: valid('system-namespace', namespaceProblem),
    proxyImage: get('proxy-image'),
    zone: get('zone') || undefined,
    controlPlaneURL: controlPlaneURL(get('control-plane-url')),
    controlPlaneCACert: caFile(get('control-plane-ca-file'), readFile),
    controlPlaneCASecret: get('control-plane-ca-secret') || undefined,
    watchNamespaces: namespaces('watch-namespaces'),
    secretNamespaces: namespaces('secret-namespaces'),
    leaderElect: bool('leader-elect', get('leader-elect')),
    leaderElectionId: valid('leader-election-id', subdomainProblem),
    leaderElectionNamespace: valid('leader-election-namespace', namespaceProblem),
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
    adoptKumaObjects: bool('adopt-kuma-objects', get('adopt-kuma-objects')),
    identity: get('identity') || `meshgate-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  };
}

export function splitAddress(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  const host = i > 0 ? addr.slice(0, i).replace(/^\[|\]$/g, '') : '0.0.0.0';
  return { host: host || '0.0.0.0', port: Number(addr.slice(i + 1)) };
}
