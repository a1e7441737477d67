// Pieces every object page shares: title, generated objects, YAML, source → translated view.
import type { ComponentChildren } from 'preact';
import { useData } from './api';
import { Conditions, Loading, ObjLink, ProblemList, Section, Yaml } from './components';
import type { GeneratedItem, ObjectView, Ref } from '../view';
import { hrefOf, refLabel } from '../view';

export function useObject(ref: Ref) {
  return useData<ObjectView>('object', { origin: ref.origin, kind: ref.kind, namespace: ref.namespace, name: ref.name });
}

export function ObjectHeader({ v, children }: { v: ObjectView; children?: ComponentChildren }) {
  const sideBySide = `#/object/${v.ref.origin}/${encodeURIComponent(v.ref.kind)}/${v.ref.namespace ? encodeURIComponent(v.ref.namespace) : '-'}/${encodeURIComponent(v.ref.name)}`;
  return (
    <header class="obj-header">
      <p class="kind-label">{v.ref.origin === 'generated' ? `Generated ${v.ref.kind}` : v.ref.kind}</p>
      <h1 tabIndex={-1}>{`${v.ref.namespace ? `${v.ref.namespace}/` : ''}${v.ref.name}`}</h1>
      <ul class="actions">
        <li><span class="pill">mesh {v.mesh}</span></li>
        {v.problems.length > 0 && <li><a class="pill bad" href="#problems">{v.problems.length} problem{v.problems.length === 1 ? '' : 's'}</a></li>}
        <li><a href={sideBySide}>YAML: source → translated</a></li>
        {children}
      </ul>
    </header>
  );
}

export function ObjectProblems({ v }: { v: ObjectView }) {
  if (!v.problems.length) return null;
  return (
    <Section title="Problems" id="problems" count={v.problems.length}>
      <ProblemList problems={v.problems} showObject={false} />
    </Section>
  );
}

export function GeneratedList({ items, title = 'Generated objects' }: { items: GeneratedItem[]; title?: string }) {
  return (
    <Section title={title} id="generated" count={items.length}>
      {items.length === 0 ? (
        <p class="muted">Nothing generated from this object.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">Mesh</th>
                <th scope="col">Labels</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={hrefOf(g.ref)}>
                  <td data-label="Kind">{g.ref.kind}</td>
                  <th scope="row" data-label="Name"><ObjLink r={g.ref} /></th>
                  <td data-label="Mesh">{g.mesh}</td>
                  <td data-label="Labels" class="labels">
                    {Object.entries(g.object.metadata.labels ?? {}).map(([k, val]) => (
                      <code key={k}>{k}={val}</code>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

/** `#/object/<origin>/<kind>/<ns|->/<name>`: any object, its YAML next to what it became / came from. */
export function ObjectPage({ target: ref }: { target: Ref }) {
  const { data: v, error, loading } = useObject(ref);
  const owner = v?.owners[0];
  const ownerData = useData<ObjectView>(owner ? 'object' : undefined, owner ? { origin: owner.origin, kind: owner.kind, namespace: owner.namespace, name: owner.name } : {});
  if (!v) return <><h1 tabIndex={-1}>{refLabel(ref)}</h1><Loading error={error} loading={loading} /></>;
  const left = v.ref.origin === 'source' ? [{ ref: v.ref, yaml: v.yaml }] : ownerData.data ? [{ ref: ownerData.data.ref, yaml: ownerData.data.yaml }] : [];
  const right = v.ref.origin === 'source' ? v.generated.map((g) => ({ ref: g.ref, yaml: g.yaml })) : [{ ref: v.ref, yaml: v.yaml }];
  return (
    <>
      <ObjectHeader v={v}>
        {v.ref.origin === 'source' && ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'GatewayClass'].includes(v.ref.kind) && (
          <li><a href={hrefOf(v.ref)}>Details page</a></li>
        )}
      </ObjectHeader>
      {v.owners.length > 0 && (
        <p>
          Generated from {v.owners.map((o, i) => <span key={i}>{i > 0 && ', '}<ObjLink r={o} label={refLabel(o)} /></span>)}.
        </p>
      )}
      {v.ref.kind === 'Secret' && <p class="note">Secret data is never sent to the browser: only metadata and the names of its keys are shown.</p>}
      <ObjectProblems v={v} />
      {v.conditions.length > 0 && <Section title="Conditions"><Conditions conditions={v.conditions} /></Section>}
      <section class="card" aria-labelledby="sbs-h">
        <h2 id="sbs-h">Source → translated</h2>
        <div class="side-by-side">
          <div>
            <h3>Source (Gateway API)</h3>
            {left.length ? left.map((x) => <div key={hrefOf(x.ref)}><p><ObjLink r={x.ref} label={refLabel(x.ref)} /></p><Yaml yaml={x.yaml} label={`YAML of ${refLabel(x.ref)}`} /></div>) : <p class="muted">{v.ref.origin === 'generated' ? 'No owner found (no owner label matches a source object).' : '—'}</p>}
          </div>
          <div>
            <h3>Translated (Kuma)</h3>
            {right.length ? right.map((x) => <div key={hrefOf(x.ref)}><p><ObjLink r={x.ref} label={refLabel(x.ref)} /></p><Yaml yaml={x.yaml} label={`YAML of generated ${refLabel(x.ref)}`} /></div>) : <p class="muted">Nothing was generated from this object.</p>}
          </div>
        </div>
      </section>
    </>
  );
}
