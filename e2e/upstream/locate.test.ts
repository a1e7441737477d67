// Where the demo and the tests find their reference inputs: the pinned Go modules, never ../shared;
// and which kuma.io CRDs the e2e clusters get with and without ../shared/kuma/crds.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gatewayApiManifests, kumaIoCrds } from '../cluster/crds';
import { conformanceDir, gatewayApiCrdDir, kumaCrdDir, pinnedVersion, repoRoot, sharedDir } from './locate';

const saved = { shared: process.env.MESHGATE_SHARED_DIR, kuma: process.env.MESHGATE_KUMA_CRDS };
afterEach(() => {
  for (const [k, v] of [['MESHGATE_SHARED_DIR', saved.shared], ['MESHGATE_KUMA_CRDS', saved.kuma]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
const hideShared = () => { process.env.MESHGATE_SHARED_DIR = path.join(mkdtempSync(path.join(os.tmpdir(), 'meshgate-no-shared-')), 'missing'); };

test('go.mod pins both modules at the same Gateway API release, and go.sum has their checksums', () => {
  expect(pinnedVersion('sigs.k8s.io/gateway-api')).toBe('v1.6.1');
  expect(pinnedVersion('sigs.k8s.io/gateway-api/conformance')).toBe('v1.6.1');
  const sum = readFileSync(path.join(__dirname, 'go.sum'), 'utf8');
  for (const m of ['sigs.k8s.io/gateway-api v1.6.1 h1:', 'sigs.k8s.io/gateway-api/conformance v1.6.1 h1:']) expect(sum).toContain(m);
});

test('the Gateway API CRDs and conformance manifests come from the module cache, with ../shared hidden', () => {
  hideShared();
  const crds = gatewayApiCrdDir('experimental');
  expect(crds).not.toContain(sharedDir());
  expect(crds).toMatch(/sigs\.k8s\.io\/gateway-api@v1\.6\.1\/config\/crd\/experimental$/);
  const kinds = gatewayApiManifests().map((m) => m.kind).filter(Boolean);
  expect(kinds).toEqual(expect.arrayContaining(['Gateway', 'GatewayClass', 'HTTPRoute', 'TLSRoute', 'ReferenceGrant']));
  expect(existsSync(path.join(conformanceDir(), 'base', 'manifests.yaml'))).toBe(true);
  expect(readdirSync(path.join(conformanceDir(), 'tests')).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(50);
});

test('with ../shared hidden, the kuma.io CRDs are the repo crds/ and the note says why', () => {
  hideShared();
  expect(kumaCrdDir().dir).toBeUndefined();
  const set = kumaIoCrds();
  expect(set.source).toBe('repo');
  expect(set.files.map((f) => path.relative(repoRoot, f)).sort()).toEqual(['crds/kuma.io_meshgatewayconfigs.yaml', 'crds/kuma.io_meshgateways.yaml', 'crds/kuma.io_meshhttproutes.yaml', 'crds/kuma.io_meshtcproutes.yaml']);
  expect(set.note).toContain('not found at');
  process.env.MESHGATE_KUMA_CRDS = 'kuma';
  expect(() => kumaIoCrds()).toThrow(/MESHGATE_KUMA_CRDS=kuma, but Kuma's own CRDs not found/);
});

const shared = kumaCrdDir();
(shared.dir ? test : test.skip)(`with ../shared/kuma/crds, Kuma's files replace crds/ kind for kind${shared.dir ? '' : ` (SKIPPED: ${shared.reason})`}`, () => {
  const set = kumaIoCrds();
  expect(set.source).toBe('kuma');
  expect(set.files.map((f) => path.relative(shared.dir!, f)).sort()).toEqual(['kuma.io_meshgatewayconfigs.yaml', 'kuma.io_meshgateways.yaml', 'kuma.io_meshhttproutes.yaml', 'kuma.io_meshtcproutes.yaml']);
  process.env.MESHGATE_KUMA_CRDS = 'repo';
  expect(kumaIoCrds().source).toBe('repo');
});

const sharedGatewayApi = path.join(sharedDir(), 'gateway-api');
(existsSync(sharedGatewayApi) ? test : test.skip)('the module holds the same CRDs and conformance tests as ../shared/gateway-api (when present)', () => {
  for (const channel of ['standard', 'experimental'] as const) {
    const theirs = path.join(sharedGatewayApi, 'crds', channel);
    for (const f of readdirSync(theirs)) expect([channel, f, readFileSync(path.join(gatewayApiCrdDir(channel), f), 'utf8')]).toEqual([channel, f, readFileSync(path.join(theirs, f), 'utf8')]);
  }
  const tests = path.join(sharedGatewayApi, 'conformance', 'tests');
  for (const f of readdirSync(tests).filter((x) => x.endsWith('.yaml'))) expect(readFileSync(path.join(conformanceDir(), 'tests', f), 'utf8')).toBe(readFileSync(path.join(tests, f), 'utf8'));
});

test('src/admission/schemas.json is what scripts/gen-admission-schemas.ts makes of the pinned CRDs', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generate, OUT } = require('../../scripts/gen-admission-schemas') as typeof import('../../scripts/gen-admission-schemas');
  // Stale after a Gateway API bump: rerun `npx ts-node --transpile-only scripts/gen-admission-schemas.ts`.
  expect(readFileSync(OUT, 'utf8') === generate()).toBe(true);
});
