// GRPCRoute: method matches as paths (table), the rules a GRPCRoute may not have, the HTTPRoute/
// GRPCRoute hostname rule on one listener (also incrementally), supportedKinds following the CRD,
// and names that never collide with an HTTPRoute's.
import type { KubeObject } from './api/meta';
import type { MeshHTTPRoute } from './api/kuma';
import { TranslationEngine } from './engine';
import { translate } from './index';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from './input';
import { methodPath } from './grpcroute-rules';
import { grpcParentScopedRouteName, grpcServiceScopedRouteName, parentScopedRouteName, serviceScopedRouteName } from './naming';
import { statusKeyOf } from './keys';
import type { GatewayStatusUpdate, RouteStatusUpdate, TranslationResult } from './result';

describe('methodPath: a GRPCMethodMatch as a path match on /<service>/<method>', () => {
  const okCases: [string, unknown, { type: string; value: string }][] = [
    ['absent: every request', undefined, { type: 'PathPrefix', value: '/' }],
    ['Exact service and method', { service: 'a.B', method: 'Get' }, { type: 'Exact', value: '/a.B/Get' }],
    ['Exact is the default type', { type: 'Exact', service: 'a.B', method: 'Get' }, { type: 'Exact', value: '/a.B/Get' }],
    ['Exact service only: a segment prefix', { service: 'grpc.health.v1.Health' }, { type: 'PathPrefix', value: '/grpc.health.v1.Health' }],
    ['Exact method only: any service', { method: 'Check' }, { type: 'RegularExpression', value: '/[^/]+/Check' }],
    ['Exact with an empty method string is service only', { service: 's', method: '' }, { type: 'PathPrefix', value: '/s' }],
    ['RegularExpression both', { type: 'RegularExpression', service: 'a\\..*', method: 'Get|Put' }, { type: 'RegularExpression', value: '/(?:a\\..*)/(?:Get|Put)' }],
    ['RegularExpression service only', { type: 'RegularExpression', service: 'x' }, { type: 'RegularExpression', value: '/(?:x)/[^/]+' }],
    ['RegularExpression method only', { type: 'RegularExpression', method: '(?i)get' }, { type: 'RegularExpression', value: '/[^/]+/(?:(?i)get)' }],
  ];
  it.each(okCases)('%s', (_n, raw, want) => {
    expect(methodPath(raw)).toEqual({ ok: true, value: want });
  });

  const badCases: [string, unknown, string, RegExp][] = [
    ['neither service nor method', { type: 'Exact' }, '.method', /one or both of service and method/],
    ['both empty strings', { service: '', method: '' }, '.method', /one or both/],
    ['Exact service with a slash', { service: 'a/b', method: 'M' }, '.method.service', /not a valid gRPC service name/],
    ['Exact method with a dot', { service: 's', method: 'a.b' }, '.method.method', /not a valid gRPC method name/],
    ['an invalid expression', { type: 'RegularExpression', method: '(a' }, '.method.method', /not a valid RE2/],
    ['a backreference', { type: 'RegularExpression', service: '(a)\\1' }, '.method.service', /backreferences/],
    ['an unknown type', { type: 'Prefix', service: 's' }, '.method.type', /unsupported method match type "Prefix"/],
    ['not an object', 'Get', '.method', /must be an object/],
    ['a service that is not a string', { service: 7 }, '.method.service', /must be a string, got 7/],
  ];
  it.each(badCases)('%s is refused', (_n, raw, field, message) => {
    const r = methodPath(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.message).toMatch(message);
    }
  });
});

// ---- whole translations -------------------------------------------------------------------

const GW = 'gateway.networking.k8s.io/v1';
const CLASS = { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName } };
const gateway = (listeners: object[]) => ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'app', generation: 1 }, spec: { gatewayClassName: 'kuma', listeners } });
const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: 'app' }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 9000 }] } };
const route = (kind: 'HTTPRoute' | 'GRPCRoute', name: string, created: string, spec: object = {}) => ({
  apiVersion: GW, kind, metadata: { name, namespace: 'app', generation: 1, creationTimestamp: created },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 9000 }] }], ...spec },
});
const HTTP = { name: 'http', port: 80, protocol: 'HTTP' };

