// EXPECTATIONS.md cases 17–33 (HTTPRoute status) on the real API server with the real
// controller: the assertions of translators/conformance/httproute.test.ts over live status.
import type { HTTPRoute } from '../../translators/api/gateway-api';
import { httpRouteCases as expectations } from '../../translators/conformance/expectations';
import { expectLatestGeneration, INFRA, routeStatus, WEB } from '../../translators/conformance/harness';
import { ConformanceSuite } from './support';

const suite = new ConformanceSuite('httproute');

beforeAll(() => suite.setup(), 300_000);
afterAll(() => suite.teardown(), 300_000);

describe('conformance on the API server: HTTPRoute (EXPECTATIONS.md 17–33)', () => {
  it('17 HTTPRouteInvalidCrossNamespaceParentRef: From=Same Gateway refuses a route from another namespace', () =>
    suite.withCase(['httproute-invalid-cross-namespace-parent-ref'], async () => {
      await suite.converge('17', expectations['17']);
    }));

  it('18 HTTPRouteInvalidParentRefNotMatchingSectionName: sectionName http1 → Accepted=False/NoMatchingParent', () =>
    suite.withCase(['httproute-invalid-parentref-not-matching-section-name'], async () => {
      await suite.converge('18', expectations['18']);
    }));

  it('19 HTTPRouteInvalidParentRefNotMatchingListenerPort: port 81 → Accepted=False/NoMatchingParent, ResolvedRefs=True', () =>
    suite.withCase(['httproute-invalid-parentref-not-matching-listener-port'], async () => {
      await suite.converge('19', expectations['19']);
    }));

  it('20 HTTPRouteInvalidParentRefSectionNameNotMatchingPort: sectionName http with port 81 → NoMatchingParent', () =>
    suite.withCase(['httproute-invalid-parentref-section-name-not-matching-port'], async () => {
      await suite.converge('20', expectations['20']);
    }));

  it('21 HTTPRouteDisallowedKind: a TLSRoute-only listener refuses an HTTPRoute → NotAllowedByListeners, ResolvedRefs=True', () =>
    suite.withCase(['httproute-disallowed-kind'], async () => {
      await suite.converge('21', expectations['21']);
    }));

  it('22 HTTPRouteObservedGenerationBump: changing a backend moves every parent condition to the new generation', () =>
    suite.withCase(['httproute-observed-generation-bump'], async (objs) => {
      await suite.converge('22 before', ({ result, input }) => {
        expectations['22 before']({ result, input });
        expectLatestGeneration(routeStatus(result, 'HTTPRoute', 'observed-generation-bump')!, 1);
      });
      const original = objs.find((o) => o.kind === 'HTTPRoute') as HTTPRoute;
      const generation = await suite.patch('httproute', original.metadata.name, INFRA, { spec: { rules: [{ backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] }] } });
      expect(generation).toBe(2);
      await suite.converge('22 after', expectations['22 after']);
    }));

  it('23 HTTPRouteHostnameIntersection: route status, NoMatchingListenerHostname with a full parentRef, exact attachedRoutes', () =>
    suite.withCase(['httproute-hostname-intersection'], async () => {
      await suite.converge('23', expectations['23']);
    }));

  it('24 HTTPRouteInvalidCrossNamespaceBackendRef: backend in another namespace without a grant → Accepted=True, ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['httproute-invalid-cross-namespace-backend-ref'], async () => {
      await suite.converge('24', expectations['24']);
    }));

  it('25 HTTPRouteInvalidNonExistentBackendRef: missing Service → Accepted=True, ResolvedRefs=False/BackendNotFound', () =>
    suite.withCase(['httproute-invalid-nonexistent-backendref'], async () => {
      await suite.converge('25', expectations['25']);
    }));

  it('26 HTTPRouteInvalidBackendRefUnknownKind: unknown backend group/kind → Accepted=True, ResolvedRefs=False/InvalidKind', () =>
    suite.withCase(['httproute-invalid-backendref-unknown-kind'], async () => {
      await suite.converge('26', expectations['26']);
    }));

  it('27 HTTPRouteInvalidReferenceGrant: seven almost-right grants permit nothing → ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['httproute-invalid-reference-grant'], async (objs) => {
      expect(objs.filter((o) => o.kind === 'ReferenceGrant')).toHaveLength(7);
      await suite.converge('27', expectations['27']);
    }));

  it('28 HTTPRoutePartiallyInvalidViaInvalidReferenceGrant: one ungranted backend → Accepted=True, ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['httproute-partially-invalid-via-invalid-reference-grant'], async () => {
      await suite.converge('28', expectations['28']);
    }));

  it('29 HTTPRouteReferenceGrant: the grant resolves the backend; deleting it revokes access (RefNotPermitted)', () =>
    suite.withCase(['httproute-reference-grant'], async (objs) => {
      await suite.converge('29 with the grant', expectations['29 with the grant']);
      const grant = objs.filter((o) => o.kind === 'ReferenceGrant');
      expect(grant.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)).toEqual([`${WEB}/reference-grant`]);
      await suite.remove(grant);
      await suite.converge('29 grant deleted', expectations['29 grant deleted']);
    }));

  it('30 HTTPRouteCrossNamespace: a route from a Selector-admitted namespace is accepted and echoes the parent namespace', () =>
    suite.withCase(['httproute-cross-namespace'], async () => {
      await suite.converge('30', expectations['30']);
    }));

  it('31 HTTPRouteListenerHostnameMatching: sectionName attachment, two parentRefs to one Gateway, all listeners ready', () =>
    suite.withCase(['httproute-listener-hostname-matching'], async () => {
      await suite.converge('31', expectations['31']);
    }));

  it('32 HTTPRouteListenerPortMatching: parentRef.port (and port+sectionName) attachment', () =>
    suite.withCase(['httproute-listener-port-matching'], async () => {
      await suite.converge('32', expectations['32']);
    }));

  it('33 HTTPRouteMultipleGateways: the shared route has one accepted parent entry per Gateway', () =>
    suite.withCase(['httproute-multiple-gateways'], async () => {
      await suite.converge('33', expectations['33']);
    }));
});

describe('conformance on the API server: the controller itself', () => {
  it('wrote nothing on objects of other controllers, and nothing in 10 s of idleness', async () => {
    await suite.checkOnlyOwnWrites();
    await suite.checkIdle();
  }, 60_000);
});
