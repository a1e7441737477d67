// Hints that must not suggest a fix the translator rejects: each case is a condition meshgate
// emits and what its hint must (and must not) say.
import type { Gateway, HTTPRoute, Listener } from '../api/gateway-api';
import { hintOf } from './catalogue';
import type { Scope } from './conditions';
import type { HintContext } from './hint-context';
import { gatewayAddressesUnsupported, gatewayClientCertFailed } from './gateway';
import { classVersionUnsupported } from './gatewayclass';
import { listenerUnsupportedProtocol } from './listener';
import { routeMeshMismatch, routeNoMatchingListenerHostname, routeServiceHeadless } from './route';
import type { Condition } from '../api/meta';

const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' },
  spec: { gatewayClassName: 'kuma', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'a.example.com' }], tls: { backend: { clientCertificateRef: { name: 'client', namespace: 'certs' } } } } } as unknown as Gateway;
const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'apps' }, spec: { hostnames: ['b.example.com'] } } as unknown as HTTPRoute;

function hint(scope: Scope, c: Condition, extra: Partial<HintContext> = {}): string {
  return hintOf(scope, { ...c, object: undefined, serviceExists: () => false, grantExists: () => false, ...extra }) ?? '';
}

describe('hints say what the translator accepts', () => {
  test('cross-mesh listener: HTTP only, not "HTTP, HTTPS or TLS"', () => {
    const h = hint('Listener', listenerUnsupportedProtocol('HTTPS', ' with cross-mesh (MeshGatewayConfig crossMesh: true allows HTTP only)'), { listener: { name: 's', port: 443, protocol: 'HTTPS' } as Listener });
    expect(h).toContain('HTTP listeners only');
    expect(h).not.toContain('HTTPS or TLS');
    expect(hint('Listener', listenerUnsupportedProtocol('UDP', ''), { listener: { name: 'u', port: 1, protocol: 'UDP' } as Listener })).toContain('use HTTP, HTTPS or TLS');
  });

  test('spec.addresses: remove it (no address type is supported)', () => {
    const h = hint('Gateway', gatewayAddressesUnsupported(), { object: gw });
    expect(h).toContain('remove spec.addresses');
    expect(h).not.toMatch(/use IPAddress/);
  });

  test('unsupported CRD version: v1.3 or later, not any v1.x', () => {
    expect(hint('GatewayClass', classVersionUnsupported('gateways=v1.0.0'))).toContain('v1.3 or later');
  });

  test('route in another mesh: the label, not allowedRoutes', () => {
    const h = hint('Route', routeMeshMismatch('b', 'infra/gw', 'a', true), { object: route, parentGateway: gw });
    expect(h).toContain('kuma.io/mesh');
    expect(h).not.toContain('allowedRoutes');
  });

  test('Service parent (GAMMA): about the Service, not listeners', () => {
    const h = hint('Route', routeServiceHeadless('apps/svc'), { object: route, parentRef: { group: '', kind: 'Service', name: 'svc' } });
    expect(h).toContain('cluster IP');
    expect(h).not.toContain('listener');
  });

  test('hostnames: names the listener hostname field, and both sides', () => {
    const h = hint('Route', routeNoMatchingListenerHostname(['b.example.com'], ['a.example.com']), { object: route, parentGateway: gw, parentRef: { name: 'gw' } });
    expect(h).toContain('"b.example.com"');
    expect(h).toContain('"a.example.com"');
    expect(h).not.toContain('spec.hostnames of the listener');
  });

  test('client certificate not permitted: a grant for the clientCertificateRef', () => {
    const h = hint('Gateway', gatewayClientCertFailed('RefNotPermitted', 'x'), { object: gw });
    expect(h).toContain('namespace "certs"');
    expect(h).toContain('name: client');
  });
});
