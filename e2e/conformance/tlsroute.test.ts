// EXPECTATIONS.md cases 34–41 (TLSRoute status) on the real API server with the real controller:
// the assertions of translators/conformance/tlsroute.test.ts over live status. meshgate claims
// TLSRoute Passthrough only, not TLSRouteModeTerminate or TLSRouteModeMixed: 39 and 40 assert
// what it does instead.
import {
  expectConditions, expectGatewayAndRoutesAccepted, expectLatestGeneration, expectListeners, expectNoAcceptedParents, expectParent, expectZeroRoutes, F,
  gatewayStatus, INFRA, routeStatus, T,
} from '../../translators/conformance/harness';
import { ConformanceSuite } from './support';

const suite = new ConformanceSuite('tlsroute');
const tls = (name: string) => ({ kind: 'TLSRoute' as const, name, namespace: INFRA });

beforeAll(() => suite.setup(), 300_000);
afterAll(() => suite.teardown(), 300_000);

describe('conformance on the API server: TLSRoute (EXPECTATIONS.md 34–41)', () => {
  it('GatewayClass lists TLSRoute but not TLSRouteModeTerminate / TLSRouteModeMixed in supportedFeatures', async () => {
    await suite.converge('supportedFeatures', ({ result }) => {
      const gc = result.statuses.find((s) => s.target.kind === 'GatewayClass' && s.target.name === suite.className) as { supportedFeatures: { name: string }[] } | undefined;
      const names = gc?.supportedFeatures.map((f) => f.name) ?? [];
      expect(names).toContain('TLSRoute');
      expect(names).not.toContain('TLSRouteModeTerminate');
      expect(names).not.toContain('TLSRouteModeMixed');
    });
  });

  it('34 TLSRouteInvalidNoMatchingListenerHostname: disjoint hostnames → Accepted=False/NoMatchingListenerHostname, no accepted parents', () =>
    suite.withCase(['tlsroute-invalid-no-matching-listener-hostname'], async () => {
      await suite.converge('34', ({ result }) => {
        for (const [r, gw] of [['tlsroute-hostname-mismatch-1', 'gateway-tls-exact-hostname'], ['tlsroute-hostname-mismatch-2', 'gateway-tls-wildcard-hostname']]) {
          const s = routeStatus(result, 'TLSRoute', r);
          expectParent(s, { name: gw, conditions: [F('Accepted', 'NoMatchingListenerHostname')] }, { routeNamespace: INFRA, generation: 1 });
          expectNoAcceptedParents(s, r);
          const g = gatewayStatus(result, gw);
          expectLatestGeneration(g, 1);
          expectZeroRoutes(g);
        }
      });
    }));

  it('35 TLSRouteInvalidNoMatchingListener: HTTP/HTTPS listeners → NotAllowedByListeners; unknown sectionName → NoMatchingParent', () =>
    suite.withCase(['tlsroute-invalid-no-matching-listener'], async () => {
      const cases: [string, string, string][] = [
        ['tlsroute-not-allowed-protocol-http', 'gateway-tlsroute-http-only', 'NotAllowedByListeners'],
        ['tlsroute-not-allowed-protocol-https', 'gateway-tlsroute-https-only', 'NotAllowedByListeners'],
        ['tlsroute-no-matching-section-name', 'gateway-tlsroute-tls-passthrough-only', 'NoMatchingParent'],
      ];
      await suite.converge('35', ({ result }) => {
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
      });
    }));

  it('36 TLSRouteInvalidReferenceGrant: seven almost-right grants → Accepted=True/Accepted, ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['tlsroute-invalid-reference-grant'], async (objs) => {
      expect(objs.filter((o) => o.kind === 'ReferenceGrant')).toHaveLength(7);
      await suite.converge('36', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'gateway-tlsroute-referencegrant' }, [tls('gateway-conformance-infra-test')]);
        expectParent(routeStatus(result, 'TLSRoute', 'gateway-conformance-infra-test'), { name: 'gateway-tlsroute-referencegrant', conditions: [T('Accepted', 'Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
      });
    }));

  it('37 TLSRouteListenerPassthroughSupportedKinds: kinds [TCPRoute, TLSRoute] → supportedKinds ⊇ [TLSRoute], ResolvedRefs=False/InvalidRouteKinds', () =>
    suite.withCase(['tlsroute-listener-passthrough-supported-kinds'], async () => {
      await suite.converge('37', ({ result }) => {
        const s = gatewayStatus(result, 'gateway-tlsroute-passthrough-supported-kind');
        expectLatestGeneration(s, 1);
        expectListeners(s, [{ name: 'tls-passthrough', supportedKinds: ['TLSRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidRouteKinds')] }]);
        expect(s.listeners[0].supportedKinds.map((k) => k.kind)).not.toContain('TCPRoute');
      });
    }));

  it('38 TLSRouteListenerTerminateNotSupported: TLS Terminate listener → supportedKinds [], Accepted=False/UnsupportedValue, 0 routes', () =>
    suite.withCase(['tlsroute-listener-terminate-not-supported'], async () => {
      await suite.converge('38', ({ result }) => {
        const s = gatewayStatus(result, 'gateway-tlsroute-terminate-unsupported');
        expectLatestGeneration(s, 1);
        expectListeners(s, [{ name: 'tls-terminate', supportedKinds: [], attachedRoutes: 0, conditions: [F('Accepted', 'UnsupportedValue')] }]);
      });
    }));

  it('39 not claimed: TLSRouteModeTerminate (TLSRouteListenerTerminateSupportedKinds) — the listener is refused exactly as in 38', () =>
    suite.withCase(['tlsroute-listener-terminate-supported-kinds'], async () => {
      await suite.converge('39', ({ result }) => {
        const s = gatewayStatus(result, 'gateway-tlsroute-terminate-supported');
        expectLatestGeneration(s, 1);
        expectListeners(s, [{ name: 'tls-terminate', supportedKinds: [], attachedRoutes: 0, conditions: [F('Accepted', 'UnsupportedValue'), F('Programmed')] }]);
        expectConditions(s.conditions, [F('Accepted', 'ListenersNotValid')], 'gateway-tlsroute-terminate-supported');
      });
    }));

  it('40 not claimed: mixed termination — Terminate listener UnsupportedValue, the Passthrough one stays Accepted', () =>
    suite.withCase(['tlsroute-listener-mixed-termination-not-supported'], async () => {
      await suite.converge('40', ({ result }) => {
        const s = gatewayStatus(result, 'gateway-tlsroute-mixed-termination-not-supported');
        expectLatestGeneration(s, 1);
        expectListeners(s, [
          { name: 'tls-terminate', supportedKinds: [], attachedRoutes: 0, conditions: [F('Accepted', 'UnsupportedValue'), F('Programmed')] },
          { name: 'tls-passthrough', supportedKinds: ['TLSRoute'], attachedRoutes: 0, conditions: [T('Accepted', 'Accepted'), T('Programmed'), T('ResolvedRefs')] },
        ]);
        // A refused listener cannot conflict with anything, so no ProtocolConflict is reported.
        expect(s.listeners.flatMap((l) => l.conditions).filter((c) => c.reason === 'ProtocolConflict')).toEqual([]);
        expectConditions(s.conditions, [T('Accepted', 'ListenersNotValid'), T('Programmed')], 'gateway-tlsroute-mixed-termination-not-supported');
      });
    }));

  it.each([
    ['41a TLSRouteInvalidBackendRefNonexistent', 'BackendNotFound', 'tlsroute-invalid-backendref-nonexistent', 'gateway-tlsroute-invalid-backend-ref-nonexistent', 'invalid-backend-ref-nonexistent'],
    ['41b TLSRouteInvalidBackendRefUnknownKind', 'InvalidKind', 'tlsroute-invalid-backendref-unknown-kind', 'gateway-tlsroute-invalid-backend-ref-unknown-kind', 'invalid-backend-ref-unknown-kind'],
  ])('%s: Accepted=True, ResolvedRefs=False/%s', (c, reason, file, gw, r) =>
    suite.withCase([file], async () => {
      await suite.converge(c, ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: gw }, [tls(r)]);
        expectParent(routeStatus(result, 'TLSRoute', r), { name: gw, conditions: [T('Accepted'), F('ResolvedRefs', reason)] }, { routeNamespace: INFRA, generation: 1 });
        expectListeners(gatewayStatus(result, gw), [{ name: 'tls', supportedKinds: ['TLSRoute'], attachedRoutes: 1 }]);
      });
    }));
});

describe('conformance on the API server: the controller itself', () => {
  it('wrote nothing on objects of other controllers, and nothing in 10 s of idleness', async () => {
    await suite.checkOnlyOwnWrites();
    await suite.checkIdle();
  }, 60_000);
});
