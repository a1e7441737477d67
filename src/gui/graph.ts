// The relationship graph: GatewayClass → MeshGatewayConfig, GatewayClass → Gateway → listeners
// (its own and its ListenerSets') → routes → Services, Secrets → listeners and → their copies. Nodes carry a layer; the browser
// lays each layer out as a column. Large snapshots are cut at MAX_NODES (and say so).
import type { Gateway, ListenerSet, Route } from '../../translators/api/gateway-api';
import type { Index, ParentLink } from './model';
import { key, refOf } from './model';
import type { GraphEdge, GraphNode, GraphView, Ref } from './view';
import { hrefOf, isBadCondition } from './view';

export const MAX_NODES = 400;

export interface GraphFilter {
  namespace?: string;
  mesh?: string;
  q?: string;
  /** `ns/name`: only this Gateway and what hangs off it. */
  gateway?: string;
}

const idOf = (r: Ref) => `${r.origin}:${r.kind}:${r.namespace ?? ''}/${r.name}`;

class Builder {
  nodes = new Map<string, GraphNode>();
  edges = new Map<string, GraphEdge>();
  constructor(private ix: Index) {}

  node(ref: Ref, layer: number, opts: { label?: string; sub?: string; failing?: boolean; href?: string; id?: string } = {}): string {
    const id = opts.id ?? idOf(ref);
    const exists = opts.id ? true : !!this.ix.find(ref);
    const prev = this.nodes.get(id);
    if (prev) {
      prev.failing ||= !!opts.failing;
      return id;
    }
    const n: GraphNode = {
      id,
      kind: ref.kind,
      label: opts.label ?? `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`,
      layer,
      failing: !!opts.failing || !exists,
    };
    if (opts.sub) n.sub = opts.sub;
    if (exists) n.href = opts.href ?? hrefOf(ref);
    else n.missing = true;
    this.nodes.set(id, n);
    return id;
  }

  edge(from: string, to: string, failing = false, label?: string) {
    const k = `${from}->${to}`;
    const prev = this.edges.get(k);
    if (prev) {
      if (failing && !prev.failing) Object.assign(prev, { failing, label });
      return;
    }
    const e: GraphEdge = { from, to, failing };
    if (label) e.label = label;
    this.edges.set(k, e);
  }
}

/** Listener node ids by parent (`parentKey`), then by listener name. */
type ListenerIds = Map<string, Map<string, string>>;
const parentKey = (kind: string, ns: string | undefined, name: string) => `${kind}:${ns ?? ''}/${name}`;

/** The ListenerSets (GEP-1713) attached to a Gateway. */
function listenerSetsOf(ix: Index, gw: Gateway): ListenerSet[] {
  return (ix.input.listenerSets ?? []).filter((ls) => {
    const p = ls.spec?.parentRef;
    return !!p && p.name === gw.metadata.name && (p.namespace || ls.metadata.namespace) === gw.metadata.namespace;
  });
}

/** GEP-1713: the ListenerSets naming the Gateway, each with its listeners (a failing edge when not accepted). */
function listenerSetPart(ix: Index, b: Builder, gw: Gateway, gid: string, ids: ListenerIds): void {
  for (const ls of listenerSetsOf(ix, gw)) {
    const lns = ls.metadata.namespace ?? '';
    const ref = refOf(ls, 'source');
    const bad = ix.conditionsOf(ls).find(isBadCondition);
    const id = b.node(ref, 1, { sub: 'ListenerSet', failing: !!bad });
    b.edge(id, gid, !!bad, bad?.reason);
    const lids = new Map<string, string>();
    for (const l of ls.spec?.listeners ?? []) {
      const lid = b.node({ ...ref, kind: 'Listener' }, 2, { id: `listener:${lns}/${ls.metadata.name}/${l.name}`, label: `${l.name}`, sub: `${l.protocol}:${l.port}${l.hostname ? ` ${l.hostname}` : ''}`, href: hrefOf(ref) });
      b.edge(id, lid);
      lids.set(l.name, lid);
    }
    ids.set(parentKey('ListenerSet', lns, ls.metadata.name), lids);
  }
}

