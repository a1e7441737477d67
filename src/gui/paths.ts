// Where the GUI's sources and built assets live, whether running from src/ (ts-node, jest) or
// from the compiled dist/src/gui.
import { existsSync } from 'fs';
import * as path from 'path';

export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'src'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from, '../..');
    dir = up;
  }
}

/** dist/gui under the repository root (compiled code lives in dist/src/gui, sources in src/gui). */
export function defaultAssetsDir(): string {
  const compiled = path.resolve(__dirname, '../../gui');
  if (path.basename(path.resolve(__dirname, '../..')) === 'dist' && existsSync(compiled)) return compiled;
  return path.join(repoRoot(), 'dist', 'gui');
}
