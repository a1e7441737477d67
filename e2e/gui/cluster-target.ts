// The GUI suite's target on a real cluster: examples/ applied to the shared e2e API server (with
// a per-suite GatewayClass and controllerName, plus one deliberately failing route), the real
// controller serving its GUI, and changes made through the API.
import type { KubeObject } from '../../translators/api/meta';
import { buildGui } from '../../src/gui/build';
import { freePort, startController, testControllerName } from '../support/controller';
import { eventually, sharedKube } from '../support/kube';
import { loadExamples, secretStrings, type GuiTarget } from './targets';

export async function clusterTarget(): Promise<GuiTarget> {
  await buildGui();
  const kube = sharedKube();
  const input = loadExamples();
  if (!input) throw new Error('examples/ has no Gateways');
  const controllerName = testControllerName('gui');
  const className = 'e2e-gui';
  const classes = input.gatewayClasses.map((c) => ({ ...c, metadata: { ...c.metadata, name: `${className}-${c.metadata.name}` }, spec: { ...c.spec, controllerName } }));
  const gateways = input.gateways.map((g) => ({ ...g, spec: { ...g.spec, gatewayClassName: `${className}-${g.spec.gatewayClassName}` } }));
  const rest: KubeObject[] = [...(input.listenerSets ?? []), ...input.httpRoutes, ...(input.grpcRoutes ?? []), ...input.tlsRoutes, ...(input.tcpRoutes ?? []), ...(input.udpRoutes ?? []), ...input.referenceGrants, ...input.services, ...input.secrets, ...input.meshGatewayConfigs];
  const gw = gateways[0];
  const failing = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name: 'gui-broken-backend', namespace: gw.metadata.namespace },
    spec: { parentRefs: [{ name: gw.metadata.name }], rules: [{ backendRefs: [{ name: 'no-such-service', port: 80 }] }] },
  };
  const namespaces = [...new Set([...gateways, ...rest].map((o) => o.metadata.namespace).filter((n): n is string => !!n)), 'kuma-system'];
  const created: object[] = [...classes, ...gateways, ...rest, failing];
  await kube.apply([...namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })), ...input.namespaces, ...created].map(stripForApply));
  const port = await freePort();
  const ctl = await startController(kube.kubeconfigPath, { controllerName, args: [`--gui-address=127.0.0.1:${port}`] });
  await ctl.idle();
  const url = `http://127.0.0.1:${port}/gui/`;
  await eventually(async () => (await fetch(url)).status === 200, 30_000, 'GUI served');
  let n = 0;
  return {
    name: 'controller on a real API server (examples/)',
    url,
    secretValues: secretStrings(input),
    async change() {
      n++;
      const route = {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
        metadata: { name: `live-update-${n}`, namespace: gw.metadata.namespace },
        spec: { parentRefs: [{ name: gw.metadata.name }], rules: [{ backendRefs: [{ name: 'does-not-exist', port: 80 }] }] },
      };
      created.push(route);
      await kube.apply([route]);
      return { routeNamespace: gw.metadata.namespace!, routeName: route.metadata.name };
    },
    async close() {
      await ctl.stop();
      await kube.remove(created.map(stripForApply));
    },
  };
}

/** Objects loaded from files carry fields the API server sets itself (generation). */
function stripForApply(o: object): object {
  const k = o as KubeObject & { status?: unknown };
  const { generation: _g, uid: _u, resourceVersion: _r, creationTimestamp: _c, ...metadata } = k.metadata ?? ({} as KubeObject['metadata']);
  const { status: _s, ...rest } = k;
  return { ...rest, metadata };
}
