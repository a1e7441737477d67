// What one kind of write costs the API server: N MeshHTTPRoutes written each way (CONCURRENCY in
// flight) on a fresh control plane; wall time and the CPU time kube-apiserver + etcd spent.
//   node -r ts-node/register/transpile-only bench/write-cost.ts
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { startCluster } from '../e2e/cluster/harness';

const N = Number(process.env.N ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);

function cpuOf(name: string): number {
  const pids = execFileSync('pgrep', ['-f', name]).toString().trim().split('\n').filter(Boolean);
  let t = 0;
  for (const p of pids) { try { const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); t += (Number(f[11]) + Number(f[12])) * 10; } catch { /* gone */ } }
  return t;
}

async function main(): Promise<void> {
  const c = await startCluster({ name: 'writecost', log: () => {} });
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: readFileSync(c.pki.caCert), cert: readFileSync(c.pki.adminCert), key: readFileSync(c.pki.adminKey) });
  const req = (method: string, p: string, body: unknown, ct: string) => new Promise<number>((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const r = https.request(new URL(p, c.server), { method, agent, headers: { 'Content-Type': ct, 'Content-Length': payload.length, Accept: 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    r.on('error', reject); r.write(payload); r.end();
  });
  await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kuma-system' } }, 'application/json');
  const mhr = (name: string, v: string) => ({
    apiVersion: 'kuma.io/v1alpha1', kind: 'MeshHTTPRoute', metadata: { name, namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default', 'app.kubernetes.io/managed-by': 'meshgate', 'meshgate.io/owner-kind': 'HTTPRoute' }, annotations: { 'meshgate.io/applied-hash': v } },
    spec: { targetRef: { kind: 'MeshGateway', name: 'gw.ns', tags: { 'gateways.kuma.io/listener-name': 'http' } }, to: [{ targetRef: { kind: 'Mesh' }, rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${name}/${v}` } }], default: { backendRefs: [{ kind: 'MeshService', name: 'web_ns_svc_8080', weight: 1 }] } }] }] },
  });
  const base = '/apis/kuma.io/v1alpha1/namespaces/kuma-system/meshhttproutes';
  const ways: [string, (i: number) => Promise<number>][] = [
    ['create: server-side apply (PATCH apply-patch)', (i) => req('PATCH', `${base}/ssa-${i}?fieldManager=meshgate&force=true`, mhr(`ssa-${i}`, 'a'), 'application/apply-patch+yaml')],
    ['create: POST', (i) => req('POST', `${base}?fieldManager=meshgate`, mhr(`post-${i}`, 'a'), 'application/json')],
    ['update: server-side apply', (i) => req('PATCH', `${base}/ssa-${i}?fieldManager=meshgate&force=true`, mhr(`ssa-${i}`, 'b'), 'application/apply-patch+yaml')],
    ['update: JSON patch (2 ops)', (i) => req('PATCH', `${base}/post-${i}?fieldManager=meshgate`, [{ op: 'replace', path: '/metadata/annotations/meshgate.io~1applied-hash', value: 'b' }, { op: 'replace', path: '/spec/to/0/rules/0/matches/0/path/value', value: `/post-${i}/b` }], 'application/json-patch+json')],
  ];
  for (const [label, f] of ways) {
    const cpu0 = cpuOf('kube-apiserver') + cpuOf('etcd');
    const t0 = Date.now();
    let next = 0;
    const codes = new Map<number, number>();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < N) { const s = await f(next++); codes.set(s, (codes.get(s) ?? 0) + 1); } }));
    const ms = Date.now() - t0;
    const cpu = cpuOf('kube-apiserver') + cpuOf('etcd') - cpu0;
    console.log(`${label.padEnd(48)} ${N} in ${ms} ms (${Math.round((N * 1000) / ms)}/s); API server + etcd CPU ${cpu} ms (${(cpu / N).toFixed(2)} ms per write); status codes ${JSON.stringify(Object.fromEntries(codes))}`);
  }
  agent.destroy();
  await c.stop();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
