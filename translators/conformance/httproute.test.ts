// EXPECTATIONS.md cases 17–33 (HTTPRoute status).
import type { HTTPRoute } from '../api/gateway-api';
import { translate } from '../index';
import { httpRouteCases as expectations } from './expectations';
import { conformanceInput, expectIncrementalMatchesFull, removeFrom, replaceIn, settle, WEB } from './harness';

describe('conformance: HTTPRoute (EXPECTATIONS.md 17–33)', () => {
  it('17 HTTPRouteInvalidCrossNamespaceParentRef: From=Same Gateway refuses a route from another namespace', () => {
    expectations['17'](settle(conformanceInput('httproute-invalid-cross-namespace-parent-ref')));
  });

  it('18 HTTPRouteInvalidParentRefNotMatchingSectionName: sectionName http1 → Accepted=False/NoMatchingParent', () => {
    expectations['18'](settle(conformanceInput('httproute-invalid-parentref-not-matching-section-name')));
  });

  it('19 HTTPRouteInvalidParentRefNotMatchingListenerPort: port 81 → Accepted=False/NoMatchingParent, ResolvedRefs=True', () => {
    expectations['19'](settle(conformanceInput('httproute-invalid-parentref-not-matching-listener-port')));
  });

  it('20 HTTPRouteInvalidParentRefSectionNameNotMatchingPort: sectionName http with port 81 → NoMatchingParent', () => {
    expectations['20'](settle(conformanceInput('httproute-invalid-parentref-section-name-not-matching-port')));
  });

  it('21 HTTPRouteDisallowedKind: a TLSRoute-only listener refuses an HTTPRoute → NotAllowedByListeners, ResolvedRefs=True', () => {
    expectations['21'](settle(conformanceInput('httproute-disallowed-kind')));
  });

  it('22 HTTPRouteObservedGenerationBump: changing a backend moves every parent condition to the new generation', () => {
    const { input: before, result: first } = settle(conformanceInput('httproute-observed-generation-bump'));
    expectations['22 before']({ result: first, input: before });
    const original = before.httpRoutes.find((r) => r.metadata.name === 'observed-generation-bump') as HTTPRoute;
    const mutated: HTTPRoute = {
      ...original,
      metadata: { ...original.metadata, generation: 2 },
      spec: { ...original.spec, rules: [{ backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] }] },
    };
    const after = replaceIn(before, mutated);
    const check = (res: ReturnType<typeof translate>) => expectations['22 after']({ result: res, input: after });
    check(translate(after));
    check(expectIncrementalMatchesFull(before, after, (e) => e.upsert([mutated])));
  });

  it('23 HTTPRouteHostnameIntersection: route status, NoMatchingListenerHostname with a full parentRef, exact attachedRoutes', () => {
    expectations['23'](settle(conformanceInput('httproute-hostname-intersection')));
  });

  it('24 HTTPRouteInvalidCrossNamespaceBackendRef: backend in another namespace without a grant → Accepted=True, ResolvedRefs=False/RefNotPermitted', () => {
    expectations['24'](settle(conformanceInput('httproute-invalid-cross-namespace-backend-ref')));
  });

  it('25 HTTPRouteInvalidNonExistentBackendRef: missing Service → Accepted=True, ResolvedRefs=False/BackendNotFound', () => {
    expectations['25'](settle(conformanceInput('httproute-invalid-nonexistent-backendref')));
  });

  it('26 HTTPRouteInvalidBackendRefUnknownKind: unknown backend group/kind → Accepted=True, ResolvedRefs=False/InvalidKind', () => {
    expectations['26'](settle(conformanceInput('httproute-invalid-backendref-unknown-kind')));
  });

  it('27 HTTPRouteInvalidReferenceGrant: seven almost-right grants permit nothing → ResolvedRefs=False/RefNotPermitted', () => {
    const settled = settle(conformanceInput('httproute-invalid-reference-grant'));
    expect(settled.input.referenceGrants).toHaveLength(7);
    expectations['27'](settled);
  });

  it('28 HTTPRoutePartiallyInvalidViaInvalidReferenceGrant: one ungranted backend → Accepted=True, ResolvedRefs=False/RefNotPermitted', () => {
    expectations['28'](settle(conformanceInput('httproute-partially-invalid-via-invalid-reference-grant')));
  });

  it('29 HTTPRouteReferenceGrant: the grant resolves the backend; deleting it revokes access (RefNotPermitted)', () => {
    const { input: before, result } = settle(conformanceInput('httproute-reference-grant'));
    expectations['29 with the grant']({ result, input: before });
    const after = removeFrom(before, 'ReferenceGrant', WEB, 'reference-grant');
    expect(after.referenceGrants).toHaveLength(0);
    const check = (res: ReturnType<typeof translate>) => expectations['29 grant deleted']({ result: res, input: after });
    check(translate(after));
    check(expectIncrementalMatchesFull(before, after, (e) => e.remove([{ kind: 'ReferenceGrant', namespace: WEB, name: 'reference-grant' }])));
  });

  it('30 HTTPRouteCrossNamespace: a route from a Selector-admitted namespace is accepted and echoes the parent namespace', () => {
    expectations['30'](settle(conformanceInput('httproute-cross-namespace')));
  });

  it('31 HTTPRouteListenerHostnameMatching: sectionName attachment, two parentRefs to one Gateway, all listeners ready', () => {
    expectations['31'](settle(conformanceInput('httproute-listener-hostname-matching')));
  });

  it('32 HTTPRouteListenerPortMatching: parentRef.port (and port+sectionName) attachment', () => {
    expectations['32'](settle(conformanceInput('httproute-listener-port-matching')));
  });

  it('33 HTTPRouteMultipleGateways: the shared route has one accepted parent entry per Gateway', () => {
    expectations['33'](settle(conformanceInput('httproute-multiple-gateways')));
  });
});
