// The GUI's public contract: a source of snapshots (the controller's store + last result, or a
// fixed offline bundle) and the server options.
import type { Clock } from '../clock';
import type { TranslationInput } from '../../translators/input';
import type { TranslationResult } from '../../translators/result';

export interface GuiSnapshot {
  input: TranslationInput;
  result: TranslationResult;
  mode: 'cluster' | 'offline';
  /** Increases whenever input or result changes; the browser refetches when it sees a new one. */
  version: number;
}

export interface GuiSource {
  current(): GuiSnapshot;
  /** Called on every change (bursts are fine: the server debounces). Returns an unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

export interface GuiServerOptions {
  /** Default 127.0.0.1. */
  host: string;
  /** Default 5681; 0 picks a free port. */
  port: number;
  source: GuiSource;
  /** When set, every request needs `Authorization: Bearer <token>` or the session cookie. */
  token?: string;
  /** Default `/gui`. */
  basePath?: string;
  log?: (msg: string, meta?: object) => void;
  /** Directory of the built front end (default dist/gui). */
  assetsDir?: string;
  /** Debounce for change bursts before an SSE event is sent (default 100 ms, at most 4× that). */
  debounceMs?: number;
  /** Time for the debounce (tests pass a ManualClock); default the system clock. */
  clock?: Clock;
  /** Host header values accepted when bound to loopback (DNS-rebinding guard); default localhost names. */
  allowedHosts?: string[];
}

export interface GuiServer {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5681;
export const DEFAULT_BASE_PATH = '/gui';
