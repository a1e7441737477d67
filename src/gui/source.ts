// A GuiSource over a bundle held in memory: `update()` swaps the input, re-translates and
// notifies subscribers. Used offline (`meshgate translate --gui`) and by tests.
import type { TranslationInput } from '../../translators/input';
import type { TranslationResult } from '../../translators/result';
import type { GuiSnapshot, GuiSource } from './types';

export type TranslateFn = (input: TranslationInput) => TranslationResult;

export interface MemorySource extends GuiSource {
  /** Replace the input (and optionally the result; otherwise it is translated). */
  update(input: TranslationInput, result?: TranslationResult): void;
}

export function memorySource(
  input: TranslationInput,
  translate: TranslateFn,
  mode: GuiSnapshot['mode'] = 'offline',
  result?: TranslationResult,
): MemorySource {
  let snap: GuiSnapshot = { input, result: result ?? translate(input), mode, version: 1 };
  const subs = new Set<() => void>();
  return {
    current: () => snap,
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    update(next, nextResult) {
      snap = { input: next, result: nextResult ?? translate(next), mode, version: snap.version + 1 };
      for (const fn of subs) fn();
    },
  };
}
