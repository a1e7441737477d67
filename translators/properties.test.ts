// Property tests over structurally random bundles (testing/arbitraries.ts): translate() never
// throws, is deterministic and independent of input order, and every generated object carries the
// owner labels and a name valid for its kind. Incremental == full: incremental.test.ts.
import fc from 'fast-check';
import type { KubeObject } from './api/meta';
import { translate } from './index';
import type { TranslationInput } from './input';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, OWNER_LABEL } from './naming';
import type { TranslationResult } from './result';
import { bundleArb, shuffleBundle } from './testing/arbitraries';
import { admissionReport } from './testing/kuma-admission';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

// ---- name rules ---------------------------------------------------------------------------

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Everything wrong with one generated object's name and labels (empty = fine). */
export function nameProblems(o: KubeObject): string[] {
  const problems: string[] = [];
  const n = o.metadata?.name;
  const where = `${o.kind} ${o.metadata?.namespace ?? ''}/${n}`;
  if (typeof n !== 'string') return [`${where}: name is not a string`];
  if (o.kind === 'Service') {
    if (n.length > 63 || !DNS1035_LABEL.test(n)) problems.push(`${where}: not a DNS-1035 label of at most 63 characters`);
  } else if (n.length > 253 || !DNS1123_SUBDOMAIN.test(n)) problems.push(`${where}: not a DNS-1123 subdomain of at most 253 characters`);
  const labelSets: [string, Record<string, string> | undefined][] = [['metadata.labels', o.metadata.labels]];
  const tpl = (o as unknown as { spec?: { template?: { metadata?: { labels?: Record<string, string> } }; selector?: unknown } }).spec;
  if (o.kind === 'Deployment') labelSets.push(['spec.template.metadata.labels', tpl?.template?.metadata?.labels]);
  if (o.kind === 'Service') labelSets.push(['spec.selector', tpl?.selector as Record<string, string> | undefined]);
  for (const [field, labels] of labelSets) {
    for (const [k, v] of Object.entries(labels ?? {})) {
      const keyName = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
      const prefix = k.includes('/') ? k.slice(0, k.indexOf('/')) : '';
      if (keyName.length > 63 || !LABEL_NAME.test(keyName) || (prefix && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)))) problems.push(`${where}: ${field} key ${JSON.stringify(k)} is not a valid label key`);
      if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) problems.push(`${where}: ${field}[${k}] = ${JSON.stringify(v)} is not a valid label value`);
    }
  }
  return problems;
}

// ---- properties ---------------------------------------------------------------------------

const comparable = (r: TranslationResult) => JSON.parse(JSON.stringify(r)) as TranslationResult;

describe('translate (properties)', () => {
  it('never throws, does not mutate its input, and gives the same result twice', () => {
    fc.assert(
      fc.property(bundleArb, (input) => {
        const before = JSON.stringify(input);
        const a = translate(input);
        expect(JSON.stringify(input)).toBe(before);
        const b = translate(JSON.parse(before) as TranslationInput);
        expect(comparable(b)).toEqual(comparable(a));
        expect(comparable(translate(input))).toEqual(comparable(a));
      }),
      { numRuns: RUNS },
    );
  });

  it('does not depend on the order of the input lists', () => {
    fc.assert(
      fc.property(bundleArb, fc.integer(), (input, seed) => {
        expect(comparable(translate(shuffleBundle(input, seed)))).toEqual(comparable(translate(input)));
      }),
      { numRuns: RUNS },
    );
  });

  it('labels every generated object as meshgate-owned, names it validly for its kind, and Kuma admits it', () => {
    fc.assert(
      fc.property(bundleArb, (input) => {
        const { objects } = translate(input);
        expect(admissionReport(objects, { systemNamespace: input.options.systemNamespace, zone: input.options.zone })).toEqual([]);
        for (const o of objects) {
          expect({ object: `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, owner: typeof o.metadata.labels?.[OWNER_LABEL], managedBy: o.metadata.labels?.[MANAGED_BY_LABEL] })
            .toEqual({ object: `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, owner: 'string', managedBy: MANAGED_BY_VALUE });
          expect(nameProblems(o)).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
