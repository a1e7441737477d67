// `meshgate translate -f DIR --gui`: serve one fixed bundle (translated here) in the GUI.
import { translate } from '../../translators';
import type { TranslationInput } from '../../translators/input';
import type { TranslationResult } from '../../translators/result';
import { startGuiServer } from './server';
import { memorySource, type MemorySource, type TranslateFn } from './source';
import type { GuiServer, GuiServerOptions } from './types';
import { DEFAULT_HOST, DEFAULT_PORT } from './types';

export interface OfflineOptions extends Partial<Omit<GuiServerOptions, 'source'>> {
  /** Defaults to `translate` from translators/index.ts. */
  translate?: TranslateFn;
  /** Use this result instead of translating (fixtures, tests). */
  result?: TranslationResult;
}

export interface OfflineGui extends GuiServer {
  /** The source behind the server: `source.update(input)` re-translates and pushes to browsers. */
  source: MemorySource;
}

export async function serveOffline(input: TranslationInput, opts: OfflineOptions = {}): Promise<OfflineGui> {
  const translateFn = opts.translate ?? (opts.result ? () => opts.result! : translate);
  const source = memorySource(input, translateFn, 'offline', opts.result);
  const { translate: _t, result: _r, ...rest } = opts;
  void _t;
  void _r;
  const server = await startGuiServer({ ...rest, host: opts.host ?? DEFAULT_HOST, port: Number.isFinite(opts.port) ? opts.port! : DEFAULT_PORT, source });
  return { ...server, source };
}
