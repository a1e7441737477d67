// Live updates over Server-Sent Events: change bursts from the source are debounced (at most 4×
// the debounce in total) into one `version` event per connected browser, which then refetches
// only what it shows. With nobody connected nothing is computed.
import type http from 'node:http';
import type { Clock, Timer } from '../clock';
import { systemClock } from '../clock';
import type { GuiSource } from './types';

export interface LiveHub {
  /** Registers an SSE response (headers already sent); it is dropped when the request closes. */
  add(req: http.IncomingMessage, res: http.ServerResponse): void;
  close(): void;
}

export function liveUpdates(source: GuiSource, version: () => number, debounceMs: number, log: (msg: string, meta?: object) => void, clock: Clock = systemClock): LiveHub {
  const clients = new Set<http.ServerResponse>();
  let lastSent = -1;
  let timer: Timer | undefined;
  let firstPending = 0;
  const broadcast = () => {
    timer = undefined;
    firstPending = 0;
    if (clients.size === 0) return; // new clients get the current version when they connect
    let v: number;
    try {
      v = version();
    } catch (err) {
      log('gui: snapshot failed', { error: String(err) });
      return;
    }
    if (v === lastSent) return;
    lastSent = v;
    const msg = `event: version\ndata: ${JSON.stringify({ version: v })}\n\n`;
    for (const c of clients) c.write(msg);
  };
  const unsubscribe = source.subscribe(() => {
    const now = clock.now();
    if (!firstPending) firstPending = now;
    timer?.cancel();
    timer = clock.after(Math.max(0, Math.min(debounceMs, firstPending + debounceMs * 4 - now)), broadcast);
  });
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 15000);
  heartbeat.unref();
  return {
    add(req, res) {
      clients.add(res);
      req.on('close', () => clients.delete(res));
    },
    close() {
      unsubscribe();
      timer?.cancel();
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
    },
  };
}
