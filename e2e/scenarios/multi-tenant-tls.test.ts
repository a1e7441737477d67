// The multi-tenant TLS passthrough gateway (hosted control planes: one Gateway fronts every
// tenant's kube-apiserver and konnectivity-server by SNI). Listeners `kube-apiserver` 6443 and
// `konnectivity-server` 8132, TLS Passthrough, wildcard hostname; per tenant two TLSRoutes with
// the same hostname, attaching by sectionName and port, to different backend ports.
// meshgate: one SNI listener per (port, hostname) on the MeshGateway and one MeshTCPRoute per
// route. A newer TLSRoute claiming a hostname already routed is told why it is not accepted.
import { ownerLabelValue } from '../../translators/naming';
import {
  gateway, gatewayClass, gatewayWhen, GW, listenerCond, listenerStatus, namespace, parentCond, parentsOf, programmed, routeWhen, scenario, service,
  sleep, SYSTEM_NS, systemNamespace, waitFor, type Obj,
} from './fixture';

const s = scenario('tenants', ['gw', 'a', 'b']);
const [gwNs, nsA, nsB] = s.namespaces;
const tenants = [{ ns: nsA, name: 'tenant-a' }, { ns: nsB, name: 'tenant-b' }];
const DOMAIN = 'tenants.example.com';
const passthrough = (name: string, port: number) => ({
  name, port, protocol: 'TLS', hostname: `*.${DOMAIN}`, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'TLSRoute' }] },
});
const tlsRoute = (ns: string, name: string, host: string, sectionName: string, port: number, backend: string): Obj => ({
  apiVersion: GW, kind: 'TLSRoute', metadata: { name, namespace: ns },
  spec: { parentRefs: [{ name: 'tenants', namespace: gwNs, sectionName, port }], hostnames: [host], rules: [{ backendRefs: [{ name: backend, port }] }] },
});
const routesOf = (t: { ns: string; name: string }) => [
  tlsRoute(t.ns, `${t.name}-kube-apiserver`, `${t.name}.${DOMAIN}`, 'kube-apiserver', 6443, t.name),
  tlsRoute(t.ns, `${t.name}-konnectivity`, `${t.name}.${DOMAIN}`, 'konnectivity-server', 8132, t.name),
];

afterAll(() => s.cleanup());

