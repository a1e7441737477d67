// Route page (HTTPRoute / GRPCRoute / TLSRoute / TCPRoute / UDPRoute): parents with their conditions and hints, rules next to the
// MeshHTTPRoute/MeshTCPRoute rules they became, backends and whether they resolved.
import { Badge, Conditions, Loading, ObjLink, Section } from './components';
import { GeneratedList, ObjectHeader, ObjectProblems, useObject } from './objectpage';
import type { Ref, RouteDetail } from '../view';
import { hrefOf, isBadCondition, refLabel } from '../view';

function Parents({ d }: { d: RouteDetail }) {
  return (
    <Section title="Parents" id="parents" count={d.parents.length}>
      {d.parents.length === 0 && <p class="muted">This route has no parentRefs.</p>}
      {d.parents.map((p) => {
        const bad = p.conditions.some(isBadCondition);
        return (
          <div class={`parent${bad ? ' has-bad' : ''}`} key={p.parentRef}>
            <h3>
              {p.parent ? <ObjLink r={p.parent} label={p.parent.kind === 'Gateway' ? `Gateway ${p.parentRef}` : p.parentRef} /> : p.parentRef}{' '}
              <Badge ok={p.conditions.length ? !bad : undefined}>{p.conditions.length ? (bad ? 'not working' : 'attached') : 'no status'}</Badge>
            </h3>
            {p.conditions.length === 0 && <p class="muted">meshgate wrote no status for this parent (not its Gateway, or the Gateway does not exist).</p>}
            <Conditions conditions={p.conditions} caption={`Conditions for parent ${p.parentRef}`} />
            {p.problems.length > 0 && (
              <ul class="parent-hints">
                {p.problems.map((x, i) => <li key={i}><code class="reason">{x.reason}</code>: {x.hint}</li>)}
              </ul>
            )}
          </div>
        );
      })}
    </Section>
  );
}

function Rules({ d, kind }: { d: RouteDetail; kind: string }) {
  return (
    <section class="card" aria-labelledby="rules-h">
      <h2 id="rules-h">Rules → generated rules</h2>
      <div class="side-by-side">
        <div>
          <h3>{kind} rules</h3>
          {d.rules.length === 0 && <p class="muted">No rules.</p>}
          <ol class="rules">
            {d.rules.map((r) => (
              <li key={r.index}>
                <p class="rule-title">Rule {r.index}{r.name ? ` (${r.name})` : ''}</p>
                {r.matches.length > 0 && <p><span class="k">match</span> {r.matches.join(' | ')}</p>}
                {r.filters.map((f, i) => <p key={i}><span class="k">filter</span> {f}</p>)}
                <table class="backends">
                  <caption class="sr-only">Backends of rule {r.index}</caption>
                  <thead>
                    <tr><th scope="col">Backend</th><th scope="col">Port</th><th scope="col">Weight</th><th scope="col">Resolved</th></tr>
                  </thead>
                  <tbody>
                    {r.backends.map((b, i) => (
                      <tr key={i} class={b.resolved ? '' : 'row-bad'}>
                        <td data-label="Backend"><ObjLink r={b.ref} label={`${b.ref.kind} ${b.ref.namespace}/${b.ref.name}`} /></td>
                        <td data-label="Port">{b.port ?? '—'}</td>
                        <td data-label="Weight">{b.weight}</td>
                        <td data-label="Resolved"><Badge ok={b.resolved}>{b.resolved ? 'yes' : b.why ?? 'no'}</Badge></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </li>
            ))}
          </ol>
        </div>
        <div>
          <h3>Generated</h3>
          {d.generatedRules.length === 0 && <p class="muted">No MeshHTTPRoute/MeshTCPRoute was generated for this route.</p>}
          {d.generatedRules.map((g, gi) => (
            <div key={gi} class="gen-rules">
              <p><a href={hrefOf(g.ref)}>{refLabel(g.ref)}</a></p>
              <p><span class="k">target</span> {g.target}</p>
              {g.hostnames.length > 0 && <p><span class="k">hostnames</span> {g.hostnames.join(', ')}</p>}
              <ol class="rules">
                {g.rules.map((r, i) => (
                  <li key={i}>
                    {r.matches.length > 0 && <p><span class="k">match</span> {r.matches.join(' | ')}</p>}
                    {r.filters.map((f, j) => <p key={j}><span class="k">filter</span> {f}</p>)}
                    {r.backends.map((b, j) => <p key={j} class={b.includes('unresolved') ? 'bad-text' : ''}><span class="k">backend</span> {b}{b.includes('unresolved') ? ' — unresolved: this share of traffic gets HTTP 500' : ''}</p>)}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

export function RoutePage({ target }: { target: Ref }) {
  const { data: v, error, loading } = useObject(target);
  if (!v?.route) return <><h1 tabIndex={-1}>{refLabel(target)}</h1><Loading error={error} loading={loading} /></>;
  const d = v.route;
  return (
    <>
      <ObjectHeader v={v} />
      <ObjectProblems v={v} />
      <Section title="Summary">
        <dl class="facts">
          <div><dt>Hostnames</dt><dd>{d.hostnames.length ? d.hostnames.join(', ') : <span class="muted">{['TCPRoute', 'UDPRoute'].includes(v.ref.kind) ? 'none (TCP and UDP have no hostnames)' : 'none (listener hostnames apply)'}</span>}</dd></div>
          <div><dt>Rules</dt><dd>{d.rules.length}</dd></div>
        </dl>
        {v.diagnostics.length > 0 && (
          <ul class="notices">
            {v.diagnostics.map((x, i) => <li key={i}><span class={`sev ${x.severity}`}>{x.severity}</span> {x.field && <code>{x.field}</code>} {x.message}</li>)}
          </ul>
        )}
      </Section>
      <Parents d={d} />
      <Rules d={d} kind={v.ref.kind} />
      <GeneratedList items={v.generated} />
    </>
  );
}

export function ClassPage({ target }: { target: Ref }) {
  const { data: v, error, loading } = useObject(target);
  if (!v?.gatewayClass) return <><h1 tabIndex={-1}>GatewayClass {target.name}</h1><Loading error={error} loading={loading} /></>;
  const c = v.gatewayClass;
  return (
    <>
      <ObjectHeader v={v} />
      <ObjectProblems v={v} />
      <Section title="Summary">
        <dl class="facts">
          <div>
            <dt>Parameters</dt>
            <dd>{c.parameters ? <><ObjLink r={c.parameters.ref} label={refLabel(c.parameters.ref)} /> <Badge ok={c.parameters.found}>{c.parameters.found ? 'found' : 'not found'}</Badge></> : '—'}</dd>
          </div>
          <div><dt>Supported features</dt><dd>{c.supportedFeatures.join(', ') || '—'}</dd></div>
        </dl>
        <Conditions conditions={v.conditions} caption="GatewayClass conditions" />
      </Section>
      <Section title="Gateways of this class" count={c.gateways.length}>
        <ul>{c.gateways.map((g) => <li key={refLabel(g)}><ObjLink r={g} /></li>)}</ul>
      </Section>
      <GeneratedList items={v.generated} />
    </>
  );
}
