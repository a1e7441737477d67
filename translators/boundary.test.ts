// The pure core stands alone: nothing under translators/ (tests and test helpers included)
// imports from src/, the I/O shell. The CLI, the GUI and the controller depend on the core,
// never the other way round.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CORE = path.join(ROOT, 'translators');
const SHELL = path.join(ROOT, 'src');

/** Module specifiers of import/export-from statements, dynamic import() and require(). */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  const re = /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function reachesShell(file: string, spec: string): boolean {
  if (!spec.startsWith('.')) return false; // packages and node: builtins
  const target = path.resolve(path.dirname(file), spec);
  return target === SHELL || target.startsWith(SHELL + path.sep);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

describe('translators/ never imports from src/', () => {
  it('finds every kind of import (the check itself)', () => {
    const src = [
      "import { a } from '../src/x';", "import type { B } from \"../../src/y\";", "export { c } from './z';",
      "import '../src/side-effect';", "const d = require('../src/r');", "const e = await import('../src/dyn');",
      "import {\n  f,\n} from '../src/multi';",
    ].join('\n');
    const file = path.join(CORE, 'example.ts');
    expect(specifiers(src).filter((s) => reachesShell(file, s))).toEqual(['../src/x', '../src/side-effect', '../src/r', '../src/dyn', '../src/multi']);
  });

  it('holds for every file under translators/', () => {
    // This file's own examples above would match; its real imports are node: builtins.
    const files = tsFiles(CORE).filter((f) => f !== __filename);
    expect(files.length).toBeGreaterThan(40);
    const offending = files.flatMap((f) => specifiers(readFileSync(f, 'utf8')).filter((s) => reachesShell(f, s)).map((s) => `${path.relative(ROOT, f)}: ${s}`));
    expect(offending).toEqual([]);
  });
});

describe('the engine is used through its interface', () => {
  it('no code outside translators/ reaches into engine.snap', () => {
    const files = ['src', 'bench', 'e2e'].flatMap((d) => tsFiles(path.join(ROOT, d)));
    const offending = files.filter((f) => /\bengine\??\.snap\b/.test(readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f));
    expect(offending).toEqual([]);
  });
});
