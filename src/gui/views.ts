// Builds the API views (overview, lists, object pages) from the snapshot index.
import YAML from 'yaml';
import type { Gateway, GatewayClass, GRPCRoute, HTTPRoute, Listener, ListenerSet, ListenerStatus, Route } from '../../translators/api/gateway-api';
import type { MeshBackendRef, MeshHTTPRoute, MeshTCPRoute } from '../../translators/api/kuma';
import type { KubeObject } from '../../translators/api/meta';
import type { Index, ParentLink } from './model';
import { key, parentLabel, refOf, sameParent } from './model';
import { allProblems, problemsOf } from './problems';
import { filterText, grpcMatchText, matchText, meshBackendText, targetText } from './summary';
import type {
  BackendView, ClassDetail, CountRow, GatewayDetail, GeneratedItem, GeneratedRuleView, ListRow, ListView,
  ListenerSetDetail, ListenerView, ObjectView, OverviewView, ParentView, Ref, RouteDetail, RouteLink,
} from './view';
import { isBadCondition } from './view';

export function toYaml(o: unknown): string {
  return YAML.stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });
}

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];
const condStatus = (ix: Index, o: KubeObject, type: string) => ix.conditionsOf(o).find((c) => c.type === type)?.status ?? 'Unknown';

export function overview(ix: Index): OverviewView {
  const counts = countRows(ix);
  const problems = allProblems(ix);
  const namespaces = new Set<string>();
  for (const o of ix.source.values()) if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
  for (const o of ix.generated.values()) if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
  return {
    version: ix.version,
    mode: ix.mode,
    problems,
    notices: ix.snap.result.diagnostics,
    counts: [...counts.values()].sort((a, b) => a.mesh.localeCompare(b.mesh)),
    classes: classRows(ix),
    gateways: gatewayRows(ix, problems),
    namespaces: [...namespaces].sort(),
    meshes: [...counts.keys()].sort(),
  };
}

/** Gateways, routes by kind and generated objects by kind, per mesh. */
function countRows(ix: Index): Map<string, CountRow> {
  const inp = ix.input;
  const counts = new Map<string, CountRow>();
  const row = (mesh: string) => {
    let r = counts.get(mesh);
    if (!r) counts.set(mesh, (r = { mesh, gatewayClasses: 0, gateways: 0, httpRoutes: 0, grpcRoutes: 0, tlsRoutes: 0, tcpRoutes: 0, udpRoutes: 0, generated: {} }));
    return r;
  };
  for (const gw of inp.gateways ?? []) row(ix.meshOf(gw)).gateways++;
  for (const r of inp.httpRoutes ?? []) row(ix.meshOf(r)).httpRoutes++;
  for (const r of inp.grpcRoutes ?? []) row(ix.meshOf(r)).grpcRoutes++;
  for (const r of inp.tlsRoutes ?? []) row(ix.meshOf(r)).tlsRoutes++;
  for (const r of inp.tcpRoutes ?? []) row(ix.meshOf(r)).tcpRoutes++;
  for (const r of inp.udpRoutes ?? []) row(ix.meshOf(r)).udpRoutes++;
  for (const o of ix.generated.values()) {
    const g = row(ix.meshOf(o, 'generated')).generated;
    g[o.kind] = (g[o.kind] ?? 0) + 1;
  }
  return counts;
}

function classRows(ix: Index): OverviewView['classes'] {
  return (ix.input.gatewayClasses ?? []).map((c: GatewayClass) => {
    const pr = c.spec?.parametersRef;
    return {
      name: c.metadata.name,
      controllerName: c.spec?.controllerName ?? '',
      managed: c.spec?.controllerName === ix.input.options.controllerName,
      accepted: condStatus(ix, c, 'Accepted'),
      gateways: ix.gatewaysOfClass.get(c.metadata.name)?.length ?? 0,
      ...(pr ? { parametersRef: `${pr.kind} ${pr.namespace ? `${pr.namespace}/` : ''}${pr.name}` } : {}),
    };
  });
}

function gatewayRows(ix: Index, problems: OverviewView['problems']): OverviewView['gateways'] {
  const problemCount = new Map<string, number>();
  for (const p of problems) if (p.object.kind === 'Gateway') problemCount.set(`${p.object.namespace}/${p.object.name}`, (problemCount.get(`${p.object.namespace}/${p.object.name}`) ?? 0) + 1);
  return (ix.input.gateways ?? []).map((gw) => {
    const st = ix.gatewayStatus(gw.metadata.namespace ?? '', gw.metadata.name);
    return {
      namespace: gw.metadata.namespace ?? '',
      name: gw.metadata.name,
      mesh: ix.meshOf(gw),
      className: gw.spec?.gatewayClassName ?? '',
      listeners: gw.spec?.listeners?.length ?? 0,
      attachedRoutes: (st?.listeners ?? []).reduce((n, l) => n + (l.attachedRoutes ?? 0), 0),
      accepted: condStatus(ix, gw, 'Accepted'),
      programmed: condStatus(ix, gw, 'Programmed'),
      addresses: (st?.addresses ?? gw.status?.addresses ?? []).map((a) => a.value),
      problems: problemCount.get(`${gw.metadata.namespace}/${gw.metadata.name}`) ?? 0,
    };
  });
}

