// The GUI's views over the real translator's output: generated objects are found by their owner
// labels, problems carry hints, the graph marks failing edges.
import path from 'node:path';
import { translate } from '../../translators';
import { loadManifests } from '../load';
import { buildGraph } from './graph';
import { indexOf } from './model';
import { redactSnapshot } from './redact';
import { fixtureInput } from './testdata/fixture';
import { list, objectView, overview } from './views';
import { hrefOf } from './view';

const input = fixtureInput();
const ix = indexOf(redactSnapshot({ input, result: translate(input), mode: 'offline', version: 1 }));
const src = (kind: string, namespace: string | undefined, name: string) => ({ origin: 'source' as const, kind, name, ...(namespace ? { namespace } : {}) });

describe('GUI views over translate()', () => {
  test('Gateway page finds MeshGateway, Deployment, Service and Secret copies by owner labels', () => {
    const v = objectView(ix, src('Gateway', 'infra', 'web'))!;
    expect(v.generated.map((g) => g.ref.kind)).toEqual(expect.arrayContaining(['MeshGateway', 'Deployment', 'Service']));
    const https = v.gateway!.listeners.find((l) => l.name === 'https')!;
    expect(https.certificates[0]!.resolved).toBe(true);
    expect(https.certificates[0]!.copies.map((c) => c.name)).toEqual(['gapi-infra-web-cert']);
    const partner = v.gateway!.listeners.find((l) => l.name === 'https-partner')!;
    expect(partner.certificates[0]!.resolved).toBe(false);
    expect(v.gateway!.listeners.find((l) => l.name === 'http')!.routes.map((r) => r.ref.name)).toContain('api');
    expect(v.gateway!.detached.map((r) => [r.ref.name, r.reason])).toContainEqual(['blog', 'NoMatchingListenerHostname']);
  });

  test('route page pairs rules with the generated MeshHTTPRoute / MeshTCPRoute', () => {
    const shop = objectView(ix, src('HTTPRoute', 'apps', 'shop'))!;
    expect(shop.generated.length).toBeGreaterThan(0);
    expect(new Set(shop.generated.map((g) => g.ref.kind))).toEqual(new Set(['MeshHTTPRoute']));
    expect(shop.route!.generatedRules[0]!.rules[0]!.matches).toEqual(['PathPrefix /']);
    expect(shop.route!.rules[0]!.backends[0]).toMatchObject({ resolved: true });
    const db = objectView(ix, src('TLSRoute', 'apps', 'db'))!;
    expect(new Set(db.generated.map((g) => g.ref.kind))).toEqual(new Set(['MeshTCPRoute']));
    const api = objectView(ix, src('HTTPRoute', 'apps', 'api'))!;
    expect(api.route!.rules[0]!.backends[0]).toMatchObject({ resolved: false });
    expect(api.route!.parents[0]!.problems[0]!.reason).toBe('BackendNotFound');
  });

  test('generated objects link back to their owner', () => {
    const rows = list(ix, 'generated').rows;
    const copy = rows.find((r) => r.ref.kind === 'Secret')!;
    const v = objectView(ix, copy.ref)!;
    expect(v.owners).toEqual([src('Secret', 'infra', 'web-cert')]);
    expect(v.object).not.toHaveProperty('data');
  });

  test('overview problems cover the fixture failures, each with a specific hint', () => {
    const ov = overview(ix);
    const reasons = new Set(ov.problems.map((p) => p.reason));
    for (const r of ['InvalidParameters', 'RefNotPermitted', 'BackendNotFound', 'NoMatchingListenerHostname', 'NotAllowedByListeners']) {
      expect(reasons).toContain(r);
    }
    // Every problem has its catalogue entry's hint, never the fallback that repeats the message.
    for (const p of ov.problems) expect({ reason: p.reason, hint: p.hint }).not.toMatchObject({ hint: expect.stringMatching(/^See the message/) });
    const grant = ov.problems.find((p) => p.reason === 'RefNotPermitted')!;
    expect(grant.hint).toContain('namespace "team-b"');
    expect(grant.hint).toContain('kind: Gateway, namespace: infra');
    expect(ov.problems.find((p) => p.reason === 'NoMatchingListenerHostname')!.hint).toContain('"blog.other.org"');
  });

  test('Gateway page: Programmed=False/Pending until the proxy runs, with a hint naming what is missing', () => {
    const offline = objectView(ix, src('Gateway', 'infra', 'web'))!;
    const pending = offline.problems.find((p) => p.type === 'Programmed' && !p.where)!;
    expect(pending).toMatchObject({ reason: 'Pending', message: expect.stringContaining('Deployment infra/web does not exist yet') });
    expect(pending.hint).toContain('nothing runs, so this is expected offline');
    // The same bundle with the proxy Deployment ready but its Service still without a cluster IP.
    const live = fixtureInput();
    live.deployments = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'infra', labels: { 'app.kubernetes.io/managed-by': 'meshgate' } }, spec: { replicas: 2 }, status: { availableReplicas: 0, readyReplicas: 0 } }];
    const lix = indexOf(redactSnapshot({ input: live, result: translate(live), mode: 'cluster', version: 2 }));
    const waiting = objectView(lix, src('Gateway', 'infra', 'web'))!.problems.find((p) => p.type === 'Programmed' && !p.where)!;
    expect(waiting.message).toContain('Deployment infra/web has no available replica (0 of 2 ready)');
    expect(waiting.hint).toContain('kubectl -n infra get pods -l app=web');
  });

  test('graph: nodes are links, failing edges carry a label', () => {
    const g = buildGraph(ix, {});
    expect(g.nodes.filter((n) => !n.missing).every((n) => n.href?.startsWith('#/'))).toBe(true);
    const bad = g.edges.filter((e) => e.failing);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((e) => !!e.label)).toBe(true);
    const scoped = buildGraph(ix, { gateway: 'apps/internal' });
    expect(scoped.nodes.some((n) => n.label === 'infra/web')).toBe(false);
  });

  test('TCPRoute and UDPRoute pages: the MeshTCPRoute it became; the UDPRoute told why, with a hint', () => {
    const inp = fixtureInput();
    const GWV = 'gateway.networking.k8s.io/v1';
    inp.gateways.push({ apiVersion: GWV, kind: 'Gateway', metadata: { name: 'l4', namespace: 'apps', generation: 1 }, spec: { gatewayClassName: inp.gateways[0]!.spec.gatewayClassName, listeners: [{ name: 'pg', port: 5432, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] } });
    inp.services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'pg', namespace: 'apps' }, spec: { ports: [{ port: 5432 }] } });
    inp.tcpRoutes = [{ apiVersion: GWV, kind: 'TCPRoute', metadata: { name: 'pg', namespace: 'apps', generation: 1 }, spec: { parentRefs: [{ name: 'l4' }], rules: [{ backendRefs: [{ name: 'pg', port: 5432 }] }] } }];
    inp.udpRoutes = [{ apiVersion: GWV, kind: 'UDPRoute', metadata: { name: 'dns', namespace: 'apps', generation: 1 }, spec: { parentRefs: [{ name: 'l4' }], rules: [{ backendRefs: [{ name: 'pg', port: 5432 }] }] } }];
    const lix = indexOf(redactSnapshot({ input: inp, result: translate(inp), mode: 'offline', version: 3 }));
    const pg = objectView(lix, src('TCPRoute', 'apps', 'pg'))!;
    expect(pg.generated.map((g) => g.ref.kind)).toEqual(['MeshTCPRoute']);
    expect(pg.route!.parents[0]!.problems).toEqual([]);
    const dns = objectView(lix, src('UDPRoute', 'apps', 'dns'))!;
    expect(dns.generated).toEqual([]);
    expect(dns.route!.parents[0]!.problems[0]).toMatchObject({ reason: 'NotAllowedByListeners', message: expect.stringContaining('UDPRoute is not implemented') });
    expect(dns.route!.parents[0]!.problems[0]!.hint).toContain('meshgate does not serve UDPRoute');
    const row = overview(lix).counts.find((c) => c.mesh === 'default')!;
    expect([row.tcpRoutes, row.udpRoutes]).toEqual([1, 1]);
    expect(list(lix, 'routes').rows.map((r) => hrefOf(r.ref))).toEqual(expect.arrayContaining(['#/tcproute/apps/pg', '#/udproute/apps/dns']));
  });
});

