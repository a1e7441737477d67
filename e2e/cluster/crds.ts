// Installing CRDs into a test cluster with kubectl (server-side apply).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gatewayApiCrdDir, kumaCrdDir, repoRoot } from '../upstream/locate';
import type { RunResult } from './util';

/** The part of TestCluster that CRD installation needs. */
export interface KubectlRunner {
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
}

export { repoRoot, sharedDir, gatewayApiCrdDir, kumaCrdDir } from '../upstream/locate';

export interface ManifestFile {
  file: string;
  /** CRD name (plural.group), if the file is a CRD. */
  crdName?: string;
  kind?: string;
  plural?: string;
}

/** The Gateway API manifests of a channel: the kustomization's resources (or every *.yaml). */
export function gatewayApiManifests(channel: 'experimental' | 'standard' = 'experimental'): ManifestFile[] {
  const dir = gatewayApiCrdDir(channel);
  if (!fs.existsSync(dir)) {
    throw new Error(`Gateway API CRDs not found at ${dir} (e2e/upstream/go.mod pins them; run bash e2e/upstream/download.sh)`);
  }
  let names: string[];
  const kust = path.join(dir, 'kustomization.yaml');
  if (fs.existsSync(kust)) {
    names = [];
    let inResources = false;
    for (const line of fs.readFileSync(kust, 'utf8').split('\n')) {
      if (/^resources:\s*$/.test(line)) {
        inResources = true;
        continue;
      }
      if (inResources) {
        const m = /^\s*-\s*(\S+)\s*$/.exec(line);
        if (m) names.push(m[1]!);
        else if (/^\S/.test(line)) inResources = false;
      }
    }
  } else {
    names = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  }
  return names.map((n) => describeManifest(path.join(dir, n)));
}

function describeManifest(file: string): ManifestFile {
  const text = fs.readFileSync(file, 'utf8');
  if (!/^kind:\s*CustomResourceDefinition\s*$/m.test(text)) return { file };
  const name = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]{2}name:\s*["']?([^\s"']+)/m.exec(text)?.[1];
  const listKind = /^\s+listKind:\s*(\S+)List\s*$/m.exec(text)?.[1];
  return { file, crdName: name, kind: listKind, plural: name?.split('.')[0] };
}

function matches(m: ManifestFile, token: string): boolean {
  const t = token.toLowerCase();
  return [m.kind, m.plural, m.crdName, path.basename(m.file)].some((x) => x !== undefined && x.toLowerCase() === t);
}

export interface InstallGatewayApiOptions {
  /** Install only these CRDs: kind ("TLSRoute"), plural ("tlsroutes") or CRD name. Non-CRD manifests (the safe-upgrades ValidatingAdmissionPolicy) are always installed. */
  only?: string[];
  /** Install everything except these CRDs (same matching as `only`). */
  except?: string[];
  /** Default "experimental". */
  channel?: 'experimental' | 'standard';
  /** Timeout for the CRDs to become Established (default 60s). */
  timeoutMs?: number;
}

/**
 * Installs the Gateway API CRDs (server-side apply) from the pinned sigs.k8s.io/gateway-api module (config/crd/<channel>)
 * and waits until they are Established. Returns the names of the CRDs installed.
 */
export async function installGatewayApiCrds(cluster: KubectlRunner, opts: InstallGatewayApiOptions = {}): Promise<string[]> {
  const all = gatewayApiManifests(opts.channel);
  for (const token of [...(opts.only ?? []), ...(opts.except ?? [])]) {
    if (!all.some((m) => m.crdName && matches(m, token))) {
      throw new Error(`installGatewayApiCrds: "${token}" matches no Gateway API CRD (known: ${all.filter((m) => m.kind).map((m) => m.kind).join(', ')})`);
    }
  }
  const selected = all.filter((m) => {
    if (!m.crdName) return true;
    if (opts.only && !opts.only.some((t) => matches(m, t))) return false;
    if (opts.except && opts.except.some((t) => matches(m, t))) return false;
    return true;
  });
  return applyAndWait(cluster, selected.map((m) => m.file), opts.timeoutMs);
}

