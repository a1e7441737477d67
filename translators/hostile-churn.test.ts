// Hostile and broken input, continued from hostile.test.ts: field values of the wrong type, and
// references and churn through the incremental engine. Nothing may throw.
import type { KubeObject } from './api/meta';
import { translate, TranslationEngine } from './index';
import type { TranslationOptions } from './input';
import { emptyInput } from './input';
import type { TranslationResult } from './result';
import { tlsSecret } from './testdata/certs';
import type { Any } from './testing/hostile-fixtures';
import { BASE, GW, OURS, UNRESOLVED, bundle, cond, gateway, gatewayClass, grant, gwStatus, http, httpRoute, https, listenerCond, of, parentCond, routeStatus, routeWith, run, service } from './testing/hostile-fixtures';

describe('garbage field types never throw', () => {
  const gw = (spec: unknown, meta: object = {}): KubeObject => ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', ...meta }, spec } as KubeObject);
  it.each<[string, KubeObject[], (r: TranslationResult) => void]>([
    ['Gateway without spec: not ours (no class), no status, no objects', [gatewayClass(), gw(undefined)], (r) => { expect(gwStatus(r, 'app', 'edge')).toBeUndefined(); expect(r.objects).toEqual([]); }],
    ['Gateway spec null', [gatewayClass(), gw(null)], (r) => { expect(gwStatus(r, 'app', 'edge')).toBeUndefined(); expect(r.objects).toEqual([]); }],
    ['listeners null', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: null })], (r) => expect(gwStatus(r, 'app', 'edge')?.conditions[0]).toEqual(cond('Accepted', 'False', 'ListenersNotValid', 'the Gateway has no listeners'))],
    ['listeners is a number', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: 5 })], (r) => expect(gwStatus(r, 'app', 'edge')?.conditions[0]).toEqual(cond('Accepted', 'False', 'ListenersNotValid', 'the Gateway has no listeners'))],
    ['listeners [null, "x", 3] (non-objects dropped)', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: [null, 'x', 3, http()] })], (r) => expect(gwStatus(r, 'app', 'edge')?.listeners.map((l) => l.name)).toEqual(['http'])],
    ['gatewayClassName is a number', [gatewayClass(), gw({ gatewayClassName: 5, listeners: [http()] })], (r) => expect(r.statuses.map((s) => s.target.kind)).toEqual(['GatewayClass'])],
    ['metadata.name is a number', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: [http()] }, { name: 5 })], (r) => { expect(r.statuses.map((s) => s.target.kind)).toEqual(['GatewayClass']); expect(r.objects).toEqual([]); }],
    ['metadata.namespace is a number', [gatewayClass(), gw({ gatewayClassName: 'kuma', listeners: [http()] }, { namespace: 5 })], (r) => expect(r.objects).toEqual([])],
    ['metadata missing', [gatewayClass(), { apiVersion: GW, kind: 'Gateway', spec: { gatewayClassName: 'kuma', listeners: [http()] } } as unknown as KubeObject], (r) => expect(r.objects).toEqual([])],
    ['GatewayClass spec null', [{ ...gatewayClass(), spec: null } as unknown as KubeObject, gateway('app', 'edge', [http()])], (r) => { expect(r.statuses).toEqual([]); expect(r.objects).toEqual([]); }],
    ['route without spec', [...BASE(), { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app' } } as KubeObject], (r) => { expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined(); expect(of(r, 'MeshHTTPRoute')).toEqual([]); }],
    ['parentRefs is a string', [...BASE(), httpRoute('app', 'r', { parentRefs: 'edge', rules: [] })], (r) => expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined()],
    ['parentRef name is a number', [...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 5 }], rules: [] })], (r) => expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined()],
    ['rules null: the CRD default (one rule, PathPrefix /, no backends)', [...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules: null })], (r) => {
      expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True');
      expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], default: { backendRefs: [UNRESOLVED] } }]);
    }],
    ['rules [null, 5]: each becomes the default rule; the second one\'s match is already claimed', [...BASE(), httpRoute('app', 'r', { parentRefs: [{ name: 'edge' }], rules: [null, 5] })], (r) => {
      expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True');
      expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules).toHaveLength(1);
    }],
    ['backendRefs is a string', [...BASE(), routeWith({ backendRefs: 'web' })], (r) => expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules[0].default).toEqual({ backendRefs: [UNRESOLVED] })],
    ['Service spec null', [gatewayClass(), gateway('app', 'edge', [http()]), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'app' }, spec: null } as unknown as KubeObject, routeWith({})],
      (r) => expect(parentCond(r, 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'BackendNotFound', 'Service "app/web" does not expose port 80'))],
    ['ReferenceGrant spec null permits nothing', [...BASE(), service('data', 'db'), { ...grant('data', 'g', 'HTTPRoute', 'app', 'Service'), spec: null } as unknown as KubeObject, routeWith({ backendRefs: [{ name: 'db', namespace: 'data', port: 80 }] })],
      (r) => expect(parentCond(r, 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'not permitted by any ReferenceGrant'))],
    ['Namespace labels is a number', [...BASE(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', labels: 5 } } as unknown as KubeObject, routeWith({})], (r) => expect(parentCond(r, 'app', 'r', 'Accepted')?.status).toBe('True')],
    ['certificateRefs is a string', [gatewayClass(), gateway('app', 'edge', [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: 'cert' } }])],
      (r) => expect(listenerCond(r, 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'InvalidCertificateRef', 'HTTPS listener has no certificateRefs'))],
    ['Secret data is a string', [gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert')]), { ...tlsSecret('app', 'cert'), data: 'x' } as unknown as KubeObject],
      (r) => expect(listenerCond(r, 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'InvalidCertificateRef', 'tls.crt is missing or empty'))],
  ])('%s', (_label, objs, check) => {
    check(run(objs));
  });
});

