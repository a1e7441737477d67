// GRPCRoute on the real API server: watched only once its CRD is served (listeners list GRPCRoute
// from then on, without a restart); on a Gateway it becomes a MeshHTTPRoute with path matches on
// /<service>/<method>; an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener
// leave only the older accepted, and the other takes over when the older goes; with a Service
// parent (GAMMA) it becomes a MeshHTTPRoute targeting that Service.
// Own API server: it starts without the GRPCRoute CRD, and GAMMA routes have no GatewayClass.
import { gatewayApiManifests, installGatewayApiCrds, startCluster, type TestCluster } from '../cluster/harness';
import { kubeFrom } from '../support/kube';
import { NEW_GATEWAY_HOLD_MS } from '../../src/reconcile/plan';
import { grpcParentScopedRouteName, grpcServiceScopedRouteName } from '../../translators/naming';
import {
  gateway, gatewayClass, gatewayWhen, GW, httpListener, listenerStatus, namespace, parentCond, parentsOf, routeWhen, scenario,
  SYSTEM_NS, systemNamespace, waitFor, waitGone, type Obj,
} from './fixture';

let cluster: TestCluster | undefined;
const s = scenario('grpcroute', [''], () => kubeFrom(cluster!.kubeconfigPath, cluster!.kubectl));
const [ns] = s.namespaces;
const ALL_BUT_GRPCROUTE = gatewayApiManifests().filter((m) => m.kind && m.kind !== 'GRPCRoute').map((m) => m.kind!);
const GATEWAY_PARENT = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: ns, name: 'edge', sectionName: 'http' };

const grpcService = (name: string): Obj => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns },
  spec: { selector: { app: name }, ports: [{ name: 'grpc', port: 9000, targetPort: 9000, appProtocol: 'grpc' }] },
});
const webService: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] } };
const webRoute: Obj = {
  apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'web', namespace: ns },
  spec: { parentRefs: [{ name: 'edge', sectionName: 'http' }], hostnames: ['www.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] },
};
const grpcRoute = (name: string, spec: Record<string, unknown>): Obj => ({ apiVersion: GW, kind: 'GRPCRoute', metadata: { name, namespace: ns }, spec });
const accepted = (r: Obj) => parentCond(r, s.controllerName, 'Accepted');
const kindsOf = (gw: Obj) => (listenerStatus(gw, 'http')?.supportedKinds ?? []).map((k) => k.kind);
const ours = () => s.kube.list<Obj>('meshhttproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${s.controllerHash}` });

beforeAll(async () => {
  cluster = await startCluster({ name: 'grpcroute', gatewayApiCrds: { only: ALL_BUT_GRPCROUTE }, controllerManager: false });
}, 180_000);
afterAll(async () => {
  await s.ctl?.stop();
  await cluster?.stop();
});

test('without the GRPCRoute CRD listeners list only HTTPRoute; once it is installed, GRPCRoutes are watched and translated', async () => {
  await s.kube.apply([systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName), webService, grpcService('echo'), grpcService('echo-v2'),
    gateway(ns, 'edge', s.className, [httpListener()]), webRoute]);
  await s.start();
  // No kube-controller-manager here: the Gateway stays Pending, and a new Pending Gateway's
  // status waits up to NEW_GATEWAY_HOLD_MS (ADR 0060).
  const before = await gatewayWhen(s, ns, 'edge', (g) => listenerStatus(g, 'http')?.attachedRoutes === 1, 'the HTTPRoute attached', NEW_GATEWAY_HOLD_MS + 30_000);
  expect(kindsOf(before)).toEqual(['HTTPRoute']);

  await installGatewayApiCrds(cluster!, { only: ['GRPCRoute'] });
  await gatewayWhen(s, ns, 'edge', (g) => kindsOf(g).join() === 'HTTPRoute,GRPCRoute', 'the listener lists GRPCRoute');

  await s.kube.apply([grpcRoute('echo', {
    parentRefs: [{ name: 'edge', sectionName: 'http' }],
    hostnames: ['grpc.example.com'],
    rules: [
      {
        matches: [{ method: { service: 'grpc.examples.echo.Echo', method: 'UnaryEcho' }, headers: [{ name: 'X-Tenant', value: 'blue' }] }],
        filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: 'echo' }] } }],
        backendRefs: [{ name: 'echo', port: 9000, weight: 90 }, { name: 'echo-v2', port: 9000, weight: 10 }],
      },
      { matches: [{ method: { type: 'RegularExpression', service: 'grpc\\.health\\..*' } }], backendRefs: [{ name: 'echo', port: 9000 }] },
    ],
  })]);
  const r = await routeWhen(s, 'grpcroute', ns, 'echo', (x) => accepted(x)?.status === 'True' && parentCond(x, s.controllerName, 'ResolvedRefs')?.status === 'True', 'Accepted, refs resolved');
  expect(parentsOf(r, s.controllerName)).toHaveLength(1);
  const name = grpcParentScopedRouteName(ns, 'echo', GATEWAY_PARENT);
  const mhr = await waitFor('the GRPCRoute MeshHTTPRoute', () => s.kube.get<Obj>('meshhttproute', name, SYSTEM_NS));
  expect(mhr.metadata.labels).toEqual(expect.objectContaining({ 'meshgate.io/owner-kind': 'GRPCRoute', 'meshgate.io/controller': s.controllerHash }));
  expect(mhr.spec).toEqual({
    targetRef: { kind: 'MeshGateway', name: `edge.${ns}`, tags: { 'gateways.kuma.io/listener-name': 'http' } },
    to: [{
      targetRef: { kind: 'Mesh' },
      hostnames: ['grpc.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'Exact', value: '/grpc.examples.echo.Echo/UnaryEcho' }, headers: [{ type: 'Exact', name: 'x-tenant', value: 'blue' }] }],
          default: {
            filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: 'echo' }] } }],
            backendRefs: [{ kind: 'MeshService', name: `echo_${ns}_svc_9000`, weight: 90 }, { kind: 'MeshService', name: `echo-v2_${ns}_svc_9000`, weight: 10 }],
          },
        },
        {
          matches: [{ path: { type: 'RegularExpression', value: '/(?:grpc\\.health\\..*)/[^/]+' } }],
          default: { backendRefs: [{ kind: 'MeshService', name: `echo_${ns}_svc_9000`, weight: 1 }] },
        },
      ],
    }],
  });
  // Disjoint hostnames: both kinds share the listener.
  await gatewayWhen(s, ns, 'edge', (g) => listenerStatus(g, 'http')?.attachedRoutes === 2, 'HTTPRoute and GRPCRoute attached');
}, NEW_GATEWAY_HOLD_MS + 180_000);

