// The incremental engine agrees with a full translation after any sequence of apply() batches
// over random bundles (upserts, removes, the certificate check's `now`, foreign names), and never
// mutates what it holds or handed out: everything is deep-frozen after every batch.
import fc from 'fast-check';
import type { KubeObject } from './api/meta';
import type { Changes } from './engine';
import { translate, TranslationEngine } from './index';
import type { ObjectKey } from './keys';
import { objectKey } from './keys';
import type { TranslationResult } from './result';
import { tlsSecret } from './testdata/certs';
import { anyObject, bundleArb, bundleOf, keyOf, LISTS } from './testing/arbitraries';
import { deepFreeze } from './testing/deep-freeze';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const comparable = (r: TranslationResult) => JSON.parse(JSON.stringify(r)) as TranslationResult;

describe('incremental translation (properties)', () => {
  // One step is one engine.apply() batch; the model applies it in the engine's order
  // (removals, upserts, then the certificate-check instant and foreign names).
  type Op =
    | { op: 'upsert'; objs: KubeObject[] }
    | { op: 'remove'; pick: number; ghost: boolean }
    | { op: 'now'; value: string | undefined }
    | { op: 'foreign'; pick: number; present: boolean };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 3, arbitrary: fc.array(anyObject, { minLength: 1, maxLength: 3 }).map((objs) => ({ op: 'upsert' as const, objs })) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat(), ghost: fc.boolean() }) },
    // Before, inside and after the test certificates' validity (testdata/certs: 2000-2001, 2026-2126).
    { weight: 2, arbitrary: fc.record({ op: fc.constant('now' as const), value: fc.constantFrom(undefined, '2000-06-01T00:00:00Z', '2030-01-01T00:00:00Z', '2200-01-01T00:00:00Z') }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('foreign' as const), pick: fc.nat(), present: fc.boolean() }) },
  );

  it('incremental (TranslationEngine.apply batches) equals a full translation of the final bundle; outputs are never mutated', () => {
    fc.assert(
      // `loaded`: the engine starts as the controller's does, empty and then one applyAll() batch
      // (a one-shot translation without deltas or memos); otherwise from the bundle (fromInput).
      fc.property(bundleArb, fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { maxLength: 6 }), fc.boolean(), (start, steps, loaded) => {
        // The certificate goodGateway's HTTPS listener names, in both namespaces: so that `now` matters often.
        const initial = [...LISTS.flatMap((k) => (start[k] ?? []) as KubeObject[]), tlsSecret('app', 'gw'), tlsSecret('other', 'gw', 'expired')];
        const state = new Map<string, KubeObject>();
        for (const o of bundleOfList(initial)) state.set(keyOf(o), deepFreeze(o));
        const foreign = new Set<ObjectKey>();
        let now: string | undefined;
        const bundle = bundleOf(state.values(), start.options.zone);
        let engine: TranslationEngine;
        if (loaded) {
          engine = new TranslationEngine(bundle.options);
          engine.applyAll({ upsert: [...state.values()], crds: { value: bundle.crds } });
        } else {
          engine = TranslationEngine.fromInput(bundle);
        }
        // Everything the engine holds and handed out (units, route memos, statuses, inputs) is
        // frozen after every batch: a later translation that mutates a memoised or shared object
        // throws (and the engine then reports an internal error, or apply() throws).
        deepFreeze(engine);
        deepFreeze(engine.result());
        for (const batch of steps) {
          const changes: Changes = {};
          const upserts = new Map<string, KubeObject>();
          const foreignChanges = new Map<ObjectKey, boolean>();
          for (const o of batch.filter((x) => x.op === 'remove')) {
            const keys = [...state.keys()];
            if (o.ghost || keys.length === 0) { (changes.remove ??= []).push({ kind: 'Gateway', namespace: 'nowhere', name: 'ghost' }); continue; }
            const victim = state.get(keys[o.pick % keys.length])!;
            state.delete(keyOf(victim));
            (changes.remove ??= []).push({ kind: victim.kind, namespace: victim.metadata.namespace, name: victim.metadata.name });
          }
          for (const o of batch) {
            if (o.op === 'upsert') {
              // As in a cluster: a changed spec bumps metadata.generation (the engine relies on it
              // to tell status-only updates apart).
              for (const x of bundleOfList(o.objs)) {
                const next = deepFreeze(bumpGeneration(state.get(keyOf(x)), x));
                state.set(keyOf(x), next);
                upserts.set(keyOf(x), next);
              }
            } else if (o.op === 'now') {
              now = o.value;
              changes.now = { value: now };
            } else if (o.op === 'foreign') {
              // Mostly names the engine generates now, sometimes one it no longer does.
              const keys = [...new Set([...[...engine.desiredObjects()].map(objectKey), ...foreign])].sort();
              if (keys.length === 0) continue;
              const key = keys[o.pick % keys.length];
              if (o.present) foreign.add(key); else foreign.delete(key);
              foreignChanges.set(key, o.present);
            }
          }
          if (upserts.size) changes.upsert = [...upserts.values()];
          if (foreignChanges.size) changes.foreign = foreignChanges;
          engine.apply(changes);
          deepFreeze(engine);
          deepFreeze(engine.result());
        }
        const full = bundleOf(state.values(), start.options.zone);
        if (now !== undefined) full.options = { ...full.options, now };
        if (foreign.size) full.foreign = [...foreign].sort();
        const incremental = engine.result();
        expect(incremental.diagnostics.filter((d) => d.message.startsWith('internal error'))).toEqual([]);
        expect(comparable(incremental)).toEqual(comparable(translate(full)));
      }),
      { numRuns: RUNS },
    );
  });
});

function bumpGeneration(prev: KubeObject | undefined, next: KubeObject): KubeObject {
  if (!prev) return next;
  const { status: _a, ...p } = prev as KubeObject & { status?: unknown };
  const { status: _b, ...n } = next as KubeObject & { status?: unknown };
  if (JSON.stringify(p) === JSON.stringify(n)) return next;
  return { ...next, metadata: { ...next.metadata, generation: (prev.metadata.generation ?? 1) + 1 } };
}

/** De-duplicated by key (the last wins, like successive upserts of one object). */
function bundleOfList(objs: KubeObject[]): KubeObject[] {
  const m = new Map<string, KubeObject>();
  for (const o of objs) m.set(keyOf(o), o);
  return [...m.values()];
}
