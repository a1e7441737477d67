// TCP listeners + TCPRoute, TLS Terminate listeners + TLSRoute, UDPRoute status (issue #11):
// table tests over the translation, and the engine's incremental path for the new kinds.
import type { KubeObject } from './api/meta';
import type { Listener } from './api/gateway-api';
import { TranslationEngine } from './engine';
import { translate } from './index';
import { addToInput, DEFAULT_OPTIONS, defaultListener, emptyInput } from './input';
import { validateListeners, type ListenerContext } from './listener';
import type { GatewayStatusUpdate, RouteStatusUpdate, TranslationResult } from './result';
import { pem } from './testdata/certs';
import { ownerLabelValue } from './naming';
import { admissionReport } from './testing/kuma-admission';

const GW = 'gateway.networking.k8s.io/v1';
const obj = (o: Record<string, unknown>) => o as unknown as KubeObject;
const cls = obj({ apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName } });
const gateway = (listeners: object[], name = 'gw') => obj({ apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: 'app', generation: 1 }, spec: { gatewayClassName: 'kuma', listeners } });
const svc = (name: string, port: number, ns = 'app') => obj({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: [{ port }] } });
const route = (kind: string, name: string, parentRefs: object[], backendRefs: object[], extra: Record<string, unknown> = {}) =>
  obj({ apiVersion: GW, kind, metadata: { name, namespace: 'app', generation: extra.generation ?? 1, creationTimestamp: extra.created ?? '2024-01-01T00:00:00Z' }, spec: { parentRefs, ...(extra.hostnames ? { hostnames: extra.hostnames } : {}), rules: [{ backendRefs }] } });
