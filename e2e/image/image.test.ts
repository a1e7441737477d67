// The controller image built without Docker (npm run image -> scripts/image/build.sh): a valid OCI layout and
// `docker load` archive named as the chart's default image, unpacked with umoci (an independent reader) and
// run in its own root filesystem with chroot, as its user 65532 on a read-only root: `meshgate --help`, then
// `meshgate controller` against the shared e2e API server until /readyz says ready and it accepts a GatewayClass.
// Needs root (chroot, mount namespaces), mmdebstrap on the first build, umoci; skipped, saying why, without them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { eventually, findCondition, sharedKube, type Cond } from '../support/kube';

const ROOT = path.resolve(__dirname, '..', '..');
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const baseCached = () => fs.existsSync(path.join(process.env.MESHGATE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'meshgate'), 'image'));
const missing = [
  ...(process.getuid?.() === 0 ? [] : ['root (chroot and mount namespaces)']),
  ...['umoci', 'unshare', 'chroot', 'tar'].filter((t) => !have(t)),
  ...(have('mmdebstrap') || baseCached() ? [] : ['mmdebstrap (apt-get install mmdebstrap umoci)']),
];
if (missing.length) process.stderr.write(`[e2e/image] SKIPPED: the image test needs ${missing.join(', ')}\n`);
const describeImage = missing.length ? describe.skip : describe;

function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: opts.timeout ?? 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Runs `args` in the image's root filesystem: its own mount namespace, the root bind-mounted read-only, /proc
 *  and /dev mounted, chroot as 65532:65532 with only the image's environment. */
function inImage(rootfs: string, args: string[]): string[] {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    `mount --bind ${q(rootfs)} ${q(rootfs)}`,
    `mount -o remount,bind,ro ${q(rootfs)}`,
    `mount -t proc proc ${q(`${rootfs}/proc`)}`,
    `mount --rbind /dev ${q(`${rootfs}/dev`)}`,
    `exec chroot --userspec=65532:65532 ${q(rootfs)} /usr/bin/env -i ${PATH} NODE_ENV=production ${args.map(q).join(' ')}`,
  ].join(' && ');
  // No --fork: unshare, sh, chroot and env each exec the next, so the spawned pid ends up being node's.
  return ['--mount', '--propagation', 'private', 'sh', '-c', script];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

