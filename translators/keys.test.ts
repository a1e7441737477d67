// Every key format: built by its constructor, taken apart by its parser, and back.
import type { KubeObject } from './api/meta';
import type { NsName, RouteKey, StatusKey, UnitKey, WorkKey } from './keys';
import {
  gammaUnit, gatewayUnit, inputKeyOf, isHTTPRouteKey, kindOfObjectKey, memoisedKey, nsName, nsNameOf, objectKey, objectKeyOf, objectWork, parseNsName,
  parseObjectKey, parseRouteKey, parseStatusKey, parseUnitKey, parseWorkKey, routeKey, SECRET_COPIES_UNIT, statusKey, statusKeyOf, statusWork, unitSubject,
} from './keys';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string) => ({ apiVersion, kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } }) as KubeObject;

describe('namespace/name', () => {
  it.each([
    ['app', 'edge', 'app/edge'],
    [undefined, 'kuma', '/kuma'],
    ['', 'kuma', '/kuma'],
  ])('%s + %s ⇄ %s', (ns, name, key) => {
    expect(nsName(ns, name)).toBe(key);
    expect(parseNsName(key as NsName)).toEqual({ namespace: ns ?? '', name });
    expect(nsNameOf(obj('v1', 'Service', name, ns))).toBe(key);
  });
});

describe('object keys', () => {
  it.each([
    [obj('kuma.io/v1alpha1', 'MeshGateway', 'edge.app'), 'kuma.io/v1alpha1|MeshGateway||edge.app'],
    [obj('apps/v1', 'Deployment', 'edge', 'app'), 'apps/v1|Deployment|app|edge'],
    [obj('v1', 'Secret', 'mesh-default-app-tls', 'kuma-system'), 'v1|Secret|kuma-system|mesh-default-app-tls'],
  ])('%j ⇄ %s', (o, key) => {
    const k = objectKey(o);
    expect(k).toBe(key);
    expect(objectKeyOf({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })).toBe(key);
    expect(parseObjectKey(k)).toEqual({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
    expect(kindOfObjectKey(k)).toBe(o.kind);
  });

  it('memoisedKey computes a key once per object and agrees with objectKey', () => {
    const o = obj('apps/v1', 'Deployment', 'edge', 'app');
    const k = memoisedKey(o);
    expect(k).toBe(objectKey(o));
    o.metadata.name = 'changed'; // outputs are never mutated; this shows the key is remembered, not recomputed
    expect(memoisedKey(o)).toBe(k);
  });
});

describe('input keys', () => {
  it('kind, namespace and name: a Service and a Secret of one name differ', () => {
    expect(inputKeyOf(obj('v1', 'Service', 'web', 'app'))).toBe('Service|app|web');
    expect(inputKeyOf(obj('v1', 'Secret', 'web', 'app'))).toBe('Secret|app|web');
    expect(inputKeyOf(obj('v1', 'Namespace', 'app'))).toBe('Namespace||app');
  });
});

describe('status keys', () => {
  it.each([
    [{ kind: 'Gateway', namespace: 'app', name: 'edge' }, 'Gateway|app|edge'],
    [{ kind: 'GatewayClass', name: 'kuma' }, 'GatewayClass||kuma'],
    [{ kind: 'HTTPRoute', namespace: 'app', name: 'r' }, 'HTTPRoute|app|r'],
  ])('%j ⇄ %s', (ref, key) => {
    expect(statusKeyOf(ref)).toBe(key);
    expect(statusKey({ target: ref })).toBe(key);
    expect(parseStatusKey(key as StatusKey)).toEqual(ref);
  });
});

describe('route keys', () => {
  it.each([
    ['HTTPRoute', 'app', 'r', 'HTTPRoute:app/r', true],
    ['TLSRoute', 'app', 'r', 'TLSRoute:app/r', false],
  ] as const)('%s %s/%s ⇄ %s', (kind, ns, name, key, http) => {
    expect(routeKey(kind, ns, name)).toBe(key);
    expect(parseRouteKey(key as RouteKey)).toEqual({ kind, namespace: ns, name });
    expect(isHTTPRouteKey(key as RouteKey)).toBe(http);
  });
});

describe('unit keys', () => {
  it.each([
    [gatewayUnit(nsName('app', 'edge')), 'gw:app/edge', { type: 'gateway', gateway: 'app/edge' }, { kind: 'Gateway', namespace: 'app', name: 'edge' }],
    [gammaUnit(routeKey('HTTPRoute', 'app', 'r')), 'gamma:HTTPRoute:app/r', { type: 'gamma', route: 'HTTPRoute:app/r' }, { kind: 'HTTPRoute', namespace: 'app', name: 'r' }],
    [SECRET_COPIES_UNIT, 'secret-copies', { type: 'secret-copies' }, undefined],
  ])('%s', (u, key, parsed, subject) => {
    expect(u).toBe(key);
    expect(parseUnitKey(key as UnitKey)).toEqual(parsed);
    expect(unitSubject(key as UnitKey)).toEqual(subject);
  });
});

describe("the writer's work keys", () => {
  const ok = objectKeyOf({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'app', name: 'edge' });
  const sk = statusKeyOf({ kind: 'Gateway', namespace: 'app', name: 'edge' });
  it.each([
    [objectWork(ok), 'O|apps/v1|Deployment|app|edge', { type: 'object', key: ok }],
    [statusWork(sk), 'S|Gateway|app|edge', { type: 'status', key: sk }],
  ])('%s', (w, key, parsed) => {
    expect(w).toBe(key);
    expect(parseWorkKey(key as WorkKey)).toEqual(parsed);
  });

});
