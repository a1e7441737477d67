// Data access: JSON endpoints relative to the page (so any base path works), live version via
// Server-Sent Events, and a small fetch hook that keeps showing old data while refetching.
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { VersionView } from '../view';

export const BASE = location.pathname.replace(/[^/]*$/, '');

export type Params = Record<string, string | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `${BASE}api/${path}${s ? `?${s}` : ''}`;
}

export async function getJSON<T>(path: string, params: Params = {}): Promise<T> {
  const res = await fetch(apiUrl(path, params), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(res.status === 404 ? 'Not found in the current snapshot.' : `${res.status} ${res.statusText}`);
  return (await res.json()) as T;
}

export interface Live {
  version: number;
  mode?: 'cluster' | 'offline';
  connected: boolean;
  /** Time the last new version arrived (for the live region). */
  updatedAt?: Date;
}

export const LiveContext = createContext<Live>({ version: 0, connected: false });
export const useLive = () => useContext(LiveContext);

/** Subscribes to /api/events; the browser's EventSource reconnects on its own. */
export function useLiveVersion(): Live {
  const [live, setLive] = useState<Live>({ version: 0, connected: false });
  useEffect(() => {
    const es = new EventSource(apiUrl('events'));
    es.addEventListener('version', (ev) => {
      const v = (JSON.parse((ev as MessageEvent<string>).data) as { version: number }).version;
      setLive((prev) => (prev.version === v && prev.connected ? prev : { ...(prev.mode ? { mode: prev.mode } : {}), version: v, connected: true, ...(prev.version && prev.version !== v ? { updatedAt: new Date() } : prev.updatedAt ? { updatedAt: prev.updatedAt } : {}) }));
    });
    es.onerror = () => setLive((prev) => ({ ...prev, connected: false }));
    // The page works without the event stream too (e.g. behind a buffering proxy).
    getJSON<VersionView>('version').then(
      (v) => setLive((prev) => ({ ...prev, mode: v.mode, version: prev.version || v.version })),
      () => undefined,
    );
    return () => es.close();
  }, []);
  return live;
}

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/** Fetches `path` whenever its params or the live version change. */
export function useData<T extends VersionView>(path: string | undefined, params: Params = {}): Loaded<T> {
  const { version } = useLive();
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  const seq = useRef(0);
  const key = path ? apiUrl(path, params) : '';
  useEffect(() => {
    if (!path || !version) return;
    const n = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    getJSON<T>(path, params).then(
      (data) => n === seq.current && setState({ data, loading: false }),
      (err: Error) => n === seq.current && setState({ error: err.message, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, version]);
  return state;
}
