// Bundles the front end (src/gui/web) with esbuild into dist/gui: app.js, style.css, index.html.
// `npm run build:gui` runs this after type-checking the web sources with their own tsconfig.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { defaultAssetsDir, repoRoot } from './paths';

export interface BuildReport {
  outdir: string;
  files: { name: string; bytes: number; gzip: number }[];
}

export async function buildGui(outdir = defaultAssetsDir(), minify = true): Promise<BuildReport> {
  const web = path.join(repoRoot(), 'src', 'gui', 'web');
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(web, 'main.tsx')],
    outfile: path.join(outdir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(path.join(web, f), path.join(outdir, f));
  const files = readdirSync(outdir)
    .filter((n) => statSync(path.join(outdir, n)).isFile())
    .map((name) => {
      const buf = readFileSync(path.join(outdir, name));
      return { name, bytes: buf.length, gzip: gzipSync(buf).length };
    });
  return { outdir, files };
}

if (require.main === module) {
  buildGui().then(
    (r) => {
      for (const f of r.files) console.log(`${path.join(r.outdir, f.name)}  ${f.bytes} B  (${f.gzip} B gzip)`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
