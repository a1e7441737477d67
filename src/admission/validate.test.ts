// The offline admission check: what the API server would refuse, prune or serve, per field.
import type { KubeObject } from '../../translators/api/meta';
import { admit, checkApiVersion, servedVersions } from './validate';

const route = (spec: unknown, apiVersion = 'gateway.networking.k8s.io/v1'): KubeObject =>
  ({ apiVersion, kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'app' }, spec }) as KubeObject;
const backend = (b: Record<string, unknown>) => route({ rules: [{ backendRefs: [{ name: 'svc', port: 80, ...b }] }] });

describe('checkApiVersion', () => {
  it.each([
    ['gateway.networking.k8s.io/v1', 'HTTPRoute', undefined],
    ['gateway.networking.k8s.io/v1beta1', 'HTTPRoute', undefined],
    ['gateway.networking.k8s.io/v1alpha2', 'TLSRoute', undefined],
    ['gateway.networking.k8s.io/v999', 'HTTPRoute', 'apiVersion gateway.networking.k8s.io/v999 is not served for kind HTTPRoute (served: gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1)'],
    ['example.com/v1', 'Gateway', 'apiVersion example.com/v1 is not served for kind Gateway (served: gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1)'],
    ['v1', 'Service', undefined],
    ['apps/v1', 'Service', 'apiVersion apps/v1 is not served for kind Service (served: v1)'],
    ['apps/v1', 'Deployment', undefined],
    ['extensions/v1beta1', 'Deployment', 'apiVersion extensions/v1beta1 is not served for kind Deployment (served: apps/v1)'],
    ['kuma.io/v1alpha1', 'MeshGatewayConfig', undefined],
    ['example.com/v1', 'Widget', undefined], // not a kind this module knows: the loader reports it
  ])('%s %s', (apiVersion, kind, expected) => {
    expect(checkApiVersion({ apiVersion, kind, metadata: { name: 'x' } } as KubeObject)).toBe(expected);
  });

  it('knows the versions v1.6.1 serves', () => {
    expect(servedVersions('TLSRoute', 'gateway.networking.k8s.io')).toEqual(['v1', 'v1alpha2', 'v1alpha3']);
    expect(servedVersions('Widget', 'example.com')).toBeUndefined();
  });
});

describe('admit', () => {
  it.each([
    [{ weight: -1 }, ['spec.rules[0].backendRefs[0].weight: -1 must be at least 0']],
    [{ weight: 1.5 }, ['spec.rules[0].backendRefs[0].weight: 1.5 must be an integer, not number']],
    [{ weight: '10' }, ['spec.rules[0].backendRefs[0].weight: "10" must be an integer, not string']],
    [{ weight: 1000001 }, ['spec.rules[0].backendRefs[0].weight: 1000001 must be at most 1000000']],
    [{ weight: 0 }, []],
    [{ port: 0 }, ['spec.rules[0].backendRefs[0].port: 0 must be at least 1']],
    [{ kind: '' }, ['spec.rules[0].backendRefs[0].kind: "" is shorter than 1 characters', 'spec.rules[0].backendRefs[0].kind: "" does not match ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$']],
    [{ name: '' }, ['spec.rules[0].backendRefs[0].name: "" is shorter than 1 characters']],
  ])('backendRef %j', (b, errors) => {
    expect(admit(backend(b)).errors).toEqual(errors);
  });

  it('prunes a null where the field is not nullable, as the API server does before defaulting', () => {
    const v = admit(backend({ weight: null }));
    expect(v.errors).toEqual([]);
    expect((v.object as unknown as { spec: { rules: { backendRefs: object[] }[] } }).spec.rules[0].backendRefs[0]).toEqual({ name: 'svc', port: 80 });
  });

  it('prunes unknown fields and names them; keeps metadata, status and key order', () => {
    const obj = { kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', metadata: { name: 'web', labels: { a: 'b' } }, spec: { hostnames: ['a.example.com'], colour: 'red' }, status: { parents: [] } } as unknown as KubeObject;
    const v = admit(obj);
    expect(v.pruned).toEqual(['spec.colour']);
    expect(Object.keys(v.object)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(v.object).toMatchObject({ metadata: { labels: { a: 'b' } }, spec: { hostnames: ['a.example.com'] }, status: { parents: [] } });
    expect((v.object as unknown as { spec: object }).spec).not.toHaveProperty('colour');
  });

  it.each([
    [route({ hostnames: [true] }), ['spec.hostnames[0]: true must be a string, not boolean']],
    [route({ hostnames: ['Upper.Example.com'] }), ['spec.hostnames[0]: "Upper.Example.com" does not match ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$']],
    [route({ rules: [{ matches: [{ method: 'FETCH' }] }] }), ['spec.rules[0].matches[0].method: "FETCH" is not one of "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"']],
    [route({ parentRefs: [{}] }), ['spec.parentRefs[0].name: required']],
    [route('nope'), ['spec: "nope" must be an object, not string']],
    [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'Edge' }, spec: { gatewayClassName: 'k', listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }] } }, ['metadata.name: "Edge" is not a lowercase RFC 1123 subdomain (a-z, 0-9, \'-\', \'.\'; at most 253 characters)']],
    [{ apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGatewayConfig', metadata: { name: 'c' }, spec: { replicas: 0 } }, ['spec.replicas: 0 must be at least 1']],
  ])('%#: %j', (obj, errors) => {
    expect(admit(obj as KubeObject).errors).toEqual(errors);
  });

  it('counts characters, not UTF-16 units, against maxLength', () => {
    const parent = (name: string) => route({ parentRefs: [{ name }] });
    expect(admit(parent('😀'.repeat(253))).errors).toEqual([]); // 506 UTF-16 units
    expect(admit(parent('😀'.repeat(254))).errors).toEqual(['spec.parentRefs[0].name: is 254 characters long, at most 253 allowed']);
  });
});
