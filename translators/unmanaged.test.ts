// Table tests for unmanaged Gateways' helpers (unmanaged.ts): the annotations, the port check, the
// listener rejection, addresses and Programmed, and the hints their conditions get.
import type { Gateway } from './api/gateway-api';
import type { Service } from './api/meta';
import { validateListeners } from './listener';
import { hintOf } from './status/catalogue';
import type { Scope } from './status/conditions';
import type { Condition } from './api/meta';
import {
  parseProxyService, portProblem, PROXY_SERVICE_ANNOTATION as SVC, PROXY_SERVICE_TAG_ANNOTATION as TAG, proxyServiceKeys, rejectUnexposedPorts,
  unmanagedAddresses, unmanagedProgrammed, unmanagedProxy,
} from './unmanaged';

const gw = (annotations?: Record<string, unknown>, listeners: Gateway['spec']['listeners'] = [{ name: 'http', port: 80, protocol: 'HTTP' }]): Gateway =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', ...(annotations ? { annotations } : {}) }, spec: { gatewayClassName: 'kuma', listeners } } as unknown as Gateway);
const svc = (spec: object, extra: object = {}): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'p', namespace: 'app' }, spec, ...extra } as unknown as Service);

describe('parseProxyService', () => {
  test.each<[string, Record<string, unknown> | undefined, string | { namespace: string; name: string; serviceTag: string }]>([
    ['no annotation: managed', undefined, 'managed'],
    ['other annotations only: managed', { [TAG]: 'x' }, 'managed'],
    ['a name', { [SVC]: 'p' }, { namespace: 'app', name: 'p', serviceTag: 'p_app_svc' }],
    ['namespace/name in the Gateway namespace', { [SVC]: 'app/p' }, { namespace: 'app', name: 'p', serviceTag: 'p_app_svc' }],
    ['the tag annotation wins over the default', { [SVC]: 'p', [TAG]: 'edge.gw:1_app_svc' }, { namespace: 'app', name: 'p', serviceTag: 'edge.gw:1_app_svc' }],
    ['a tag of another namespace', { [SVC]: 'p', [TAG]: 'edge_infra_svc' }, `annotation ${TAG}: "edge_infra_svc" must be <name>_app_svc`],
    ['a tag without the convention', { [SVC]: 'p', [TAG]: 'edge-gateway' }, `annotation ${TAG}: "edge-gateway" must be <name>_app_svc`],
    ['a tag with no name', { [SVC]: 'p', [TAG]: '_app_svc' }, `annotation ${TAG}: "_app_svc" must be <name>_app_svc`],
    ['another namespace', { [SVC]: 'infra/p' }, `annotation ${SVC}: the Service must be in the Gateway's namespace "app", not "infra"`],
    ['a bad namespace', { [SVC]: 'In_Fra/p' }, `annotation ${SVC}: "In_Fra" is not a namespace name`],
    ['three parts', { [SVC]: 'a/b/c' }, `annotation ${SVC}: "a/b/c" is not <name> or <namespace>/<name>`],
    ['upper case', { [SVC]: 'Proxy' }, `annotation ${SVC}: "Proxy" is not a Service name`],
    ['starts with a digit (DNS-1035)', { [SVC]: '1proxy' }, `annotation ${SVC}: "1proxy" is not a Service name`],
    ['empty', { [SVC]: '' }, `annotation ${SVC}: "" is not a Service name`],
    ['64 characters', { [SVC]: `p${'a'.repeat(63)}` }, `annotation ${SVC}: "p${'a'.repeat(63)}" is not a Service name`],
    ['not a string', { [SVC]: 42 }, `annotation ${SVC}: must be a string`],
    ['a wildcard tag', { [SVC]: 'p', [TAG]: '*' }, `annotation ${TAG}: "*" is not a Kuma tag value`],
    ['an empty tag', { [SVC]: 'p', [TAG]: '' }, `annotation ${TAG}: "" is not a Kuma tag value`],
    ['a tag with a slash', { [SVC]: 'p', [TAG]: 'a/b' }, `annotation ${TAG}: "a/b" is not a Kuma tag value`],
  ])('%s', (_name, annotations, want) => {
    const got = parseProxyService(gw(annotations));
    if (want === 'managed') expect(got).toBeUndefined();
    else if (typeof want === 'string') {
      expect(got && 'problem' in got ? { reason: got.problem.reason, type: got.problem.type } : got).toEqual({ reason: 'InvalidParameters', type: 'Accepted' });
      expect((got as { problem: Condition }).problem.message.startsWith(want)).toBe(true);
    } else expect(got).toEqual({ ref: want });
  });

  test('garbage metadata does not throw', () => {
    expect(parseProxyService({ metadata: {} } as Gateway)).toBeUndefined();
    expect(parseProxyService({ metadata: { annotations: null } } as unknown as Gateway)).toBeUndefined();
  });

  test('proxyServiceKeys: only a valid reference is read', () => {
    expect(proxyServiceKeys(gw({ [SVC]: 'p' }))).toEqual(['app/p']);
    expect(proxyServiceKeys(gw({ [SVC]: 'infra/p' }))).toEqual([]);
    expect(proxyServiceKeys(gw())).toEqual([]);
  });
});