test('per-tenant TLSRoutes: all Accepted, SNI listeners and one MeshTCPRoute per route', async () => {
  await s.kube.apply([
    systemNamespace(), ...s.namespaces.map((n) => namespace(n)), gatewayClass(s.className, s.controllerName),
    gateway(gwNs, 'tenants', s.className, [passthrough('kube-apiserver', 6443), passthrough('konnectivity-server', 8132)]),
    ...tenants.flatMap((t) => [service(t.ns, t.name, [6443, 8132]), ...routesOf(t)]),
  ]);
  await s.start();
  const gw = await gatewayWhen(s, gwNs, 'tenants', (g) => programmed(g) && listenerStatus(g, 'kube-apiserver')?.attachedRoutes === 2 && listenerStatus(g, 'konnectivity-server')?.attachedRoutes === 2, 'Programmed, 2 routes per listener');
  for (const l of ['kube-apiserver', 'konnectivity-server']) {
    expect(listenerStatus(gw, l)?.supportedKinds).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute' }]);
    expect(listenerCond(gw, l, 'Accepted')?.status).toBe('True');
    expect(listenerCond(gw, l, 'ResolvedRefs')?.status).toBe('True');
  }
  for (const t of tenants) {
    for (const r of routesOf(t)) {
      const live = await routeWhen(s, 'tlsroute', t.ns, r.metadata.name, (x) => parentCond(x, s.controllerName, 'Accepted')?.status === 'True', 'Accepted');
      expect(parentsOf(live, s.controllerName)).toEqual([expect.objectContaining({ parentRef: expect.objectContaining({ name: 'tenants', namespace: gwNs, sectionName: r.spec.parentRefs[0].sectionName, port: r.spec.parentRefs[0].port }) })]);
      expect(parentCond(live, s.controllerName, 'ResolvedRefs')?.status).toBe('True');
    }
  }

  // The MeshGateway: one TLS passthrough listener per (port, tenant hostname), none for the wildcards.
  const mgw = await s.kube.get<Obj>('meshgateway', `tenants.${gwNs}`);
  const listeners = (mgw?.spec.conf.listeners as { port: number; hostname: string; protocol: string; tls: unknown; tags: Record<string, string> }[])
    .map((l) => ({ port: l.port, hostname: l.hostname, protocol: l.protocol, tls: l.tls, route: l.tags['meshgate.io/tlsroute'], listener: l.tags['gateways.kuma.io/listener-name'] }))
    .sort((a, b) => a.port - b.port || a.hostname.localeCompare(b.hostname));
  expect(listeners).toEqual(tenants.flatMap((t) => [6443, 8132].map((port) => ({
    port, hostname: `${t.name}.${DOMAIN}`, protocol: 'TLS', tls: { mode: 'PASSTHROUGH' },
    route: ownerLabelValue(t.ns, port === 6443 ? `${t.name}-kube-apiserver` : `${t.name}-konnectivity`),
    listener: port === 6443 ? 'kube-apiserver' : 'konnectivity-server',
  }))).sort((a, b) => a.port - b.port || a.hostname.localeCompare(b.hostname)));

  // One MeshTCPRoute per TLSRoute, selecting its SNI listeners by tag, forwarding to its backend port.
  const tcp = await waitFor('4 MeshTCPRoutes', async () => {
    const l = await s.kube.list<Obj>('meshtcproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${s.controllerHash}` });
    return l.length === 4 && l;
  });
  for (const t of tenants) {
    for (const [route, port] of [[`${t.name}-kube-apiserver`, 6443], [`${t.name}-konnectivity`, 8132]] as const) {
      const m = tcp.find((x) => x.spec.targetRef.tags?.['meshgate.io/tlsroute'] === ownerLabelValue(t.ns, route));
      expect(m?.metadata.labels?.['kuma.io/mesh']).toBe('default');
      expect(m?.spec).toEqual({
        targetRef: { kind: 'MeshGateway', name: `tenants.${gwNs}`, tags: { 'meshgate.io/tlsroute': ownerLabelValue(t.ns, route) } },
        to: [{ targetRef: { kind: 'Mesh' }, rules: [{ default: { backendRefs: [{ kind: 'MeshService', name: `${t.name}_${t.ns}_svc_${port}`, weight: 1 }] } }] }],
      });
    }
  }
});

test('a newer TLSRoute claiming a routed hostname is not accepted and is told why', async () => {
  await sleep(1100); // creationTimestamp has one-second resolution: be strictly newer
  const intruder = tlsRoute(nsB, 'intruder', `tenant-a.${DOMAIN}`, 'kube-apiserver', 6443, 'tenant-b');
  await s.kube.apply([intruder]);
  const r = await routeWhen(s, 'tlsroute', nsB, 'intruder', (x) => parentCond(x, s.controllerName, 'Accepted') !== undefined, 'has status');
  expect(parentCond(r, s.controllerName, 'Accepted')).toEqual(expect.objectContaining({
    status: 'False', reason: 'HostnameConflict',
    message: `hostname tenant-a.${DOMAIN} on listener kube-apiserver is already routed by older TLSRoute ${nsA}/tenant-a-kube-apiserver`,
  }));
  // The owner keeps the hostname; nothing changes for it.
  const owner = await s.kube.get<Obj>('tlsroute', 'tenant-a-kube-apiserver', nsA);
  expect(parentCond(owner, s.controllerName, 'Accepted')?.status).toBe('True');
  const gw = await s.kube.get<Obj>('gateway', 'tenants', gwNs);
  expect(listenerStatus(gw, 'kube-apiserver')?.attachedRoutes).toBe(2);
  const tcp = await s.kube.list<Obj>('meshtcproute', { namespace: SYSTEM_NS, selector: `meshgate.io/controller=${s.controllerHash}` });
  expect(tcp.map((m) => m.spec.targetRef.tags['meshgate.io/tlsroute'])).not.toContain(ownerLabelValue(nsB, 'intruder'));
  expect(tcp).toHaveLength(4);
});
