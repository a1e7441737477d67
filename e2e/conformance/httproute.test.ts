// EXPECTATIONS.md cases 17–33 (HTTPRoute status) on the real API server with the real
// controller: the assertions of translators/conformance/httproute.test.ts over live status.
import type { HTTPRoute } from '../../translators/api/gateway-api';
import {
  expectConditions, expectGatewayAndRoutesAccepted, expectLatestGeneration, expectListeners, expectNoAcceptedParents, expectParent, expectZeroRoutes, F,
  gatewayStatus, INFRA, routeStatus, T, WEB,
} from '../../translators/conformance/harness';
import { ConformanceSuite } from './support';

const suite = new ConformanceSuite('httproute');
const route = (name: string, namespace = INFRA) => ({ kind: 'HTTPRoute' as const, name, namespace });

beforeAll(() => suite.setup(), 300_000);
afterAll(() => suite.teardown(), 300_000);

describe('conformance on the API server: HTTPRoute (EXPECTATIONS.md 17–33)', () => {
  it('17 HTTPRouteInvalidCrossNamespaceParentRef: From=Same Gateway refuses a route from another namespace', () =>
    suite.withCase(['httproute-invalid-cross-namespace-parent-ref'], async () => {
      await suite.converge('17', ({ result }) => {
        const r = routeStatus(result, 'HTTPRoute', 'invalid-cross-namespace-parent-ref', WEB);
        const p = expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NotAllowedByListeners'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: WEB, generation: 1 });
        expect(p.parentRef).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: INFRA, name: 'same-namespace' });
        expectNoAcceptedParents(r, 'invalid-cross-namespace-parent-ref');
        expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
      });
    }));

  it('18 HTTPRouteInvalidParentRefNotMatchingSectionName: sectionName http1 → Accepted=False/NoMatchingParent', () =>
    suite.withCase(['httproute-invalid-parentref-not-matching-section-name'], async () => {
      await suite.converge('18', ({ result }) => {
        const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-not-matching-section-name');
        expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NoMatchingParent')] }, { routeNamespace: INFRA, generation: 1 });
        expectNoAcceptedParents(r, 'httproute-listener-not-matching-section-name');
        expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
      });
    }));

  it('19 HTTPRouteInvalidParentRefNotMatchingListenerPort: port 81 → Accepted=False/NoMatchingParent, ResolvedRefs=True', () =>
    suite.withCase(['httproute-invalid-parentref-not-matching-listener-port'], async () => {
      await suite.converge('19', ({ result }) => {
        const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-not-matching-route-port');
        expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NoMatchingParent'), T('ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
        expectNoAcceptedParents(r, 'httproute-listener-not-matching-route-port');
        expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
      });
    }));

  it('20 HTTPRouteInvalidParentRefSectionNameNotMatchingPort: sectionName http with port 81 → NoMatchingParent', () =>
    suite.withCase(['httproute-invalid-parentref-section-name-not-matching-port'], async () => {
      const gw = 'gateway-with-one-not-matching-port-and-section-name-route';
      await suite.converge('20', ({ result }) => {
        const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-section-name-not-matching-port');
        expectParent(r, { name: gw, conditions: [F('Accepted', 'NoMatchingParent')] }, { routeNamespace: INFRA, generation: 1 });
        expectNoAcceptedParents(r, 'httproute-listener-section-name-not-matching-port');
        const s = gatewayStatus(result, gw);
        expectLatestGeneration(s, 1);
        expectZeroRoutes(s);
      });
    }));

  it('21 HTTPRouteDisallowedKind: a TLSRoute-only listener refuses an HTTPRoute → NotAllowedByListeners, ResolvedRefs=True', () =>
    suite.withCase(['httproute-disallowed-kind'], async () => {
      await suite.converge('21', ({ result }) => {
        const r = routeStatus(result, 'HTTPRoute', 'disallowed-kind');
        expectParent(r, { name: 'tlsroutes-only', conditions: [F('Accepted', 'NotAllowedByListeners'), T('ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
        expectNoAcceptedParents(r, 'disallowed-kind');
        const s = gatewayStatus(result, 'tlsroutes-only');
        expectLatestGeneration(s, 1);
        expectZeroRoutes(s);
      });
    }));

  it('22 HTTPRouteObservedGenerationBump: changing a backend moves every parent condition to the new generation', () =>
    suite.withCase(['httproute-observed-generation-bump'], async (objs) => {
      await suite.converge('22 before', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('observed-generation-bump')]);
        expectLatestGeneration(routeStatus(result, 'HTTPRoute', 'observed-generation-bump')!, 1);
      });
      const original = objs.find((o) => o.kind === 'HTTPRoute') as HTTPRoute;
      const generation = await suite.patch('httproute', original.metadata.name, INFRA, { spec: { rules: [{ backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] }] } });
      expect(generation).toBe(2);
      await suite.converge('22 after', ({ result }) => {
        expectParent(routeStatus(result, 'HTTPRoute', 'observed-generation-bump'), { name: 'same-namespace', conditions: [T('Accepted'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: INFRA, generation: 2 });
      });
    }));

  it('23 HTTPRouteHostnameIntersection: route status, NoMatchingListenerHostname with a full parentRef, exact attachedRoutes', () =>
    suite.withCase(['httproute-hostname-intersection'], async () => {
      const accepted = ['specific-host-matches-listener-specific-host', 'specific-host-matches-listener-wildcard-host', 'wildcard-host-matches-listener-specific-host', 'wildcard-host-matches-listener-wildcard-host'];
      await suite.converge('23', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'httproute-hostname-intersection' }, accepted.map((n) => route(n)));
        for (const n of accepted) expectParent(routeStatus(result, 'HTTPRoute', n), { name: 'httproute-hostname-intersection', conditions: [T('ResolvedRefs')] }, { routeNamespace: INFRA });
        const p = expectParent(routeStatus(result, 'HTTPRoute', 'no-intersecting-hosts'), { name: 'httproute-hostname-intersection', conditions: [F('Accepted', 'NoMatchingListenerHostname')] }, { routeNamespace: INFRA, generation: 1 });
        expect(p.parentRef).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: INFRA, name: 'httproute-hostname-intersection' });
        expectListeners(gatewayStatus(result, 'httproute-hostname-intersection'), [
          { name: 'listener-1', supportedKinds: ['HTTPRoute'], attachedRoutes: 2 },
          { name: 'listener-2', supportedKinds: ['HTTPRoute'], attachedRoutes: 1 },
          { name: 'listener-3', supportedKinds: ['HTTPRoute'], attachedRoutes: 1 },
        ]);
        expectGatewayAndRoutesAccepted(result, input, { name: 'httproute-hostname-intersection-all' }, [route('httproute-hostname-intersection-all')]);
      });
    }));

  it('24 HTTPRouteInvalidCrossNamespaceBackendRef: backend in another namespace without a grant → Accepted=True, ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['httproute-invalid-cross-namespace-backend-ref'], async () => {
      await suite.converge('24', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('invalid-cross-namespace-backend-ref')]);
        expectParent(routeStatus(result, 'HTTPRoute', 'invalid-cross-namespace-backend-ref'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
      });
    }));

  it('25 HTTPRouteInvalidNonExistentBackendRef: missing Service → Accepted=True, ResolvedRefs=False/BackendNotFound', () =>
    suite.withCase(['httproute-invalid-nonexistent-backendref'], async () => {
      await suite.converge('25', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('invalid-nonexistent-backend-ref')]);
        expectParent(routeStatus(result, 'HTTPRoute', 'invalid-nonexistent-backend-ref'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'BackendNotFound')] }, { routeNamespace: INFRA, generation: 1 });
      });
    }));

  it('26 HTTPRouteInvalidBackendRefUnknownKind: unknown backend group/kind → Accepted=True, ResolvedRefs=False/InvalidKind', () =>
    suite.withCase(['httproute-invalid-backendref-unknown-kind'], async () => {
      await suite.converge('26', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('invalid-backend-ref-unknown-kind')]);
        expectParent(routeStatus(result, 'HTTPRoute', 'invalid-backend-ref-unknown-kind'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'InvalidKind')] }, { routeNamespace: INFRA, generation: 1 });
      });
    }));

  it('27 HTTPRouteInvalidReferenceGrant: seven almost-right grants permit nothing → ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['httproute-invalid-reference-grant'], async (objs) => {
      expect(objs.filter((o) => o.kind === 'ReferenceGrant')).toHaveLength(7);
      await suite.converge('27', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('reference-grant')]);
        expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
      });
    }));

  it('28 HTTPRoutePartiallyInvalidViaInvalidReferenceGrant: one ungranted backend → Accepted=True, ResolvedRefs=False/RefNotPermitted', () =>
    suite.withCase(['httproute-partially-invalid-via-invalid-reference-grant'], async () => {
      await suite.converge('28', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('invalid-reference-grant')]);
        expectParent(routeStatus(result, 'HTTPRoute', 'invalid-reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
      });
    }));

  it('29 HTTPRouteReferenceGrant: the grant resolves the backend; deleting it revokes access (RefNotPermitted)', () =>
    suite.withCase(['httproute-reference-grant'], async (objs) => {
      await suite.converge('29 with the grant', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('reference-grant')]);
        expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
      });
      const grant = objs.filter((o) => o.kind === 'ReferenceGrant');
      expect(grant.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)).toEqual([`${WEB}/reference-grant`]);
      await suite.remove(grant);
      await suite.converge('29 grant deleted', ({ result }) => {
        expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
      });
    }));

  it('30 HTTPRouteCrossNamespace: a route from a Selector-admitted namespace is accepted and echoes the parent namespace', () =>
    suite.withCase(['httproute-cross-namespace'], async () => {
      await suite.converge('30', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'backend-namespaces' }, [route('cross-namespace', WEB)]);
        const p = expectParent(routeStatus(result, 'HTTPRoute', 'cross-namespace', WEB), { name: 'backend-namespaces', conditions: [T('Accepted'), T('ResolvedRefs')] }, { routeNamespace: WEB, generation: 1 });
        expect(p.parentRef.namespace).toBe(INFRA);
      });
    }));

  it('31 HTTPRouteListenerHostnameMatching: sectionName attachment, two parentRefs to one Gateway, all listeners ready', () =>
    suite.withCase(['httproute-listener-hostname-matching'], async () => {
      const gw = { name: 'httproute-listener-hostname-matching' };
      await suite.converge('31', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, gw, ['backend-v1', 'backend-v2', 'backend-v3'].map((n) => route(n)));
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
    }));

  it('32 HTTPRouteListenerPortMatching: parentRef.port (and port+sectionName) attachment', () =>
    suite.withCase(['httproute-listener-port-matching'], async () => {
      const gw = { name: 'httproute-listener-port-matching' };
      await suite.converge('32', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, gw, ['backend-v1', 'backend-v2', 'backend-v3'].map((n) => route(n)));
        expectListeners(gatewayStatus(result, gw.name), [
          { name: 'listener-1', attachedRoutes: 1 },
          { name: 'listener-2', attachedRoutes: 1 },
          { name: 'listener-3', attachedRoutes: 1 },
          { name: 'listener-4', attachedRoutes: 1 },
          { name: 'listener-5', attachedRoutes: 0 },
        ]);
      });
    }));

  it('33 HTTPRouteMultipleGateways: the shared route has one accepted parent entry per Gateway', () =>
    suite.withCase(['httproute-multiple-gateways'], async () => {
      await suite.converge('33', ({ result, input }) => {
        expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [route('multiple-gateways-shared-route'), route('same-namespace-dedicated-route')]);
        expectGatewayAndRoutesAccepted(result, input, { name: 'all-namespaces' }, [route('multiple-gateways-shared-route'), route('all-namespaces-dedicated-route')]);
        const shared = routeStatus(result, 'HTTPRoute', 'multiple-gateways-shared-route')!;
        expect(shared.parents.map((p) => p.parentRef.name).sort()).toEqual(['all-namespaces', 'same-namespace']);
        expectLatestGeneration(shared, 1);
        expect(gatewayStatus(result, 'same-namespace').listeners[0].attachedRoutes).toBe(2);
        expect(gatewayStatus(result, 'all-namespaces').listeners[0].attachedRoutes).toBe(2);
        expectConditions(gatewayStatus(result, 'all-namespaces').conditions, [T('Accepted'), T('Programmed')], 'all-namespaces');
      });
    }));
});

describe('conformance on the API server: the controller itself', () => {
  it('wrote nothing on objects of other controllers, and nothing in 10 s of idleness', async () => {
    await suite.checkOnlyOwnWrites();
    await suite.checkIdle();
  }, 60_000);
});
