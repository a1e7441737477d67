// ListenerSet page (GEP-1713): its parent Gateway, and its listeners shown as a Gateway's are
// (protocol, port, hostname, TLS, certificates and their copies, conditions, attached routes).
import { Conditions, Loading, ObjLink, Section } from './components';
import { DetachedRoutes, Listener } from './gateway';
import { ObjectHeader, ObjectProblems, useObject } from './objectpage';
import type { Ref } from '../view';
import { refLabel } from '../view';

export function ListenerSetPage({ target }: { target: Ref }) {
  const { data: v, error, loading } = useObject(target);
  if (!v?.listenerSet) return <><h1 tabIndex={-1}>ListenerSet {target.namespace}/{target.name}</h1><Loading error={error} loading={loading} /></>;
  const s = v.listenerSet;
  return (
    <>
      <ObjectHeader v={v} />
      <ObjectProblems v={v} />
      <Section title="Summary">
        <dl class="facts">
          <div><dt>Parent Gateway</dt><dd><ObjLink r={s.parentRef} label={refLabel(s.parentRef)} /></dd></div>
          <div><dt>Listeners</dt><dd>{s.listeners.length}</dd></div>
        </dl>
        <Conditions conditions={v.conditions} caption="ListenerSet conditions" />
      </Section>
      <section aria-labelledby="listeners-h">
        <h2 id="listeners-h">Listeners</h2>
        {s.listeners.map((l) => <Listener key={l.name} l={l} gw={target} />)}
      </section>
      <DetachedRoutes routes={s.detached} />
    </>
  );
}
