// Overview: Problems first (every bad condition, with what to change), then counts by mesh,
// GatewayClasses and Gateways.
import { useMemo } from 'preact/hooks';
import { useData } from './api';
import { Badge, FilterBar, Loading, ObjLink, Pager, ProblemList, Section } from './components';
import { pageOf, useFilter, useFiltered } from './filters';
import type { Location } from './router';
import type { OverviewView, Problem } from '../view';

const problemText = (p: Problem) => `${p.object.kind} ${p.object.namespace ?? ''}/${p.object.name} ${p.where ?? ''} ${p.type} ${p.reason} ${p.message}`;

export function Overview({ loc }: { loc: Location }) {
  const { data, error, loading } = useData<OverviewView>('overview');
  const f = useFilter(loc);
  const rows = useMemo(() => (data?.problems ?? []).map((p) => ({ ...p, ref: p.object })), [data]);
  const filtered = useFiltered(rows, problemText, { ...f.value, state: '' });
  const pg = pageOf(filtered, f.page);
  const gateways = (data?.gateways ?? []).filter((g) => (!f.value.ns || g.namespace === f.value.ns) && (!f.value.mesh || g.mesh === f.value.mesh));
  const errors = filtered.filter((p) => p.severity === 'error').length;
  return (
    <>
      <h1 tabIndex={-1}>Overview</h1>
      <Loading error={error} loading={loading && !data} />
      {data && (
        <>
          <FilterBar value={f.value} onChange={f.setValue} namespaces={data.namespaces} meshes={data.meshes} label="Filter problems and gateways" />
          <Section title="Problems" id="problems" count={filtered.length}>
            {filtered.length === 0 ? (
              <p class="all-good">
                <Badge ok={true}>No problems</Badge> Every condition meshgate reports is healthy{f.value.q || f.value.ns || f.value.mesh ? ' (for this filter)' : ''}.
              </p>
            ) : (
              <>
                <p class="summary">
                  {errors.toLocaleString()} error{errors === 1 ? '' : 's'}, {(filtered.length - errors).toLocaleString()} warning{filtered.length - errors === 1 ? '' : 's'}.
                </p>
                <ProblemList problems={pg.rows} />
                {pg.pages > 1 && <Pager page={pg.page} pages={pg.pages} total={filtered.length} from={pg.from} to={pg.to} onPage={f.setPage} />}
              </>
            )}
          </Section>
          {data.notices.length > 0 && (
            <Section title="Notices" count={data.notices.length}>
              <ul class="notices">
                {data.notices.slice(0, 200).map((d, i) => (
                  <li key={i}>
                    <span class={`sev ${d.severity}`}>{d.severity}</span>{' '}
                    <ObjLink r={{ origin: 'source', kind: d.object.kind, name: d.object.name, ...(d.object.namespace ? { namespace: d.object.namespace } : {}) }} label={`${d.object.kind} ${d.object.namespace ? `${d.object.namespace}/` : ''}${d.object.name}`} />
                    {d.field && <code class="field">{d.field}</code>}: {d.message}
                  </li>
                ))}
              </ul>
            </Section>
          )}
          <Section title="By mesh">
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Mesh</th>
                    <th scope="col">Gateways</th>
                    <th scope="col">HTTPRoutes</th>
                    <th scope="col">GRPCRoutes</th>
                    <th scope="col">TLSRoutes</th>
                    <th scope="col">TCPRoutes</th>
                    <th scope="col">UDPRoutes</th>
                    <th scope="col">Generated objects</th>
                  </tr>
                </thead>
                <tbody>
                  {data.counts.map((c) => (
                    <tr key={c.mesh}>
                      <th scope="row" data-label="Mesh">{c.mesh}</th>
                      <td data-label="Gateways">{c.gateways.toLocaleString()}</td>
                      <td data-label="HTTPRoutes"><a href={`#/routes?mesh=${encodeURIComponent(c.mesh)}`}>{c.httpRoutes.toLocaleString()}</a></td>
                      <td data-label="GRPCRoutes">{c.grpcRoutes.toLocaleString()}</td>
                      <td data-label="TLSRoutes">{c.tlsRoutes.toLocaleString()}</td>
                      <td data-label="TCPRoutes">{c.tcpRoutes.toLocaleString()}</td>
                      <td data-label="UDPRoutes">{c.udpRoutes.toLocaleString()}</td>
                      <td data-label="Generated">
                        <a href={`#/generated?mesh=${encodeURIComponent(c.mesh)}`}>
                          {Object.entries(c.generated).sort().map(([k, n]) => `${n.toLocaleString()} ${k}`).join(', ') || 'none'}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section title="GatewayClasses" count={data.classes.length}>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Accepted</th>
                    <th scope="col">Controller</th>
                    <th scope="col">Parameters</th>
                    <th scope="col">Gateways</th>
                  </tr>
                </thead>
                <tbody>
                  {data.classes.map((c) => (
                    <tr key={c.name}>
                      <th scope="row" data-label="Name"><ObjLink r={{ origin: 'source', kind: 'GatewayClass', name: c.name }} /></th>
                      <td data-label="Accepted">{c.managed ? <Badge ok={c.accepted === 'Unknown' ? undefined : c.accepted === 'True'}>{c.accepted}</Badge> : <span class="muted">not meshgate's</span>}</td>
                      <td data-label="Controller"><code>{c.controllerName}</code></td>
                      <td data-label="Parameters">{c.parametersRef ?? '—'}</td>
                      <td data-label="Gateways">{c.gateways}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section title="Gateways" count={gateways.length}>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Gateway</th>
                    <th scope="col">Mesh</th>
                    <th scope="col">Class</th>
                    <th scope="col">Accepted</th>
                    <th scope="col">Programmed</th>
                    <th scope="col">Listeners</th>
                    <th scope="col">Attached routes</th>
                    <th scope="col">Addresses</th>
                    <th scope="col">Problems</th>
                  </tr>
                </thead>
                <tbody>
                  {gateways.slice(0, 500).map((g) => (
                    <tr key={`${g.namespace}/${g.name}`}>
                      <th scope="row" data-label="Gateway"><ObjLink r={{ origin: 'source', kind: 'Gateway', namespace: g.namespace, name: g.name }} /></th>
                      <td data-label="Mesh">{g.mesh}</td>
                      <td data-label="Class">{g.className}</td>
                      <td data-label="Accepted"><Badge ok={g.accepted === 'Unknown' ? undefined : g.accepted === 'True'}>{g.accepted}</Badge></td>
                      <td data-label="Programmed"><Badge ok={g.programmed === 'Unknown' ? undefined : g.programmed === 'True'}>{g.programmed}</Badge></td>
                      <td data-label="Listeners">{g.listeners}</td>
                      <td data-label="Attached routes">{g.attachedRoutes.toLocaleString()}</td>
                      <td data-label="Addresses">{g.addresses.join(', ') || '—'}</td>
                      <td data-label="Problems">{g.problems ? <Badge ok={false}>{g.problems}</Badge> : <Badge ok={true}>0</Badge>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {gateways.length > 500 && <p class="muted">Showing the first 500 gateways; use the filter to narrow down.</p>}
          </Section>
        </>
      )}
    </>
  );
}
