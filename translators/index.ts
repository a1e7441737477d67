// The one entry point of the pure core: a bundle of Gateway API inputs in, the mesh objects and
// the Gateway API status out. No I/O, no clock, no randomness; never throws on user input.
import { TranslationEngine } from './engine';
import type { TranslationInput } from './input';
import type { TranslationResult } from './result';

export function translate(input: TranslationInput): TranslationResult {
  return TranslationEngine.fromInput(input).result();
}

export { TranslationEngine } from './engine';
export type { Delta } from './engine';
export * from './input';
export type * from './result';
