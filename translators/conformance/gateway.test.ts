// EXPECTATIONS.md cases 1–16 (GatewayClass and Gateway), plus the Gateway features meshgate does
// not claim (static addresses, frontend client-certificate validation), asserted as documented.
import type { Gateway, GatewayClass, Listener } from '../api/gateway-api';
import { translate } from '../index';
import { addToInput } from '../input';
import {
  classStatus, conformanceInput, expectConditions, expectIncrementalMatchesFull, expectLatestGeneration, expectListeners,
  expectNamespacesReady, expectParent, F, findGateway, gatewayStatus, INFRA, readManifest, replaceIn, routeStatus, settle, T,
} from './harness';

describe('conformance: GatewayClass / Gateway (EXPECTATIONS.md 1–16)', () => {
  it('1 GatewayInvalidRouteKind: invalid kinds are dropped from supportedKinds, ResolvedRefs=False/InvalidRouteKinds', () => {
    const result = translate(conformanceInput('gateway-invalid-route-kind'));
    const only = gatewayStatus(result, 'gateway-only-invalid-route-kind');
    expectLatestGeneration(only, 1);
    expectListeners(only, [{ name: 'http', supportedKinds: [], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidRouteKinds')] }]);
    const mixed = gatewayStatus(result, 'gateway-supported-and-invalid-route-kind');
    expectLatestGeneration(mixed, 1);
    expectListeners(mixed, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidRouteKinds')] }]);
  });

  it('2 GatewayListenerUnsupportedProtocol: INVALID protocol → listener Accepted=False/UnsupportedProtocol; Gateway ListenersNotValid', () => {
    const result = translate(conformanceInput('gateway-invalid-listeners-unsupported-protocol'));
    const invalid = { name: 'invalid', supportedKinds: [], attachedRoutes: 0, conditions: [F('Accepted', 'UnsupportedProtocol')] };
    const only = gatewayStatus(result, 'gateway-only-unsupported-protocols');
    expectLatestGeneration(only, 1);
    expectConditions(only.conditions, [F('Accepted', 'ListenersNotValid')], 'gateway-only-unsupported-protocols');
    expectListeners(only, [invalid]);
    const mixed = gatewayStatus(result, 'gateway-supported-and-unsupported-protocols');
    expectLatestGeneration(mixed, 1);
    expectConditions(mixed.conditions, [T('Accepted', 'ListenersNotValid')], 'gateway-supported-and-unsupported-protocols');
    expectListeners(mixed, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [T('Accepted', 'Accepted')] }, invalid]);
  });

  it('3 GatewayInvalidParametersRef: infrastructure.parametersRef to an unknown kind → Accepted=False/InvalidParameters', () => {
    const s = gatewayStatus(translate(conformanceInput('gateway-invalid-parameters-ref')), 'gateway-invalid-parameters-ref');
    expectLatestGeneration(s, 1);
    expectConditions(s.conditions, [F('Accepted', 'InvalidParameters')], 'gateway-invalid-parameters-ref');
  });

  it('4 GatewayInvalidTLSConfiguration: missing Secret, wrong group, wrong kind, malformed PEM → ResolvedRefs=False/InvalidCertificateRef', () => {
    const result = translate(conformanceInput('gateway-invalid-tls-configuration'));
    for (const name of ['gateway-certificate-nonexistent-secret', 'gateway-certificate-unsupported-group', 'gateway-certificate-unsupported-kind', 'gateway-certificate-malformed-secret']) {
      const s = gatewayStatus(result, name);
      expectLatestGeneration(s, 1);
      expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'InvalidCertificateRef')] }]);
    }
  });

  it('5 GatewaySecretMissingReferenceGrant: cross-namespace Secret without a grant → ResolvedRefs=False/RefNotPermitted', () => {
    const s = gatewayStatus(translate(conformanceInput('gateway-secret-missing-reference-grant')), 'gateway-secret-missing-reference-grant');
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'RefNotPermitted')] }]);
  });

  it('6 GatewaySecretInvalidReferenceGrant: seven almost-right grants permit nothing → RefNotPermitted', () => {
    const input = conformanceInput('gateway-secret-invalid-reference-grant');
    expect(input.referenceGrants).toHaveLength(7);
    const s = gatewayStatus(translate(input), 'gateway-secret-invalid-reference-grant');
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [F('ResolvedRefs', 'RefNotPermitted')] }]);
  });

  it.each([
    ['7 GatewaySecretReferenceGrantSpecific', 'gateway-secret-reference-grant-specific'],
    ['8 GatewaySecretReferenceGrantAllInNamespace', 'gateway-secret-reference-grant-all-in-namespace'],
  ])('%s: the grant admits the Secret → listener Programmed=True/Programmed, ResolvedRefs=True', (_case, file) => {
    const { input, result } = settle(conformanceInput(file));
    const s = gatewayStatus(result, file);
    expectLatestGeneration(s, 1);
    expectListeners(s, [{ name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: [T('Programmed', 'Programmed'), T('ResolvedRefs')] }]);
    expectNamespacesReady(result, input);
  });

  it('9 GatewayWithAttachedRoutes: exact attachedRoutes, NoMatchingListenerHostname, unresolved listener still counts its route', () => {
    const { input, result } = settle(conformanceInput('gateway-with-attached-routes'));
    const ready = [T('Accepted'), T('ResolvedRefs')];
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
  });

  it('10 GatewayWithAttachedRoutesWithPort8080: sectionName http attaches to :80 only', () => {
    const { result } = settle(conformanceInput('gateway-with-attached-routes-with-port-8080'));
    const s = gatewayStatus(result, 'gateway-with-two-listeners-and-one-attached-route');
    expectLatestGeneration(s, 1);
    const ready = [T('Accepted'), T('ResolvedRefs')];
    expectListeners(s, [
      { name: 'http-unattached', supportedKinds: ['HTTPRoute'], attachedRoutes: 0, conditions: ready },
      { name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready },
    ]);
  });

  describe('11 GatewayModifyListeners', () => {
    const httpListener: Listener = { name: 'http', port: 80, protocol: 'HTTP', hostname: 'data.test.com', allowedRoutes: { namespaces: { from: 'All' } } };
    const ready = [T('Accepted'), T('ResolvedRefs')];

    it('adding a listener: both listeners Accepted and ResolvedRefs with one route each, conditions at the new generation', () => {
      const { input: before, result: first } = settle(conformanceInput('gateway-modify-listeners'));
      expectNamespacesReady(first, before);
      const original = findGateway(before, 'gateway-add-listener');
      expectLatestGeneration(gatewayStatus(first, 'gateway-add-listener'), 1);
      const mutated: Gateway = { ...original, metadata: { ...original.metadata, generation: 2 }, spec: { ...original.spec, listeners: [...original.spec.listeners, httpListener] } };
      const after = replaceIn(before, mutated);
      const { input: settled, result } = settle(after);
      expectNamespacesReady(result, settled);
      const s = gatewayStatus(result, 'gateway-add-listener');
      expectLatestGeneration(s, 2);
      expectListeners(s, [
        { name: 'https', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready },
        { name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready },
      ]);
      const incremental = expectIncrementalMatchesFull(before, after, (e) => e.upsert([mutated]));
      expectLatestGeneration(gatewayStatus(incremental, 'gateway-add-listener'), 2);
    });

    it('removing a listener: only http remains in status (stale entry dropped), one route, new generation', () => {
      const { input: before, result: first } = settle(conformanceInput('gateway-modify-listeners'));
      expectNamespacesReady(first, before);
      const original = findGateway(before, 'gateway-remove-listener');
      expect(original.spec.listeners).toHaveLength(2);
      expect(gatewayStatus(first, 'gateway-remove-listener').listeners.map((l) => l.name).sort()).toEqual(['http', 'https']);
      const mutated: Gateway = { ...original, metadata: { ...original.metadata, generation: 2 }, spec: { ...original.spec, listeners: original.spec.listeners.filter((l) => l.name === 'http') } };
      const after = replaceIn(before, mutated);
      const { input: settled, result } = settle(after);
      expectNamespacesReady(result, settled);
      const s = gatewayStatus(result, 'gateway-remove-listener');
      expectLatestGeneration(s, 2);
      expectListeners(s, [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready }]);
      const incremental = expectIncrementalMatchesFull(before, after, (e) => e.upsert([mutated]));
      expectListeners(gatewayStatus(incremental, 'gateway-remove-listener'), [{ name: 'http', supportedKinds: ['HTTPRoute'], attachedRoutes: 1, conditions: ready }]);
    });
  });

  it('12 GatewayObservedGenerationBump: appending a listener moves every Gateway condition to the new generation', () => {
    const { input: before, result: first } = settle(conformanceInput('gateway-observed-generation-bump'));
    expectNamespacesReady(first, before);
    expectLatestGeneration(gatewayStatus(first, 'gateway-observed-generation-bump'), 1);
    const original = findGateway(before, 'gateway-observed-generation-bump');
    const alternate: Listener = { name: 'alternate', port: 80, protocol: 'HTTP', hostname: 'foo.com', allowedRoutes: { namespaces: { from: 'All' } } };
    const mutated: Gateway = { ...original, metadata: { ...original.metadata, generation: 2 }, spec: { ...original.spec, listeners: [...original.spec.listeners, alternate] } };
    const after = replaceIn(before, mutated);
    const { input: settled, result } = settle(after);
    expectNamespacesReady(result, settled);
    const s = gatewayStatus(result, 'gateway-observed-generation-bump');
    expectLatestGeneration(s, 2);
    expect(s.listeners.map((l) => l.name).sort()).toEqual(['alternate', 'http']);
    expectLatestGeneration(gatewayStatus(expectIncrementalMatchesFull(before, after, (e) => e.upsert([mutated])), 'gateway-observed-generation-bump'), 2);
  });

  it('13 GatewayClassObservedGenerationBump: a spec change moves every class condition to the new generation', () => {
    const before = conformanceInput('gatewayclass-observed-generation-bump');
    const name = 'gatewayclass-observed-generation-bump';
    const first = classStatus(translate(before), name);
    expectConditions(first.conditions, [{ type: 'Accepted', status: 'True' }], name);
    expectLatestGeneration(first, 1);
    const original = before.gatewayClasses.find((c) => c.metadata.name === name) as GatewayClass;
    expect(original.spec.controllerName).toBe('gateways.kuma.io/controller');
    const mutated: GatewayClass = { ...original, metadata: { ...original.metadata, generation: 2 }, spec: { ...original.spec, description: 'new' } };
    const after = replaceIn(before, mutated);
    const s = classStatus(translate(after), name);
    expect(s.conditions.some((c) => c.type === 'Accepted')).toBe(true);
    expectLatestGeneration(s, 2);
    expectLatestGeneration(classStatus(expectIncrementalMatchesFull(before, after, (e) => e.upsert([mutated])), name), 2);
  });

  it('14 GatewayNameMaximumLength: a 253-character Gateway name gets current conditions and bounded derived names', () => {
    // No YAML ships for this case in the shared copy; the upstream test builds the same Gateway.
    const name = `gateway-name-maximum-length-${'x'.repeat(253 - 'gateway-name-maximum-length-'.length - 2)}-z`;
    expect(name).toHaveLength(253);
    const input = conformanceInput();
    const gw = readManifest('base/manifests.yaml').find((o) => o.kind === 'Gateway' && o.metadata.name === 'same-namespace') as Gateway;
    addToInput(input, { ...gw, metadata: { name, namespace: INFRA, generation: 1 } } as Gateway);
    const { result } = settle(input);
    const s = gatewayStatus(result, name);
    expectLatestGeneration(s, 1);
    expect(s.conditions.map((c) => c.type)).toEqual(expect.arrayContaining(['Accepted', 'Programmed']));
    const derived = result.objects.filter((o) => o.metadata.labels?.['gateways.kuma.io/gateway.networking.k8s.io-owner']?.startsWith(`${INFRA}_gateway-name-maximum`));
    expect(derived.map((o) => o.kind).sort()).toEqual(['Deployment', 'MeshGateway', 'Service']);
    for (const o of derived) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(o.kind === 'Service' ? 63 : 253);
      for (const v of Object.values(o.metadata.labels ?? {})) expect(v.length).toBeLessThanOrEqual(63);
    }
  });

  it('15 GatewayInvalidTLSBackendConfiguration: bad clientCertificateRef → ResolvedRefs=False/InvalidClientCertificateRef or RefNotPermitted, still Accepted', () => {
    const result = translate(conformanceInput('gateway-invalid-tls-backend-configuration'));
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
  });

  it('16 not claimed: frontend client-certificate validation (GatewayInvalidFrontendClientCertificateValidation) — every HTTPS listener of a Gateway with spec.tls.frontend is Accepted=False/UnsupportedValue', () => {
    const input = conformanceInput('gateway-with-invalid-clientcertificate-validation');
    expect(findGateway(input, 'gateway-with-invalid-client-cert-validation').spec.tls?.frontend).toBeDefined();
    const { result } = settle(input);
    const s = gatewayStatus(result, 'gateway-with-invalid-client-cert-validation');
    expectLatestGeneration(s, 1);
    const rejected = [F('Accepted', 'UnsupportedValue'), F('Programmed')];
    expectListeners(s, ['https', 'https-unresolved', 'https-invalid-kind', 'https-grant-missing'].map((name) => ({ name, attachedRoutes: 0, conditions: rejected })));
    expectConditions(s.conditions, [F('Accepted', 'ListenersNotValid'), F('Programmed')], 'gateway-with-invalid-client-cert-validation');
    // Its route names a Gateway that does not exist (client-validation-invalid): no status is written for it.
    expect(routeStatus(result, 'HTTPRoute', 'misconfigured-client-certificate-validation-https-test')).toBeUndefined();
  });

  it('not claimed: static addresses (GatewayStaticAddresses) — any spec.addresses → Accepted=False/UnsupportedAddress, Programmed=False, no listeners', () => {
    const result = translate(conformanceInput('gateway-static-addresses'));
    const s = gatewayStatus(result, 'gateway-static-addresses');
    expectLatestGeneration(s, 1);
    expectConditions(s.conditions, [F('Accepted', 'UnsupportedAddress'), F('Programmed')], 'gateway-static-addresses');
    expect(s.addresses).toEqual([]);
    // the upstream test then removes the invalid address; meshgate still refuses the rest
    const before = conformanceInput('gateway-static-addresses');
    const gw = findGateway(before, 'gateway-static-addresses');
    const mutated: Gateway = { ...gw, metadata: { ...gw.metadata, generation: 2 }, spec: { ...gw.spec, addresses: gw.spec.addresses!.slice(1) } };
    const after = translate(replaceIn(before, mutated));
    const s2 = gatewayStatus(after, 'gateway-static-addresses');
    expectLatestGeneration(s2, 2);
    expectConditions(s2.conditions, [F('Accepted', 'UnsupportedAddress')], 'gateway-static-addresses');
  });

  it('not claimed: optional address value (GatewayOptionalAddressValue, provisional) — spec.addresses without a value is refused the same way', () => {
    const s = gatewayStatus(translate(conformanceInput('gateway-optional-address-value')), 'gateway-without-address-value');
    expectLatestGeneration(s, 1);
    expectConditions(s.conditions, [F('Accepted', 'UnsupportedAddress')], 'gateway-without-address-value');
  });
});
