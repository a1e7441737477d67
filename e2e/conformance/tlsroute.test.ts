// EXPECTATIONS.md cases 34–41 (TLSRoute status) on the real API server with the real controller:
// the assertions of translators/conformance/tlsroute.test.ts over live status. meshgate claims
// TLSRoute and TLSRouteModeTerminate, not TLSRouteModeMixed: 38 does not apply, 40 is the
// not-supported case.
import { TLS_INVALID_BACKEND_CASES, tlsRouteCases as expectations } from '../../translators/conformance/expectations-tls';
import { ConformanceSuite } from './support';

const suite = new ConformanceSuite('tlsroute');

beforeAll(() => suite.setup(), 300_000);
afterAll(() => suite.teardown(), 300_000);

describe('conformance on the API server: TLSRoute (EXPECTATIONS.md 34–41)', () => {
  it('GatewayClass lists TLSRoute and TLSRouteModeTerminate but not TLSRouteModeMixed in supportedFeatures', async () => {
    await suite.converge('supportedFeatures', ({ result }) => {
      const gc = result.statuses.find((s) => s.target.kind === 'GatewayClass' && s.target.name === suite.className) as { supportedFeatures: { name: string }[] } | undefined;
      const names = gc?.supportedFeatures.map((f) => f.name) ?? [];
      expect(names).toContain('TLSRoute');
      expect(names).toContain('TLSRouteModeTerminate');
      expect(names).not.toContain('TLSRouteModeMixed');
    });
  });

  it('34 TLSRouteInvalidNoMatchingListenerHostname: disjoint hostnames → Accepted=False/NoMatchingListenerHostname, no accepted parents', () =>
    suite.withCase(['tlsroute-invalid-no-matching-listener-hostname'], async () => {
      await suite.converge('34', expectations['34']);
    }));

  it('35 TLSRouteInvalidNoMatchingListener: HTTP/HTTPS listeners → NotAllowedByListeners; unknown sectionName → NoMatchingParent', () =>
    suite.withCase(['tlsroute-invalid-no-matching-listener'], async () => {
      await suite.converge('35', expectations['35']);
    }));

  it('36 TLSRouteInvalidReferenceGrant: seven almost-right grants → Accepted=True/Accepted, ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['tlsroute-invalid-reference-grant'], async (objs) => {
      expect(objs.filter((o) => o.kind === 'ReferenceGrant')).toHaveLength(7);
      await suite.converge('36', expectations['36']);
    }));

  it('37 TLSRouteListenerPassthroughSupportedKinds: kinds [TCPRoute, TLSRoute] → supportedKinds ⊇ [TLSRoute], ResolvedRefs=False/InvalidRouteKinds', () =>
    suite.withCase(['tlsroute-listener-passthrough-supported-kinds'], async () => {
      await suite.converge('37', expectations['37']);
    }));

  it('39 TLSRouteListenerTerminateSupportedKinds: TLS Terminate listener → supportedKinds [TLSRoute], Accepted=True', () =>
    suite.withCase(['tlsroute-listener-terminate-supported-kinds'], async () => {
      await suite.converge('39', expectations['39']);
    }));

  it('40 TLSRouteListenerMixedTerminationNotSupported: Terminate + Passthrough on one port → both Accepted=False/ProtocolConflict', () =>
    suite.withCase(['tlsroute-listener-mixed-termination-not-supported'], async () => {
      await suite.converge('40', expectations['40']);
    }));

  it.each(TLS_INVALID_BACKEND_CASES)('%s: Accepted=True, ResolvedRefs=False/%s', (c, reason, file, gw, r) =>
    suite.withCase([file], async () => {
      await suite.converge(c, expectations['41'](reason, gw, r));
    }));
});

describe('conformance on the API server: the controller itself', () => {
  it('wrote nothing on objects of other controllers, and nothing in 10 s of idleness', async () => {
    await suite.checkOnlyOwnWrites();
    await suite.checkIdle();
  }, 60_000);
});
