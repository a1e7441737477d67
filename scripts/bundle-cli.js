// `npm run build`, after tsc: bundles what `meshgate translate` loads (translators, the loader, offline admission,
// the YAML reader and writer, and the `yaml` library) into dist/src/cli-translate.bundle.js. One file loads in
// ~45 ms instead of ~130 ms for its ~130 modules, which is a twentieth of translating 10,000 routes. The GUI
// (`--gui`) stays a separate module: it finds its assets relative to its own file. cli.ts uses the bundle only
// when it is at least as new as dist/src/cli-translate.js, so a tsc run without this step never runs stale code.
const esbuild = require('esbuild');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', 'dist', 'src');
esbuild.buildSync({
  entryPoints: [path.join(dist, 'cli-translate.js')],
  outfile: path.join(dist, 'cli-translate.bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['./gui/offline'],
  legalComments: 'inline',
  logLevel: 'warning',
});
