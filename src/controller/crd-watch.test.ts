import { R } from '../kube/resources';
import { discoveryGroupVersions, preferredVersion, servedVersion, versionsFromDiscovery } from './crd-watch';

const crd = (versions: [string, boolean][], established = true) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' },
  spec: { versions: versions.map(([name, served]) => ({ name, served })) },
  status: { conditions: [{ type: 'Established', status: established ? 'True' : 'False' }] },
});

describe('preferredVersion', () => {
  test.each([
    ['TLSRoute: v1 over the alphas', R.tlsRoutes, ['v1alpha2', 'v1alpha3', 'v1'], 'v1'],
    ['TLSRoute: v1alpha3 over v1alpha2', R.tlsRoutes, ['v1alpha2', 'v1alpha3'], 'v1alpha3'],
    ['TLSRoute: v1alpha2 alone', R.tlsRoutes, ['v1alpha2'], 'v1alpha2'],
    ['ReferenceGrant: v1 over v1beta1', R.referenceGrants, ['v1beta1', 'v1'], 'v1'],
    ['HTTPRoute: its own version', R.httpRoutes, ['v1beta1', 'v1'], 'v1'],
    ['HTTPRoute: not v1, not used', R.httpRoutes, ['v1beta1'], undefined],
    ['nothing served', R.gateways, [], undefined],
  ])('%s', (_what, r, served, want) => {
    expect(preferredVersion(r, served)).toBe(want);
  });
});

describe('servedVersion (from the CRD)', () => {
  test.each([
    ['served and established', crd([['v1alpha2', true], ['v1', true]]), 'v1'],
    ['v1 not served', crd([['v1alpha2', true], ['v1', false]]), 'v1alpha2'],
    ['not established', crd([['v1', true]], false), undefined],
  ])('%s', (_what, c, want) => {
    expect(servedVersion(R.tlsRoutes, c)).toBe(want);
  });
});

describe('discovery', () => {
  test('asks each group/version an optional kind may be served at, once', () => {
    const gvs = discoveryGroupVersions();
    expect(gvs).toEqual([...new Set(gvs)].sort());
    expect(gvs).toEqual(expect.arrayContaining(['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2', 'gateway.networking.k8s.io/v1beta1', 'kuma.io/v1alpha1']));
    expect(gvs.every((gv) => gv.startsWith('gateway.networking.k8s.io/') || gv.startsWith('kuma.io/'))).toBe(true);
  });

  test('picks the preferred served version of each kind; subresources and other groups do not count', () => {
    const got = versionsFromDiscovery(new Map([
      ['gateway.networking.k8s.io/v1', ['gateways', 'gateways/status', 'httproutes', 'referencegrants']],
      ['gateway.networking.k8s.io/v1beta1', ['referencegrants', 'gateways']],
      ['gateway.networking.k8s.io/v1alpha2', ['tlsroutes', 'tlsroutes/status']],
      ['kuma.io/v1alpha1', ['meshhttproutes']],
      ['other.example.com/v1', ['gatewayclasses']],
    ]));
    expect(Object.fromEntries([...got].map(([r, v]) => [r.plural, v]))).toEqual({
      gateways: 'v1', httproutes: 'v1', referencegrants: 'v1', tlsroutes: 'v1alpha2', meshhttproutes: 'v1alpha1',
    });
  });

  test('a status subresource alone does not make a kind served', () => {
    expect(versionsFromDiscovery(new Map([['gateway.networking.k8s.io/v1', ['gatewayclasses/status']]])).size).toBe(0);
  });
});