// ---- A. references, other controllers, churn (incremental engine) ------------------------------

const comparable = (r: TranslationResult) => JSON.parse(JSON.stringify(r)) as TranslationResult;
function engineOf(objs: KubeObject[], options: Partial<TranslationOptions> = {}): TranslationEngine {
  return TranslationEngine.fromInput(bundle(objs, options));
}

describe('references and churn', () => {
  it.each<[string, () => void]>([
    ['cross-namespace backend: a grant makes it resolve, deleting the grant makes it RefNotPermitted again', () => {
      const objs = [...BASE(), service('data', 'db'), routeWith({ backendRefs: [{ name: 'db', namespace: 'data', port: 80 }] })];
      const e = engineOf(objs);
      expect(parentCond(e.result(), 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'reference to Service "data/db" not permitted by any ReferenceGrant'));
      e.upsert([grant('data', 'allow', 'HTTPRoute', 'app', 'Service')]);
      expect(parentCond(e.result(), 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved'));
      expect(of(e.result(), 'MeshHTTPRoute')[0].spec.to[0].rules[0].default.backendRefs).toEqual([{ kind: 'MeshService', name: 'db_data_svc_80', weight: 1 }]);
      e.remove([{ kind: 'ReferenceGrant', namespace: 'data', name: 'allow' }]);
      expect(parentCond(e.result(), 'app', 'r', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'reference to Service "data/db" not permitted by any ReferenceGrant'));
      expect(of(e.result(), 'MeshHTTPRoute')[0].spec.to[0].rules[0].default.backendRefs).toEqual([{ kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 }]);
      expect(comparable(e.result())).toEqual(comparable(translate(bundle(objs))));
    }],
    ['cross-namespace certificate: the grant deleted → listener RefNotPermitted, the Secret copy removed', () => {
      const objs = [gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert', { certNamespace: 'certs' })]), tlsSecret('certs', 'cert')];
      const e = engineOf([...objs, grant('certs', 'allow', 'Gateway', 'app', 'Secret')]);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'ResolvedRefs')?.status).toBe('True');
      expect(of(e.result(), 'Secret').map((s) => s.metadata.name)).toEqual(['gapi-certs-cert']);
      e.remove([{ kind: 'ReferenceGrant', namespace: 'certs', name: 'allow' }]);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'RefNotPermitted', 'reference to Secret "certs/cert" not permitted by any ReferenceGrant'));
      expect(of(e.result(), 'Secret')).toEqual([]);
      expect(comparable(e.result())).toEqual(comparable(translate(bundle(objs))));
    }],
    ['parentRefs to another controller\'s Gateway: no status entry, no objects', () => {
      const r = run([gatewayClass(), gatewayClass('theirs', 'example.com/other'), gateway('app', 'foreign', [http()], { className: 'theirs' }), service('app', 'web'),
        httpRoute('app', 'r', { parentRefs: [{ name: 'foreign' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] })]);
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')).toBeUndefined();
      expect(gwStatus(r, 'app', 'foreign')).toBeUndefined();
      expect(r.objects).toEqual([]);
    }],
    ['a route to ours and to another controller\'s Gateway: only our parent entry', () => {
      const r = run([...BASE(), gatewayClass('theirs', 'example.com/other'), gateway('app', 'foreign', [http()], { className: 'theirs' }),
        httpRoute('app', 'r', { parentRefs: [{ name: 'foreign' }, { name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] })]);
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.parents.map((p) => [p.parentRef.name, p.controllerName])).toEqual([['edge', OURS]]);
      expect(of(r, 'MeshGateway').map((m) => m.metadata.name)).toEqual(['edge.app']);
    }],
    ['a route flapping between two Gateways 20 times: final state equals a full translation, no stale parent', () => {
      const gws = [gateway('app', 'g1', [http()]), gateway('app', 'g2', [http()])];
      const to = (parent: string, generation: number) => httpRoute('app', 'r', { parentRefs: [{ name: parent }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }, { generation });
      const e = engineOf([gatewayClass(), ...gws, service('app', 'web'), to('g1', 1)]);
      for (let i = 2; i <= 21; i++) e.upsert([to(i % 2 ? 'g1' : 'g2', i)]);
      const final = to('g1', 21);
      const r = e.result();
      expect(comparable(r)).toEqual(comparable(translate(bundle([gatewayClass(), ...gws, service('app', 'web'), final]))));
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.parents.map((p) => p.parentRef.name)).toEqual(['g1']);
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.generation).toBe(21);
      expect(gwStatus(r, 'app', 'g1')?.listeners[0].attachedRoutes).toBe(1);
      expect(gwStatus(r, 'app', 'g2')?.listeners[0].attachedRoutes).toBe(0);
      expect(of(r, 'MeshHTTPRoute').map((m) => m.spec.targetRef.name)).toEqual(['g1.app']);
    }],
    ['a route flapping between parents while its status still lists the old one: the stale entry is not re-emitted', () => {
      const stale = { parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'g2' }, controllerName: OURS, conditions: [] }] };
      const e = engineOf([gatewayClass(), gateway('app', 'g1', [http()]), gateway('app', 'g2', [http()]), service('app', 'web')]);
      e.upsert([{ ...httpRoute('app', 'r', { parentRefs: [{ name: 'g1' }], rules: [] }, { generation: 3 }), status: stale } as KubeObject]);
      expect(routeStatus(e.result(), 'HTTPRoute', 'app', 'r')?.parents.map((p) => p.parentRef.name)).toEqual(['g1']);
    }],
    ['a Gateway deleted and recreated with the same name and a new uid: status and owner references carry the new uid', () => {
      const e = engineOf([...BASE()]);
      expect(of(e.result(), 'Deployment')[0].metadata.ownerReferences[0].uid).toBe('uid-gw-edge');
      e.remove([{ kind: 'Gateway', namespace: 'app', name: 'edge' }]);
      expect(e.result().objects).toEqual([]);
      expect(gwStatus(e.result(), 'app', 'edge')).toBeUndefined();
      e.upsert([gateway('app', 'edge', [http('other', 8080)], { uid: 'uid-new' })]);
      const r = e.result();
      expect(gwStatus(r, 'app', 'edge')?.target.uid).toBe('uid-new');
      expect(gwStatus(r, 'app', 'edge')?.listeners.map((l) => l.name)).toEqual(['other']);
      for (const o of [...of(r, 'Deployment'), ...of(r, 'Service')]) expect(o.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Gateway', name: 'edge', uid: 'uid-new' })]);
      expect(of(r, 'MeshGateway')[0].spec.conf.listeners.map((l: Any) => l.port)).toEqual([8080]);
    }],
    ['recreated with a new uid but the same generation and no delete event seen (a relist): not taken for a status-only update', () => {
      const e = engineOf([...BASE(), routeWith({})]);
      e.upsert([{ ...routeWith({ matches: [{ path: { type: 'Exact', value: '/new' } }] }), metadata: { name: 'r', namespace: 'app', uid: 'uid-r-2', generation: 1 } } as KubeObject]);
      const r = e.result();
      expect(routeStatus(r, 'HTTPRoute', 'app', 'r')?.target.uid).toBe('uid-r-2');
      expect(of(r, 'MeshHTTPRoute')[0].spec.to[0].rules[0].matches).toEqual([{ path: { type: 'Exact', value: '/new' } }]);
    }],
    ['a TLS Secret replaced by an Opaque one of the same name: the listener stops being programmed, the copy is removed', () => {
      const e = engineOf([gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert')]), tlsSecret('app', 'cert')]);
      expect(of(e.result(), 'Secret')).toHaveLength(1);
      e.upsert([{ ...tlsSecret('app', 'cert'), type: 'Opaque', metadata: { name: 'cert', namespace: 'app', uid: 'uid-2' } } as KubeObject]);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'ResolvedRefs')).toEqual(cond('ResolvedRefs', 'False', 'InvalidCertificateRef', 'has type "Opaque"'));
      expect(of(e.result(), 'Secret')).toEqual([]);
      expect(of(e.result(), 'MeshGateway')).toEqual([]);
    }],
    ['the clock passes a certificate\'s expiry (engine.setNow): CertificateExpired, only HTTPS Gateways re-translated', () => {
      const e = engineOf([gatewayClass(), gateway('app', 'edge', [https('https', 443, 'cert')]), gateway('app', 'plain', [http()]), tlsSecret('app', 'cert', 'expired')], { now: '2000-06-01T00:00:00.000Z' });
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'meshgate.io/CertificateValid')).toEqual(cond('meshgate.io/CertificateValid', 'True', 'CertificateValid', 'certificate valid until 2001-01-01T00:00:00.000Z'));
      expect(e.setNow('2000-06-01T00:00:00.000Z')).toEqual({ objects: new Set(), statuses: new Set() });
      const delta = e.setNow('2001-01-01T01:00:00.000Z');
      expect([...delta.statuses]).toEqual(['Gateway|app|edge']);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'meshgate.io/CertificateValid')).toEqual(cond('meshgate.io/CertificateValid', 'False', 'CertificateExpired', 'certificate in Secret "app/cert" expired at 2001-01-01T00:00:00.000Z'));
      e.setNow(undefined);
      expect(listenerCond(e.result(), 'app', 'edge', 'https', 'meshgate.io/CertificateValid')?.status).toBe('True');
    }],
  ])('%s', (_label, body) => body());
});