describe('portProblem', () => {
  test.each<[string, object, number, string | undefined]>([
    ['port exposed, no targetPort', { ports: [{ port: 80 }] }, 80, undefined],
    ['port exposed, same targetPort', { ports: [{ port: 80, targetPort: 80 }] }, 80, undefined],
    ['named targetPort is trusted', { ports: [{ port: 443, targetPort: 'https' }] }, 443, undefined],
    ['explicit TCP', { ports: [{ port: 80, protocol: 'TCP' }] }, 80, undefined],
    ['not exposed', { ports: [{ port: 443 }, { port: 80 }, { port: 80, protocol: 'UDP' }] }, 8080, 'it exposes no TCP port 8080 (its TCP ports: 80, 443)'],
    ['UDP only', { ports: [{ port: 53, protocol: 'UDP' }] }, 53, 'it exposes no TCP port'],
    ['another numeric targetPort', { ports: [{ port: 443, targetPort: 8443 }] }, 443, 'its port 443 forwards to targetPort 8443, but the proxy listens on the listener port: targetPort must be 443'],
    ['no ports', {}, 80, 'it exposes no TCP port'],
    ['garbage ports', { ports: ['x', null, 7] }, 80, 'it exposes no TCP port'],
  ])('%s', (_name, spec, port, want) => {
    expect(portProblem(svc(spec), port)).toBe(want);
  });
});

const certs = { findSecret: () => undefined, isPermitted: () => true };
const listenersOf = (g: Gateway) => validateListeners(g.spec.listeners, { gatewayNamespace: 'app', crossMesh: false, frontendValidation: false, certs });

describe('rejectUnexposedPorts', () => {
  const g = gw({ [SVC]: 'p' }, [
    { name: 'http', port: 80, protocol: 'HTTP' },
    { name: 'alt', port: 8080, protocol: 'HTTP' },
    { name: 'bad', port: 80, protocol: 'UDP' as never },
  ]);
  const services = new Map([['app/p', svc({ clusterIP: '10.0.0.1', ports: [{ port: 80 }] })]]);

  test('a listener on a port the Service lacks is Accepted=False/PortUnavailable and not programmed; others unchanged', () => {
    const before = listenersOf(g);
    const after = rejectUnexposedPorts(before, unmanagedProxy(g, services));
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]); // already rejected: its own reason stays
    expect(after[1]).toMatchObject({ accepted: false, attachable: false, programmed: false });
    expect(after[1].conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Accepted', 'False', 'PortUnavailable'], ['Programmed', 'False', 'Invalid'], ['Conflicted', 'False', 'NoConflicts'], ['ResolvedRefs', 'True', 'ResolvedRefs'],
    ]);
    expect(after[1].conditions[0].message).toBe('port 8080 is not available on Service app/p (annotation gateways.meshgate.io/proxy-service): it exposes no TCP port 8080 (its TCP ports: 80)');
  });

  test('managed Gateway, or Service missing: nothing is rejected', () => {
    const before = listenersOf(g);
    expect(rejectUnexposedPorts(before, undefined)).toBe(before);
    expect(rejectUnexposedPorts(before, unmanagedProxy(g, new Map()))).toBe(before);
  });
});