describeImage('controller image (npm run image)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'meshgate-image-test-'));
  const tarball = path.join(work, `meshgate-${VERSION}.tar`);
  const rootfs = path.join(work, 'bundle', 'rootfs');
  let ctl: ChildProcess | undefined;
  const kube = sharedKube();
  const classes = [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'e2e-image' }, spec: { controllerName: 'meshgate.test/image' } }];

  afterAll(async () => {
    if (ctl?.pid && ctl.exitCode === null) {
      ctl.kill('SIGTERM');
      await new Promise((r) => ctl!.once('exit', r));
    }
    await kube.remove(classes).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('builds an OCI layout that is also a docker load archive, named as the chart\'s default image', () => {
    const t0 = Date.now();
    sh('bash', ['scripts/image/build.sh'], { env: { MESHGATE_IMAGE_OUT: tarball }, timeout: 900_000 });
    process.stderr.write(`[e2e/image] built ${tarball} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(tarball).size / 1e6).toFixed(0)} MB)\n`);
    const layout = path.join(work, 'layout');
    fs.mkdirSync(layout);
    sh('tar', ['-xf', tarball, '-C', layout]);
    const blob = (digest: string) => JSON.parse(fs.readFileSync(path.join(layout, 'blobs', 'sha256', digest.replace('sha256:', '')), 'utf8'));
    const index = JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8'));
    const values = parse(fs.readFileSync(path.join(ROOT, 'charts', 'meshgate', 'values.yaml'), 'utf8'));
    const chart = parse(fs.readFileSync(path.join(ROOT, 'charts', 'meshgate', 'Chart.yaml'), 'utf8'));
    const chartImage = `${values.image.repository}:${values.image.tag || chart.appVersion}`;
    expect(index.manifests[0].annotations['io.containerd.image.name']).toBe(chartImage);
    const manifest = blob(index.manifests[0].digest);
    const config = blob(manifest.config.digest);
    expect(config.config).toMatchObject({ User: '65532:65532', Entrypoint: ['/usr/local/bin/meshgate'], Cmd: ['controller'] });
    const dockerManifest = JSON.parse(fs.readFileSync(path.join(layout, 'manifest.json'), 'utf8'));
    expect(dockerManifest).toEqual([{ Config: `blobs/sha256/${manifest.config.digest.slice(7)}`, RepoTags: [chartImage], Layers: manifest.layers.map((l: { digest: string }) => `blobs/sha256/${l.digest.slice(7)}`) }]);
    for (const l of dockerManifest[0].Layers) expect(fs.existsSync(path.join(layout, l))).toBe(true);
    if (have('skopeo')) {
      expect(JSON.parse(sh('skopeo', ['inspect', `oci-archive:${tarball}`])).Digest).toBe(index.manifests[0].digest);
      expect(JSON.parse(sh('skopeo', ['inspect', `docker-archive:${tarball}`])).Layers).toHaveLength(manifest.layers.length);
    }
    sh('umoci', ['unpack', '--image', `${layout}:${VERSION}`, path.join(work, 'bundle')], { timeout: 300_000 });
    expect(fs.readlinkSync(path.join(rootfs, 'usr', 'local', 'bin', 'meshgate'))).toBe('/app/dist/src/cli.js');
    expect(fs.existsSync(path.join(rootfs, 'app', 'node_modules', 'jest'))).toBe(false); // production dependencies only
  }, 900_000);

  test('`meshgate --help` runs in the image\'s root filesystem as 65532 on a read-only root', () => {
    expect(fs.existsSync(rootfs)).toBe(true);
    const help = spawnSync('unshare', inImage(rootfs, ['/usr/local/bin/meshgate', '--help']), { encoding: 'utf8', timeout: 60_000 });
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: meshgate COMMAND/);
    const node = spawnSync('unshare', inImage(rootfs, ['node', '-p', 'process.version + " " + process.getuid() + " " + (() => { try { require("fs").writeFileSync("/app/x", ""); return "writable"; } catch (e) { return e.code; } })()']), { encoding: 'utf8', timeout: 60_000 });
    const [version, uid, write] = node.stdout.trim().split(' ');
    expect(Number(version.slice(1).split('.')[0]) * 100 + Number(version.split('.')[1])).toBeGreaterThanOrEqual(2019);
    expect([uid, write]).toEqual(['65532', 'EROFS']);
  }, 120_000);

  test('`meshgate controller` in the image reports ready against the e2e API server and accepts its GatewayClass', async () => {
    const kubeconfig = path.join(rootfs, 'run', 'meshgate-kubeconfig');
    fs.copyFileSync(kube.kubeconfigPath, kubeconfig);
    fs.chmodSync(kubeconfig, 0o644);
    const port = await freePort();
    let logs = '';
    ctl = spawn('unshare', inImage(rootfs, ['/usr/local/bin/meshgate', 'controller', '--kubeconfig=/run/meshgate-kubeconfig',
      '--controller-name=meshgate.test/image', '--watch-namespaces=e2e-image', '--gui-address=off',
      `--metrics-address=127.0.0.1:${port}`, '--log-format=json']), { stdio: ['ignore', 'pipe', 'pipe'] });
    ctl.stdout!.on('data', (d) => { logs += d; });
    ctl.stderr!.on('data', (d) => { logs += d; });
    await eventually(async () => {
      if (ctl!.exitCode !== null) throw new Error(`the controller exited ${ctl!.exitCode}:\n${logs}`);
      const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      return r?.status === 200;
    }, 90_000, `controller in the image ready (logs so far:\n${logs})`);
    await kube.apply(classes);
    await eventually(async () => {
      const gc = await kube.get<{ status?: { conditions?: Cond[] } }>('gatewayclass', 'e2e-image');
      return findCondition(gc?.status?.conditions, 'Accepted')?.status === 'True';
    }, 60_000, 'GatewayClass e2e-image Accepted by the controller in the image');
    ctl.kill('SIGTERM');
    const code = await new Promise((r) => ctl!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  }, 180_000);
});