const secret = obj({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'app' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': pem('valid.crt'), 'tls.key': pem('valid.key') } });
const tcp = (name = 'tcp', port = 5432, extra: object = {}) => ({ name, port, protocol: 'TCP', ...extra });
const terminate = (name = 'tls', port = 443, extra: object = {}) => ({ name, port, protocol: 'TLS', hostname: '*.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] }, ...extra });
const passthrough = (name = 'pass', port = 8443, extra: object = {}) => ({ name, port, protocol: 'TLS', tls: { mode: 'Passthrough' }, ...extra });

function run(objs: KubeObject[]): TranslationResult {
  const input = emptyInput();
  for (const o of objs) addToInput(input, o);
  return translate(input);
}
const gwStatus = (r: TranslationResult, name = 'gw') => r.statuses.find((s) => s.target.kind === 'Gateway' && s.target.name === name) as GatewayStatusUpdate;
const routeStatus = (r: TranslationResult, kind: string, name: string) => r.statuses.find((s) => s.target.kind === kind && s.target.name === name) as RouteStatusUpdate | undefined;
const cond = (conds: { type: string; status: string; reason: string; message: string }[] | undefined, type: string) => conds?.find((c) => c.type === type);
const listener = (r: TranslationResult, name: string, gw = 'gw') => gwStatus(r, gw).listeners.find((l) => l.name === name)!;
const mgwListeners = (r: TranslationResult) => (r.objects.find((o) => o.kind === 'MeshGateway') as unknown as { spec: { conf: { listeners: { port: number; protocol: string; hostname: string; tls?: unknown; tags: Record<string, string> }[] } } } | undefined)?.spec.conf.listeners ?? [];
const tcpRoutes = (r: TranslationResult) => r.objects.filter((o) => o.kind === 'MeshTCPRoute') as unknown as { metadata: { name: string; labels: Record<string, string> }; spec: { targetRef: { tags: Record<string, string> }; to: { rules: { default: { backendRefs: { name: string; weight: number }[] } }[] }[] } }[];

describe('listener validation: TCP and TLS modes', () => {
  const ctx: ListenerContext = { gatewayNamespace: 'app', crossMesh: false, frontendValidation: false, certs: { findSecret: () => undefined, isPermitted: () => false } };
  const check = (ls: object[]) => validateListeners(ls.map((l) => defaultListener(l as Listener)), ctx);
  it.each<[string, object[], { accepted: boolean; reason?: string; kinds: string[] }[]]>([
    ['TCP listener', [tcp()], [{ accepted: true, kinds: ['TCPRoute'] }]],
    ['TCP with tls', [tcp('t', 1, { tls: { mode: 'Passthrough' } })], [{ accepted: false, reason: 'UnsupportedValue', kinds: ['TCPRoute'] }]],
    ['two TCP on one port', [tcp('a'), tcp('b', 5432, { hostname: 'b.example.com' })], [{ accepted: false, reason: 'HostnameConflict', kinds: ['TCPRoute'] }, { accepted: false, reason: 'HostnameConflict', kinds: ['TCPRoute'] }]],
    ['TLS Terminate (certificate missing: accepted, refs unresolved)', [terminate()], [{ accepted: true, kinds: ['TLSRoute'] }]],
    ['TLS unknown mode', [{ name: 'x', port: 1, protocol: 'TLS', tls: { mode: 'Reencrypt' } }], [{ accepted: false, reason: 'UnsupportedValue', kinds: [] }]],
    ['Terminate + Passthrough on one port', [terminate('t', 443), passthrough('p', 443)], [{ accepted: false, reason: 'ProtocolConflict', kinds: [] }, { accepted: false, reason: 'ProtocolConflict', kinds: [] }]],
    ['Terminate + Passthrough on distinct ports', [terminate('t', 443), passthrough('p', 8443)], [{ accepted: true, kinds: ['TLSRoute'] }, { accepted: true, kinds: ['TLSRoute'] }]],
    ['UDP', [{ name: 'u', port: 53, protocol: 'UDP' }], [{ accepted: false, reason: 'UnsupportedProtocol', kinds: [] }]],
  ])('%s', (_n, ls, expected) => {
    const got = check(ls).map((l) => ({ accepted: l.accepted, ...(l.accepted ? {} : { reason: cond(l.conditions as never, 'Accepted')?.reason }), kinds: l.supportedKinds.map((k) => k.kind) }));
    expect(got).toEqual(expected);
  });

  it('a TLS Terminate listener whose certificate does not resolve says so in ResolvedRefs and is not programmed', () => {
    const [l] = check([terminate()]);
    expect(l.programmed).toBe(false);
    expect(cond(l.conditions as never, 'ResolvedRefs')).toEqual(expect.objectContaining({ status: 'False', reason: 'InvalidCertificateRef', message: 'Secret "app/cert" does not exist' }));
  });
});

describe('TCPRoute', () => {
  it.each<[string, object[], object[], { listener: string; attached: number }[]]>([
    ['by sectionName', [tcp('a', 1), tcp('b', 2)], [{ name: 'gw', sectionName: 'b' }], [{ listener: 'a', attached: 0 }, { listener: 'b', attached: 1 }]],
    ['by port', [tcp('a', 1), tcp('b', 2)], [{ name: 'gw', port: 1 }], [{ listener: 'a', attached: 1 }, { listener: 'b', attached: 0 }]],
    ['whole Gateway', [tcp('a', 1), tcp('b', 2)], [{ name: 'gw' }], [{ listener: 'a', attached: 1 }, { listener: 'b', attached: 1 }]],
  ])('attaches %s', (_n, ls, parents, expected) => {
    const r = run([cls, gateway(ls), svc('db', 5432), route('TCPRoute', 'db', parents, [{ name: 'db', port: 5432 }])]);
    expect(expected.map((e) => ({ listener: e.listener, attached: listener(r, e.listener).attachedRoutes }))).toEqual(expected);
    const tagged = mgwListeners(r).filter((l) => l.tags['meshgate.io/tcproute'] === ownerLabelValue('app', 'db')).map((l) => l.tags['gateways.kuma.io/listener-name']);
    expect(tagged).toEqual(expected.filter((e) => e.attached).map((e) => e.listener));
    expect(admissionReport(r.objects, { systemNamespace: 'kuma-system' })).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['an HTTP listener', { name: 'http', port: 80, protocol: 'HTTP' }, 'NotAllowedByListeners'],
    ['a TLS listener', passthrough(), 'NotAllowedByListeners'],
  ])('on %s is not accepted', (_n, l, reason) => {
    const r = run([cls, gateway([l]), svc('db', 5432), route('TCPRoute', 'db', [{ name: 'gw' }], [{ name: 'db', port: 5432 }])]);
    expect(cond(routeStatus(r, 'TCPRoute', 'db')?.parents[0].conditions, 'Accepted')).toEqual(expect.objectContaining({ status: 'False', reason }));
    expect(tcpRoutes(r)).toEqual([]);
  });

  it('the older route keeps a listener; the newer is told which route serves it', () => {
    const r = run([cls, gateway([tcp()]), svc('db', 5432),
      route('TCPRoute', 'new', [{ name: 'gw' }], [{ name: 'db', port: 5432 }], { created: '2024-06-01T00:00:00Z' }),
      route('TCPRoute', 'old', [{ name: 'gw' }], [{ name: 'db', port: 5432 }], { created: '2024-01-01T00:00:00Z' })]);
    expect(cond(routeStatus(r, 'TCPRoute', 'old')?.parents[0].conditions, 'Accepted')?.status).toBe('True');
    expect(cond(routeStatus(r, 'TCPRoute', 'new')?.parents[0].conditions, 'Accepted')).toEqual(expect.objectContaining({ status: 'False', reason: 'RouteConflict', message: 'listener tcp is already served by older TCPRoute app/old' }));
    expect(tcpRoutes(r).map((m) => m.metadata.labels['meshgate.io/owner'])).toEqual([ownerLabelValue('app', 'old')]);
  });

  it.each<[string, object[], { reason: string } | undefined, { name: string; weight: number }[]]>([
    ['weights kept', [{ name: 'a', port: 1, weight: 3 }, { name: 'b', port: 1, weight: 0 }], undefined, [{ name: 'a_app_svc_1', weight: 3 }, { name: 'b_app_svc_1', weight: 0 }]],
    ['missing Service left out', [{ name: 'a', port: 1 }, { name: 'gone', port: 1 }], { reason: 'BackendNotFound' }, [{ name: 'a_app_svc_1', weight: 1 }]],
    ['unknown kind left out', [{ name: 'a', port: 1 }, { group: 'example.com', kind: 'Thing', name: 'x' }], { reason: 'InvalidKind' }, [{ name: 'a_app_svc_1', weight: 1 }]],
    ['cross-namespace without a grant left out', [{ name: 'a', port: 1 }, { name: 'a', namespace: 'data', port: 1 }], { reason: 'RefNotPermitted' }, [{ name: 'a_app_svc_1', weight: 1 }]],
    ['nothing resolves: no MeshTCPRoute', [{ name: 'gone', port: 1 }], { reason: 'BackendNotFound' }, []],
  ])('backends: %s', (_n, backends, failure, expected) => {
    const r = run([cls, gateway([tcp()]), svc('a', 1), svc('b', 1), svc('a', 1, 'data'), route('TCPRoute', 'db', [{ name: 'gw' }], backends)]);
    const refs = cond(routeStatus(r, 'TCPRoute', 'db')?.parents[0].conditions, 'ResolvedRefs');
    expect(refs).toEqual(expect.objectContaining(failure ? { status: 'False', reason: failure.reason } : { status: 'True' }));
    expect(tcpRoutes(r).flatMap((m) => m.spec.to[0].rules[0].default.backendRefs.map((b) => ({ name: b.name, weight: b.weight })))).toEqual(expected);
  });

  it('a TCPRoute and a TLSRoute of one name on one Gateway get distinct MeshTCPRoute names', () => {
    const r = run([cls, gateway([tcp(), passthrough()]), svc('db', 5432),
      route('TCPRoute', 'db', [{ name: 'gw' }], [{ name: 'db', port: 5432 }]),
      route('TLSRoute', 'db', [{ name: 'gw' }], [{ name: 'db', port: 5432 }], { hostnames: ['db.example.com'] })]);
    const names = tcpRoutes(r).map((m) => m.metadata.name);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
  });
});

describe('TLS Terminate + TLSRoute', () => {
  it('one TERMINATE listener per hostname won, with the copied certificate; the Secret copy is generated', () => {
    const r = run([cls, gateway([terminate()]), secret, svc('db', 5432), route('TLSRoute', 'db', [{ name: 'gw' }], [{ name: 'db', port: 5432 }], { hostnames: ['a.example.com', 'b.example.com', 'other.org'] })]);
    expect(mgwListeners(r).map((l) => [l.hostname, l.protocol, l.tls])).toEqual([
      ['a.example.com', 'TLS', { mode: 'TERMINATE', certificates: [{ secret: 'gapi-app-cert' }] }],
      ['b.example.com', 'TLS', { mode: 'TERMINATE', certificates: [{ secret: 'gapi-app-cert' }] }],
    ]);
    expect(r.objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual(['gapi-app-cert']);
    expect(listener(r, 'tls').attachedRoutes).toBe(1);
    expect(admissionReport(r.objects, { systemNamespace: 'kuma-system' })).toEqual([]);
  });

  it('no route: the listener is programmed, but there is no MeshGateway listener and no Secret copy', () => {
    const r = run([cls, gateway([terminate()]), secret]);
    expect(cond(listener(r, 'tls').conditions, 'Programmed')?.status).toBe('True');
    expect(mgwListeners(r)).toEqual([]);
    expect(r.objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});

describe('UDPRoute', () => {
  it.each<[string, object[], boolean]>([
    ['a Gateway with a UDP listener', [{ name: 'dns', port: 53, protocol: 'UDP' }], true],
    ['a Gateway without one', [{ name: 'http', port: 80, protocol: 'HTTP' }], false],
  ])('on %s gets Accepted=False saying meshgate serves no UDP', (_n, ls, mentionsListener) => {
    const r = run([cls, gateway(ls), svc('dns', 53), route('UDPRoute', 'dns', [{ name: 'gw' }, { name: 'not-ours' }], [{ name: 'dns', port: 53 }])]);
    const parents = routeStatus(r, 'UDPRoute', 'dns')?.parents ?? [];
    expect(parents.map((p) => p.parentRef.name)).toEqual(['gw']); // nothing for a Gateway meshgate does not know
    const accepted = cond(parents[0].conditions, 'Accepted');
    expect(accepted).toEqual(expect.objectContaining({ status: 'False', reason: 'NotAllowedByListeners' }));
    expect(accepted?.message).toContain('UDPRoute is not implemented by meshgate');
    expect(accepted?.message.includes('dns')).toBe(mentionsListener);
    expect(r.objects.filter((o) => o.kind === 'MeshTCPRoute')).toEqual([]);
  });
});

describe('unchecked input (files are not schema-checked)', () => {
  it.each<[string, unknown]>([
    ['no spec', undefined],
    ['rules not a list', { parentRefs: [{ name: 'gw' }], rules: 'x' }],
    ['backendRefs garbage', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: ['x', null, 5, { name: 7, port: 'p' }] }] }],
    ['parentRefs garbage', { parentRefs: [null, 'gw', { name: 'gw', port: 'x' }], rules: [] }],
    ['hostnames on a TCPRoute', { parentRefs: [{ name: 'gw' }], hostnames: ['x.example.com'], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] }],
  ])('%s: no internal error', (_n, spec) => {
    for (const kind of ['TCPRoute', 'UDPRoute']) {
      const r = run([cls, gateway([tcp(), { name: 'dns', port: 53, protocol: 'UDP' }]), svc('db', 5432), obj({ apiVersion: GW, kind, metadata: { name: 'x', namespace: 'app', generation: 1 }, spec })]);
      expect(r.diagnostics.filter((d) => d.message.includes('internal error'))).toEqual([]);
      expect(admissionReport(r.objects, { systemNamespace: 'kuma-system' })).toEqual([]);
    }
  });
});

describe('incremental engine with the new kinds', () => {
  it('adding, changing and removing a TCPRoute and a UDPRoute equals a fresh translation each time', () => {
    const input = emptyInput();
    for (const o of [cls, gateway([tcp(), { name: 'dns', port: 53, protocol: 'UDP' }]), svc('db', 5432), svc('db2', 5432)]) addToInput(input, o);
    const e = TranslationEngine.fromInput(input);
    const same = () => expect(e.result()).toEqual(translate(e.input()));
    const tcpRoute = route('TCPRoute', 'db', [{ name: 'gw' }], [{ name: 'db', port: 5432 }]);
    const d1 = e.upsert([tcpRoute, route('UDPRoute', 'dns', [{ name: 'gw' }], [])]);
    expect([...d1.statuses].sort()).toEqual(['Gateway|app|gw', 'TCPRoute|app|db', 'UDPRoute|app|dns']);
    same();
    e.upsert([route('TCPRoute', 'db', [{ name: 'gw' }], [{ name: 'db2', port: 5432 }], { generation: 2 })]); // a spec change bumps generation
    expect(tcpRoutes(e.result())[0].spec.to[0].rules[0].default.backendRefs.map((b) => b.name)).toEqual(['db2_app_svc_5432']);
    same();
    e.remove([{ kind: 'Service', namespace: 'app', name: 'db2' }]);
    expect(tcpRoutes(e.result())).toEqual([]);
    same();
    e.remove([{ kind: 'TCPRoute', namespace: 'app', name: 'db' }, { kind: 'UDPRoute', namespace: 'app', name: 'dns' }]);
    expect(e.result().statuses.map((s) => s.target.kind)).not.toContain('TCPRoute');
    same();
  });
});