describe('GRPCRoutes in the GUI', () => {
  const GW = 'gateway.networking.k8s.io/v1';
  const withGrpc = fixtureInput();
  const gw = withGrpc.gateways[1]!; // its listener has no HTTPRoute: no HTTPRoute/GRPCRoute hostname conflict
  withGrpc.grpcRoutes = [{
    apiVersion: GW, kind: 'GRPCRoute', metadata: { name: 'echo', namespace: gw.metadata.namespace, generation: 1 },
    spec: {
      parentRefs: [{ name: gw.metadata.name, sectionName: 'http' }],
      rules: [{ matches: [{ method: { service: 'grpc.examples.echo.Echo', method: 'UnaryEcho' }, headers: [{ name: 'x-tenant', value: 'blue' }] }, { method: { type: 'RegularExpression', method: 'Get.*' } }], backendRefs: [{ name: 'no-such-service', port: 9000 }] }],
    },
  }];
  const gix = indexOf(redactSnapshot({ input: withGrpc, result: translate(withGrpc), mode: 'offline', version: 1 }));

  test('the route page shows method matches as written and the path matches they became', () => {
    const v = objectView(gix, src('GRPCRoute', gw.metadata.namespace, 'echo'))!;
    expect(v.route!.rules[0]!.matches).toEqual(['grpc.examples.echo.Echo/UnaryEcho, header x-tenant=blue', '*/~Get.*']);
    expect(v.route!.rules[0]!.backends[0]!.resolved).toBe(false);
    expect(v.route!.generatedRules.flatMap((g) => g.rules.flatMap((r) => r.matches))).toEqual(['Exact /grpc.examples.echo.Echo/UnaryEcho, header x-tenant=blue', 'RegularExpression /[^/]+/(?:Get.*)']);
    expect(v.generated.map((g) => g.ref.kind)).toEqual(['MeshHTTPRoute']);
  });

  test('the overview counts them and the routes list shows them', () => {
    expect(overview(gix).counts.reduce((n, c) => n + c.grpcRoutes, 0)).toBe(1);
    expect(list(gix, 'routes').rows.map((r) => r.ref.kind)).toContain('GRPCRoute');
  });
});

