// List pages (routes, generated objects, other source objects): filtered in memory, paginated,
// so 10,000 rows stay responsive.
import { useData } from './api';
import { Badge, FilterBar, Loading, Pager } from './components';
import { pageOf, useFilter, useFiltered } from './filters';
import type { Location } from './router';
import type { ListRow, ListView, OverviewView } from '../view';
import { hrefOf } from '../view';

const TITLES = { routes: 'Routes', generated: 'Generated objects', other: 'Other source objects' } as const;
const rowText = (r: ListRow) => `${r.ref.kind} ${r.ref.namespace ?? ''}/${r.ref.name} ${r.mesh} ${r.detail} ${r.reason ?? ''}`;

export function ListPage({ kind, loc }: { kind: keyof typeof TITLES; loc: Location }) {
  const { data, error, loading } = useData<ListView>('list', { kind });
  const ov = useData<OverviewView>('overview');
  const f = useFilter(loc);
  const filtered = useFiltered(data?.rows, rowText, f.value);
  const pg = pageOf(filtered, f.page);
  return (
    <>
      <h1 tabIndex={-1}>{TITLES[kind]}</h1>
      <FilterBar value={f.value} onChange={f.setValue} namespaces={ov.data?.namespaces ?? []} meshes={ov.data?.meshes ?? []} states={kind === 'routes'} label={`Filter ${TITLES[kind].toLowerCase()}`} />
      <Loading error={error} loading={loading && !data} />
      {data && (
        <>
          <Pager page={pg.page} pages={pg.pages} total={filtered.length} from={pg.from} to={pg.to} onPage={f.setPage} />
          <div class="table-wrap">
            <table class="list">
              <caption class="sr-only">{TITLES[kind]}, filtered: {filtered.length} of {data.rows.length}</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Namespace</th>
                  <th scope="col">Name</th>
                  <th scope="col">Mesh</th>
                  {kind === 'routes' && <th scope="col">State</th>}
                  <th scope="col">{kind === 'routes' ? 'Hostnames → parents' : 'Details'}</th>
                </tr>
              </thead>
              <tbody>
                {pg.rows.map((r) => (
                  <tr key={hrefOf(r.ref)} class={r.state === 'problem' ? 'row-bad' : ''}>
                    <td data-label="Kind">{r.ref.kind}</td>
                    <td data-label="Namespace">{r.ref.namespace ?? '—'}</td>
                    <th scope="row" data-label="Name"><a href={hrefOf(r.ref)}>{r.ref.name}</a></th>
                    <td data-label="Mesh">{r.mesh}</td>
                    {kind === 'routes' && (
                      <td data-label="State">
                        <Badge ok={r.state === 'unknown' ? undefined : r.state === 'ok'}>{r.state === 'problem' ? r.reason ?? 'problem' : r.state === 'ok' ? 'OK' : 'no status'}</Badge>
                      </td>
                    )}
                    <td data-label="Details" class="detail">{r.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pg.pages > 1 && <Pager page={pg.page} pages={pg.pages} total={filtered.length} from={pg.from} to={pg.to} onPage={f.setPage} />}
        </>
      )}
    </>
  );
}