describe('a translator bug never crashes the engine or leaves half-computed state', () => {
  const translatedGateway = () => {
    const input = emptyInput();
    input.gatewayClasses.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'c', generation: 1 }, spec: { controllerName: input.options.controllerName } });
    const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' as const, metadata: { name: 'g', namespace: 'n', generation: 1 }, spec: { gatewayClassName: 'c', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
    input.gateways.push(gw);
    const engine = TranslationEngine.fromInput(input);
    return { gw, engine, before: engine.result() };
  };

  it('keeps the failing unit\'s previous output and reports it', () => {
    const { gw, engine, before } = translatedGateway();
    expect(before.objects.some((o) => o.kind === 'MeshGateway')).toBe(true);
    // A listener list whose iteration throws stands in for any translator bug.
    const poisoned = { ...gw, metadata: { ...gw.metadata, generation: 2 }, spec: { ...gw.spec, get listeners(): never { throw new Error('boom'); } } };
    expect(() => engine.upsert([poisoned as never])).not.toThrow();
    const after = engine.result();
    expect(after.objects).toEqual(before.objects);
    expect(after.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining('internal error while translating (previous output kept)'));
  });

  it('also when the failure is inside a Gateway unit (after defaulting)', () => {
    const { gw, engine, before } = translatedGateway();
    // Defaulting copies spec.infrastructure by reference, so this getter first runs in the unit.
    const poisoned = { ...gw, metadata: { ...gw.metadata, generation: 2 }, spec: { ...gw.spec, infrastructure: { get parametersRef(): never { throw new Error('boom in unit'); } } } };
    expect(() => engine.upsert([poisoned as never])).not.toThrow();
    const after = engine.result();
    expect(after.objects).toEqual(before.objects);
    expect(after.statuses).toEqual(before.statuses);
    expect(after.diagnostics).toContainEqual(expect.objectContaining({ object: { kind: 'Gateway', namespace: 'n', name: 'g' }, message: expect.stringContaining('boom in unit') }));
    engine.upsert([{ ...gw, metadata: { ...gw.metadata, generation: 3 } }]);
    expect(engine.result().diagnostics.filter((d) => d.message.includes('internal error'))).toEqual([]);
  });
});
