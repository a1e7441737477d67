// The status assertions of each EXPECTATIONS.md case, written once and run by both suites: the
// pure one (./gateway.test.ts, ./httproute.test.ts, ./tlsroute.test.ts) on settle(conformanceInput(...)),
// the e2e one (e2e/conformance/*.test.ts) on live status inside suite.converge. Keys are the case
// numbers; "before"/"after" split the cases that change an object between two checks. What only
// one side can check (the input it built, generated objects, the incremental engine) stays there.
import type { Listener } from '../api/gateway-api';
import type { TranslationInput } from '../input';
import type { TranslationResult } from '../result';
import {
  classStatus, expectConditions, expectGatewayAndRoutesAccepted, expectLatestGeneration, expectListeners, expectNamespacesReady,
  expectNoAcceptedParents, expectParent, expectZeroRoutes, F, gatewayStatus, INFRA, routeStatus, T, WEB,
} from './harness';

export interface State {
  result: TranslationResult;
  input: TranslationInput;
}
export type Check = (state: State) => void;

const ready = [T('Accepted'), T('ResolvedRefs')];
const http = (name: string, namespace = INFRA) => ({ kind: 'HTTPRoute' as const, name, namespace });

/** The listener case 11 adds to gateway-add-listener. */
export const ADDED_LISTENER: Listener = { name: 'http', port: 80, protocol: 'HTTP', hostname: 'data.test.com', allowedRoutes: { namespaces: { from: 'All' } } };
/** The listener case 12 appends to gateway-observed-generation-bump. */
export const ALTERNATE_LISTENER: Listener = { name: 'alternate', port: 80, protocol: 'HTTP', hostname: 'foo.com', allowedRoutes: { namespaces: { from: 'All' } } };

/** A 253-character Gateway name (case 14; no YAML ships for it, the upstream test builds it). */
export const MAX_LENGTH_GATEWAY = `gateway-name-maximum-length-${'x'.repeat(253 - 'gateway-name-maximum-length-'.length - 2)}-z`;

// ---- GatewayClass / Gateway (1–16) -------------------------------------------------------

