// EXPECTATIONS.md cases 17–33 (HTTPRoute status).
import type { HTTPRoute } from '../api/gateway-api';
import { translate } from '../index';
import {
  conformanceInput, expectConditions, expectGatewayAndRoutesAccepted, expectIncrementalMatchesFull, expectLatestGeneration,
  expectListeners, expectNoAcceptedParents, expectParent, expectZeroRoutes, F, gatewayStatus, INFRA, removeFrom, replaceIn,
  routeStatus, settle, T, WEB,
} from './harness';

const route = (kind: 'HTTPRoute', name: string, namespace = INFRA) => ({ kind, name, namespace });

describe('conformance: HTTPRoute (EXPECTATIONS.md 17–33)', () => {
  it('17 HTTPRouteInvalidCrossNamespaceParentRef: From=Same Gateway refuses a route from another namespace', () => {
    const { result } = settle(conformanceInput('httproute-invalid-cross-namespace-parent-ref'));
    const r = routeStatus(result, 'HTTPRoute', 'invalid-cross-namespace-parent-ref', WEB);
    const p = expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NotAllowedByListeners'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: WEB, generation: 1 });
    expect(p.parentRef).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: INFRA, name: 'same-namespace' });
    expectNoAcceptedParents(r, 'invalid-cross-namespace-parent-ref');
    expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
  });

  it('18 HTTPRouteInvalidParentRefNotMatchingSectionName: sectionName http1 → Accepted=False/NoMatchingParent', () => {
    const { result } = settle(conformanceInput('httproute-invalid-parentref-not-matching-section-name'));
    const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-not-matching-section-name');
    expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NoMatchingParent')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'httproute-listener-not-matching-section-name');
    expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
  });

  it('19 HTTPRouteInvalidParentRefNotMatchingListenerPort: port 81 → Accepted=False/NoMatchingParent, ResolvedRefs=True', () => {
    const { result } = settle(conformanceInput('httproute-invalid-parentref-not-matching-listener-port'));
    const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-not-matching-route-port');
    expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NoMatchingParent'), T('ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'httproute-listener-not-matching-route-port');
    expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
  });

  it('20 HTTPRouteInvalidParentRefSectionNameNotMatchingPort: sectionName http with port 81 → NoMatchingParent', () => {
    const { result } = settle(conformanceInput('httproute-invalid-parentref-section-name-not-matching-port'));
    const gw = 'gateway-with-one-not-matching-port-and-section-name-route';
    const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-section-name-not-matching-port');
    expectParent(r, { name: gw, conditions: [F('Accepted', 'NoMatchingParent')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'httproute-listener-section-name-not-matching-port');
    const s = gatewayStatus(result, gw);
    expectLatestGeneration(s, 1);
    expectZeroRoutes(s);
  });

  it('21 HTTPRouteDisallowedKind: a TLSRoute-only listener refuses an HTTPRoute → NotAllowedByListeners, ResolvedRefs=True', () => {
    const { result } = settle(conformanceInput('httproute-disallowed-kind'));
    const r = routeStatus(result, 'HTTPRoute', 'disallowed-kind');
    expectParent(r, { name: 'tlsroutes-only', conditions: [F('Accepted', 'NotAllowedByListeners'), T('ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'disallowed-kind');
    const s = gatewayStatus(result, 'tlsroutes-only');
    expectLatestGeneration(s, 1);
    expectZeroRoutes(s);
  });

  it('22 HTTPRouteObservedGenerationBump: changing a backend moves every parent condition to the new generation', () => {
    const { input: before, result: first } = settle(conformanceInput('httproute-observed-generation-bump'));
    expectGatewayAndRoutesAccepted(first, before, { name: 'same-namespace' }, [route('HTTPRoute', 'observed-generation-bump')]);
    const original = before.httpRoutes.find((r) => r.metadata.name === 'observed-generation-bump') as HTTPRoute;
    const mutated: HTTPRoute = {
      ...original,
      metadata: { ...original.metadata, generation: 2 },
      spec: { ...original.spec, rules: [{ backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] }] },
    };
    const after = replaceIn(before, mutated);
    const check = (res: ReturnType<typeof translate>) =>
      expectParent(routeStatus(res, 'HTTPRoute', 'observed-generation-bump'), { name: 'same-namespace', conditions: [T('Accepted'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: INFRA, generation: 2 });
    check(translate(after));
    check(expectIncrementalMatchesFull(before, after, (e) => e.upsert([mutated])));
  });

  it('23 HTTPRouteHostnameIntersection: route status, NoMatchingListenerHostname with a full parentRef, exact attachedRoutes', () => {
    const { input, result } = settle(conformanceInput('httproute-hostname-intersection'));
    const accepted = ['specific-host-matches-listener-specific-host', 'specific-host-matches-listener-wildcard-host', 'wildcard-host-matches-listener-specific-host', 'wildcard-host-matches-listener-wildcard-host'];
    expectGatewayAndRoutesAccepted(result, input, { name: 'httproute-hostname-intersection' }, accepted.map((n) => route('HTTPRoute', n)));
    for (const n of accepted) expectParent(routeStatus(result, 'HTTPRoute', n), { name: 'httproute-hostname-intersection', conditions: [T('ResolvedRefs')] }, { routeNamespace: INFRA });
    const p = expectParent(routeStatus(result, 'HTTPRoute', 'no-intersecting-hosts'), { name: 'httproute-hostname-intersection', conditions: [F('Accepted', 'NoMatchingListenerHostname')] }, { routeNamespace: INFRA, generation: 1 });
    expect(p.parentRef).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: INFRA, name: 'httproute-hostname-intersection' });
    expectListeners(gatewayStatus(result, 'httproute-hostname-intersection'), [
      { name: 'listener-1', supportedKinds: ['HTTPRoute'], attachedRoutes: 2 },
      { name: 'listener-2', supportedKinds: ['HTTPRoute'], attachedRoutes: 1 },
      { name: 'listener-3', supportedKinds: ['HTTPRoute'], attachedRoutes: 1 },
    ]);
    expectGatewayAndRoutesAccepted(result, input, { name: 'httproute-hostname-intersection-all' }, [route('HTTPRoute', 'httproute-hostname-intersection-all')]);
  });

  it('24 HTTPRouteInvalidCrossNamespaceBackendRef: backend in another namespace without a grant → Accepted=True, ResolvedRefs=False/RefNotPermitted', () => {
    const { input, result } = settle(conformanceInput('httproute-invalid-cross-namespace-backend-ref'));
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('HTTPRoute', 'invalid-cross-namespace-backend-ref')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-cross-namespace-backend-ref'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  });

  it('25 HTTPRouteInvalidNonExistentBackendRef: missing Service → Accepted=True, ResolvedRefs=False/BackendNotFound', () => {
    const { input, result } = settle(conformanceInput('httproute-invalid-nonexistent-backendref'));
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('HTTPRoute', 'invalid-nonexistent-backend-ref')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-nonexistent-backend-ref'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'BackendNotFound')] }, { routeNamespace: INFRA, generation: 1 });
  });

  it('26 HTTPRouteInvalidBackendRefUnknownKind: unknown backend group/kind → Accepted=True, ResolvedRefs=False/InvalidKind', () => {
    const { input, result } = settle(conformanceInput('httproute-invalid-backendref-unknown-kind'));
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('HTTPRoute', 'invalid-backend-ref-unknown-kind')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-backend-ref-unknown-kind'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'InvalidKind')] }, { routeNamespace: INFRA, generation: 1 });
  });

  it('27 HTTPRouteInvalidReferenceGrant: seven almost-right grants permit nothing → ResolvedRefs=False/RefNotPermitted', () => {
    const { input, result } = settle(conformanceInput('httproute-invalid-reference-grant'));
    expect(input.referenceGrants).toHaveLength(7);
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('HTTPRoute', 'reference-grant')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  });

  it('28 HTTPRoutePartiallyInvalidViaInvalidReferenceGrant: one ungranted backend → Accepted=True, ResolvedRefs=False/RefNotPermitted', () => {
    const { input, result } = settle(conformanceInput('httproute-partially-invalid-via-invalid-reference-grant'));
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('HTTPRoute', 'invalid-reference-grant')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  });

  it('29 HTTPRouteReferenceGrant: the grant resolves the backend; deleting it revokes access (RefNotPermitted)', () => {
    const { input: before, result } = settle(conformanceInput('httproute-reference-grant'));
    expectGatewayAndRoutesAccepted(result, before, { name: 'same-namespace' }, [route('HTTPRoute', 'reference-grant')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
    const after = removeFrom(before, 'ReferenceGrant', WEB, 'reference-grant');
    expect(after.referenceGrants).toHaveLength(0);
    const check = (res: ReturnType<typeof translate>) =>
      expectParent(routeStatus(res, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
    check(translate(after));
    check(expectIncrementalMatchesFull(before, after, (e) => e.remove([{ kind: 'ReferenceGrant', namespace: WEB, name: 'reference-grant' }])));
  });

  it('30 HTTPRouteCrossNamespace: a route from a Selector-admitted namespace is accepted and echoes the parent namespace', () => {
    const { input, result } = settle(conformanceInput('httproute-cross-namespace'));
    expectGatewayAndRoutesAccepted(result, input, { name: 'backend-namespaces' }, [route('HTTPRoute', 'cross-namespace', WEB)]);
    const p = expectParent(routeStatus(result, 'HTTPRoute', 'cross-namespace', WEB), { name: 'backend-namespaces', conditions: [T('Accepted'), T('ResolvedRefs')] }, { routeNamespace: WEB, generation: 1 });
    expect(p.parentRef.namespace).toBe(INFRA);
  });

  it('31 HTTPRouteListenerHostnameMatching: sectionName attachment, two parentRefs to one Gateway, all listeners ready', () => {
    const { input, result } = settle(conformanceInput('httproute-listener-hostname-matching'));
    const gw = { name: 'httproute-listener-hostname-matching' };
    expectGatewayAndRoutesAccepted(result, input, gw, ['backend-v1', 'backend-v2', 'backend-v3'].map((n) => route('HTTPRoute', n)));
    for (const n of ['backend-v1', 'backend-v2', 'backend-v3']) expectParent(routeStatus(result, 'HTTPRoute', n), { name: gw.name, conditions: [T('ResolvedRefs')] }, { routeNamespace: INFRA });
    const v3 = routeStatus(result, 'HTTPRoute', 'backend-v3')!;
    expect(v3.parents.map((p) => p.parentRef.sectionName).sort()).toEqual(['listener-3', 'listener-4']);
    expect(v3.parents.every((p) => p.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'))).toBe(true);
    expectListeners(gatewayStatus(result, gw.name), [
      { name: 'listener-1', attachedRoutes: 1 },
      { name: 'listener-2', attachedRoutes: 1 },
      { name: 'listener-3', attachedRoutes: 1 },
      { name: 'listener-4', attachedRoutes: 1 },
    ]);
  });

  it('32 HTTPRouteListenerPortMatching: parentRef.port (and port+sectionName) attachment', () => {
    const { input, result } = settle(conformanceInput('httproute-listener-port-matching'));
    const gw = { name: 'httproute-listener-port-matching' };
    expectGatewayAndRoutesAccepted(result, input, gw, ['backend-v1', 'backend-v2', 'backend-v3'].map((n) => route('HTTPRoute', n)));
    expectListeners(gatewayStatus(result, gw.name), [
      { name: 'listener-1', attachedRoutes: 1 },
      { name: 'listener-2', attachedRoutes: 1 },
      { name: 'listener-3', attachedRoutes: 1 },
      { name: 'listener-4', attachedRoutes: 1 },
      { name: 'listener-5', attachedRoutes: 0 },
    ]);
  });

  it('33 HTTPRouteMultipleGateways: the shared route has one accepted parent entry per Gateway', () => {
    const { input, result } = settle(conformanceInput('httproute-multiple-gateways'));
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('HTTPRoute', 'multiple-gateways-shared-route'), route('HTTPRoute', 'same-namespace-dedicated-route')]);
    expectGatewayAndRoutesAccepted(result, input, { name: 'all-namespaces' }, [route('HTTPRoute', 'multiple-gateways-shared-route'), route('HTTPRoute', 'all-namespaces-dedicated-route')]);
    const shared = routeStatus(result, 'HTTPRoute', 'multiple-gateways-shared-route')!;
    expect(shared.parents.map((p) => p.parentRef.name).sort()).toEqual(['all-namespaces', 'same-namespace']);
    expectLatestGeneration(shared, 1);
    expect(gatewayStatus(result, 'same-namespace').listeners[0].attachedRoutes).toBe(2);
    expect(gatewayStatus(result, 'all-namespaces').listeners[0].attachedRoutes).toBe(2);
    expectConditions(gatewayStatus(result, 'all-namespaces').conditions, [T('Accepted'), T('Programmed')], 'all-namespaces');
  });
});