describe('graph over examples/listenerset', () => {
  const loaded = loadManifests(['gateway.yaml', 'team-a.yaml'].map((f) => path.join(__dirname, '../../examples/listenerset', f)), {}, { admission: true });
  const lix = indexOf(redactSnapshot({ input: loaded.input, result: translate(loaded.input), mode: 'offline', version: 1 }));
  const edgesTo = (g: ReturnType<typeof buildGraph>, id: string) => g.edges.filter((e) => e.to === id);

  test.each([['whole graph', {}], ['scoped to the Gateway', { gateway: 'edge/shared' }]])('%s: a route on a ListenerSet hangs off the ListenerSet\'s listener, not loose', (_, f) => {
    const g = buildGraph(lix, f);
    const route = g.nodes.find((n) => n.kind === 'HTTPRoute' && n.label === 'team-a/shop')!;
    expect(route).toBeDefined();
    expect(edgesTo(g, route.id)).toEqual([{ from: 'listener:team-a/team-a/https', to: route.id, failing: false }]);
    expect(g.edges).toContainEqual({ from: 'source:ListenerSet:team-a/team-a', to: 'listener:team-a/team-a/https', failing: false });
  });

  test('the route page links its ListenerSet parent, with the status written for it', () => {
    const v = objectView(lix, src('HTTPRoute', 'team-a', 'shop'))!;
    expect(v.route!.parents).toEqual([expect.objectContaining({ parentRef: 'ListenerSet team-a/team-a/https', parent: src('ListenerSet', 'team-a', 'team-a') })]);
    expect(v.route!.parents[0]!.conditions.find((c) => c.type === 'Accepted')?.status).toBe('True');
  });

  test('a route naming a ListenerSet that does not exist gets a failing edge from a missing node', () => {
    const inp = structuredClone(loaded.input);
    inp.httpRoutes[0]!.spec.parentRefs = [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'nobody' }];
    const g = buildGraph(indexOf(redactSnapshot({ input: inp, result: translate(inp), mode: 'offline', version: 2 })), {});
    const missing = g.nodes.find((n) => n.id === 'source:ListenerSet:team-a/nobody')!;
    expect(missing.missing).toBe(true);
    expect(g.edges.find((e) => e.from === missing.id)).toMatchObject({ failing: true });
  });
});
