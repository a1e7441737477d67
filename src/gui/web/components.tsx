// Small shared pieces: links to objects, condition tables, badges, filters, pager, YAML.
import type { ComponentChildren } from 'preact';
import type { Condition } from '../../../translators/api/meta';
import type { Problem, Ref } from '../view';
import { hrefOf, isBadCondition, refLabel } from '../view';

export function ObjLink({ r, label }: { r: Ref; label?: string }) {
  return <a href={hrefOf(r)}>{label ?? `${r.namespace ? `${r.namespace}/` : ''}${r.name}`}</a>;
}

export function Badge({ ok, children }: { ok: boolean | undefined; children: ComponentChildren }) {
  const cls = ok === undefined ? 'badge unknown' : ok ? 'badge ok' : 'badge bad';
  return (
    <span class={cls}>
      <span aria-hidden="true">{ok === undefined ? '? ' : ok ? '✓ ' : '✗ '}</span>
      {children}
    </span>
  );
}

export function CondStatus({ c }: { c: { type: string; status: string } }) {
  const bad = isBadCondition(c);
  return <Badge ok={c.status === 'Unknown' ? undefined : !bad}>{c.status}</Badge>;
}

export function Conditions({ conditions, caption }: { conditions: Condition[]; caption?: string }) {
  if (!conditions.length) return <p class="muted">No conditions reported.</p>;
  return (
    <div class="table-wrap">
      <table class="conds">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {conditions.map((c) => (
            <tr key={c.type} class={isBadCondition(c) ? 'row-bad' : ''}>
              <td data-label="Type">{c.type}</td>
              <td data-label="Status"><CondStatus c={c} /></td>
              <td data-label="Reason"><code>{c.reason}</code></td>
              <td data-label="Message">{c.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProblemList({ problems, showObject = true }: { problems: Problem[]; showObject?: boolean }) {
  return (
    <ul class="problems">
      {problems.map((p, i) => (
        <li key={i} class={`problem ${p.severity}`}>
          <div class="problem-head">
            <span class={`sev ${p.severity}`}>{p.severity === 'error' ? 'Error' : 'Warning'}</span>
            {showObject && (
              <a href={hrefOf(p.object)} class="problem-obj">
                {refLabel(p.object)}
              </a>
            )}
            {p.where && <span class="where">{p.where}</span>}
            <span class="cond">
              {p.type}={p.status} <code class="reason">{p.reason}</code>
            </span>
          </div>
          <p class="problem-msg">{p.message}</p>
          <p class="hint">
            <strong>What to change:</strong> {p.hint}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function Yaml({ yaml, label }: { yaml: string; label: string }) {
  return (
    <pre class="yaml" tabIndex={0} aria-label={label}>
      <code>{yaml}</code>
    </pre>
  );
}

export interface FilterValue {
  ns: string;
  mesh: string;
  q: string;
  state?: string;
}

export function FilterBar(props: {
  value: FilterValue;
  onChange: (v: FilterValue) => void;
  namespaces: string[];
  meshes: string[];
  states?: boolean;
  label?: string;
}) {
  const { value, onChange } = props;
  return (
    <form class="filters" role="search" aria-label={props.label ?? 'Filter'} onSubmit={(e) => e.preventDefault()}>
      <label>
        Namespace
        <select value={value.ns} onChange={(e) => onChange({ ...value, ns: (e.target as HTMLSelectElement).value })}>
          <option value="">All namespaces</option>
          {props.namespaces.map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </label>
      <label>
        Mesh
        <select value={value.mesh} onChange={(e) => onChange({ ...value, mesh: (e.target as HTMLSelectElement).value })}>
          <option value="">All meshes</option>
          {props.meshes.map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </label>
      {props.states && (
        <label>
          State
          <select value={value.state ?? ''} onChange={(e) => onChange({ ...value, state: (e.target as HTMLSelectElement).value })}>
            <option value="">Any state</option>
            <option value="problem">With problems</option>
            <option value="ok">OK</option>
            <option value="unknown">No status</option>
          </select>
        </label>
      )}
      <label class="grow">
        Search
        <input type="search" value={value.q} placeholder="name, hostname, reason…" onInput={(e) => onChange({ ...value, q: (e.target as HTMLInputElement).value })} />
      </label>
    </form>
  );
}

export function Pager({ page, pages, total, from, to, onPage }: { page: number; pages: number; total: number; from: number; to: number; onPage: (p: number) => void }) {
  return (
    <nav class="pager" aria-label="Pages">
      <span aria-live="polite">
        {total === 0 ? 'No matches' : `Showing ${from.toLocaleString()}–${to.toLocaleString()} of ${total.toLocaleString()}`}
      </span>
      <button type="button" disabled={page <= 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {pages ? page + 1 : 0} of {pages}
      </span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function Loading({ error, loading }: { error?: string | undefined; loading: boolean }) {
  if (error) return <p class="load-error" role="alert">Could not load: {error}</p>;
  return loading ? <p class="muted" aria-busy="true">Loading…</p> : null;
}

export function Section({ title, id, children, count }: { title: string; id?: string; children: ComponentChildren; count?: number }) {
  const sid = id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <section aria-labelledby={`${sid}-h`} id={sid} class="card">
      <h2 id={`${sid}-h`}>
        {title}
        {count !== undefined && <span class="count"> ({count.toLocaleString()})</span>}
      </h2>
      {children}
    </section>
  );
}