/** Every *.yaml / *.yml under `dir` (recursively), kustomization files excluded. Missing dir → []. */
export function yamlFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && !/^kustomization\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export interface KumaIoCrds {
  files: string[];
  /** "kuma": Kuma v2.14.3's own CRDs (../shared/kuma/crds) for every kind crds/ defines; "repo": crds/. */
  source: 'kuma' | 'repo';
  /** One line saying which set and why, for the test log. */
  note: string;
}

/**
 * The kuma.io CRDs the tests install. Kuma's own CRDs when ../shared/kuma/crds is there (CI),
 * so that what meshgate writes is admitted by a real Kuma's schema; else the repo's crds/.
 * MESHGATE_KUMA_CRDS=repo|kuma forces one (kuma fails when the folder is absent).
 */
export function kumaIoCrds(dir = path.join(repoRoot, 'crds')): KumaIoCrds {
  const repoFiles = yamlFilesUnder(dir).filter((f) => /^kind:\s*\S+/m.test(fs.readFileSync(f, 'utf8')));
  const want = process.env.MESHGATE_KUMA_CRDS ?? 'auto';
  const kuma = kumaCrdDir();
  if (want === 'repo' || (want === 'auto' && !kuma.dir)) {
    const why = want === 'repo' ? 'MESHGATE_KUMA_CRDS=repo' : kuma.reason ?? '';
    return { files: repoFiles, source: 'repo', note: `kuma.io CRDs: the repo's crds/ (${why})` };
  }
  if (!kuma.dir) throw new Error(`MESHGATE_KUMA_CRDS=kuma, but ${kuma.reason}`);
  const kumaDir = kuma.dir;
  // Same file names as Kuma's (kuma.io_<plural>.yaml); a kind Kuma does not ship keeps crds/.
  const files = repoFiles.map((f) => {
    const theirs = path.join(kumaDir, path.basename(f));
    return fs.existsSync(theirs) ? theirs : f;
  });
  return { files, source: 'kuma', note: `kuma.io CRDs: Kuma v2.14.3's own from ${kumaDir} (instead of crds/ for ${files.filter((f) => f.startsWith(kumaDir)).map((f) => path.basename(f, '.yaml').replace(/^kuma\.io_/, '')).join(', ')})` };
}

/**
 * Installs the kuma.io CRDs (kumaIoCrds(): Kuma's own when ../shared has them, else crds/) and
 * waits for them. `dir` installs exactly the YAMLs under that directory instead.
 */
export async function installRepoCrds(cluster: KubectlRunner, opts: { dir?: string; timeoutMs?: number } = {}): Promise<string[]> {
  if (opts.dir) {
    const files = yamlFilesUnder(opts.dir).filter((f) => /^kind:\s*\S+/m.test(fs.readFileSync(f, 'utf8')));
    return applyAndWait(cluster, files, opts.timeoutMs);
  }
  return applyAndWait(cluster, kumaIoCrds().files, opts.timeoutMs);
}

/** Server-side applies `files` and waits for every CRD among them to be Established. */
export async function applyAndWait(cluster: KubectlRunner, files: string[], timeoutMs = 60000): Promise<string[]> {
  if (files.length === 0) return [];
  const args = ['apply', '--server-side', '--force-conflicts', '--field-manager=meshgate-e2e', '-o', 'name'];
  for (const f of files) args.push('-f', f);
  const applied = await cluster.kubectl(args, { timeoutMs });
  if (applied.code !== 0) {
    throw new Error(`kubectl apply of ${files.length} manifest(s) failed (exit ${applied.code}):\n${applied.stderr}`);
  }
  const crds = applied.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('customresourcedefinition.apiextensions.k8s.io/'));
  if (crds.length > 0) {
    const waited = await cluster.kubectl(
      ['wait', '--for=condition=Established', `--timeout=${Math.ceil(timeoutMs / 1000)}s`, ...crds],
      { timeoutMs: timeoutMs + 10000 },
    );
    if (waited.code !== 0) {
      throw new Error(`CRDs did not become Established:\n${waited.stderr}${waited.stdout}`);
    }
  }
  return crds.map((c) => c.slice('customresourcedefinition.apiextensions.k8s.io/'.length));
}