export type ListKind = 'routes' | 'generated' | 'other';

export function list(ix: Index, kind: ListKind): ListView {
  const rows: ListRow[] = [];
  if (kind === 'routes') {
    for (const r of ix.routes) {
      const st = ix.routeStatus(r);
      const bad = (st?.parents ?? []).flatMap((p) => p.conditions).find(isBadCondition);
      const parents = (r.spec?.parentRefs ?? []).map((p) => parentLabel(p, r.metadata.namespace));
      const hosts = r.spec?.hostnames ?? [];
      const row: ListRow = {
        ref: refOf(r, 'source'),
        mesh: ix.meshOf(r),
        state: !st ? 'unknown' : bad ? 'problem' : 'ok',
        detail: `${hosts.length ? hosts.join(', ') : '*'} → ${parents.join(', ') || 'no parents'}`,
      };
      if (bad) row.reason = bad.reason;
      rows.push(row);
    }
  } else if (kind === 'generated') {
    for (const o of ix.generated.values()) {
      const owners = ix.ownersOf.get(o) ?? [];
      rows.push({
        ref: refOf(o, 'generated'),
        mesh: ix.meshOf(o, 'generated'),
        state: 'ok',
        detail: owners.length ? `from ${owners.map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`).join(', ')}` : '',
      });
    }
  } else {
    const skip = ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];
    for (const o of ix.source.values()) {
      if (skip.includes(o.kind)) continue;
      const gen = ix.generatedFor(o);
      rows.push({ ref: refOf(o, 'source'), mesh: ix.meshOf(o), state: 'ok', detail: gen.length ? `${gen.length} generated` : '' });
    }
  }
  return { version: ix.version, mode: ix.mode, rows };
}

function generatedItems(ix: Index, objs: KubeObject[]): GeneratedItem[] {
  return objs.map((o) => ({ ref: refOf(o, 'generated'), mesh: ix.meshOf(o, 'generated'), object: o, yaml: toYaml(o) }));
}

export function objectView(ix: Index, ref: Ref): ObjectView | undefined {
  const o = ix.find(ref);
  if (!o) return undefined;
  const gen = ref.origin === 'source' ? ix.generatedFor(o) : [];
  const view: ObjectView = {
    version: ix.version,
    mode: ix.mode,
    ref: refOf(o, ref.origin),
    mesh: ix.meshOf(o, ref.origin),
    object: o,
    yaml: toYaml(o),
    conditions: ref.origin === 'source' ? ix.conditionsOf(o) : [],
    problems: ref.origin === 'source' ? problemsOf(ix, o) : [],
    generated: generatedItems(ix, gen),
    owners: ref.origin === 'generated' ? ix.ownersOf.get(o) ?? [] : [],
    diagnostics: ix.snap.result.diagnostics.filter(
      (d) => ref.origin === 'source' && d.object.kind === o.kind && d.object.name === o.metadata.name && (d.object.namespace ?? '') === (o.metadata.namespace ?? ''),
    ),
  };
  if (ref.origin === 'source' && o.kind === 'Gateway') view.gateway = gatewayDetail(ix, o as Gateway, view);
  if (ref.origin === 'source' && o.kind === 'ListenerSet') view.listenerSet = listenerSetDetail(ix, o as ListenerSet, view);
  if (ref.origin === 'source' && ROUTE_KINDS.includes(o.kind)) view.route = routeDetail(ix, o as Route, gen);
  if (ref.origin === 'source' && o.kind === 'GatewayClass') view.gatewayClass = classDetail(ix, o as GatewayClass);
  return view;
}

function classDetail(ix: Index, c: GatewayClass): ClassDetail {
  const out: ClassDetail = {
    gateways: (ix.gatewaysOfClass.get(c.metadata.name) ?? []).map((g) => refOf(g, 'source')),
    supportedFeatures: (ix.classStatus(c.metadata.name)?.supportedFeatures ?? []).map((f) => f.name),
  };
  const pr = c.spec?.parametersRef;
  if (pr) {
    const r: Ref = { origin: 'source', kind: pr.kind, name: pr.name };
    if (pr.namespace) r.namespace = pr.namespace;
    out.parameters = { ref: r, found: !!ix.find(r) };
  }
  return out;
}

const EXPIRY_RE = /(expir|not ?after|valid until|valid to)/i;

/** The routes naming a Gateway or ListenerSet, by the listener they attached to, and those that did not attach. */
function routesOfListeners(ix: Index, owner: { spec?: { listeners?: Listener[] } }, links: ParentLink[]): { routesPer: Map<string, RouteLink[]>; detached: RouteLink[] } {
  const routesPer = new Map<string, RouteLink[]>();
  const detached: RouteLink[] = [];
  for (const link of links) {
    const rl: RouteLink = { ref: refOf(link.route, 'source'), accepted: link.accepted };
    if (link.reason) rl.reason = link.reason;
    if (!link.accepted) {
      detached.push(rl);
      continue;
    }
    for (const l of ix.attachedListeners(owner, link)) routesPer.set(l.name, [...(routesPer.get(l.name) ?? []), rl]);
  }
  return { routesPer, detached };
}

function gatewayDetail(ix: Index, gw: Gateway, view: ObjectView): GatewayDetail {
  const ns = gw.metadata.namespace ?? '';
  const st = ix.gatewayStatus(ns, gw.metadata.name);
  const { routesPer, detached } = routesOfListeners(ix, gw, ix.parentsOfGateway.get(`${ns}/${gw.metadata.name}`) ?? []);
  return {
    className: gw.spec?.gatewayClassName ?? '',
    classRef: { origin: 'source', kind: 'GatewayClass', name: gw.spec?.gatewayClassName ?? '' },
    listeners: listenerViews(ix, ns, gw.spec?.listeners ?? [], st?.listeners ?? gw.status?.listeners ?? [], routesPer, view),
    addresses: st?.addresses ?? gw.status?.addresses ?? [],
    specAddresses: (gw.spec?.addresses ?? []).map((a) => `${a.type ?? 'IPAddress'} ${a.value ?? ''}`),
    detached,
  };
}

/** GEP-1713: a ListenerSet's parent Gateway and its listeners, shown as a Gateway's are. */
function listenerSetDetail(ix: Index, ls: ListenerSet, view: ObjectView): ListenerSetDetail {
  const ns = ls.metadata.namespace ?? '';
  const st = ix.status.get(key('ListenerSet', ns, ls.metadata.name)) as { listeners?: ListenerStatus[] } | undefined;
  const { routesPer, detached } = routesOfListeners(ix, ls, ix.parentsOfListenerSet.get(`${ns}/${ls.metadata.name}`) ?? []);
  return {
    parentRef: { origin: 'source', kind: 'Gateway', namespace: ls.spec?.parentRef?.namespace || ns, name: ls.spec?.parentRef?.name ?? '' },
    listeners: listenerViews(ix, ns, ls.spec?.listeners ?? [], st?.listeners ?? ls.status?.listeners ?? [], routesPer, view),
    detached,
  };
}

function listenerViews(ix: Index, ns: string, listeners: Listener[], statuses: ListenerStatus[], routesPer: Map<string, RouteLink[]>, view: ObjectView): ListenerView[] {
  return listeners.map((l) => {
    const ls = statuses.find((x) => x.name === l.name);
    const conditions = ls?.conditions ?? [];
    const resolved = !conditions.some((c) => c.type === 'ResolvedRefs' && c.status === 'False');
    const certificates = (l.tls?.certificateRefs ?? []).map((c) => {
      const cref: Ref = { origin: 'source', kind: c.kind ?? 'Secret', namespace: c.namespace || ns, name: c.name };
      const src = ix.find(cref);
      const copies = src ? ix.generatedFor(src).map((g) => refOf(g, 'generated')) : [];
      return { ref: cref, resolved: resolved && !!src, copies };
    });
    const certificateNotes = [
      ...conditions.filter((c) => c.type.endsWith('CertificateValid') || EXPIRY_RE.test(c.message)).map((c) => `${c.reason}: ${c.message}`),
      ...view.diagnostics.filter((d) => (d.field?.includes(l.name) || d.message.includes(l.name)) && EXPIRY_RE.test(d.message)).map((d) => d.message),
    ];
    const v: ListenerView = {
      name: l.name,
      protocol: l.protocol,
      port: l.port,
      certificates,
      certificateNotes,
      conditions,
      attachedRoutes: ls?.attachedRoutes ?? 0,
      supportedKinds: (ls?.supportedKinds ?? []).map((k) => k.kind),
      routes: routesPer.get(l.name) ?? [],
    };
    if (l.hostname) v.hostname = l.hostname;
    if (l.tls) v.tlsMode = l.tls.mode ?? 'Terminate';
    return v;
  });
}

function routeDetail(ix: Index, r: Route, generated: KubeObject[]): RouteDetail {
  return { hostnames: r.spec?.hostnames ?? [], parents: routeParents(ix, r), rules: routeRules(ix, r), generatedRules: generatedRuleViews(generated) };
}

/** Each parentRef with the status meshgate wrote for it; Gateway and ListenerSet parents link to their page. */
function routeParents(ix: Index, r: Route): ParentView[] {
  const ns = r.metadata.namespace ?? '';
  const statuses = ix.routeStatus(r)?.parents ?? r.status?.parents ?? [];
  return (r.spec?.parentRefs ?? []).map((p) => {
    const ps = statuses.find((x) => sameParent(x.parentRef, p, ns));
    const kind = p.kind ?? 'Gateway';
    const label = parentLabel(p, ns);
    const pv: ParentView = { parentRef: label, conditions: ps?.conditions ?? [], problems: problemsOf(ix, r).filter((x) => x.where === `parent ${label}`) };
    if (kind === 'Gateway' || kind === 'ListenerSet') pv.parent = { origin: 'source', kind, namespace: p.namespace || ns, name: p.name };
    return pv;
  });
}

function routeRules(ix: Index, r: Route): RouteDetail['rules'] {
  return (r.spec?.rules ?? []).map((rule, index) => {
    const http = r.kind === 'HTTPRoute' ? (rule as NonNullable<HTTPRoute['spec']['rules']>[number]) : undefined;
    const grpc = r.kind === 'GRPCRoute' ? (rule as NonNullable<GRPCRoute['spec']['rules']>[number]) : undefined;
    return {
      index,
      matches: http ? (http.matches?.length ? http.matches : [undefined]).map(matchText) : grpc ? (grpc.matches?.length ? grpc.matches : [undefined]).map(grpcMatchText) : [],
      filters: (http?.filters ?? grpc?.filters ?? []).map(filterText),
      backends: (rule.backendRefs ?? []).map((b) => backendView(ix, r, b)),
      ...(rule.name ? { name: rule.name } : {}),
    };
  });
}

/** A backendRef, and why it does not resolve (the translator's reasons, in words). */
function backendView(ix: Index, r: Route, b: { group?: string; kind?: string; namespace?: string; name: string; port?: number; weight?: number }): BackendView {
  const ns = r.metadata.namespace ?? '';
  const bns = b.namespace || ns;
  const kind = b.kind ?? 'Service';
  const bref: Ref = { origin: 'source', kind, namespace: bns, name: b.name };
  const svc = ix.find(bref) as { spec?: { ports?: { port: number }[] } } | undefined;
  let why: string | undefined;
  if ((b.group ?? '') !== '' || kind !== 'Service') why = `unsupported kind ${b.group || 'core'}/${kind}`;
  else if (!svc) why = `Service ${bns}/${b.name} not found`;
  else if (b.port !== undefined && svc.spec?.ports && !svc.spec.ports.some((p) => p.port === b.port)) why = `port ${b.port} not on Service ${bns}/${b.name}`;
  else if (bns !== ns && !ix.grantExists(bns, { group: 'gateway.networking.k8s.io', kind: r.kind, namespace: ns }, kind, b.name)) why = `no ReferenceGrant in ${bns} allows ${r.kind} from ${ns}`;
  const bv: BackendView = { ref: bref, weight: b.weight ?? 1, resolved: !why };
  if (b.port !== undefined) bv.port = b.port;
  if (why) bv.why = why;
  return bv;
}

type MeshRule = MeshHTTPRoute['spec']['to'][number]['rules'][number];

/** The rules of the MeshHTTPRoutes and MeshTCPRoutes a route became, in words. */
function generatedRuleViews(generated: KubeObject[]): GeneratedRuleView[] {
  const views: GeneratedRuleView[] = [];
  for (const g of generated) {
    if (g.kind !== 'MeshHTTPRoute' && g.kind !== 'MeshTCPRoute') continue;
    const m = g as MeshHTTPRoute | MeshTCPRoute;
    for (const to of m.spec?.to ?? []) {
      views.push({
        ref: refOf(g, 'generated'),
        target: `${targetText(m.spec.targetRef)} → ${targetText(to.targetRef)}`,
        hostnames: (to as { hostnames?: string[] }).hostnames ?? [],
        rules: (to.rules ?? []).map((rule) => {
          const hr = rule as { matches?: MeshRule['matches']; default: { filters?: MeshRule['default']['filters']; backendRefs?: MeshBackendRef[] } };
          return {
            matches: g.kind === 'MeshHTTPRoute' ? (hr.matches?.length ? hr.matches : [undefined]).map(matchText) : [],
            filters: (hr.default?.filters ?? []).map(filterText),
            backends: (hr.default?.backendRefs ?? []).map(meshBackendText),
          };
        }),
      });
    }
  }
  return views;
}

export { key };
