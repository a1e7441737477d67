// The CLI as `npm run build` leaves it (what the image and `npx meshgate` run): `translate` loads its one-file
// bundle (scripts/bundle-cli.js), prints byte for byte what the TypeScript modules print, and `--gui` still
// finds its assets from the bundle. No cluster.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { translate } from '../../translators';
import { loadManifests } from '../../src/load';
import { renderTranslation, toYAML } from '../../src/render';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const EXAMPLES = path.join(ROOT, 'examples');

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('the built CLI (dist/)', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli-translate.bundle.js'))) throw new Error('dist/src/cli-translate.bundle.js is missing: run `npm run build` first');
  });

  it('translate loads the bundle, not the ~130 modules it was made from', () => {
    const probe = `require(${JSON.stringify(CLI)}).main(['translate', '-f', ${JSON.stringify(path.join(EXAMPLES, 'http-gateway'))}]).then(() => {
      const ours = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(ROOT, 'dist'))}) || f.includes('/node_modules/yaml/'));
      process.stderr.write(JSON.stringify(ours.map((f) => f.slice(${JSON.stringify(ROOT.length + 1)}))));
    })`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stderr).sort()).toEqual(['dist/src/cli-translate.bundle.js', 'dist/src/cli.js', 'dist/src/flags.js']);
  });

  it.each(fs.readdirSync(EXAMPLES).sort())('examples/%s: the same YAML as the TypeScript modules print', (dir) => {
    const r = spawnSync(process.execPath, [CLI, 'translate', '-f', path.join(EXAMPLES, dir)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    const loaded = loadManifests([path.join(EXAMPLES, dir)]);
    expect(r.stdout).toBe(toYAML(renderTranslation(loaded.input, translate(loaded.input), false)));
  });

  it('translate --gui serves the front end and the API from the bundle', async () => {
    const child = spawn(process.execPath, [CLI, 'translate', '-f', path.join(EXAMPLES, 'http-gateway'), '--gui', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (c) => {
          err += c;
          const m = /meshgate GUI: (\S+)/.exec(err);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<script');
      const overview = await get(`${url}api/overview`);
      expect(overview.status).toBe(200);
      expect(JSON.stringify(JSON.parse(overview.body))).toContain('edge');
    } finally {
      child.kill('SIGINT');
    }
  });
});
