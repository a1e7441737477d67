// Gateway page: listeners (protocol, port, hostname, TLS, certificates, conditions, attached
// routes), routes that failed to attach, addresses, generated objects.
import { useEffect } from 'preact/hooks';
import { Badge, Conditions, Loading, ObjLink, Section } from './components';
import { GeneratedList, ObjectHeader, ObjectProblems, useObject } from './objectpage';
import type { ListenerView, Ref, RouteLink } from '../view';
import { isBadCondition, refLabel } from '../view';

export function Listener({ l, gw }: { l: ListenerView; gw: Ref }) {
  const bad = l.conditions.some(isBadCondition);
  return (
    <section class={`listener card${bad ? ' has-bad' : ''}`} id={`listener-${l.name}`} aria-labelledby={`listener-${l.name}-h`}>
      <h3 id={`listener-${l.name}-h`}>
        Listener <code>{l.name}</code> <Badge ok={!bad}>{bad ? 'problem' : 'ok'}</Badge>
      </h3>
      <dl class="facts">
        <div><dt>Protocol</dt><dd>{l.protocol}</dd></div>
        <div><dt>Port</dt><dd>{l.port}</dd></div>
        <div><dt>Hostname</dt><dd>{l.hostname ?? <span class="muted">any (*)</span>}</dd></div>
        {l.tlsMode && <div><dt>TLS mode</dt><dd>{l.tlsMode}</dd></div>}
        <div><dt>Route kinds</dt><dd>{l.supportedKinds.join(', ') || '—'}</dd></div>
        <div><dt>Attached routes</dt><dd>{l.attachedRoutes}</dd></div>
      </dl>
      {l.certificates.length > 0 && (
        <div class="certs">
          <h4>Certificates</h4>
          <ul>
            {l.certificates.map((c) => (
              <li key={refLabel(c.ref)}>
                <ObjLink r={c.ref} label={`${c.ref.kind} ${c.ref.namespace}/${c.ref.name}`} /> <Badge ok={c.resolved}>{c.resolved ? 'resolved' : 'not resolved'}</Badge>
                {c.copies.length > 0 && (
                  <span>
                    {' '}→ copy {c.copies.map((cp, i) => <span key={i}>{i > 0 && ', '}<ObjLink r={cp} /></span>)}
                  </span>
                )}
              </li>
            ))}
          </ul>
          {l.certificateNotes.map((n, i) => <p key={i} class="cert-note">{n}</p>)}
        </div>
      )}
      <Conditions conditions={l.conditions} caption={`Conditions of listener ${l.name}`} />
      <h4>Routes attached to {l.name}</h4>
      {l.routes.length === 0 ? (
        <p class="muted">No route attached.</p>
      ) : (
        <ul class="route-links">
          {l.routes.slice(0, 200).map((r) => (
            <li key={refLabel(r.ref)}>
              <ObjLink r={r.ref} label={refLabel(r.ref)} />
              {r.reason && <> <Badge ok={false}>{r.reason}</Badge></>}
            </li>
          ))}
          {l.routes.length > 200 && <li class="muted">…and {l.routes.length - 200} more (<a href={`#/routes?q=${encodeURIComponent(`${gw.namespace}/${gw.name}`)}`}>see all</a>)</li>}
        </ul>
      )}
    </section>
  );
}

/** Routes whose parentRefs name the Gateway (or ListenerSet) but which did not attach, with the reason. */
export function DetachedRoutes({ routes }: { routes: RouteLink[] }) {
  if (routes.length === 0) return null;
  return (
    <Section title="Routes that did not attach" id="detached" count={routes.length}>
      <ul class="route-links">
        {routes.slice(0, 500).map((r) => (
          <li key={refLabel(r.ref)}>
            <ObjLink r={r.ref} label={refLabel(r.ref)} /> <Badge ok={false}>{r.reason ?? 'not accepted'}</Badge>
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function GatewayPage({ target, listener }: { target: Ref; listener?: string | undefined }) {
  const { data: v, error, loading } = useObject(target);
  useEffect(() => {
    if (v && listener) document.getElementById(`listener-${listener}`)?.scrollIntoView();
  }, [!!v, listener]);
  if (!v?.gateway) return <><h1 tabIndex={-1}>Gateway {target.namespace}/{target.name}</h1><Loading error={error} loading={loading} /></>;
  const g = v.gateway;
  const seen = new Set<string>();
  const copies = g.listeners.flatMap((l) => l.certificates.flatMap((c) => c.copies)).filter((c) => !seen.has(refLabel(c)) && !!seen.add(refLabel(c)));
  return (
    <>
      <ObjectHeader v={v}>
        <li><a href={`#/graph?gateway=${encodeURIComponent(`${target.namespace}/${target.name}`)}`}>Graph of this Gateway</a></li>
      </ObjectHeader>
      <ObjectProblems v={v} />
      <Section title="Summary">
        <dl class="facts">
          <div><dt>GatewayClass</dt><dd><ObjLink r={g.classRef} /></dd></div>
          <div><dt>Addresses</dt><dd>{g.addresses.length ? g.addresses.map((a) => `${a.value} (${a.type})`).join(', ') : <span class="muted">none assigned</span>}</dd></div>
          {g.specAddresses.length > 0 && <div><dt>Requested addresses</dt><dd>{g.specAddresses.join(', ')}</dd></div>}
          <div><dt>Listeners</dt><dd>{g.listeners.length}</dd></div>
        </dl>
        <Conditions conditions={v.conditions} caption="Gateway conditions" />
      </Section>
      <section aria-labelledby="listeners-h">
        <h2 id="listeners-h">Listeners</h2>
        {g.listeners.map((l) => <Listener key={l.name} l={l} gw={target} />)}
      </section>
      <DetachedRoutes routes={g.detached} />
      <GeneratedList items={v.generated} />
      {copies.length > 0 && (
        <Section title="Secret copies" id="copies" count={copies.length}>
          <p class="muted">Copies of the listeners' certificate Secrets in the system namespace (metadata only).</p>
          <ul>
            {copies.map((c) => <li key={refLabel(c)}><ObjLink r={c} label={refLabel(c)} /></li>)}
          </ul>
        </Section>
      )}
    </>
  );
}
