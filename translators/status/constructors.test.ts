// The named constructors: each builds its entry's type, status and reason with the exact message
// (goldens and e2e tests compare messages), and the catalogue's own invariants.
import type { Condition } from '../api/meta';
import { CATALOGUE } from './catalogue';
import { MAX_MESSAGE, Reason, Type } from './conditions';
import * as gc from './gatewayclass';
import * as gw from './gateway';
import * as l from './listener';
import * as r from './route';
import type { HintContext } from './hint-context';

type Row = [string, Condition, [string, string, string, string]];

const ROWS: Row[] = [
  ['classParametersWrongKind', gc.classParametersWrongKind('ConfigMap', ''), ['Accepted', 'False', 'InvalidParameters', 'parametersRef must point to a MeshGatewayConfig.kuma.io, not ConfigMap.core']],
  ['classParametersNamespaced', gc.classParametersNamespaced(), ['Accepted', 'False', 'InvalidParameters', 'parametersRef must not set a namespace: MeshGatewayConfig is cluster-scoped']],
  ['classParametersNotFound', gc.classParametersNotFound('cfg'), ['Accepted', 'False', 'InvalidParameters', 'parametersRef: MeshGatewayConfig "cfg" not found']],
  ['classParametersInvalid', gc.classParametersInvalid('cfg', 'spec.replicas must be an integer >= 1, got 0'), ['Accepted', 'False', 'InvalidParameters', 'MeshGatewayConfig "cfg": spec.replicas must be an integer >= 1, got 0']],
  ['classVersionNotChecked', gc.classVersionNotChecked(), ['SupportedVersion', 'True', 'SupportedVersion', 'Gateway API CRD versions not checked (no cluster)']],
  ['classVersionUnsupported', gc.classVersionUnsupported('gateways=v1.0.0'), ['SupportedVersion', 'False', 'UnsupportedVersion', 'unsupported Gateway API bundle-version: gateways=v1.0.0; meshgate supports v1.3 and later (best effort)']],

  ['gatewayClassNotAccepted', gw.gatewayClassNotAccepted('kuma', 'bad'), ['Accepted', 'False', 'Invalid', 'GatewayClass "kuma" is not accepted: bad']],
  ['gatewayParametersWrongKind', gw.gatewayParametersWrongKind('Secret', ''), ['Accepted', 'False', 'InvalidParameters', 'spec.infrastructure.parametersRef must point to a MeshGatewayConfig.kuma.io, not Secret.core']],
  ['gatewayParametersNotFound', gw.gatewayParametersNotFound('cfg'), ['Accepted', 'False', 'InvalidParameters', 'spec.infrastructure.parametersRef: MeshGatewayConfig "cfg" not found']],
  ['gatewayAddressesUnsupported', gw.gatewayAddressesUnsupported(), ['Accepted', 'False', 'UnsupportedAddress', 'spec.addresses is not supported: meshgate takes addresses from the generated Service; remove spec.addresses']],
  ['gatewayProxyNotReady pending', gw.gatewayProxyNotReady(false, ['a', 'b']), ['Programmed', 'False', 'Pending', 'waiting for the gateway proxy: a; b']],
  ['gatewayProxyNotReady no resources', gw.gatewayProxyNotReady(true, ['a']), ['Programmed', 'False', 'NoResources', 'waiting for the gateway proxy: a']],
  ['gatewayNamesTaken one', gw.gatewayNamesTaken(['Service ns/gw']), ['Programmed', 'False', 'Invalid', 'Service ns/gw exists and is not managed by meshgate; rename or delete it']],
  ['gatewayNamesTaken two', gw.gatewayNamesTaken(['A x/a', 'B x/b']), ['Programmed', 'False', 'Invalid', 'A x/a, B x/b exist and are not managed by meshgate; rename or delete them']],
  ['gatewayClientCertFailed not permitted', gw.gatewayClientCertFailed('RefNotPermitted', 'm'), ['ResolvedRefs', 'False', 'RefNotPermitted', 'spec.tls.backend.clientCertificateRef: m']],
  ['gatewayClientCertFailed invalid', gw.gatewayClientCertFailed('InvalidCertificateRef', 'm'), ['ResolvedRefs', 'False', 'InvalidClientCertificateRef', 'spec.tls.backend.clientCertificateRef: m']],
  ['gatewayListenersNotResolved', gw.gatewayListenersNotResolved(['a', 'b']), ['ResolvedRefs', 'False', 'ListenersNotResolved', 'listeners with unresolved references: a, b']],

  ['gatewayProxyServiceInvalid', gw.gatewayProxyServiceInvalid('gateways.meshgate.io/proxy-service', 'bad'), ['Accepted', 'False', 'InvalidParameters', 'annotation gateways.meshgate.io/proxy-service: bad']],
  ['gatewayProxyServiceNotReady', gw.gatewayProxyServiceNotReady('ns/p', 'it does not exist'), ['Programmed', 'False', 'Pending', 'waiting for the proxy Service ns/p (annotation gateways.meshgate.io/proxy-service): it does not exist']],

  ['listenerPortUnavailable', l.listenerPortUnavailable(8080, 'ns/p', 'why'), ['Accepted', 'False', 'PortUnavailable', 'port 8080 is not available on Service ns/p (annotation gateways.meshgate.io/proxy-service): why']],
  ['listenerNotAcceptedProgrammed', l.listenerNotAcceptedProgrammed(l.listenerPortUnavailable(1, 'ns/p', 'w')), ['Programmed', 'False', 'Invalid', 'listener is not accepted: port 1 is not available on Service ns/p (annotation gateways.meshgate.io/proxy-service): w']],
  ['listenerUnsupportedProtocol', l.listenerUnsupportedProtocol('UDP', ''), ['Accepted', 'False', 'UnsupportedProtocol', 'unsupported protocol UDP; supported: HTTP, HTTPS, TLS, TCP']],
  ['listenerTLSOnPlain', l.listenerTLSOnPlain('TCP'), ['Accepted', 'False', 'UnsupportedValue', 'tls must not be set on TCP listeners']],
  ['listenerTLSModeUnsupported', l.listenerTLSModeUnsupported('"Both"'), ['Accepted', 'False', 'UnsupportedValue', 'TLS mode "Both" is not supported on TLS listeners; use Terminate or Passthrough']],
  ['listenerTLSModesMixed', l.listenerTLSModesMixed(['a', 'b'], 443), ['Conflicted', 'True', 'ProtocolConflict', 'TLS listeners a, b mix Terminate and Passthrough on port 443; use distinct ports']],
  ['listenerTCPPortShared', l.listenerTCPPortShared(['a', 'b'], 9000), ['Conflicted', 'True', 'HostnameConflict', 'TCP listeners a, b share port 9000; TCP has no hostname to tell them apart']],
  ['listenerTooManyCertificates', l.listenerTooManyCertificates(2), ['Accepted', 'False', 'UnsupportedValue', 'at most 2 certificateRefs are supported (one RSA and one ECDSA)']],
  ['listenerProtocolConflict', l.listenerProtocolConflict(80, ['HTTP', 'HTTPS']), ['Conflicted', 'True', 'ProtocolConflict', 'multiple listeners on port 80 with conflicting protocols (HTTP, HTTPS)']],
  ['listenerHostnameConflict', l.listenerHostnameConflict(['a', 'b'], '', 80), ['Conflicted', 'True', 'HostnameConflict', 'listeners a, b share hostname "*" on port 80']],
  ['listenerOverlappingTLS hostnames', l.listenerOverlappingTLS(false, 'a.x', ['b'], 443), ['OverlappingTLSConfig', 'True', 'OverlappingHostnames', 'hostname a.x overlaps listener(s) b on port 443']],
  ['listenerOverlappingTLS certificates', l.listenerOverlappingTLS(true, 'a.x', ['b', 'c'], 443), ['OverlappingTLSConfig', 'True', 'OverlappingCertificates', 'hostname a.x overlaps listener(s) b, c on port 443']],
  ['listenerSelectorInvalid', l.listenerSelectorInvalid('h', 'from: Selector needs a selector'), ['Programmed', 'False', 'Invalid', 'spec.listeners[h].allowedRoutes.namespaces.selector: from: Selector needs a selector; no route can attach']],
  ['listenerNoTLSConfig', l.listenerNoTLSConfig('s'), ['Programmed', 'False', 'InvalidTLSConfig', 'spec.listeners[s].tls: an HTTPS listener needs tls with mode Terminate and certificateRefs']],
  ['listenerInvalidRouteKinds', l.listenerInvalidRouteKinds('HTTP', ['g/TCPRoute']), ['ResolvedRefs', 'False', 'InvalidRouteKinds', 'unsupported route kinds for a HTTP listener: g/TCPRoute']],
  ['listenerCertificateRefFailed not permitted', l.listenerCertificateRefFailed('RefNotPermitted', 'm'), ['ResolvedRefs', 'False', 'RefNotPermitted', 'm']],
  ['listenerCertificateRefFailed invalid', l.listenerCertificateRefFailed('InvalidCertificateRef', 'm'), ['ResolvedRefs', 'False', 'InvalidCertificateRef', 'm']],
  ['listenerCertificateExpired', l.listenerCertificateExpired('ns/c', '2001-01-01T00:00:00Z'), ['meshgate.io/CertificateValid', 'False', 'CertificateExpired', 'certificate in Secret "ns/c" expired at 2001-01-01T00:00:00Z']],
  ['listenerCertificateHostnameMismatch', l.listenerCertificateHostnameMismatch('ns/c', 'a.b', 'x, y'), ['meshgate.io/CertificateValid', 'False', 'CertificateHostnameMismatch', 'certificate in Secret "ns/c" does not cover a.b (DNS names: x, y); clients will fail the TLS handshake']],

  ['routeInvalidHostname', r.routeInvalidHostname(1, 'bad'), ['Accepted', 'False', 'UnsupportedValue', 'spec.hostnames[1]: bad']],
  ['routeNoMatchingParent', r.routeNoMatchingParent('sectionName "x"'), ['Accepted', 'False', 'NoMatchingParent', 'no listener matches sectionName "x"']],
  ['routeMeshMismatch with advice', r.routeMeshMismatch('b', 'ns/gw', 'a', true), ['Accepted', 'False', 'NotAllowedByListeners', 'route is in mesh "b" but Gateway ns/gw is in mesh "a"; set label kuma.io/mesh=a on the route or its namespace']],
  ['routeMeshMismatch without', r.routeMeshMismatch('b', 'ns/gw', 'a', false), ['Accepted', 'False', 'NotAllowedByListeners', 'route is in mesh "b" but Gateway ns/gw is in mesh "a"']],
  ['routeNoMatchingListenerHostname', r.routeNoMatchingListenerHostname(['a.x'], ['b.x', '*']), ['Accepted', 'False', 'NoMatchingListenerHostname', 'route hostnames a.x do not intersect listener hostnames b.x, *']],
  ['routeRulesUnacceptable filters', r.routeRulesUnacceptable({ reason: 'IncompatibleFilters', message: 'm' }), ['Accepted', 'False', 'IncompatibleFilters', 'm']],
  ['routeRulesUnacceptable value', r.routeRulesUnacceptable({ reason: 'UnsupportedValue', message: 'm' }), ['Accepted', 'False', 'UnsupportedValue', 'm']],
  ['routeHostnamesTaken', r.routeHostnamesTaken(['a', 'b']), ['Accepted', 'False', 'HostnameConflict', 'a; b']],
  ['routeGeneratedNameConflict', r.routeGeneratedNameConflict('MeshHTTPRoute', 'n', 'HTTPRoute ns/a'), ['Accepted', 'False', 'GeneratedNameConflict', 'the generated MeshHTTPRoute "n" has the name of the one generated for the older HTTPRoute ns/a; rename this route or its namespace']],
  ['routeGatewayNotAccepted', r.routeGatewayNotAccepted('ns/gw', 'why'), ['Accepted', 'Unknown', 'Pending', 'Gateway ns/gw is not accepted: why']],
  ['routeServiceNoPort', r.routeServiceNoPort('ns/s', 8080), ['Accepted', 'False', 'NoMatchingParent', 'Service "ns/s" has no port matching the parentRef (port 8080)']],
  ['routeServiceOtherMesh', r.routeServiceOtherMesh('ns/s', 'a', 'b'), ['Accepted', 'False', 'NoMatchingParent', 'Service "ns/s" is in mesh "a", the route in mesh "b"']],
  ['routeRefsNotResolved first reason wins', r.routeRefsNotResolved([{ reason: 'InvalidKind', message: 'x' }, { reason: 'BackendNotFound', message: 'y' }]), ['ResolvedRefs', 'False', 'InvalidKind', 'x; y']],
  ['routeRefsNotResolved unknown reason kept', r.routeRefsNotResolved([{ reason: 'Other', message: 'x' }]), ['ResolvedRefs', 'False', 'Other', 'x']],
  ['routePartiallyInvalid', r.routePartiallyInvalid(['p', 'q']), ['PartiallyInvalid', 'True', 'UnsupportedValue', 'p; q']],
];

