// e2e support: small helpers over kubectl for applying manifests and reading objects.
import { stringify } from 'yaml';
import { sharedCluster } from '../cluster/shared-cluster';

type Kubectl = (args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<{ stdout: string; stderr: string; code: number | null }>;

export interface Kube {
  kubeconfigPath: string;
  kubectl: Kubectl;
  apply(objs: object[] | string): Promise<void>;
  remove(objs: object[] | string): Promise<void>;
  get<T = Record<string, unknown>>(kind: string, name: string, namespace?: string): Promise<T | undefined>;
  list<T = Record<string, unknown>>(kind: string, opts?: { namespace?: string; selector?: string }): Promise<T[]>;
}

export function kubeFrom(kubeconfigPath: string, kubectl: Kubectl): Kube {
  const run = async (args: string[], input?: string) => {
    const r = await kubectl(args, { input, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const text = (objs: object[] | string) => (typeof objs === 'string' ? objs : objs.map((o) => stringify(o)).join('---\n'));
  return {
    kubeconfigPath,
    kubectl,
    async apply(objs) { await run(['apply', '--server-side', '--force-conflicts', '--field-manager=e2e', '-f', '-'], text(objs)); },
    async remove(objs) { await run(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], text(objs)); },
    async get(kind, name, namespace) {
      const r = await kubectl(['get', kind, name, ...(namespace ? ['-n', namespace] : []), '-o', 'json'], { timeoutMs: 30_000 });
      if (r.code !== 0) { if (/NotFound|not found/.test(r.stderr)) return undefined; throw new Error(r.stderr); }
      return JSON.parse(r.stdout);
    },
    async list(kind, opts = {}) {
      const args = ['get', kind, ...(opts.namespace ? ['-n', opts.namespace] : ['-A']), ...(opts.selector ? ['-l', opts.selector] : []), '-o', 'json'];
      return JSON.parse(await run(args)).items;
    },
  };
}

/** The shared e2e cluster (started by e2e/globalSetup.ts). */
export function sharedKube(): Kube {
  const c = sharedCluster();
  return kubeFrom(c.kubeconfigPath, c.kubectl.bind(c));
}

/** Polls until `check` returns a value (not undefined/false) or the timeout passes; then throws with the last failure. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Cond { type: string; status: string; reason: string; observedGeneration?: number }

export function findCondition(conds: Cond[] | undefined, type: string): Cond | undefined {
  return conds?.find((c) => c.type === type);
}
