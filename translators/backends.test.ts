import type { BackendRef } from './api/gateway-api';
import type { Service, ServicePort } from './api/meta';
import { type BackendContext, type BackendResolution, describe as describeValue, kumaServiceName, resolveBackend, UNRESOLVED_BACKEND } from './backends';

function svc(namespace: string, name: string, ports: ServicePort[], clusterIP?: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { clusterIP, ports } };
}

const SERVICES: Service[] = [
  svc('app', 'web', [{ port: 8080 }, { name: 'admin', port: 9090, appProtocol: 'http' }]),
  svc('app', 'headless', [{ port: 80 }], 'None'),
  svc('app', 'protocols', [
    { port: 1, appProtocol: 'http' },
    { port: 2, appProtocol: 'https' },
    { port: 3, appProtocol: 'kubernetes.io/h2c' },
    { port: 4, appProtocol: 'kubernetes.io/ws' },
    { port: 5, appProtocol: 'kubernetes.io/wss' },
    { port: 6, appProtocol: 'tcp' },
    { port: 7, appProtocol: 'grpc' },
    { port: 8, appProtocol: 'HTTP' },
    { port: 9, appProtocol: 'mysql' },
    { port: 10, appProtocol: 'example.com/custom' },
  ]),
  svc('granted', 'api', [{ port: 80 }]),
  svc('other', 'db', [{ port: 5432 }]),
  { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'app', name: 'noports' } },
];

function makeCtx(over: Partial<BackendContext> = {}): BackendContext {
  return {
    routeKind: 'HTTPRoute',
    routeNamespace: 'app',
    mesh: false,
    findService: (ns, name) => SERVICES.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
    // Only namespace `granted` has a ReferenceGrant, and only for core Services.
    isPermitted: (ns, to) => ns === 'granted' && to.group === '' && to.kind === 'Service',
    ...over,
  };
}

const svcOf = (ns: string, name: string) => SERVICES.find((s) => s.metadata.namespace === ns && s.metadata.name === name)!;
const ref = (r: Partial<BackendRef>): BackendRef => ({ group: '', kind: 'Service', weight: 1, name: 'web', port: 8080, ...r });
const resolved = (name: string, weight: number, ns = 'app', svcName = name.split('_')[0]): BackendResolution => ({
  ok: true,
  ref: { kind: 'MeshService', name, weight },
  service: svcOf(ns, svcName),
});
const failed = (reason: string, message: string, weight = 1) => ({
  ok: false,
  reason,
  message,
  ref: { kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight },
});