export const gatewayCases = {
  '1': ({ result }: State) => {
    const only = gatewayStatus(result, 'gateway-only-invalid-route-kind');
    expectLatestGeneration(only, 1);
    expectListeners(only, [{ name: 'http', supportedKinds: [], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidRouteKinds')] }]);
    const mixed = gatewayStatus(result, 'gateway-supported-and-invalid-route-kind');
    expectLatestGeneration(mixed, 1);
    expectListeners(mixed, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidRouteKinds')] }]);
  },

  '2': ({ result }: State) => {
    const invalid = { name: 'invalid', supportedKinds: [], attachedRoutes: 0, conditions: [F('Accepted', 'UnsupportedProtocol')] };
    const only = gatewayStatus(result, 'gateway-only-unsupported-protocols');
    expectLatestGeneration(only, 1);
    expectConditions(only.conditions, [F('Accepted', 'ListenersNotValid')], 'gateway-only-unsupported-protocols');
    expectListeners(only, [invalid]);
    const mixed = gatewayStatus(result, 'gateway-supported-and-unsupported-protocols');
    expectLatestGeneration(mixed, 1);
    expectConditions(mixed.conditions, [T('Accepted', 'ListenersNotValid')], 'gateway-supported-and-unsupported-protocols');
    expectListeners(mixed, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [T('Accepted', 'Accepted')] }, invalid]);
  },

  '3': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-invalid-parameters-ref');
    expectLatestGeneration(s, 1);
    expectConditions(s.conditions, [F('Accepted', 'InvalidParameters')], 'gateway-invalid-parameters-ref');
  },

  '4': ({ result }: State) => {
    for (const name of ['gateway-certificate-nonexistent-secret', 'gateway-certificate-unsupported-group', 'gateway-certificate-unsupported-kind', 'gateway-certificate-malformed-secret']) {
      const s = gatewayStatus(result, name);
      expectLatestGeneration(s, 1);
      expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidCertificateRef')] }]);
    }
  },

  '5': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-secret-missing-reference-grant');
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'RefNotPermitted')] }]);
  },

  '6': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-secret-invalid-reference-grant');
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'RefNotPermitted')] }]);
  },

  /** 7 and 8: the Gateway is named after its file. */
  '7/8': (file: string): Check => ({ result, input }) => {
    const s = gatewayStatus(result, file);
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [T('Programmed', 'Programmed'), T('ResolvedRefs')] }]);
    expectNamespacesReady(result, input);
  },

  '9': ({ result, input }: State) => {
    // (a)
    const one = gatewayStatus(result, 'gateway-with-one-attached-route');
    expectLatestGeneration(one, 1);
    expectListeners(one, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready }]);
    // (b)
    const two = gatewayStatus(result, 'gateway-with-two-attached-routes');
    expectLatestGeneration(two, 1);
    expectListeners(two, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 2, conditions: ready }]);
    for (const r of ['http-route-2', 'http-route-3']) {
      expectParent(routeStatus(result, 'HTTPRoute', r), { name: 'gateway-with-two-attached-routes', conditions: [T('Accepted', 'Accepted')] }, { routeNamespace: INFRA, generation: 1 });
    }
    expectParent(routeStatus(result, 'HTTPRoute', 'http-route-not-accepted'), { name: 'gateway-with-two-attached-routes', conditions: [F('Accepted', 'NoMatchingListenerHostname')] }, { routeNamespace: INFRA, generation: 1 });
    // (c)
    const unresolved = gatewayStatus(result, 'unresolved-gateway-with-one-attached-unresolved-route');
    expectLatestGeneration(unresolved, 1);
    expectListeners(unresolved, [{ name: 'tls', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: [F('Programmed'), F('ResolvedRefs')] }]);
    expectParent(routeStatus(result, 'HTTPRoute', 'http-route-4'), { name: 'unresolved-gateway-with-one-attached-unresolved-route', conditions: [F('ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
    expectNamespacesReady(result, input);
  },

  '10': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-with-two-listeners-and-one-attached-route');
    expectLatestGeneration(s, 1);
    expectListeners(s, [
      { name: 'http-unattached', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: ready },
      { name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready },
    ]);
  },

  '11 listener added': ({ result, input }: State) => {
    expectNamespacesReady(result, input);
    const s = gatewayStatus(result, 'gateway-add-listener');
    expectLatestGeneration(s, 2);
    expectListeners(s, [
      { name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready },
      { name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready },
    ]);
  },

  '11 listener removed': ({ result, input }: State) => {
    expectNamespacesReady(result, input);
    const s = gatewayStatus(result, 'gateway-remove-listener');
    expectLatestGeneration(s, 2);
    expectListeners(s, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready }]);
  },

  '12 before': ({ result, input }: State) => {
    expectNamespacesReady(result, input);
    expectLatestGeneration(gatewayStatus(result, 'gateway-observed-generation-bump'), 1);
  },

  '12 after': ({ result, input }: State) => {
    expectNamespacesReady(result, input);
    const s = gatewayStatus(result, 'gateway-observed-generation-bump');
    expectLatestGeneration(s, 2);
    expect(s.listeners.map((l) => l.name).sort()).toEqual(['alternate', 'http']);
  },

  '13 before': ({ result }: State) => {
    const name = 'gatewayclass-observed-generation-bump';
    const first = classStatus(result, name);
    expectConditions(first.conditions, [{ type: 'Accepted', status: 'True' }], name);
    expectLatestGeneration(first, 1);
  },

  '13 after': ({ result }: State) => {
    const s = classStatus(result, 'gatewayclass-observed-generation-bump');
    expect(s.conditions.some((c) => c.type === 'Accepted')).toBe(true);
    expectLatestGeneration(s, 2);
  },

  '14': ({ result }: State) => {
    const s = gatewayStatus(result, MAX_LENGTH_GATEWAY);
    expectLatestGeneration(s, 1);
    expect(s.conditions.map((c) => c.type)).toEqual(expect.arrayContaining(['Accepted', 'Programmed']));
  },

  '15': ({ result }: State) => {
    const cases: [string, string][] = [
      ['gateway-client-certificate-nonexistent-secret', 'InvalidClientCertificateRef'],
      ['gateway-client-certificate-unsupported-group', 'InvalidClientCertificateRef'],
      ['gateway-client-certificate-unsupported-kind', 'InvalidClientCertificateRef'],
      ['gateway-client-certificate-malformed-secret', 'InvalidClientCertificateRef'],
      ['gateway-client-certificate-missing-reference-grant', 'RefNotPermitted'],
    ];
    for (const [name, reason] of cases) {
      const s = gatewayStatus(result, name);
      expectLatestGeneration(s, 1);
      expectConditions(s.conditions, [F('ResolvedRefs', reason), T('Accepted', 'Accepted')], name);
    }
  },

  '16': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-with-invalid-client-cert-validation');
    expectLatestGeneration(s, 1);
    const rejected = [F('Accepted', 'UnsupportedValue'), F('Programmed')];
    expectListeners(s, ['https', 'https-unresolved', 'https-invalid-kind', 'https-grant-missing'].map((name) => ({ name, attachedRoutes: 0, conditions: rejected })));
    expectConditions(s.conditions, [F('Accepted', 'ListenersNotValid'), F('Programmed')], 'gateway-with-invalid-client-cert-validation');
    // Its route names a Gateway that does not exist (client-validation-invalid): no status is written for it.
    expect(routeStatus(result, 'HTTPRoute', 'misconfigured-client-certificate-validation-https-test')).toBeUndefined();
  },

  'static addresses': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-static-addresses');
    expectLatestGeneration(s, 1);
    expectConditions(s.conditions, [F('Accepted', 'UnsupportedAddress'), F('Programmed')], 'gateway-static-addresses');
    expect(s.addresses).toEqual([]);
  },

  /** The upstream test then removes the invalid address; meshgate still refuses the rest. */
  'static addresses, invalid one removed': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-static-addresses');
    expectLatestGeneration(s, 2);
    expectConditions(s.conditions, [F('Accepted', 'UnsupportedAddress')], 'gateway-static-addresses');
  },

  'optional address value': ({ result }: State) => {
    const s = gatewayStatus(result, 'gateway-without-address-value');
    expectLatestGeneration(s, 1);
    expectConditions(s.conditions, [F('Accepted', 'UnsupportedAddress')], 'gateway-without-address-value');
  },
};