test('an HTTPRoute and a GRPCRoute with intersecting hostnames: the older is accepted; the other takes over when it goes', async () => {
  // No hostnames: every hostname of the listener, so it intersects the older HTTPRoute's www.example.com.
  await s.kube.apply([grpcRoute('late', { parentRefs: [{ name: 'edge', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 'echo-v2', port: 9000 }] }] })]);
  const late = await routeWhen(s, 'grpcroute', ns, 'late', (x) => accepted(x) !== undefined, 'has status');
  expect(accepted(late)).toEqual(expect.objectContaining({ status: 'False', reason: 'NotAllowedByListeners', message: expect.stringContaining(`intersect those of HTTPRoute ${ns}/web`) }));
  const web = (await s.kube.get<Obj>('httproute', 'web', ns))!;
  expect(accepted(web)?.status).toBe('True');
  await s.ctl!.idle();
  const gw = await s.kube.get<Obj>('gateway', 'edge', ns);
  expect(listenerStatus(gw, 'http')?.attachedRoutes).toBe(2);
  expect((await ours()).map((m) => m.metadata.labels?.['meshgate.io/owner-kind']).sort()).toEqual(['GRPCRoute', 'HTTPRoute']);

  await s.kube.remove([webRoute]);
  await routeWhen(s, 'grpcroute', ns, 'late', (x) => accepted(x)?.status === 'True', 'Accepted once the HTTPRoute is gone');
  await waitFor('the MeshHTTPRoute of late', () => s.kube.get<Obj>('meshhttproute', grpcParentScopedRouteName(ns, 'late', GATEWAY_PARENT), SYSTEM_NS));
  await gatewayWhen(s, ns, 'edge', (g) => listenerStatus(g, 'http')?.attachedRoutes === 2, 'both GRPCRoutes attached');
  await waitFor('only GRPCRoute MeshHTTPRoutes left', async () => (await ours()).every((m) => m.metadata.labels?.['meshgate.io/owner-kind'] === 'GRPCRoute'));
});

test('a GRPCRoute with a Service parent (GAMMA) becomes a MeshHTTPRoute targeting the Service', async () => {
  await s.kube.apply([grpcRoute('mesh', {
    parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 9000 }],
    rules: [{ matches: [{ method: { service: 'grpc.examples.echo.Echo' } }], backendRefs: [{ name: 'echo-v2', port: 9000 }] }],
  })]);
  await routeWhen(s, 'grpcroute', ns, 'mesh', (x) => accepted(x)?.status === 'True', 'Accepted');
  const name = grpcServiceScopedRouteName(ns, 'mesh', ns, 'echo');
  const mhr = await waitFor('the GAMMA MeshHTTPRoute', () => s.kube.get<Obj>('meshhttproute', name, SYSTEM_NS));
  expect(mhr.spec).toEqual({
    targetRef: { kind: 'Mesh' },
    to: [{
      targetRef: { kind: 'MeshService', name: `echo_${ns}_svc_9000` },
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/grpc.examples.echo.Echo' } }], default: { backendRefs: [{ kind: 'MeshService', name: `echo-v2_${ns}_svc_9000`, weight: 1 }] } }],
    }],
  });
  // Deleting the route deletes what it generated.
  await s.kube.remove([grpcRoute('mesh', {})]);
  await waitGone(s, 'meshhttproute', name, SYSTEM_NS);
});
