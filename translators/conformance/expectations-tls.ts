// The TLSRoute cases of EXPECTATIONS.md (34–41), run by both suites as expectations.ts's are.
import type { Check, State } from './expectations';
import { expectConditions, expectGatewayAndRoutesAccepted, expectLatestGeneration, expectListeners, expectNoAcceptedParents, expectParent, expectZeroRoutes, F, gatewayStatus, INFRA, routeStatus, T } from './harness';

const tls = (name: string) => ({ kind: 'TLSRoute' as const, name, namespace: INFRA });

// ---- TLSRoute (34–41) --------------------------------------------------------------------

export const tlsRouteCases = {
  '34': ({ result }: State) => {
    for (const [r, gw] of [['tlsroute-hostname-mismatch-1', 'gateway-tls-exact-hostname'], ['tlsroute-hostname-mismatch-2', 'gateway-tls-wildcard-hostname']]) {
      const s = routeStatus(result, 'TLSRoute', r);
      expectParent(s, { name: gw, conditions: [F('Accepted', 'NoMatchingListenerHostname')] }, { routeNamespace: INFRA, generation: 1 });
      expectNoAcceptedParents(s, r);
      const g = gatewayStatus(result, gw);
      expectLatestGeneration(g, 1);
      expectZeroRoutes(g);
    }
  },

  '35': ({ result }: State) => {
    const cases: [string, string, string][] = [
      ['tlsroute-not-allowed-protocol-http', 'gateway-tlsroute-http-only', 'NotAllowedByListeners'],
      ['tlsroute-not-allowed-protocol-https', 'gateway-tlsroute-https-only', 'NotAllowedByListeners'],
      ['tlsroute-no-matching-section-name', 'gateway-tlsroute-tls-passthrough-only', 'NoMatchingParent'],
    ];
    for (const [r, gw, reason] of cases) {
      const s = routeStatus(result, 'TLSRoute', r);
      expectParent(s, { name: gw, conditions: [F('Accepted', reason)] }, { routeNamespace: INFRA, generation: 1 });
      expectNoAcceptedParents(s, r);
    }
    for (const gw of ['gateway-tlsroute-http-only', 'gateway-tlsroute-https-only']) {
      const g = gatewayStatus(result, gw);
      expectLatestGeneration(g, 1);
      expectZeroRoutes(g);
    }
  },

  '36': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'gateway-tlsroute-referencegrant' }, [tls('gateway-conformance-infra-test')]);
    expectParent(routeStatus(result, 'TLSRoute', 'gateway-conformance-infra-test'), { name: 'gateway-tlsroute-referencegrant', conditions: [T('Accepted', 'Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '37': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-tlsroute-passthrough-supported-kind');
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'tls-passthrough', supportedKinds: ['TLSRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidRouteKinds')] }]);
    expect(s.listeners[0].supportedKinds.map((k) => k.kind)).not.toContain('TCPRoute');
  },

  // 38 (TLSRouteListenerTerminateNotSupported) runs only when Terminate is not claimed; meshgate claims it.

  '39': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-tlsroute-terminate-supported');
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'tls-terminate', supportedKinds: ['TLSRoute'], attachedRoutes: 0, conditions: [T('Accepted', 'Accepted'), T('ResolvedRefs')] }]);
    expectConditions(s.conditions, [T('Accepted', 'Accepted')], 'gateway-tlsroute-terminate-supported');
  },

  '40': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-tlsroute-mixed-termination-not-supported');
    expectLatestGeneration(s, 1);
    // Terminate is claimed, Mixed is not: both listeners on the port are refused with ProtocolConflict.
    expectListeners(s, [
      { name: 'tls-terminate', supportedKinds: [], attachedRoutes: 0, conditions: [F('Accepted', 'ProtocolConflict'), F('Programmed', 'ProtocolConflict'), T('Conflicted', 'ProtocolConflict')] },
      { name: 'tls-passthrough', supportedKinds: [], attachedRoutes: 0, conditions: [F('Accepted', 'ProtocolConflict'), F('Programmed', 'ProtocolConflict'), T('Conflicted', 'ProtocolConflict')] },
    ]);
    expectConditions(s.conditions, [F('Accepted', 'ListenersNotValid')], 'gateway-tlsroute-mixed-termination-not-supported');
  },

  /** 41a / 41b: Gateway `gw`, route `r`, ResolvedRefs=False with `reason`. */
  '41': (reason: string, gw: string, r: string): Check => ({ result, input }) => {
    expectGatewayAndRoutesAccepted(result, input, { name: gw }, [tls(r)]);
    expectParent(routeStatus(result, 'TLSRoute', r), { name: gw, conditions: [T('Accepted'), F('ResolvedRefs', reason)] }, { routeNamespace: INFRA, generation: 1 });
    expectListeners(gatewayStatus(result, gw), [{ name: 'tls', supportedKinds: ['TLSRoute'], attachedRoutes: 1 }]);
  },
};

/** The 41a/41b table both suites iterate: [case, reason, file, Gateway, route]. */
export const TLS_INVALID_BACKEND_CASES: [string, string, string, string, string][] = [
  ['41a TLSRouteInvalidBackendRefNonexistent', 'BackendNotFound', 'tlsroute-invalid-backendref-nonexistent', 'gateway-tlsroute-invalid-backend-ref-nonexistent', 'invalid-backend-ref-nonexistent'],
  ['41b TLSRouteInvalidBackendRefUnknownKind', 'InvalidKind', 'tlsroute-invalid-backendref-unknown-kind', 'gateway-tlsroute-invalid-backend-ref-unknown-kind', 'invalid-backend-ref-unknown-kind'],
];
