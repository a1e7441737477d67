// Helpers of scripts/image/build.sh (run with ts-node):
//   stage ROOT_DIR      the app layer's files: /app (package.json, dist/ without source maps, the production
//                       node_modules named by package-lock.json) and /usr/local/bin/meshgate -> /app/dist/src/cli.js
//   layout OUT_DIR ...  an OCI image layout (oci-layout, index.json, blobs/sha256/…) that is also a `docker load`
//                       archive (manifest.json pointing at the same blobs), as `docker save` writes since Docker 25
// Every JSON document is written with sorted keys and no time but SOURCE_DATE_EPOCH, so the digests depend only on
// the layers' bytes and the arguments.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, createReadStream, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** Paths (relative to the repository) of the packages `npm ci --omit=dev` would install, from package-lock.json. */
export function productionPackages(lock: { packages: Record<string, { dev?: boolean; link?: boolean; version?: string }> }): string[] {
  return Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.link)
    .map(([path]) => path)
    .sort();
}

function copyTree(from: string, to: string, skip: (name: string, isDir: boolean) => boolean): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from).sort()) {
    const src = join(from, name);
    const st = lstatSync(src);
    if (skip(name, st.isDirectory())) continue;
    if (st.isDirectory()) copyTree(src, join(to, name), skip);
    else if (st.isFile()) copyFileSync(src, join(to, name));
    // Symlinks (node_modules/.bin) are not needed at run time and are left out.
  }
}

export function stage(root: string): void {
  const app = join(root, 'app');
  mkdirSync(app, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'package.json'), join(app, 'package.json'));
  for (const dir of ['src', 'translators', 'gui']) {
    const from = join(REPO_ROOT, 'dist', dir);
    if (!existsSync(from)) throw new Error(`${from} is missing: run \`npm run build\` first`);
    copyTree(from, join(app, 'dist', dir), (name, isDir) => !isDir && name.endsWith('.map'));
  }
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  for (const path of productionPackages(lock)) {
    const from = join(REPO_ROOT, path);
    const installed = existsSync(join(from, 'package.json')) ? JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).version : undefined;
    const optional = lock.packages[path].optional === true;
    if (installed === undefined && optional) continue;
    if (installed !== lock.packages[path].version) {
      throw new Error(`${path} is ${installed ?? 'not installed'}, package-lock.json says ${lock.packages[path].version}: run \`npm ci\``);
    }
    // Nested node_modules are their own entries in the lock file (copied when they are production ones).
    copyTree(from, join(app, path), (name, isDir) => isDir && name === 'node_modules');
  }
  chmodSync(join(app, 'dist', 'src', 'cli.js'), 0o755);
  mkdirSync(join(root, 'usr', 'local', 'bin'), { recursive: true });
  symlinkSync('/app/dist/src/cli.js', join(root, 'usr', 'local', 'bin', 'meshgate'));
}

/** JSON with object keys sorted at every level: the same document always has the same bytes. */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);
}

function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('error', rej).on('end', () => res(h.digest('hex')));
  });
}

export interface LayoutOptions {
  out: string;
  /** Image reference without tag, e.g. docker.io/meshgate/meshgate. */
  repository: string;
  tag: string;
  /** SOURCE_DATE_EPOCH (seconds). */
  created: number;
  /** gzip-compressed layer tars, base first, each with the sha256 of its uncompressed tar ("sha256:…"). */
  layers: { file: string; diffId: string; comment: string }[];
  labels: Record<string, string>;
}

export async function layout(o: LayoutOptions): Promise<{ manifestDigest: string; configDigest: string }> {
  const blobs = join(o.out, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const addBlob = (bytes: Buffer): { digest: string; size: number } => {
    const hex = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(blobs, hex), bytes);
    return { digest: `sha256:${hex}`, size: bytes.length };
  };
  const layers: { digest: string; size: number }[] = [];
  for (const l of o.layers) {
    const hex = await sha256File(l.file);
    copyFileSync(l.file, join(blobs, hex));
    layers.push({ digest: `sha256:${hex}`, size: lstatSync(l.file).size });
  }
  const created = new Date(o.created * 1000).toISOString().replace('.000Z', 'Z');
  const config = addBlob(Buffer.from(canonicalJSON({
    created,
    architecture: 'amd64',
    os: 'linux',
    config: {
      User: '65532:65532',
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_ENV=production'],
      Entrypoint: ['/usr/local/bin/meshgate'],
      Cmd: ['controller'],
      WorkingDir: '/app',
      ExposedPorts: { '9090/tcp': {} },
      Labels: o.labels,
    },
    rootfs: { type: 'layers', diff_ids: o.layers.map((l) => l.diffId) },
    history: o.layers.map((l) => ({ created, created_by: l.comment })),
  })));
  const manifest = addBlob(Buffer.from(canonicalJSON({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, ...config },
    layers: layers.map((l) => ({ mediaType: OCI_LAYER_GZIP, ...l })),
  })));
  const ref = `${o.repository}:${o.tag}`;
  writeFileSync(join(o.out, 'oci-layout'), canonicalJSON({ imageLayoutVersion: '1.0.0' }));
  // containerd (`ctr images import`, `kind load image-archive`) names the image from io.containerd.image.name;
  // skopeo and umoci select it by org.opencontainers.image.ref.name (the tag).
  writeFileSync(join(o.out, 'index.json'), canonicalJSON({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: OCI_MANIFEST, ...manifest, annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': o.tag } }],
  }));
  // `docker load` (before and after Docker 25) reads manifest.json; the layer blobs may be gzip-compressed.
  writeFileSync(join(o.out, 'manifest.json'), canonicalJSON([{
    Config: `blobs/sha256/${config.digest.slice(7)}`,
    RepoTags: [ref],
    Layers: layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
  }]));
  return { manifestDigest: manifest.digest, configDigest: config.digest };
}

async function cli(argv: string[]): Promise<void> {
  const [command, out, ...rest] = argv;
  if (command === 'stage' && out) { stage(resolve(out)); return; }
  if (command === 'layout' && out) {
    const opts: Record<string, string[]> = {};
    for (let i = 0; i < rest.length; i += 2) (opts[rest[i].replace(/^--/, '')] ??= []).push(rest[i + 1]);
    const [repository, tag] = [opts.repository?.[0], opts.tag?.[0]];
    if (!repository || !tag || !opts.created || !opts.layer) throw new Error('layout OUT --repository R --tag T --created EPOCH --layer FILE=DIFF_ID=COMMENT ...');
    const result = await layout({
      out: resolve(out), repository, tag, created: Number(opts.created[0]),
      layers: opts.layer.map((l) => { const [file, diffId, ...comment] = l.split('='); return { file, diffId, comment: comment.join('=') }; }),
      labels: Object.fromEntries((opts.label ?? []).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
    });
    process.stdout.write(`${result.manifestDigest}\n`);
    return;
  }
  throw new Error(`usage: oci.ts stage ROOT_DIR | oci.ts layout OUT_DIR --repository R --tag T --created EPOCH --layer FILE=DIFF_ID=COMMENT ...`);
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((e) => { process.stderr.write(`oci.ts: ${(e as Error).message}\n`); process.exitCode = 1; });
}
