// Credentials come from @kubernetes/client-node's KubeConfig (exec plugins, OIDC, in-cluster…).
// The 1.x package is ESM-only: Node ≥ 20.19 loads it with require(), but jest's module runtime
// cannot, so it is loaded through Node's native require, here and nowhere else.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import type { KubeConfig } from '@kubernetes/client-node';

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

export function loadKubeConfig(path?: string): KubeConfig {
  const { KubeConfig: KC } = nativeRequire('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  const kc = new KC();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}
