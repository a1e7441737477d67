// ListenerSet (GEP-1713) against a real API server: a Gateway that allows ListenerSets from its
// namespace, a ListenerSet adding a listener on another port, and an HTTPRoute whose parentRef is
// the ListenerSet. The listener joins the Gateway's MeshGateway (named <ns>_<set>_<listener>) and
// its Service; the ListenerSet, the route and the Gateway (attachedListenerSets) say so. Deleting
// the ListenerSet takes its listener, port and route attachment away again.
import {
  cond, gateway, gatewayClass, gatewayWhen, generatedBy, GW, httpListener, httpRoute, namespace, parentsOf, programmed,
  routeWhen, scenario, service, systemNamespace, waitFor, type ListenerStatus, type Obj,
} from './fixture';

const s = scenario('listenerset');
const [ns] = s.namespaces;
const LS = 'listenersets.gateway.networking.k8s.io';
const TAG = 'gateways.kuma.io/listener-name';
const mergedName = `${ns}_team_web`;

afterAll(() => s.cleanup());

const gw: Obj = { ...gateway(ns, 'edge', s.className, [httpListener('http', 80)]) };
(gw.spec as Record<string, unknown>).allowedListeners = { namespaces: { from: 'Same' } };
const listenerSet: Obj = {
  apiVersion: GW, kind: 'ListenerSet', metadata: { name: 'team', namespace: ns },
  spec: { parentRef: { name: 'edge' }, listeners: [{ name: 'web', port: 8080, protocol: 'HTTP', hostname: 'team.example.com' }] },
};
const route = httpRoute(ns, 'team-route', [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'team' }], { name: 'web', port: 8080 });

type MeshGatewayListener = { port: number; hostname: string; tags: Record<string, string> };
const mgwListeners = (mgw: Obj | undefined) => ((mgw?.spec as { conf?: { listeners?: MeshGatewayListener[] } } | undefined)?.conf?.listeners ?? []);
const servicePorts = (svc: Obj | undefined) => ((svc?.spec as { ports?: { port: number }[] } | undefined)?.ports ?? []).map((p) => p.port);

test('a ListenerSet listener is served by its Gateway, routes attach to it, and it goes with the ListenerSet', async () => {
  await s.kube.apply([systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName), service(ns, 'web', [8080]), gw, listenerSet, route]);
  await s.start();

  // The full expected state first (events of different kinds arrive in any order), then assertions.
  const ls = await waitFor('ListenerSet Accepted and Programmed with its route attached', async () => {
    const o = await s.kube.get<Obj>(LS, 'team', ns);
    const st = o?.status as { conditions?: { type: string; status: string; reason: string }[]; listeners?: ListenerStatus[] } | undefined;
    const ok = cond(st?.conditions as never, 'Accepted')?.status === 'True' && cond(st?.conditions as never, 'Programmed')?.status === 'True' && st?.listeners?.[0]?.attachedRoutes === 1;
    return ok && o;
  }, 60_000);
  const g = await gatewayWhen(s, ns, 'edge', (x) => programmed(x) && (x.status as { attachedListenerSets?: number }).attachedListenerSets === 1, 'Programmed with 1 attached ListenerSet');
  const r = await routeWhen(s, 'httproute', ns, 'team-route', (x) => parentsOf(x, s.controllerName).length === 1, 'a parent entry');
  const mgw = await waitFor('MeshGateway with the ListenerSet listener', async () => {
    const m = await s.kube.get<Obj>('meshgateway', `edge.${ns}`);
    return mgwListeners(m).some((l) => l.tags[TAG] === mergedName) && m;
  });
  const svc = await waitFor('Service with port 8080', async () => {
    const x = await s.kube.get<Obj>('service', 'edge', ns);
    return servicePorts(x).includes(8080) && x;
  });

  const lsStatus = ls.status as { listeners: ListenerStatus[] };
  expect(lsStatus.listeners.map((l) => ({ name: l.name, attachedRoutes: l.attachedRoutes, accepted: cond(l.conditions, 'Accepted')?.status, programmed: cond(l.conditions, 'Programmed')?.status })))
    .toEqual([{ name: 'web', attachedRoutes: 1, accepted: 'True', programmed: 'True' }]);
  // The Gateway's own listener list holds its own listeners only.
  expect((g.status?.listeners as ListenerStatus[]).map((l) => l.name)).toEqual(['http']);
  const parent = parentsOf(r, s.controllerName)[0];
  expect(parent.parentRef).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'team' });
  expect(cond(parent.conditions, 'Accepted')?.status).toBe('True');
  expect(mgwListeners(mgw).map((l) => [l.tags[TAG], l.port, l.hostname])).toEqual([['http', 80, '*'], [mergedName, 8080, 'team.example.com']]);
  expect(servicePorts(svc)).toEqual([80, 8080]);
  const routes = (await generatedBy(s, 'meshhttproute', 'HTTPRoute')).filter((x) => (x.spec as { targetRef: { name: string } }).targetRef.name === `edge.${ns}`);
  expect(routes.map((x) => (x.spec as { targetRef: { tags?: Record<string, string> } }).targetRef.tags)).toEqual([{ [TAG]: mergedName }]);

  await s.kube.remove([listenerSet]);
  await waitFor('MeshGateway without the ListenerSet listener', async () => {
    const m = await s.kube.get<Obj>('meshgateway', `edge.${ns}`);
    return m && !mgwListeners(m).some((l) => l.tags[TAG] === mergedName) && mgwListeners(m).length === 1;
  });
  await waitFor('Service without port 8080', async () => {
    const x = await s.kube.get<Obj>('service', 'edge', ns);
    return x && servicePorts(x).join(',') === '80';
  });
  await gatewayWhen(s, ns, 'edge', (x) => (x.status as { attachedListenerSets?: number }).attachedListenerSets === 0, 'no attached ListenerSet');
  await routeWhen(s, 'httproute', ns, 'team-route', (x) => parentsOf(x, s.controllerName).length === 0, 'no parent entry of this controller');
  await waitFor('no MeshHTTPRoute for the route', async () => (await generatedBy(s, 'meshhttproute', 'HTTPRoute')).filter((x) => (x.spec as { targetRef: { name: string } }).targetRef.name === `edge.${ns}`).length === 0);
});