describe('resolveBackend', () => {
  it.each<[string, Partial<BackendContext>, BackendRef, BackendResolution]>([
    ['same-namespace Service', {}, ref({}), resolved('web_app_svc_8080', 1)],
    ['named port by number', {}, ref({ port: 9090 }), resolved('web_app_svc_9090', 1)],
    ['weight kept', {}, ref({ weight: 7 }), resolved('web_app_svc_8080', 7)],
    ['weight 0 kept (no traffic)', {}, ref({ weight: 0 }), resolved('web_app_svc_8080', 0)],
    ['missing weight defaults to 1', {}, ref({ weight: undefined }), resolved('web_app_svc_8080', 1)],
    ['explicit same namespace', {}, ref({ namespace: 'app' }), resolved('web_app_svc_8080', 1)],
    ['headless Service', {}, ref({ name: 'headless', port: 80 }), resolved('headless_app_svc_80', 1)],
    ['cross-namespace with grant', {}, ref({ namespace: 'granted', name: 'api', port: 80 }), resolved('api_granted_svc_80', 1, 'granted')],
    ['cross-namespace, mesh, no grant needed', { mesh: true }, ref({ namespace: 'other', name: 'db', port: 5432 }), resolved('db_other_svc_5432', 1, 'other')],
    ['TLSRoute ignores appProtocol', { routeKind: 'TLSRoute' }, ref({ name: 'protocols', port: 9 }), resolved('protocols_app_svc_9', 1)],
  ])('%s', (_name, over, input, expected) => {
    expect(resolveBackend(makeCtx(over), input)).toEqual(expected);
  });

  it('pins to the zone with MeshServiceSubset when a zone is set', () => {
    expect(resolveBackend(makeCtx({ zone: 'zone-1' }), ref({ weight: 3 }))).toEqual({
      ok: true,
      ref: { kind: 'MeshServiceSubset', name: 'web_app_svc_8080', tags: { 'kuma.io/zone': 'zone-1' }, weight: 3 },
      service: svcOf('app', 'web'),
    });
  });

  it('pins mesh (GAMMA) backends the same way', () => {
    expect(resolveBackend(makeCtx({ zone: 'z', mesh: true }), ref({})).ref).toEqual({
      kind: 'MeshServiceSubset',
      name: 'web_app_svc_8080',
      tags: { 'kuma.io/zone': 'z' },
      weight: 1,
    });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('appProtocol on port %i is served for an HTTPRoute', (port) => {
    expect(resolveBackend(makeCtx(), ref({ name: 'protocols', port })).ok).toBe(true);
  });

  it.each<[string, Partial<BackendContext>, BackendRef, ReturnType<typeof failed>]>([
    [
      'missing Service',
      {},
      ref({ name: 'nope' }),
      failed('BackendNotFound', 'backend reference references a non-existent Service "app/nope"'),
    ],
    [
      'missing port',
      {},
      ref({ port: undefined, weight: 4 }),
      failed('BackendNotFound', 'backend reference to Service "app/web" has no port: port is required when the referent is a Kubernetes Service', 4),
    ],
    ['port not exposed', {}, ref({ port: 1234 }), failed('BackendNotFound', 'Service "app/web" does not expose port 1234')],
    ['Service without ports', {}, ref({ name: 'noports', port: 80 }), failed('BackendNotFound', 'Service "app/noports" does not expose port 80')],
    ['port of the wrong type', {}, ref({ port: '8080' as unknown as number }), failed('BackendNotFound', 'Service "app/web" does not expose port "8080"')],
    [
      'Kuma ExternalService',
      {},
      ref({ group: 'kuma.io', kind: 'ExternalService', weight: 2 }),
      failed('InvalidKind', `backend reference kind "ExternalService.kuma.io" is not supported: only core Service is (Kuma's ExternalService is not supported by meshgate)`, 2),
    ],
    [
      'unknown group/kind',
      {},
      ref({ group: 'unknownkind.example.com', kind: 'NonExistent' }),
      failed('InvalidKind', `backend reference kind "NonExistent.unknownkind.example.com" is not supported: only core Service is (Kuma's ExternalService is not supported by meshgate)`),
    ],
    [
      'core group, other kind',
      {},
      ref({ kind: 'ConfigMap' }),
      failed('InvalidKind', `backend reference kind "ConfigMap" is not supported: only core Service is (Kuma's ExternalService is not supported by meshgate)`),
    ],
    [
      'cross-namespace without grant',
      {},
      ref({ namespace: 'other', name: 'db', port: 5432, weight: 9 }),
      failed('RefNotPermitted', 'reference to Service "other/db" not permitted by any ReferenceGrant', 9),
    ],
    [
      'grant checked before existence',
      {},
      ref({ namespace: 'other', name: 'missing' }),
      failed('RefNotPermitted', 'reference to Service "other/missing" not permitted by any ReferenceGrant'),
    ],
    [
      'mesh: cross-namespace missing Service',
      { mesh: true },
      ref({ namespace: 'other', name: 'missing' }),
      failed('BackendNotFound', 'backend reference references a non-existent Service "other/missing"'),
    ],
    [
      'appProtocol Kuma cannot serve',
      {},
      ref({ name: 'protocols', port: 9 }),
      failed('UnsupportedProtocol', 'Service "app/protocols" port 9 has appProtocol "mysql", which Kuma cannot serve for an HTTPRoute'),
    ],
    [
      'domain-prefixed appProtocol',
      {},
      ref({ name: 'protocols', port: 10 }),
      failed('UnsupportedProtocol', 'Service "app/protocols" port 10 has appProtocol "example.com/custom", which Kuma cannot serve for an HTTPRoute'),
    ],
  ])('%s', (_name, over, input, expected) => {
    expect(resolveBackend(makeCtx(over), input)).toEqual(expected);
  });

  it('checks the kind before asking for a grant', () => {
    const isPermitted = jest.fn(() => false);
    const r = resolveBackend(makeCtx({ isPermitted }), ref({ namespace: 'other', group: 'x.io', kind: 'Thing' }));
    expect(r.ok ? '' : r.reason).toBe('InvalidKind');
    expect(isPermitted).not.toHaveBeenCalled();
  });

  it('asks for a grant in the target namespace for the named core Service', () => {
    const isPermitted = jest.fn(() => true);
    resolveBackend(makeCtx({ isPermitted }), ref({ namespace: 'other', name: 'db', port: 5432 }));
    expect(isPermitted.mock.calls).toEqual([['other', { group: '', kind: 'Service', name: 'db' }]]);
  });

  it('never asks for a grant for mesh routes or same-namespace refs', () => {
    const isPermitted = jest.fn(() => false);
    resolveBackend(makeCtx({ isPermitted, mesh: true }), ref({ namespace: 'other', name: 'db', port: 5432 }));
    resolveBackend(makeCtx({ isPermitted }), ref({}));
    expect(isPermitted).not.toHaveBeenCalled();
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['wrong field types', { name: 7, namespace: [], kind: {}, group: 1, port: null, weight: 'x' }],
  ])('does not throw on %s', (_name, input) => {
    const r = resolveBackend(makeCtx(), input as BackendRef);
    expect(r.ok).toBe(false);
    expect(r.ref).toEqual({ kind: 'MeshService', name: UNRESOLVED_BACKEND, weight: 1 });
  });

  it('names services the way Kuma tags them', () => {
    expect(kumaServiceName('ns', 'svc', 80)).toBe('svc_ns_svc_80');
  });

  it.each<[unknown, string]>([
    ['a"b', '"a\\"b"'],
    [3, '3'],
    [true, 'true'],
    [null, 'null'],
    [undefined, '<undefined>'],
    [{}, '<object>'],
    [BigInt(1), '<bigint>'],
  ])('describe(%p) renders %s for messages', (v, expected) => {
    expect(describeValue(v)).toBe(expected);
  });
});