function run(objs: object[], crds?: { name: string }[]): TranslationResult {
  const input = emptyInput();
  for (const o of objs) addToInput(input, o as KubeObject);
  if (crds) input.crds = crds;
  return translate(input);
}
const statusOf = (r: TranslationResult, kind: string, name: string) =>
  r.statuses.find((s) => s.target.kind === kind && s.target.name === name) as RouteStatusUpdate | undefined;
const accepted = (r: TranslationResult, kind: string, name: string) =>
  statusOf(r, kind, name)?.parents.map((p) => { const c = p.conditions.find((x) => x.type === 'Accepted')!; return `${c.status}/${c.reason}`; });
const routesOn = (r: TranslationResult, listener: string) =>
  r.objects.filter((o): o is MeshHTTPRoute => o.kind === 'MeshHTTPRoute' && (o as MeshHTTPRoute).spec.targetRef.tags?.['gateways.kuma.io/listener-name'] === listener)
    .map((o) => o.metadata.labels?.['meshgate.io/owner-kind']).sort();

describe('an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener', () => {
  it('the older is accepted, whichever kind it is', () => {
    const r = run([CLASS, gateway([HTTP]), SERVICE, route('HTTPRoute', 'web', '2026-01-02T00:00:00Z'), route('GRPCRoute', 'rpc', '2026-01-01T00:00:00Z')]);
    expect(accepted(r, 'GRPCRoute', 'rpc')).toEqual(['True/Accepted']);
    expect(accepted(r, 'HTTPRoute', 'web')).toEqual(['False/NotAllowedByListeners']);
    expect(routesOn(r, 'http')).toEqual(['GRPCRoute']);
    const gw = r.statuses.find((s) => s.target.kind === 'Gateway') as GatewayStatusUpdate;
    expect(gw.listeners[0].attachedRoutes).toBe(1);
  });

  it('on equal timestamps the first by namespace/name wins', () => {
    const r = run([CLASS, gateway([HTTP]), SERVICE, route('HTTPRoute', 'b', '2026-01-01T00:00:00Z'), route('GRPCRoute', 'a', '2026-01-01T00:00:00Z')]);
    expect(accepted(r, 'GRPCRoute', 'a')).toEqual(['True/Accepted']);
    expect(accepted(r, 'HTTPRoute', 'b')).toEqual(['False/NotAllowedByListeners']);
  });

  it('disjoint hostnames share the listener; a wildcard intersects the names it covers', () => {
    const disjoint = run([CLASS, gateway([HTTP]), SERVICE,
      route('HTTPRoute', 'web', '2026-01-01T00:00:00Z', { hostnames: ['www.example.com'] }),
      route('GRPCRoute', 'rpc', '2026-01-02T00:00:00Z', { hostnames: ['rpc.example.com'] })]);
    expect(accepted(disjoint, 'GRPCRoute', 'rpc')).toEqual(['True/Accepted']);
    expect(routesOn(disjoint, 'http')).toEqual(['GRPCRoute', 'HTTPRoute']);
    const wildcard = run([CLASS, gateway([HTTP]), SERVICE,
      route('HTTPRoute', 'web', '2026-01-01T00:00:00Z', { hostnames: ['*.example.com'] }),
      route('GRPCRoute', 'rpc', '2026-01-02T00:00:00Z', { hostnames: ['rpc.example.com'] })]);
    expect(accepted(wildcard, 'GRPCRoute', 'rpc')).toEqual(['False/NotAllowedByListeners']);
  });

  it('a parentRef spanning two listeners loses only the one in conflict and stays Accepted', () => {
    const r = run([CLASS, gateway([HTTP, { name: 'alt', port: 8080, protocol: 'HTTP' }]), SERVICE,
      route('HTTPRoute', 'web', '2026-01-01T00:00:00Z', { parentRefs: [{ name: 'gw', sectionName: 'http' }] }),
      route('GRPCRoute', 'rpc', '2026-01-02T00:00:00Z')]);
    expect(accepted(r, 'GRPCRoute', 'rpc')).toEqual(['True/Accepted']);
    expect(routesOn(r, 'http')).toEqual(['HTTPRoute']);
    expect(routesOn(r, 'alt')).toEqual(['GRPCRoute']);
  });

  it('incrementally: an older GRPCRoute displaces an HTTPRoute, and removing it restores the HTTPRoute, as a full translation says', () => {
    const base = [CLASS, gateway([HTTP]), SERVICE, route('HTTPRoute', 'web', '2026-01-02T00:00:00Z')];
    // Built by upserts (not fromInput, a one-shot translation): the route memos are recorded.
    const e = new TranslationEngine(emptyInput().options);
    e.upsert(base as KubeObject[]);
    e.upsert([{ ...base[3], metadata: { ...base[3].metadata } } as KubeObject]); // a memo exists now
    const key = statusKeyOf({ kind: 'HTTPRoute', namespace: 'app', name: 'web' });
    const webAccepted = () => (e.desiredStatus(key) as RouteStatusUpdate).parents[0].conditions.find((c) => c.type === 'Accepted')?.status;
    expect(webAccepted()).toBe('True');
    const grpc = route('GRPCRoute', 'rpc', '2026-01-01T00:00:00Z') as KubeObject;
    expect([...e.upsert([grpc]).statuses]).toEqual(expect.arrayContaining([key]));
    expect(webAccepted()).toBe('False');
    expect(e.result()).toEqual(run([...base, grpc]));
    e.remove([{ kind: 'GRPCRoute', namespace: 'app', name: 'rpc' }]);
    expect(webAccepted()).toBe('True');
    expect(e.result()).toEqual(run(base));
  });
});

