// Filter + page state kept in the URL query (shareable), and in-memory filtering of list rows.
import { useMemo, useState } from 'preact/hooks';
import type { FilterValue } from './components';
import type { Location } from './router';
import { replaceQuery } from './router';

export const PAGE_SIZE = 100;

export function useFilter(loc: Location, extra: Record<string, string | undefined> = {}) {
  const [value, setValue] = useState<FilterValue>(() => ({
    ns: loc.query.get('ns') ?? '',
    mesh: loc.query.get('mesh') ?? '',
    q: loc.query.get('q') ?? '',
    state: loc.query.get('state') ?? '',
  }));
  const [page, setPage] = useState(() => Math.max(0, Number(loc.query.get('page') ?? '1') - 1) || 0);
  const sync = (v: FilterValue, p: number) =>
    replaceQuery({ ...extra, ns: v.ns, mesh: v.mesh, q: v.q, state: v.state, page: p ? p + 1 : undefined });
  return {
    value,
    page,
    setValue(v: FilterValue) {
      setValue(v);
      setPage(0);
      sync(v, 0);
    },
    setPage(p: number) {
      setPage(p);
      sync(value, p);
    },
  };
}

export interface Filterable {
  ref: { namespace?: string };
  mesh: string;
  state?: string;
}

/** Rows matching the filter; `text` gives each row's lower-cased search text (memoised by caller). */
export function useFiltered<T extends Filterable>(rows: T[] | undefined, text: (r: T) => string, f: FilterValue): T[] {
  const hay = useMemo(() => (rows ?? []).map((r) => text(r).toLowerCase()), [rows]);
  return useMemo(() => {
    if (!rows) return [];
    const q = f.q.trim().toLowerCase();
    const terms = q ? q.split(/\s+/) : [];
    const out: T[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (f.ns && r.ref.namespace !== f.ns) continue;
      if (f.mesh && r.mesh !== f.mesh) continue;
      if (f.state && r.state !== f.state) continue;
      if (terms.length) {
        const h = hay[i]!;
        if (!terms.every((t) => h.includes(t))) continue;
      }
      out.push(r);
    }
    return out;
  }, [rows, hay, f.ns, f.mesh, f.q, f.state]);
}

export function pageOf<T>(rows: T[], page: number) {
  const pages = Math.ceil(rows.length / PAGE_SIZE);
  const p = Math.min(page, Math.max(0, pages - 1));
  const from = p * PAGE_SIZE;
  return { rows: rows.slice(from, from + PAGE_SIZE), page: p, pages, from: rows.length ? from + 1 : 0, to: Math.min(rows.length, from + PAGE_SIZE) };
}