describe('addresses and Programmed', () => {
  const proxy = (s?: Service) => unmanagedProxy(gw({ [SVC]: 'p' }), new Map(s ? [['app/p', s]] : []))!;
  const lb = (ingress: object[]) => svc({ type: 'LoadBalancer', clusterIP: '10.0.0.1', ports: [{ port: 80 }] }, { status: { loadBalancer: { ingress } } });

  test.each<[string, Service | undefined, { type: string; value: string }[], [string, string, string]]>([
    ['ClusterIP', svc({ clusterIP: '10.0.0.1' }), [{ type: 'IPAddress', value: '10.0.0.1' }], ['True', 'Programmed', 'Programmed']],
    ['NodePort: the ClusterIP', svc({ type: 'NodePort', clusterIP: '10.0.0.2' }), [{ type: 'IPAddress', value: '10.0.0.2' }], ['True', 'Programmed', 'Programmed']],
    ['LoadBalancer with ingress', lb([{ ip: '192.0.2.1' }, { hostname: 'lb.example.net' }]), [{ type: 'IPAddress', value: '192.0.2.1' }, { type: 'Hostname', value: 'lb.example.net' }], ['True', 'Programmed', 'Programmed']],
    ['LoadBalancer pending', lb([]), [], ['False', 'Pending', 'waiting for the proxy Service app/p (annotation gateways.meshgate.io/proxy-service): it has no load-balancer address yet (status.loadBalancer.ingress is empty)']],
    ['headless', svc({ clusterIP: 'None' }), [], ['False', 'Pending', 'waiting for the proxy Service app/p (annotation gateways.meshgate.io/proxy-service): it has no cluster IP (a headless Service has none; use a ClusterIP or LoadBalancer Service)']],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'x.example.com' }), [], ['False', 'Pending', 'waiting for the proxy Service app/p (annotation gateways.meshgate.io/proxy-service): an ExternalName Service has no address of its own; use a ClusterIP or LoadBalancer Service']],
    ['missing', undefined, [], ['False', 'Pending', 'waiting for the proxy Service app/p (annotation gateways.meshgate.io/proxy-service): it does not exist']],
    ['generated by meshgate', { ...svc({ clusterIP: '10.0.0.1' }), metadata: { name: 'p', namespace: 'app', labels: { 'app.kubernetes.io/managed-by': 'meshgate' } } }, [],
      ['False', 'Pending', 'waiting for the proxy Service app/p (annotation gateways.meshgate.io/proxy-service): it is one meshgate generates (label app.kubernetes.io/managed-by: meshgate), not a proxy you run']],
  ])('%s', (_name, s, addresses, [status, reason, message]) => {
    const p = proxy(s);
    expect(unmanagedAddresses(p)).toEqual(addresses);
    expect(unmanagedProgrammed(p, unmanagedAddresses(p))).toEqual({ type: 'Programmed', status, reason, message });
  });
});

describe('hints', () => {
  const hint = (scope: Scope, c: Condition) => hintOf(scope, { ...c, object: undefined, serviceExists: () => false, grantExists: () => false }) ?? '';
  test('a bad annotation: the hint is about the annotation, not parametersRef', () => {
    const p = parseProxyService(gw({ [SVC]: 'Bad' })) as { problem: Condition };
    expect(hint('Gateway', p.problem)).toContain('gateways.meshgate.io/proxy-service must be the name of a Service');
  });
  test('a missing proxy Service: create it (meshgate will not)', () => {
    const c = unmanagedProgrammed(unmanagedProxy(gw({ [SVC]: 'p' }), new Map())!, []);
    expect(hint('Gateway', c)).toContain('create the Service it names');
  });
});
