// Hash routing: `#/gateway/<ns>/<name>?q=…`. Every page has a stable, shareable URL.
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  parts: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string = window.location.hash): Location {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = h.split('?', 2) as [string?, string?];
  const parts = path.split('/').filter((p) => p !== '').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { parts, query: new URLSearchParams(qs) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(parseHash);
  useEffect(() => {
    const on = () => setLoc(parseHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return loc;
}

/** Rewrites the query of the current hash without a history entry or a route change. */
export function replaceQuery(values: Record<string, string | number | undefined>): void {
  const loc = parseHash();
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '' && v !== 0) q.set(k, String(v));
  const s = q.toString();
  const path = loc.parts.map(encodeURIComponent).join('/');
  history.replaceState(null, '', `#/${path}${s ? `?${s}` : ''}`);
}
