// EXPECTATIONS.md cases 34–41 (TLSRoute status). meshgate claims TLSRoute and TLSRouteModeTerminate
// (Terminate and Passthrough on distinct ports), not TLSRouteModeMixed: 38 does not apply, 40 is
// the not-supported case.
import { translate } from '../index';
import { SUPPORTED_FEATURES } from '../gatewayclass';
import type { TranslationInput } from '../input';
import { TLS_INVALID_BACKEND_CASES, tlsRouteCases as expectations } from './expectations-tls';
import { conformanceInput, settle } from './harness';

/** One pass, no generated Services: enough for cases that do not look at addresses. */
const once = (input: TranslationInput) => ({ input, result: translate(input) });

describe('conformance: TLSRoute (EXPECTATIONS.md 34–41)', () => {
  it('meshgate claims TLSRoute and TLSRouteModeTerminate but not TLSRouteModeMixed', () => {
    expect(SUPPORTED_FEATURES).toContain('TLSRoute');
    expect(SUPPORTED_FEATURES).toContain('TLSRouteModeTerminate');
    expect(SUPPORTED_FEATURES).not.toContain('TLSRouteModeMixed');
  });

  it('34 TLSRouteInvalidNoMatchingListenerHostname: disjoint hostnames → Accepted=False/NoMatchingListenerHostname, no accepted parents', () => {
    expectations['34'](settle(conformanceInput('tlsroute-invalid-no-matching-listener-hostname')));
  });

  it('35 TLSRouteInvalidNoMatchingListener: HTTP/HTTPS listeners → NotAllowedByListeners; unknown sectionName → NoMatchingParent', () => {
    expectations['35'](settle(conformanceInput('tlsroute-invalid-no-matching-listener')));
  });

  it('36 TLSRouteInvalidReferenceGrant: seven almost-right grants → Accepted=True/Accepted, ResolvedRefs=False/RefNotPermitted', () => {
    const settled = settle(conformanceInput('tlsroute-invalid-reference-grant'));
    expect(settled.input.referenceGrants).toHaveLength(7);
    expectations['36'](settled);
  });

  it('37 TLSRouteListenerPassthroughSupportedKinds: kinds [TCPRoute, TLSRoute] → supportedKinds ⊇ [TLSRoute], ResolvedRefs=False/InvalidRouteKinds', () => {
    expectations['37'](once(conformanceInput('tlsroute-listener-passthrough-supported-kinds')));
  });

  it('39 TLSRouteListenerTerminateSupportedKinds: TLS Terminate listener → supportedKinds [TLSRoute], Accepted=True', () => {
    expectations['39'](once(conformanceInput('tlsroute-listener-terminate-supported-kinds')));
  });

  it('40 TLSRouteListenerMixedTerminationNotSupported: Terminate + Passthrough on one port → both Accepted=False/ProtocolConflict', () => {
    expectations['40'](settle(conformanceInput('tlsroute-listener-mixed-termination-not-supported')));
  });

  it.each(TLS_INVALID_BACKEND_CASES)('%s: Accepted=True, ResolvedRefs=False/%s', (_case, reason, file, gw, r) => {
    expectations['41'](reason, gw, r)(settle(conformanceInput(file)));
  });
});
