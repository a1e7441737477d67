// Credentials come from @kubernetes/client-node's KubeConfig (exec plugins, OIDC, in-cluster…).
// The 1.x package is ESM-only: Node ≥ 20.19 loads it with require(), but jest's module runtime
// cannot, so it is loaded through Node's native require, here and nowhere else.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIPv6 } from 'node:net';
import nodePath from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

const nativeRequire = createRequire(__filename);

/** The server and the HTTPS options (PEM, headers) client-node computes for the current context. */
export interface Connection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  headers?: Record<string, string>;
}

const RESOLVER = `
const { KubeConfig } = require(process.env.MESHGATE_CLIENT_NODE);
(async () => {
  const kc = new KubeConfig();
  if (process.env.MESHGATE_KUBECONFIG_FILE) kc.loadFromFile(process.env.MESHGATE_KUBECONFIG_FILE); else kc.loadFromDefault();
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const o = {};
  await kc.applyToHTTPSOptions(o);
  const b64 = (v) => (v == null ? undefined : Buffer.from(v).toString('base64'));
  process.stdout.write(JSON.stringify({ server: cluster.server, ca: b64(o.ca), cert: b64(o.cert), key: b64(o.key), rejectUnauthorized: o.rejectUnauthorized, headers: o.headers }));
})().catch((e) => { process.stderr.write(String((e && e.message) || e)); process.exit(1); });
`;

/**
 * loadKubeConfig + applyToHTTPSOptions, done by a short-lived child process: client-node (its
 * generated API models) costs the process ~60 MB of memory for good, for one call at start-up.
 * Same semantics (kubeconfig file, KUBECONFIG, in-cluster, exec and auth-provider plugins).
 */
export function resolveConnection(path?: string): Promise<Connection> {
  const plain = plainConnection(path);
  return plain ? Promise.resolve(plain) : clientNodeConnection(path);
}

/** What client-node makes of the kubeconfig, in a child process. */
export function clientNodeConnection(path?: string): Promise<Connection> {
  const env = { ...process.env, MESHGATE_CLIENT_NODE: nativeRequire.resolve('@kubernetes/client-node'), MESHGATE_KUBECONFIG_FILE: path ?? '' };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', RESOLVER], { env, maxBuffer: 16 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) { reject(new Error(`cannot load the kubeconfig${path ? ` ${path}` : ''}: ${stderr.trim() || err.message}`)); return; }
      const c = JSON.parse(stdout) as Omit<Connection, 'ca' | 'cert' | 'key'> & { ca?: string; cert?: string; key?: string };
      const buf = (v?: string) => (v === undefined ? undefined : Buffer.from(v, 'base64'));
      resolve({ server: c.server, ca: buf(c.ca), cert: buf(c.cert), key: buf(c.key), rejectUnauthorized: c.rejectUnauthorized, headers: c.headers });
    });
  });
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const CLUSTER_FIELDS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify']);
const USER_FIELDS = new Set(['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token']);

/**
 * The common cases without the child process (it took 2.4 s of a 11.2 s restart on a loaded
 * machine): one kubeconfig file whose current context uses only certificates, a CA and a static
 * token, or the in-cluster service account. The same result as client-node's (src/kube/
 * kubeconfig.test.ts compares them); anything else (exec and auth-provider plugins, proxies,
 * merged files, ...) is undefined and goes to client-node.
 */
export function plainConnection(path?: string, env: NodeJS.ProcessEnv = process.env, saDir = SA_DIR): Connection | undefined {
  try {
    let file = path || env.KUBECONFIG || undefined;
    if (file?.includes(nodePath.delimiter)) return undefined; // several files to merge
    if (!file && env.HOME && existsSync(nodePath.join(env.HOME, '.kube', 'config'))) file = nodePath.join(env.HOME, '.kube', 'config');
    if (!file) return inCluster(env, saDir);
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    const named = (list: unknown, name: unknown, field: string) => (Array.isArray(list) ? list.filter((x) => x?.name === name) : []).map((x) => x?.[field] as Record<string, unknown> | undefined);
    const [ctx, ...moreCtx] = named(doc?.contexts, doc?.['current-context'], 'context');
    if (!ctx || moreCtx.length) return undefined;
    const [cluster, ...moreClusters] = named(doc?.clusters, ctx.cluster, 'cluster');
    const [user, ...moreUsers] = named(doc?.users, ctx.user, 'user');
    if (!cluster || !user || moreClusters.length || moreUsers.length || typeof cluster.server !== 'string' || !cluster.server.startsWith('https://')) return undefined;
    if (Object.keys(cluster).some((k) => !CLUSTER_FIELDS.has(k)) || Object.keys(user).some((k) => !USER_FIELDS.has(k))) return undefined;
    const dir = nodePath.dirname(file);
    // As client-node: a file wins over inline data; relative paths are relative to the kubeconfig.
    const read = (f: unknown, data: unknown) => (typeof f === 'string' && f ? readFileSync(nodePath.resolve(dir, f)) : typeof data === 'string' && data ? Buffer.from(data, 'base64') : undefined);
    const c: Connection = { server: cluster.server.replace(/\/$/, ''), headers: {} };
    const ca = read(cluster['certificate-authority'], cluster['certificate-authority-data']);
    const cert = read(user['client-certificate'], user['client-certificate-data']);
    const key = read(user['client-key'], user['client-key-data']);
    if (cluster['insecure-skip-tls-verify'] === true) c.rejectUnauthorized = false;
    if (ca) c.ca = ca;
    if (cert) c.cert = cert;
    if (key) c.key = key;
    if (typeof user.token === 'string' && user.token) c.headers!.Authorization = `Bearer ${user.token}`;
    return c;
  } catch {
    return undefined; // client-node says what is wrong
  }
}

/** The pod's service account, as client-node's loadFromCluster (which refuses http, its choice for ports 80, 8080 and 8001). */
function inCluster(env: NodeJS.ProcessEnv, saDir: string): Connection | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || ['80', '8080', '8001'].includes(port) || !existsSync(nodePath.join(saDir, 'token'))) return undefined;
  const token = readFileSync(nodePath.join(saDir, 'token'), 'utf8');
  return { server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`, ca: readFileSync(nodePath.join(saDir, 'ca.crt')), headers: token ? { Authorization: `Bearer ${token}` } : {} };
}

export function loadKubeConfig(path?: string): KubeConfig {
  const { KubeConfig: KC } = nativeRequire('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  const kc = new KC();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}
