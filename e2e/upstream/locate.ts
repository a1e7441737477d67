// Where the reference inputs of the demo and the tests live at run time:
//   - the Gateway API CRDs and conformance manifests: the Go modules pinned in e2e/upstream/go.mod,
//     in the Go module cache (fetched by e2e/upstream/download.sh, which scripts/setup.sh runs);
//   - ../shared (optional, for people and CI): only Kuma's own CRDs are read from it, and the tests
//     that need them skip with a message when it is absent.
// Nothing here depends on ../shared existing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HERE = __dirname;
export const repoRoot = path.resolve(HERE, '..', '..');

export const GATEWAY_API_MODULE = 'sigs.k8s.io/gateway-api';
export const CONFORMANCE_MODULE = 'sigs.k8s.io/gateway-api/conformance';

/** The version of `mod` pinned in e2e/upstream/go.mod. */
export function pinnedVersion(mod: string): string {
  const text = readFileSync(path.join(HERE, 'go.mod'), 'utf8');
  const escaped = mod.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const v = new RegExp(`^\\s*${escaped}\\s+(v\\S+)`, 'm').exec(text)?.[1];
  if (!v) throw new Error(`${mod} is not pinned in ${path.join(HERE, 'go.mod')}`);
  return v;
}

function goBinary(): string {
  if (process.env.GO) return process.env.GO;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  return '/usr/local/go/bin/go';
}

let modCacheMemo: string | undefined;
/** $GOMODCACHE, else what `go env GOMODCACHE` says, else Go's default ($GOPATH or ~/go, /pkg/mod). */
export function goModCache(): string {
  if (modCacheMemo) return modCacheMemo;
  let dir = process.env.GOMODCACHE;
  if (!dir) {
    try {
      dir = execFileSync(goBinary(), ['env', 'GOMODCACHE'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      dir = path.join(process.env.GOPATH?.split(path.delimiter)[0] || path.join(os.homedir(), 'go'), 'pkg', 'mod');
    }
  }
  modCacheMemo = dir;
  return dir;
}

/** Go's module-cache spelling of a path: upper-case letters become "!" + lower case. */
function escapeModulePath(mod: string): string {
  return mod.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/**
 * The extracted directory of a pinned module. When it is not in the module cache yet, runs
 * e2e/upstream/download.sh once (a few seconds; checksums verified against go.sum).
 */
export function moduleDir(mod: string): string {
  const dir = path.join(goModCache(), `${escapeModulePath(mod)}@${pinnedVersion(mod)}`);
  if (existsSync(dir)) return dir;
  process.stderr.write(`[upstream] ${mod}@${pinnedVersion(mod)} is not in the Go module cache; running e2e/upstream/download.sh\n`);
  try {
    execFileSync('bash', [path.join(HERE, 'download.sh')], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, GO: goBinary() } });
  } catch (e) {
    throw new Error(`cannot download ${mod}@${pinnedVersion(mod)} (bash e2e/upstream/download.sh failed: ${(e as Error).message})`);
  }
  if (!existsSync(dir)) throw new Error(`${mod}@${pinnedVersion(mod)} downloaded, but ${dir} does not exist (GOMODCACHE=${goModCache()})`);
  return dir;
}

/** The Gateway API CRDs of a channel (config/crd/<channel> of the pinned module). */
export function gatewayApiCrdDir(channel: 'experimental' | 'standard' = 'experimental'): string {
  return path.join(moduleDir(GATEWAY_API_MODULE), 'config', 'crd', channel);
}

/** The conformance manifests (base/, tests/) of the pinned conformance module. */
export function conformanceDir(): string {
  return moduleDir(CONFORMANCE_MODULE);
}

/** `../shared` beside the repo, or $MESHGATE_SHARED_DIR (CI points it at a missing dir to hide it). */
export function sharedDir(): string {
  return process.env.MESHGATE_SHARED_DIR ? path.resolve(process.env.MESHGATE_SHARED_DIR) : path.resolve(repoRoot, '..', 'shared');
}

/** Kuma v2.14.3's own CRDs (../shared/kuma/crds), or undefined with the reason when absent. */
export function kumaCrdDir(): { dir: string; reason?: undefined } | { dir: undefined; reason: string } {
  const dir = path.join(sharedDir(), 'kuma', 'crds');
  if (existsSync(path.join(dir, 'kuma.io_meshgateways.yaml'))) return { dir };
  return { dir: undefined, reason: `Kuma's own CRDs not found at ${dir} (../shared is optional; set MESHGATE_SHARED_DIR to the folder holding kuma/crds)` };
}
