// Relationship graph as SVG. Layered layout computed here: one column per layer, nodes ordered
// by the average position of their predecessors. Failing edges are red, dashed and labelled.
import { useMemo } from 'preact/hooks';
import { useData } from './api';
import { FilterBar, Loading } from './components';
import { useFilter } from './filters';
import type { Location } from './router';
import type { GraphEdge, GraphNode, GraphView, OverviewView } from '../view';
import { LAYERS } from '../view';

const NODE_W = 178;
const NODE_H = 46;
const COL_GAP = 74;
const ROW_GAP = 18;
const PAD = 20;

interface Placed extends GraphNode {
  x: number;
  y: number;
}

export function layout(nodes: GraphNode[], edges: GraphEdge[]): { placed: Map<string, Placed>; width: number; height: number } {
  const layers: GraphNode[][] = [];
  for (const n of nodes) (layers[n.layer] ??= []).push(n);
  const preds = new Map<string, string[]>();
  for (const e of edges) preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
  const pos = new Map<string, number>();
  const placed = new Map<string, Placed>();
  let rows = 0;
  layers.forEach((layer = [], li) => {
    const score = (n: GraphNode) => {
      const ps = (preds.get(n.id) ?? []).map((p) => pos.get(p)).filter((x): x is number => x !== undefined);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Number.MAX_SAFE_INTEGER;
    };
    const sorted = [...layer].sort((a, b) => score(a) - score(b) || a.label.localeCompare(b.label));
    sorted.forEach((n, i) => {
      pos.set(n.id, i);
      placed.set(n.id, { ...n, x: PAD + li * (NODE_W + COL_GAP), y: PAD + 28 + i * (NODE_H + ROW_GAP) });
    });
    rows = Math.max(rows, sorted.length);
  });
  return { placed, width: PAD * 2 + LAYERS.length * NODE_W + (LAYERS.length - 1) * COL_GAP, height: PAD * 2 + 28 + rows * (NODE_H + ROW_GAP) };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function Edge({ e, placed }: { e: GraphEdge; placed: Map<string, Placed> }) {
  const a = placed.get(e.from);
  const b = placed.get(e.to);
  if (!a || !b) return null;
  const forward = b.x > a.x;
  const x1 = forward ? a.x + NODE_W : a.x + NODE_W / 2;
  const y1 = forward ? a.y + NODE_H / 2 : a.y + NODE_H;
  const x2 = forward ? b.x : b.x + NODE_W / 2;
  const y2 = forward ? b.y + NODE_H / 2 : b.y;
  const mx = (x1 + x2) / 2;
  const d = forward ? `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}` : `M${x1},${y1} L${x2},${y2}`;
  return (
    <g class={e.failing ? 'edge bad' : 'edge'}>
      <path d={d} marker-end={e.failing ? 'url(#arrow-bad)' : 'url(#arrow)'} />
      {e.failing && (
        <text x={mx} y={(y1 + y2) / 2 - 4} text-anchor="middle" class="edge-label">
          ✗ {clip(e.label ?? 'failing', 22)}
        </text>
      )}
    </g>
  );
}

function Node({ n }: { n: Placed }) {
  const body = (
    <>
      <title>{`${n.kind} ${n.label}${n.missing ? ' (missing)' : ''}${n.failing ? ' — has problems' : ''}`}</title>
      <rect x={n.x} y={n.y} width={NODE_W} height={NODE_H} rx={6} />
      <text x={n.x + 10} y={n.y + 18} class="node-label">{`${n.failing ? '✗ ' : ''}${clip(n.label, 22)}`}</text>
      <text x={n.x + 10} y={n.y + 36} class="node-sub">{clip(`${n.sub ?? n.kind}${n.missing ? ' · missing' : ''}`, 27)}</text>
    </>
  );
  const cls = `node${n.failing ? ' bad' : ''}${n.missing ? ' missing' : ''}`;
  return n.href ? <a href={n.href} class={cls}>{body}</a> : <g class={cls}>{body}</g>;
}

export function GraphPage({ loc }: { loc: Location }) {
  const gateway = loc.query.get('gateway') ?? undefined;
  const f = useFilter(loc, { gateway });
  const { data, error, loading } = useData<GraphView>('graph', { namespace: f.value.ns, mesh: f.value.mesh, q: f.value.q, gateway });
  const ov = useData<OverviewView>('overview');
  const lay = useMemo(() => (data ? layout(data.nodes, data.edges) : undefined), [data]);
  const failing = data?.edges.filter((e) => e.failing) ?? [];
  const byId = new Map((data?.nodes ?? []).map((n) => [n.id, n]));
  return (
    <>
      <h1 tabIndex={-1}>Graph{gateway ? ` of Gateway ${gateway}` : ''}</h1>
      <FilterBar value={f.value} onChange={f.setValue} namespaces={ov.data?.namespaces ?? []} meshes={ov.data?.meshes ?? []} label="Filter the graph" />
      {gateway && <p><a href="#/graph">Show all gateways</a></p>}
      <Loading error={error} loading={loading && !data} />
      {data && lay && (
        <>
          <p class="summary">
            {data.nodes.length} nodes, {data.edges.length} edges, {failing.length} failing.{' '}
            {data.truncated && <strong>Cut at {data.nodes.length} nodes ({data.total.toLocaleString()} routes match): filter to see the rest.</strong>}
          </p>
          <p class="legend"><span class="legend-ok">—— works</span> <span class="legend-bad">- - ✗ failing (labelled with the reason)</span></p>
          <div class="graph-wrap" tabIndex={0} aria-label="Relationship graph; each node is a link">
            <svg width={lay.width} height={lay.height} viewBox={`0 0 ${lay.width} ${lay.height}`} role="group" aria-label="Relationship graph">
              <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow" /></marker>
                <marker id="arrow-bad" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow bad" /></marker>
              </defs>
              {LAYERS.map((l, i) => <text key={l} x={PAD + i * (NODE_W + COL_GAP)} y={PAD + 10} class="layer-title">{l}</text>)}
              {data.edges.map((e) => <Edge key={`${e.from}->${e.to}`} e={e} placed={lay.placed} />)}
              {[...lay.placed.values()].map((n) => <Node key={n.id} n={n} />)}
            </svg>
          </div>
          {failing.length > 0 && (
            <section class="card" aria-labelledby="failing-h">
              <h2 id="failing-h">Failing relationships</h2>
              <ul>
                {failing.slice(0, 300).map((e) => {
                  const a = byId.get(e.from);
                  const b = byId.get(e.to);
                  return (
                    <li key={`${e.from}->${e.to}`}>
                      {a?.href ? <a href={a.href}>{a.kind} {a.label}</a> : `${a?.kind} ${a?.label}`} → {b?.href ? <a href={b.href}>{b.kind} {b.label}</a> : `${b?.kind} ${b?.label}`}: <strong>{e.label ?? 'failing'}</strong>
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  );
}