/** The Gateway, its class, listeners and ListenerSets; records their listener node ids in `ids`. */
function gatewayPart(ix: Index, b: Builder, gw: Gateway, ids: ListenerIds): void {
  const ns = gw.metadata.namespace ?? '';
  const gref = refOf(gw, 'source');
  const gwBad = ix.conditionsOf(gw).find(isBadCondition);
  const gid = b.node(gref, 1, { sub: 'Gateway', failing: !!gwBad });
  const className = gw.spec?.gatewayClassName ?? '';
  const cls = ix.gatewayClass(className);
  const cref: Ref = { origin: 'source', kind: 'GatewayClass', name: className };
  const clsBad = cls ? ix.conditionsOf(cls).find(isBadCondition) : undefined;
  const cid = b.node(cref, 0, { sub: 'GatewayClass', failing: !!clsBad });
  b.edge(cid, gid, !cls || !!clsBad, !cls ? 'class not found' : clsBad?.reason);
  const pr = cls?.spec?.parametersRef;
  if (pr) {
    const pref: Ref = { origin: 'source', kind: pr.kind, name: pr.name, ...(pr.namespace ? { namespace: pr.namespace } : {}) };
    const found = !!ix.find(pref);
    const pid = b.node(pref, 1, { sub: pr.kind });
    b.edge(cid, pid, !found, found ? undefined : 'not found');
  }
  listenerSetPart(ix, b, gw, gid, ids);
  const st = ix.gatewayStatus(ns, gw.metadata.name);
  const listenerIds = new Map<string, string>();
  for (const l of gw.spec?.listeners ?? []) {
    const conds = st?.listeners?.find((x) => x.name === l.name)?.conditions ?? [];
    const bad = conds.find(isBadCondition);
    const lid = b.node({ ...gref, kind: 'Listener' }, 2, {
      id: `listener:${ns}/${gw.metadata.name}/${l.name}`,
      label: `${l.name}`,
      sub: `${l.protocol}:${l.port}${l.hostname ? ` ${l.hostname}` : ''}`,
      failing: !!bad,
      href: `${hrefOf(gref)}/listener/${encodeURIComponent(l.name)}`,
    });
    listenerIds.set(l.name, lid);
    b.edge(gid, lid, !!bad, bad?.reason);
    const refsBad = conds.find((c) => c.type === 'ResolvedRefs' && c.status === 'False');
    for (const c of l.tls?.certificateRefs ?? []) {
      const sref: Ref = { origin: 'source', kind: c.kind ?? 'Secret', namespace: c.namespace || ns, name: c.name };
      const sid = b.node(sref, 1, { sub: 'Secret' });
      b.edge(sid, lid, !!refsBad, refsBad?.reason);
      const src = ix.find(sref);
      for (const copy of src ? ix.generatedFor(src) : []) b.edge(sid, b.node(refOf(copy, 'generated'), 2, { sub: 'Secret copy' }));
    }
  }
  ids.set(parentKey('Gateway', ns, gw.metadata.name), listenerIds);
}

function routePart(ix: Index, b: Builder, r: Route, links: ParentLink[], listenerIds: ListenerIds) {
  const rref = refOf(r, 'source');
  const ns = r.metadata.namespace ?? '';
  const anyBad = links.some((l) => !l.accepted || l.reason);
  const rid = b.node(rref, 3, { sub: r.kind, failing: anyBad });
  for (const link of links) {
    const pns = link.parentRef.namespace || ns;
    const kind = link.parentRef.kind ?? 'Gateway';
    const parent = kind === 'Gateway' ? ix.gateway(pns, link.parentRef.name) : ix.find({ origin: 'source', kind, namespace: pns, name: link.parentRef.name }) as ListenerSet | undefined;
    const lids = listenerIds.get(parentKey(kind, pns, link.parentRef.name));
    if (!parent || !lids) {
      const gid = b.node({ origin: 'source', kind, namespace: pns, name: link.parentRef.name }, 1, { sub: kind });
      b.edge(gid, rid, true, parent ? link.reason : `${kind} not found`);
      continue;
    }
    if (link.accepted) {
      for (const l of ix.attachedListeners(parent, link)) {
        const lid = lids.get(l.name);
        if (lid) b.edge(lid, rid);
      }
    } else {
      const lid = link.parentRef.sectionName ? lids.get(link.parentRef.sectionName) : undefined;
      b.edge(lid ?? idOf(refOf(parent, 'source')), rid, true, link.reason ?? 'not accepted');
    }
  }
  for (const rule of r.spec?.rules ?? []) {
    for (const be of rule.backendRefs ?? []) {
      const sref: Ref = { origin: 'source', kind: be.kind ?? 'Service', namespace: be.namespace || ns, name: be.name };
      const found = !!ix.find(sref);
      const permitted = sref.namespace === ns || ix.grantExists(sref.namespace!, { group: 'gateway.networking.k8s.io', kind: r.kind, namespace: ns }, sref.kind, sref.name);
      const sid = b.node(sref, 4, { sub: sref.kind });
      b.edge(rid, sid, !found || !permitted, !found ? 'not found' : !permitted ? 'RefNotPermitted' : undefined);
    }
  }
}

