// `npm run demo -- --exit-after-ready` (the README's main command, non-interactive as in CI):
// exits 0 after printing a listing that holds the MeshGateway of every example Gateway (and the
// MeshHTTPRoute of every GAMMA route), every example Gateway Programmed, the kubeconfig and the
// GUI URL; and it leaves nothing behind. It starts its own control plane.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadExamples } from '../demo';

const REPO = path.resolve(__dirname, '..', '..');

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'demo', '--', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MESHGATE_KEEP_CLUSTER: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const t = setTimeout(() => child.kill('SIGINT'), 280_000);
    child.on('error', reject);
    child.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

test('npm run demo -- --exit-after-ready prints every example translated and exits 0', async () => {
  const docs = loadExamples(path.join(REPO, 'examples')).map((d) => d.doc as { kind: string; metadata: { name: string; namespace?: string }; spec: { parentRefs?: { kind?: string; name: string; namespace?: string }[] } });
  const gateways = docs.filter((d) => d.kind === 'Gateway');
  expect(gateways.length).toBeGreaterThanOrEqual(4);

  const r = await runDemo(['--exit-after-ready', '--gui-address=127.0.0.1:0']);
  const out = r.stdout;
  if (r.code !== 0) throw new Error(`demo exited ${r.code}\n--- stdout\n${out}\n--- stderr\n${r.stderr.slice(-5000)}`);

  const listing = out.slice(out.indexOf('==> What meshgate created'), out.indexOf('==> Gateway and route statuses'));
  for (const g of gateways) {
    expect(listing).toContain(`meshgateway.kuma.io/${g.metadata.name}.${g.metadata.namespace}`);
    expect(out).toMatch(new RegExp(`Gateway ${g.metadata.namespace}/${g.metadata.name} \\(class [^)]+\\): Accepted=True, Programmed=True`));
  }
  // GAMMA routes (Service parents) have no MeshGateway: their MeshHTTPRoute is listed instead.
  for (const d of docs.filter((x) => x.kind === 'HTTPRoute')) {
    for (const p of (d.spec.parentRefs ?? []).filter((x) => x.kind === 'Service')) {
      expect(listing).toContain(`meshhttproute.kuma.io/${d.metadata.name}-${d.metadata.namespace}-${p.name}.${p.namespace ?? d.metadata.namespace}`);
    }
  }
  expect(out).not.toMatch(/Accepted=False|Programmed=False|ResolvedRefs=False/);
  expect(out).toMatch(/GUI: +http:\/\/127\.0\.0\.1:\d+\/gui\//);
  const kubeconfig = /kubeconfig: (\S+)/.exec(out)?.[1];
  expect(kubeconfig).toBeDefined();
  // Cleaned up: the cluster's directory (kubeconfig, etcd data, logs) is gone.
  expect(existsSync(path.dirname(kubeconfig!))).toBe(false);
}, 300_000);
