// The browser's snapshot, redacted: every API response is built from the snapshot this returns;
// nothing else reads the source. Secrets go through the one redactor (src/redact.ts).
import type { TranslationInput } from '../../translators/input';
import type { TranslationResult } from '../../translators/result';
import { redactObject } from '../redact';
import type { GuiSnapshot } from './types';

export type { RedactedSecret } from '../redact';
export { redactObject, redactSecret } from '../redact';

function redactList<T>(list: T[] | undefined): T[] {
  return Array.isArray(list) ? list.map(redactObject) : [];
}

export function redactInput(input: TranslationInput): TranslationInput {
  const out = { ...input } as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(input)) if (Array.isArray(v)) out[k] = redactList(v);
  return out as unknown as TranslationInput;
}

export function redactResult(result: TranslationResult): TranslationResult {
  return { ...result, objects: redactList(result.objects), statuses: result.statuses ?? [], diagnostics: result.diagnostics ?? [] };
}

export function redactSnapshot(s: GuiSnapshot): GuiSnapshot {
  return { ...s, input: redactInput(s.input), result: redactResult(s.result) };
}
