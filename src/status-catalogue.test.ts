// Every condition the translators emit over all golden inputs, the examples and the GUI fixture has
// a catalogue entry at its scope, and every one that is not healthy has a hint the GUI shows
// instead of repeating the message. Lives in src/ because it loads the goldens with the CLI's loader.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests } from './load';
import { translate } from '../translators/index';
import type { TranslationInput, TranslationOptions } from '../translators/input';
import type { EmittedCondition } from '../translators/status/catalogue';
import { catalogueEntry, CATALOGUE, conditionsOf } from '../translators/status/catalogue';
import { entryKey } from '../translators/status/conditions';
import { fixtureInput } from './gui/testdata/fixture';

const ROOT = join(__dirname, '..');
const TESTDATA = join(ROOT, 'translators', 'testdata');
const EXAMPLES = join(ROOT, 'examples');

function inputs(): [string, TranslationInput][] {
  const out: [string, TranslationInput][] = [];
  for (const f of readdirSync(TESTDATA).filter((x) => x.endsWith('.in.yaml')).sort()) {
    const path = join(TESTDATA, f);
    const m = /^#\s*options:\s*(\{.*\})\s*$/m.exec(readFileSync(path, 'utf8'));
    out.push([f, loadManifests([path], m ? (JSON.parse(m[1]) as Partial<TranslationOptions>) : {}).input]);
  }
  if (existsSync(EXAMPLES)) {
    for (const d of readdirSync(EXAMPLES).sort()) {
      if (statSync(join(EXAMPLES, d)).isDirectory()) out.push([`examples/${d}`, loadManifests([join(EXAMPLES, d)], {}).input]);
    }
  }
  out.push(['gui fixture', fixtureInput()]);
  return out;
}

const all: (EmittedCondition & { input: string })[] = inputs().flatMap(([name, input]) => conditionsOf(translate(input)).map((c) => ({ ...c, input: name })));
const key = (c: { scope: string; type: string; status: string; reason: string }) => entryKey(c.scope as never, c.type, c.status, c.reason);

describe('the condition catalogue covers what the translators emit', () => {
  test('the goldens emit conditions of most kinds', () => {
    expect(all.length).toBeGreaterThan(500);
    expect(new Set(all.map((c) => c.scope))).toEqual(new Set(['GatewayClass', 'Gateway', 'ListenerSet', 'Listener', 'Route']));
  });

  test('every emitted condition has a catalogue entry at its scope', () => {
    const missing = all.filter((c) => !catalogueEntry(c.scope, c)).map((c) => `${key(c)} (${c.input}: ${c.where})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  test('every emitted condition that is not healthy has a hint', () => {
    const healthy = new Set(CATALOGUE.filter((e) => !e.hint).map(key));
    const noHint = all.filter((c) => !healthy.has(key(c)) && !catalogueEntry(c.scope, c)?.hint).map((c) => `${key(c)} (${c.input})`);
    expect([...new Set(noHint)]).toEqual([]);
    // The healthy ones are exactly the positive conditions (nothing for the user to do).
    expect([...healthy].sort()).toEqual(CATALOGUE.filter((e) => isHealthy(e)).map(key).sort());
  });
});

const NORMAL_REASON: Record<string, string> = {
  Accepted: 'Accepted', Programmed: 'Programmed', ResolvedRefs: 'ResolvedRefs', SupportedVersion: 'SupportedVersion',
  'meshgate.io/CertificateValid': 'CertificateValid', Conflicted: 'NoConflicts',
};
function isHealthy(e: { type: string; status: string; reason: string }): boolean {
  return e.type === 'Conflicted' ? e.status === 'False' : e.status === 'True' && NORMAL_REASON[e.type] === e.reason;
}