describe('GRPCRoute support follows the CRD', () => {
  const kinds = (r: TranslationResult) => (r.statuses.find((s) => s.target.kind === 'Gateway') as GatewayStatusUpdate).listeners[0].supportedKinds.map((k) => k.kind);
  const crds = (...plural: string[]) => plural.map((p) => ({ name: `${p}.gateway.networking.k8s.io` }));

  it('HTTP listeners list GRPCRoute offline and when the CRD is installed, not when it is missing', () => {
    expect(kinds(run([CLASS, gateway([HTTP])]))).toEqual(['HTTPRoute', 'GRPCRoute']);
    expect(kinds(run([CLASS, gateway([HTTP])], crds('gateways', 'httproutes', 'grpcroutes')))).toEqual(['HTTPRoute', 'GRPCRoute']);
    expect(kinds(run([CLASS, gateway([HTTP])], crds('gateways', 'httproutes')))).toEqual(['HTTPRoute']);
  });

  it('installing the CRD re-translates the Gateways', () => {
    const input = emptyInput();
    for (const o of [CLASS, gateway([HTTP])]) addToInput(input, o as KubeObject);
    input.crds = crds('gateways', 'httproutes');
    const e = TranslationEngine.fromInput(input);
    const d = e.setCRDs(crds('gateways', 'httproutes', 'grpcroutes'));
    expect([...d.statuses]).toContain('Gateway|app|gw');
    expect(kinds(e.result())).toEqual(['HTTPRoute', 'GRPCRoute']);
  });
});

describe('GRPCRoute rules', () => {
  it('filters GRPCRoute does not define drop their rule; a route with no rule left is not accepted', () => {
    const r = run([CLASS, gateway([HTTP]), SERVICE, route('GRPCRoute', 'rpc', '2026-01-01T00:00:00Z', {
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 301 } }], backendRefs: [{ name: 'echo', port: 9000 }] }],
    })]);
    const p = statusOf(r, 'GRPCRoute', 'rpc')!.parents[0];
    expect(p.conditions.find((c) => c.type === 'Accepted')).toEqual(expect.objectContaining({ status: 'False', reason: 'UnsupportedValue', message: expect.stringContaining('filter type "RequestRedirect" is not defined for GRPCRoute') }));
    expect(routesOn(r, 'http')).toEqual([]);
  });
});

describe('GRPCRoute names', () => {
  const parent = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'app', name: 'gw', sectionName: 'http' };
  it('never equal the HTTPRoute name for the same route and parent, and stay valid and bounded', () => {
    expect(grpcParentScopedRouteName('app', 'echo', parent)).not.toBe(parentScopedRouteName('app', 'echo', parent));
    expect(grpcServiceScopedRouteName('app', 'echo', 'app', 'echo')).not.toBe(serviceScopedRouteName('app', 'echo', 'app', 'echo'));
    const long = grpcParentScopedRouteName('n'.repeat(63), 'r'.repeat(253), parent);
    expect(long.length).toBeLessThanOrEqual(253);
    expect(long).toMatch(/\.grpc-[0-9a-f]{8}$/);
    expect(grpcParentScopedRouteName('app', 'a', parent)).not.toBe(grpcParentScopedRouteName('app', 'a', { ...parent, sectionName: 'https' }));
  });
});
