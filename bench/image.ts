// npm run bench:image — builds the image twice (each time from a clean dist/) and compares the digests and the
// archives' bytes; prints each build's time and size. BENCH_COLD=1 first builds the Debian base layer into a
// fresh cache directory too (minutes; needs network). Figures only; nothing here asserts on time.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'meshgate-bench-image-'));
const cache = process.env.BENCH_COLD === '1' ? join(work, 'cache') : undefined;

function build(n: number): { digest: string; sha256: string; seconds: number; mb: number } {
  const out = join(work, `build-${n}`, 'meshgate.tar');
  const t0 = performance.now();
  const r = spawnSync('bash', ['scripts/image/build.sh'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, MESHGATE_IMAGE_OUT: out, ...(cache ? { MESHGATE_CACHE_DIR: cache } : {}) },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`build ${n} failed (${r.status}):\n${r.stderr}`);
  return {
    digest: readFileSync(`${out}.digest`, 'utf8').trim(),
    sha256: createHash('sha256').update(readFileSync(out)).digest('hex'),
    seconds,
    mb: statSync(out).size / 1e6,
  };
}

try {
  const a = build(1);
  console.log(`build 1${cache ? ' (cold: Debian base layer built too)' : ''}: ${a.seconds.toFixed(1)} s, ${a.mb.toFixed(1)} MB, ${a.digest}`);
  const b = build(2);
  console.log(`build 2: ${b.seconds.toFixed(1)} s, ${b.mb.toFixed(1)} MB, ${b.digest}`);
  const same = a.digest === b.digest && a.sha256 === b.sha256;
  console.log(`reproducible: ${same ? 'yes' : 'NO'} (manifest digests ${a.digest === b.digest ? 'equal' : 'differ'}, archive sha256 ${a.sha256 === b.sha256 ? 'equal' : 'differ'})`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
