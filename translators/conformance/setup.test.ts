// The upstream suite's Setup(), status part: the GatewayClass is Accepted, the base Gateways
// become Accepted and Programmed with an address once their Services exist. Also checks the
// harness itself (fixtures, second pass) so failures elsewhere are about the translator.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { translate } from '../index';
import { parseTLSSecret } from '../tls-secret';
import { tlsSecret } from '../testdata/certs';
import {
  classStatus, CONFORMANCE_DIR, conformanceInput, expectConditions, expectIncrementalMatchesFull, expectLatestGeneration, expectNamespacesReady,
  F, gatewayStatus, INFRA, settle, T,
} from './harness';

describe('conformance setup', () => {
  it('finds the conformance manifests in the pinned Go module, not in ../shared', () => {
    expect(CONFORMANCE_DIR).toMatch(/sigs\.k8s\.io\/gateway-api\/conformance@v1\.6\.1$/);
    expect(existsSync(path.join(CONFORMANCE_DIR, 'base', 'manifests.yaml'))).toBe(true);
    expect(existsSync(path.join(CONFORMANCE_DIR, 'tests', 'httproute-simple-same-namespace.yaml'))).toBe(true);
  });

  it('loads the base manifests without Deployments and with placeholders replaced', () => {
    const input = conformanceInput();
    expect(input.gateways.map((g) => g.metadata.name).sort()).toEqual(['all-namespaces', 'backend-namespaces', 'same-namespace', 'same-namespace-with-https-listener']);
    expect(input.gateways.every((g) => g.spec.gatewayClassName === 'meshgate')).toBe(true);
    expect(input.namespaces).toHaveLength(3);
    expect(input.services.length).toBeGreaterThan(10);
    expect(input.gatewayClasses.map((c) => c.spec.controllerName)).toEqual(['gateways.kuma.io/controller']);
  });

  it('TLS fixtures: valid parses, mismatched/expired/not-pem are what they claim', () => {
    const valid = parseTLSSecret(tlsSecret('ns', 's'));
    expect(valid.ok).toBe(true);
    if (valid.ok) {
      expect(valid.info.dnsNames).toEqual(expect.arrayContaining(['*.example.com', 'example.org', '*.org']));
      expect(valid.info.notAfter > '2120-01-01').toBe(true);
    }
    expect(parseTLSSecret(tlsSecret('ns', 's', 'mismatched'))).toMatchObject({ ok: false, message: expect.stringContaining('does not match') });
    expect(parseTLSSecret(tlsSecret('ns', 's', 'not-pem'))).toMatchObject({ ok: false });
    const expired = parseTLSSecret(tlsSecret('ns', 's', 'expired'));
    expect(expired.ok && expired.info.notAfter).toBe('2001-01-01T00:00:00.000Z');
    expect(tlsSecret('ns', 's')).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { namespace: 'ns', name: 's' } });
  });

  it('GatewayClass is Accepted=True with the latest observedGeneration and lists supportedFeatures', () => {
    const result = translate(conformanceInput());
    const gc = classStatus(result);
    expectConditions(gc.conditions, [T('Accepted', 'Accepted'), T('SupportedVersion')], 'GatewayClass meshgate');
    expectLatestGeneration(gc, 1);
    const names = gc.supportedFeatures.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBeLessThanOrEqual(64);
  });

  it('first pass: Gateways Accepted, Programmed=False/Pending until the proxy runs and its Service has an address', () => {
    const result = translate(conformanceInput());
    const s = gatewayStatus(result, 'same-namespace');
    expectConditions(s.conditions, [T('Accepted', 'Accepted'), F('Programmed', 'Pending')], 'same-namespace');
    expect(s.conditions.find((c) => c.type === 'Programmed')?.message).toBe(
      'waiting for the gateway proxy: Deployment gateway-conformance-infra/same-namespace does not exist yet; Service gateway-conformance-infra/same-namespace does not exist yet',
    );
    expect(s.addresses).toEqual([]);
  });

  it('NamespacesMustBeReady: every base Gateway is Accepted and Programmed with its load-balancer address', () => {
    const { input, result } = settle(conformanceInput());
    expectNamespacesReady(result, input);
    for (const gw of input.gateways) {
      const s = gatewayStatus(result, gw.metadata.name, INFRA);
      expect(s.addresses).toEqual([{ type: 'IPAddress', value: expect.stringMatching(/^172\.18\./) }]);
    }
  });

  it('incremental: upserting the generated Services and ready Deployments into the engine equals the full second pass', () => {
    const first = conformanceInput();
    const { input: settled } = settle(first);
    const created = settled.services.filter((s) => !first.services.includes(s));
    expect(created.map((s) => s.metadata.name).sort()).toEqual(['all-namespaces', 'backend-namespaces', 'same-namespace', 'same-namespace-with-https-listener']);
    const deployments = settled.deployments ?? [];
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['all-namespaces', 'backend-namespaces', 'same-namespace', 'same-namespace-with-https-listener']);
    const incremental = expectIncrementalMatchesFull(first, settled, (e) => e.upsert([...created, ...deployments]));
    expectConditions(gatewayStatus(incremental, 'same-namespace').conditions, [T('Programmed', 'Programmed')], 'same-namespace');
  });
});