describe('named constructors', () => {
  test.each(ROWS)('%s', (_name, c, [type, status, reason, message]) => {
    expect(c).toEqual({ type, status, reason, message });
  });

  test('messages over the CRD limit are capped', () => {
    expect(l.listenerUnsupportedValue('x'.repeat(MAX_MESSAGE + 10)).message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  });
});

describe('the catalogue', () => {
  test('every Reason and Type is used by an entry (no reason that is never emitted)', () => {
    expect(Object.values(Reason).filter((x) => !CATALOGUE.some((e) => e.reason === x))).toEqual([]);
    expect(Object.values(Type).filter((x) => !CATALOGUE.some((e) => e.type === x))).toEqual([]);
  });

  test('every hint answers with advice even when the context knows nothing', () => {
    const empty = (e: (typeof CATALOGUE)[number]): HintContext => ({
      reason: e.reason, type: e.type, message: '', object: undefined, serviceExists: () => false, grantExists: () => false,
    });
    for (const e of CATALOGUE.filter((x) => x.hint)) {
      const text = e.hint!(empty(e));
      expect({ entry: `${e.scope}|${e.type}|${e.reason}`, ok: text.length > 20 && !/^See the message/.test(text) }).toEqual({ entry: `${e.scope}|${e.type}|${e.reason}`, ok: true });
    }
  });
});