export function buildGraph(ix: Index, f: GraphFilter): GraphView {
  const b = new Builder(ix);
  const q = f.q?.trim().toLowerCase();
  const text = (o: { metadata: { namespace?: string; name: string }; kind: string }) =>
    !q || `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`.toLowerCase().includes(q);
  const passes = (o: Gateway | Route) =>
    (!f.namespace || o.metadata.namespace === f.namespace) && (!f.mesh || ix.meshOf(o) === f.mesh) && text(o);
  const scoped = f.gateway !== undefined;
  const gateways = (ix.input.gateways ?? []).filter((g) => (scoped ? `${g.metadata.namespace}/${g.metadata.name}` === f.gateway : passes(g)));
  const listenerIds: ListenerIds = new Map();
  const routes = new Map<string, Route>();
  const addRoutes = (links: ParentLink[] | undefined) => {
    for (const l of links ?? []) routes.set(key(l.route.kind, l.route.metadata.namespace, l.route.metadata.name), l.route);
  };
  for (const gw of gateways) {
    gatewayPart(ix, b, gw, listenerIds);
    addRoutes(ix.parentsOfGateway.get(`${gw.metadata.namespace}/${gw.metadata.name}`));
    for (const ls of listenerSetsOf(ix, gw)) addRoutes(ix.parentsOfListenerSet.get(`${ls.metadata.namespace}/${ls.metadata.name}`));
  }
  if (!scoped) for (const r of ix.routes) if (passes(r)) routes.set(key(r.kind, r.metadata.namespace, r.metadata.name), r);
  /** The Gateway a parentRef leads to (a ListenerSet's parent for a ListenerSet), as `ns/name`. */
  const gatewayOf = (r: Route, l: ParentLink): Gateway | undefined => {
    const pns = l.parentRef.namespace || r.metadata.namespace || '';
    if ((l.parentRef.kind ?? 'Gateway') === 'Gateway') return ix.gateway(pns, l.parentRef.name);
    const ls = ix.find({ origin: 'source', kind: 'ListenerSet', namespace: pns, name: l.parentRef.name }) as ListenerSet | undefined;
    const p = ls?.spec?.parentRef;
    return p ? ix.gateway(p.namespace || pns, p.name) : undefined;
  };
  const linksOf = (r: Route) => {
    const out: ParentLink[] = [];
    for (const p of r.spec?.parentRefs ?? []) {
      const byParent = (p.kind ?? 'Gateway') === 'Gateway' ? ix.parentsOfGateway : p.kind === 'ListenerSet' ? ix.parentsOfListenerSet : undefined;
      for (const l of byParent?.get(`${p.namespace || r.metadata.namespace}/${p.name}`) ?? []) if (l.route === r && l.parentRef === p) out.push(l);
    }
    return out;
  };
  let truncated = false;
  for (const r of routes.values()) {
    if (b.nodes.size >= MAX_NODES) {
      truncated = true;
      break;
    }
    const links = linksOf(r);
    for (const l of links) {
      const gw = gatewayOf(r, l);
      if (gw && !listenerIds.has(parentKey('Gateway', gw.metadata.namespace, gw.metadata.name)) && !scoped) gatewayPart(ix, b, gw, listenerIds);
    }
    const inScope = (l: ParentLink) => { const gw = gatewayOf(r, l); return !!gw && `${gw.metadata.namespace}/${gw.metadata.name}` === f.gateway; };
    routePart(ix, b, r, scoped ? links.filter(inScope) : links, listenerIds);
  }
  return { version: ix.version, mode: ix.mode, nodes: [...b.nodes.values()], edges: [...b.edges.values()], truncated, total: routes.size };
}
