// Kuma scenario "cross-mesh gateway": a class whose MeshGatewayConfig says crossMesh: true.
// The Service is forced to ClusterIP (reached through the mesh, never from outside), the
// MeshGateway listener is marked crossMesh, and an HTTPS listener is rejected (HTTP only).
import { pem } from '../../translators/testdata/certs';
import {
  gateway, gatewayClass, gatewayCond, gatewayWhen, httpListener, httpRoute, httpsListener, listenerCond, listenerStatus, meshGatewayConfig, namespace,
  programmed, scenario, service, SYSTEM_NS, systemNamespace, tlsSecretFrom, waitFor, type Obj,
} from './fixture';

const s = scenario('cross-mesh');
const [ns] = s.namespaces;
const configName = 'e2e-cross-mesh';
// serviceType LoadBalancer on purpose: crossMesh must override it.
const config = meshGatewayConfig(configName, { crossMesh: true, serviceType: 'LoadBalancer' });

afterAll(() => s.cleanup([config]));

test('crossMesh: ClusterIP Service, crossMesh MeshGateway listener, HTTPS listener rejected', async () => {
  await s.kube.apply([
    systemNamespace(), namespace(ns), config, gatewayClass(s.className, s.controllerName, configName),
    tlsSecretFrom(ns, 'cert', { crt: pem('valid.crt'), key: pem('valid.key') }), service(ns, 'web', [8080]),
    gateway(ns, 'cross', s.className, [httpListener('http', 8080), httpsListener('https', 8443, 'cert')], { 'kuma.io/mesh': 'mesh-a' }),
    httpRoute(ns, 'web', [{ name: 'cross' }], { name: 'web', port: 8080 }, { labels: { 'kuma.io/mesh': 'mesh-a' } }),
  ]);
  await s.start();
  const gw = await gatewayWhen(s, ns, 'cross', (g) => programmed(g) && listenerStatus(g, 'http')?.attachedRoutes === 1, 'Programmed, route attached');

  // The Gateway is accepted with one invalid listener; the HTTPS one is rejected and not programmed.
  expect(gatewayCond(gw, 'Accepted')).toEqual(expect.objectContaining({ status: 'True', reason: 'ListenersNotValid', message: 'some listeners are not valid: https' }));
  expect(listenerCond(gw, 'https', 'Accepted')).toEqual(expect.objectContaining({
    status: 'False', reason: 'UnsupportedProtocol',
    message: 'unsupported protocol HTTPS with cross-mesh (MeshGatewayConfig crossMesh: true allows HTTP only); supported: HTTP, HTTPS, TLS, TCP',
  }));
  expect(listenerCond(gw, 'https', 'Programmed')?.status).toBe('False');
  expect(listenerCond(gw, 'http', 'Programmed')?.status).toBe('True');

  const svc = await s.kube.get<Obj>('service', 'cross', ns);
  expect(svc?.spec.type).toBe('ClusterIP');
  expect(svc?.spec.ports).toEqual([{ name: '8080', protocol: 'TCP', port: 8080, targetPort: 8080 }]);
  expect(gw.status.addresses).toEqual([{ type: 'IPAddress', value: svc?.spec.clusterIP }]);

  const mgw = await s.kube.get<Obj>('meshgateway', `cross.${ns}`);
  expect(mgw?.mesh).toBe('mesh-a');
  expect(mgw?.spec).toEqual({
    selectors: [{ match: { 'kuma.io/service': `cross_${ns}_svc` } }],
    conf: { listeners: [{ hostname: '*', port: 8080, protocol: 'HTTP', crossMesh: true, tags: { 'gateways.kuma.io/listener-name': 'http', 'gateways.kuma.io/listener-port': '8080' } }] },
  });
  // The rejected HTTPS listener's certificate is not copied.
  expect((await s.kube.list<Obj>('secret', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${s.controllerHash}` }))).toEqual([]);
  const deploy = await waitFor('Deployment', () => s.kube.get<Obj>('deployment', 'cross', ns));
  expect(deploy.spec.template.metadata.labels['kuma.io/mesh']).toBe('mesh-a');
});
