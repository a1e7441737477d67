// The GUI front end: layout, navigation, hash routing and live updates.
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { LiveContext, useLiveVersion } from './api';
import { GatewayPage } from './gateway';
import { GraphPage } from './graph';
import { ListenerSetPage } from './listenerset';
import { ListPage } from './lists';
import { ObjectPage } from './objectpage';
import { Overview } from './overview';
import { ClassPage, RoutePage } from './route';
import { useLocation, type Location } from './router';
import type { Origin, Ref } from '../view';

const NAV = [
  ['', 'Overview'],
  ['routes', 'Routes'],
  ['generated', 'Generated'],
  ['other', 'Other objects'],
  ['graph', 'Graph'],
] as const;

function Page({ loc }: { loc: Location }) {
  const [a, b, c, d, e] = loc.parts;
  const src = (kind: string, namespace: string | undefined, name: string | undefined): Ref => ({ origin: 'source', kind, name: name ?? '', ...(namespace ? { namespace } : {}) });
  switch (a) {
    case undefined:
      return <Overview loc={loc} />;
    case 'routes':
    case 'generated':
    case 'other':
      return <ListPage key={a} kind={a} loc={loc} />;
    case 'graph':
      return <GraphPage key={loc.query.get('gateway') ?? ''} loc={loc} />;
    case 'gateway':
      return <GatewayPage target={src('Gateway', b, c)} listener={d === 'listener' ? e : undefined} />;
    case 'listenerset':
      return <ListenerSetPage target={src('ListenerSet', b, c)} />;
    case 'gatewayclass':
      return <ClassPage target={src('GatewayClass', undefined, b)} />;
    case 'httproute':
      return <RoutePage target={src('HTTPRoute', b, c)} />;
    case 'grpcroute':
      return <RoutePage target={src('GRPCRoute', b, c)} />;
    case 'tlsroute':
      return <RoutePage target={src('TLSRoute', b, c)} />;
    case 'tcproute':
      return <RoutePage target={src('TCPRoute', b, c)} />;
    case 'udproute':
      return <RoutePage target={src('UDPRoute', b, c)} />;
    case 'object':
      return <ObjectPage target={{ origin: (b === 'generated' ? 'generated' : 'source') as Origin, kind: c ?? '', name: e ?? '', ...(d && d !== '-' ? { namespace: d } : {}) }} />;
    default:
      return (
        <>
          <h1 tabIndex={-1}>Not found</h1>
          <p>There is no page at this address. <a href="#/">Go to the overview</a>.</p>
        </>
      );
  }
}

function App() {
  const live = useLiveVersion();
  const loc = useLocation();
  const main = useRef<HTMLElement>(null);
  const pageKey = loc.parts.join('/');
  const first = useRef(true);
  useEffect(() => {
    // Move focus to the new page's heading on navigation (not on first load, not on live updates).
    if (first.current) {
      first.current = false;
      return;
    }
    const h = main.current?.querySelector('h1');
    (h ?? main.current)?.focus();
    window.scrollTo(0, 0);
  }, [pageKey]);
  const section = loc.parts[0] ?? '';
  const current = NAV.some(([p]) => p === section) ? section : ['httproute', 'tlsroute', 'tcproute', 'udproute'].includes(section) ? 'routes' : undefined;
  return (
    <LiveContext.Provider value={live}>
      <a class="skip" href="#main" onClick={(ev) => { ev.preventDefault(); main.current?.focus(); }}>Skip to content</a>
      <header class="top">
        <a class="brand" href="#/">meshgate</a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([p, label]) => (
              <li key={p}>
                <a href={`#/${p}`} aria-current={current === p ? 'page' : undefined}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <p class={`live ${live.connected ? 'on' : 'off'}`} role="status" aria-live="polite">
          <span aria-hidden="true">●</span> {live.connected ? 'Live' : 'Reconnecting…'}
          {live.version ? ` · v${live.version}` : ''}
          {live.updatedAt ? ` · updated ${live.updatedAt.toLocaleTimeString()}` : ''}
        </p>
        {live.mode && <p class="mode">{live.mode === 'offline' ? 'Offline (files)' : 'Cluster'}</p>}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {live.version ? <Page loc={loc} /> : <p class="muted">Connecting…</p>}
      </main>
    </LiveContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
