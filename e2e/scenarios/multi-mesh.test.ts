// Kuma scenario "multi-mesh": Gateways and routes choose their mesh with the kuma.io/mesh label
// (object, then namespace). A route in another mesh than its Gateway is not accepted and says
// why; a route in the Gateway's mesh is, and its MeshHTTPRoute carries that mesh's label.
import {
  gateway, gatewayClass, gatewayWhen, generatedBy, httpListener, httpRoute, listenerStatus, namespace, parentCond, programmed, routeWhen,
  scenario, service, systemNamespace, type Obj,
} from './fixture';

const s = scenario('multi-mesh', ['a', 'b']);
const [nsA, nsB] = s.namespaces; // nsB is labelled kuma.io/mesh=mesh-b
const all = { allowedRoutes: { namespaces: { from: 'All' } } };

afterAll(() => s.cleanup());

test('a route attaches only to a Gateway of its own mesh; MeshHTTPRoutes carry the mesh label', async () => {
  await s.kube.apply([
    systemNamespace(), namespace(nsA), namespace(nsB, { 'kuma.io/mesh': 'mesh-b' }), gatewayClass(s.className, s.controllerName),
    service(nsA, 'web', [8080]), service(nsB, 'web', [8080]),
    gateway(nsA, 'gw-a', s.className, [httpListener('http', 80, all)], { 'kuma.io/mesh': 'mesh-a' }),
    gateway(nsB, 'gw-b', s.className, [httpListener('http', 80, all)]), // mesh-b from its namespace
    // Same mesh as gw-a (object label), in a namespace of mesh "default".
    httpRoute(nsA, 'same-mesh', [{ name: 'gw-a' }], { name: 'web', port: 8080 }, { labels: { 'kuma.io/mesh': 'mesh-a' } }),
    // mesh-b (namespace label): rejected by gw-a, accepted by gw-b.
    httpRoute(nsB, 'other-mesh', [{ name: 'gw-a', namespace: nsA }, { name: 'gw-b' }], { name: 'web', port: 8080 }),
  ]);
  await s.start();
  await gatewayWhen(s, nsA, 'gw-a', (g) => programmed(g) && listenerStatus(g, 'http')?.attachedRoutes === 1, 'one attached route');
  await gatewayWhen(s, nsB, 'gw-b', (g) => programmed(g) && listenerStatus(g, 'http')?.attachedRoutes === 1, 'one attached route');
  expect((await s.kube.get<Obj>('meshgateway', `gw-a.${nsA}`))?.mesh).toBe('mesh-a');
  expect((await s.kube.get<Obj>('meshgateway', `gw-b.${nsB}`))?.mesh).toBe('mesh-b');

  const same = await routeWhen(s, 'httproute', nsA, 'same-mesh', (r) => parentCond(r, s.controllerName, 'Accepted')?.status === 'True', 'Accepted');
  expect(parentCond(same, s.controllerName, 'ResolvedRefs')?.status).toBe('True');

  const other = await routeWhen(s, 'httproute', nsB, 'other-mesh', (r) => parentCond(r, s.controllerName, 'Accepted', 'gw-a') !== undefined && parentCond(r, s.controllerName, 'Accepted', 'gw-b') !== undefined, 'status for both parents');
  expect(parentCond(other, s.controllerName, 'Accepted', 'gw-a')).toEqual(expect.objectContaining({
    status: 'False', reason: 'NotAllowedByListeners',
    message: `route is in mesh "mesh-b" but Gateway ${nsA}/gw-a is in mesh "mesh-a"; set label kuma.io/mesh=mesh-a on the route or its namespace`,
  }));
  expect(parentCond(other, s.controllerName, 'Accepted', 'gw-b')).toEqual(expect.objectContaining({ status: 'True', reason: 'Accepted' }));

  const routes = await generatedBy(s, 'meshhttproute', 'HTTPRoute');
  const summary = routes.map((r) => ({ gateway: r.spec.targetRef.name, mesh: r.metadata.labels?.['kuma.io/mesh'] })).sort((a, b) => a.gateway.localeCompare(b.gateway));
  // Exactly one MeshHTTPRoute per accepted (route, Gateway): none for other-mesh → gw-a.
  expect(summary).toEqual([{ gateway: `gw-a.${nsA}`, mesh: 'mesh-a' }, { gateway: `gw-b.${nsB}`, mesh: 'mesh-b' }]);
  const backend = (r: Obj) => r.spec.to[0].rules[0].default.backendRefs[0];
  expect(backend(routes.find((r) => r.spec.targetRef.name === `gw-a.${nsA}`)!)).toEqual(expect.objectContaining({ kind: 'MeshService', name: `web_${nsA}_svc_8080` }));
  expect(backend(routes.find((r) => r.spec.targetRef.name === `gw-b.${nsB}`)!)).toEqual(expect.objectContaining({ kind: 'MeshService', name: `web_${nsB}_svc_8080` }));
});