// ---- HTTPRoute (17–33) -------------------------------------------------------------------

export const httpRouteCases = {
  '17': ({ result }: State) => {
    const r = routeStatus(result, 'HTTPRoute', 'invalid-cross-namespace-parent-ref', WEB);
    const p = expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NotAllowedByListeners'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: WEB, generation: 1 });
    expect(p.parentRef).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: INFRA, name: 'same-namespace' });
    expectNoAcceptedParents(r, 'invalid-cross-namespace-parent-ref');
    expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
  },

  '18': ({ result }: State) => {
    const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-not-matching-section-name');
    expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NoMatchingParent')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'httproute-listener-not-matching-section-name');
    expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
  },

  '19': ({ result }: State) => {
    const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-not-matching-route-port');
    expectParent(r, { name: 'same-namespace', conditions: [F('Accepted', 'NoMatchingParent'), T('ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'httproute-listener-not-matching-route-port');
    expectZeroRoutes(gatewayStatus(result, 'same-namespace'));
  },

  '20': ({ result }: State) => {
    const gw = 'gateway-with-one-not-matching-port-and-section-name-route';
    const r = routeStatus(result, 'HTTPRoute', 'httproute-listener-section-name-not-matching-port');
    expectParent(r, { name: gw, conditions: [F('Accepted', 'NoMatchingParent')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'httproute-listener-section-name-not-matching-port');
    const s = gatewayStatus(result, gw);
    expectLatestGeneration(s, 1);
    expectZeroRoutes(s);
  },

  '21': ({ result }: State) => {
    const r = routeStatus(result, 'HTTPRoute', 'disallowed-kind');
    expectParent(r, { name: 'tlsroutes-only', conditions: [F('Accepted', 'NotAllowedByListeners'), T('ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
    expectNoAcceptedParents(r, 'disallowed-kind');
    const s = gatewayStatus(result, 'tlsroutes-only');
    expectLatestGeneration(s, 1);
    expectZeroRoutes(s);
  },

  '22 before': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('observed-generation-bump')]);
  },

  '22 after': ({ result }: State) => {
    expectParent(routeStatus(result, 'HTTPRoute', 'observed-generation-bump'), { name: 'same-namespace', conditions: [T('Accepted'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: INFRA, generation: 2 });
  },

  '23': ({ result, input }: State) => {
    const accepted = ['specific-host-matches-listener-specific-host', 'specific-host-matches-listener-wildcard-host', 'wildcard-host-matches-listener-specific-host', 'wildcard-host-matches-listener-wildcard-host'];
    expectGatewayAndRoutesAccepted(result, input, { name: 'httproute-hostname-intersection' }, accepted.map((n) => http(n)));
    for (const n of accepted) expectParent(routeStatus(result, 'HTTPRoute', n), { name: 'httproute-hostname-intersection', conditions: [T('ResolvedRefs')] }, { routeNamespace: INFRA });
    const p = expectParent(routeStatus(result, 'HTTPRoute', 'no-intersecting-hosts'), { name: 'httproute-hostname-intersection', conditions: [F('Accepted', 'NoMatchingListenerHostname')] }, { routeNamespace: INFRA, generation: 1 });
    expect(p.parentRef).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: INFRA, name: 'httproute-hostname-intersection' });
    expectListeners(gatewayStatus(result, 'httproute-hostname-intersection'), [
      { name: 'listener-1', supportedKinds: ['HTTPRoute'], attachedRoutes: 2 },
      { name: 'listener-2', supportedKinds: ['HTTPRoute'], attachedRoutes: 1 },
      { name: 'listener-3', supportedKinds: ['HTTPRoute'], attachedRoutes: 1 },
    ]);
    expectGatewayAndRoutesAccepted(result, input, { name: 'httproute-hostname-intersection-all' }, [http('httproute-hostname-intersection-all')]);
  },

  '24': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('invalid-cross-namespace-backend-ref')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-cross-namespace-backend-ref'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '25': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('invalid-nonexistent-backend-ref')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-nonexistent-backend-ref'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'BackendNotFound')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '26': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('invalid-backend-ref-unknown-kind')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-backend-ref-unknown-kind'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'InvalidKind')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '27': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('reference-grant')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '28': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('invalid-reference-grant')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'invalid-reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '29 with the grant': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('reference-grant')]);
    expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '29 grant deleted': ({ result }: State) => {
    expectParent(routeStatus(result, 'HTTPRoute', 'reference-grant'), { name: 'same-namespace', conditions: [T('Accepted'), F('ResolvedRefs', 'RefNotPermitted')] }, { routeNamespace: INFRA, generation: 1 });
  },

  '30': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'backend-namespaces' }, [http('cross-namespace', WEB)]);
    const p = expectParent(routeStatus(result, 'HTTPRoute', 'cross-namespace', WEB), { name: 'backend-namespaces', conditions: [T('Accepted'), T('ResolvedRefs')] }, { routeNamespace: WEB, generation: 1 });
    expect(p.parentRef.namespace).toBe(INFRA);
  },

  '31': ({ result, input }: State) => {
    const gw = { name: 'httproute-listener-hostname-matching' };
    expectGatewayAndRoutesAccepted(result, input, gw, ['backend-v1', 'backend-v2', 'backend-v3'].map((n) => http(n)));
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
  },

  '32': ({ result, input }: State) => {
    const gw = { name: 'httproute-listener-port-matching' };
    expectGatewayAndRoutesAccepted(result, input, gw, ['backend-v1', 'backend-v2', 'backend-v3'].map((n) => http(n)));
    expectListeners(gatewayStatus(result, gw.name), [
      { name: 'listener-1', attachedRoutes: 1 },
      { name: 'listener-2', attachedRoutes: 1 },
      { name: 'listener-3', attachedRoutes: 1 },
      { name: 'listener-4', attachedRoutes: 1 },
      { name: 'listener-5', attachedRoutes: 0 },
    ]);
  },

  '33': ({ result, input }: State) => {
    expectGatewayAndRoutesAccepted(result, input, { name: 'same-namespace' }, [http('multiple-gateways-shared-route'), http('same-namespace-dedicated-route')]);
    expectGatewayAndRoutesAccepted(result, input, { name: 'all-namespaces' }, [http('multiple-gateways-shared-route'), http('all-namespaces-dedicated-route')]);
    const shared = routeStatus(result, 'HTTPRoute', 'multiple-gateways-shared-route')!;
    expect(shared.parents.map((p) => p.parentRef.name).sort()).toEqual(['all-namespaces', 'same-namespace']);
    expectLatestGeneration(shared, 1);
    expect(gatewayStatus(result, 'same-namespace').listeners[0].attachedRoutes).toBe(2);
    expect(gatewayStatus(result, 'all-namespaces').listeners[0].attachedRoutes).toBe(2);
    expectConditions(gatewayStatus(result, 'all-namespaces').conditions, [T('Accepted'), T('Programmed')], 'all-namespaces');
  },
};
