// Moving from Kuma 2.14's built-in Gateway API support to meshgate (docs/migrating-from-kuma.md):
// the cluster holds what Kuma's controllers wrote for a Gateway with an HTTP and an HTTPS listener
// and two routes (MeshGateway, MeshGatewayInstance owning the proxy Deployment and Service,
// MeshHTTPRoutes under Kuma's names, the Secret copy); then meshgate starts. The end state is one
// copy of each object, meshgate's, and a watch shows that no route was missing at any moment.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../translators/api/meta';
import { fnv1Digest, KUMA_OWNER_LABEL, OWNER_LABEL, ownerLabelValue } from '../../translators/naming';
import { informer } from '../../src/informers/informer';
import { KubeClient } from '../../src/kube/client';
import { resolveConnection } from '../../src/kube/kubeconfig';
import { R } from '../../src/kube/resources';
import {
  freshCertificate, gateway, gatewayClass, gatewayWhen, httpListener, httpRoute, httpsListener, KUMA, kumaSecretValue, namespace, programmed,
  scenario, service, SYSTEM_NS, systemNamespace, tlsSecretFrom, waitFor, type Obj,
} from './fixture';

const s = scenario('kuma-migration');
const [ns] = s.namespaces;
const pem = freshCertificate('example.com', ['example.com', '*.example.com']);
const KUMA_MGI_CRD = path.resolve(__dirname, '..', '..', '..', 'shared', 'kuma', 'crds', 'kuma.io_meshgatewayinstances.yaml');

/** Kuma's MeshHTTPRoute name: `%.244s` of `<route>-<ns>`, `-`, 8 hex digits of FNV-1 over the parentRef. */
function kumaRouteName(route: string, ref: { name: string; sectionName?: string }): string {
  return [`${route}-${ns}`.slice(0, 244), fnv1Digest('0', ref.sectionName ?? '', ref.name, ns, 'Gateway', 'gateway.networking.k8s.io')].join('-');
}

/** Kuma's MeshGatewayInstance CRD: its own when ../shared has it, else the few fields this test needs. */
function instanceCRD(): string | object {
  if (existsSync(KUMA_MGI_CRD)) return readFileSync(KUMA_MGI_CRD, 'utf8');
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'meshgatewayinstances.kuma.io' },
    spec: {
      group: 'kuma.io', scope: 'Namespaced', names: { kind: 'MeshGatewayInstance', listKind: 'MeshGatewayInstanceList', plural: 'meshgatewayinstances', singular: 'meshgatewayinstance' },
      versions: [{ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

let client: KubeClient;
beforeAll(async () => {
  client = KubeClient.fromConnection(await resolveConnection(s.kube.kubeconfigPath), { qps: 50, burst: 100 });
  if (!(await s.kube.get('crd', 'meshgatewayinstances.kuma.io'))) {
    const crd = instanceCRD();
    await s.kube.apply(typeof crd === 'string' ? crd : [crd]);
    await waitFor('MeshGatewayInstance CRD established', async () => (await s.kube.kubectl(['get', 'meshgatewayinstances', '-A'])).code === 0);
  }
});
afterAll(async () => {
  client?.close();
  await s.cleanup();
});

/** What Kuma 2.14's controllers write for Gateway `edge` and routes `web` (on listener http) and `api`. */
function kumaObjects(gwUid: string, instUid?: string): Obj[] {
  const owner = (name: string) => ({ [KUMA_OWNER_LABEL]: ownerLabelValue(ns, name) });
  const byInstance = instUid ? [{ apiVersion: KUMA, kind: 'MeshGatewayInstance', name: 'edge', uid: instUid, controller: true, blockOwnerDeletion: true }] : [];
  const rule = { matches: [{ path: { type: 'PathPrefix', value: '/' } }], default: { backendRefs: [{ kind: 'MeshServiceSubset', name: `web_${ns}_svc_8080`, tags: { 'kuma.io/zone': 'default' }, weight: 1 }] } };
  const route = (name: string, ref: { name: string; sectionName?: string }): Obj => ({
    apiVersion: KUMA, kind: 'MeshHTTPRoute', metadata: { name: kumaRouteName(name, ref), namespace: SYSTEM_NS, labels: { ...owner(name), 'kuma.io/mesh': 'default' } },
    spec: { targetRef: { kind: 'MeshGateway', name: `edge.${ns}`, ...(ref.sectionName ? { tags: { 'gateways.kuma.io/listener-name': ref.sectionName } } : {}) }, to: [{ targetRef: { kind: 'Mesh' }, rules: [rule] }] },
  });
  return [
    {
      apiVersion: KUMA, kind: 'MeshGateway', mesh: 'default', metadata: { name: `edge.${ns}`, labels: owner('edge') },
      spec: {
        selectors: [{ match: { 'kuma.io/service': `edge_${ns}_svc` } }],
        conf: { listeners: [
          { port: 80, protocol: 'HTTP', hostname: '*', tags: { 'gateways.kuma.io/listener-name': 'http', 'gateways.kuma.io/listener-port': '80' } },
          { port: 443, protocol: 'HTTPS', hostname: '*', tags: { 'gateways.kuma.io/listener-name': 'https', 'gateways.kuma.io/listener-port': '443' }, tls: { mode: 'TERMINATE', certificates: [{ secret: `gapi-${ns}-tls` }] } },
        ] },
      },
    },
    route('web', { name: 'edge', sectionName: 'http' }),
    route('api', { name: 'edge' }),
    { apiVersion: 'v1', kind: 'Secret', type: 'system.kuma.io/secret', metadata: { name: `gapi-${ns}-tls`, namespace: SYSTEM_NS, labels: { 'kuma.io/mesh': 'default' } }, data: { value: kumaSecretValue(pem) } },
    {
      apiVersion: KUMA, kind: 'MeshGatewayInstance',
      metadata: { name: 'edge', namespace: ns, labels: { 'kuma.io/mesh': 'default' }, ownerReferences: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'edge', uid: gwUid, controller: true, blockOwnerDeletion: true }] as never },
      spec: { replicas: 1, serviceType: 'LoadBalancer' },
    },
    ...(instUid ? [
      {
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: ns, annotations: { 'kuma.io/gateway': 'builtin' }, ownerReferences: byInstance as never },
        spec: { type: 'LoadBalancer', selector: { app: 'edge' }, ports: [80, 443].map((port) => ({ name: String(port), protocol: 'TCP', port, targetPort: port })) },
      },
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge', namespace: ns, ownerReferences: byInstance as never },
        spec: {
          replicas: 1, selector: { matchLabels: { app: 'edge' } },
          template: {
            metadata: { labels: { app: 'edge', 'kuma.io/sidecar-injection': 'disabled', 'kuma.io/mesh': 'default' }, annotations: { 'kuma.io/gateway': 'builtin', 'kuma.io/tags': JSON.stringify({ 'kuma.io/service': `edge_${ns}_svc` }) } },
            spec: { containers: [{ name: 'kuma-gateway', image: 'docker.io/kumahq/kuma-dp:2.14.3', args: ['run', '--log-level=info'], env: [{ name: 'KUMA_ONLY_SETTING', value: 'set by Kuma' }] }] },
          },
        },
      },
    ] as Obj[] : []),
  ];
}

const uidOf = async (kind: string, name: string, namespace?: string) => (await s.kube.get<Obj>(kind, name, namespace))?.metadata.uid;

test('meshgate takes over what Kuma 2.14 wrote: one copy of each object, and no route is ever missing', async () => {
  await s.kube.apply([systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName), service(ns, 'web', [8080]), tlsSecretFrom(ns, 'tls', pem)]);
  await s.kube.apply([
    gateway(ns, 'edge', s.className, [httpListener(), httpsListener('https', 443, 'tls')]),
    httpRoute(ns, 'web', [{ name: 'edge', sectionName: 'http' }], { name: 'web', port: 8080 }),
    httpRoute(ns, 'api', [{ name: 'edge' }], { name: 'web', port: 8080 }, { path: '/api' }),
  ]);
  const gwUid = (await uidOf('gateway', 'edge', ns))!;
  await s.kube.apply(kumaObjects(gwUid));
  const instUid = (await uidOf('meshgatewayinstance', 'edge', ns))!;
  await s.kube.apply(kumaObjects(gwUid, instUid).filter((o) => o.kind === 'Deployment' || o.kind === 'Service'));
  const before = {
    meshGateway: await uidOf('meshgateway', `edge.${ns}`), deployment: await uidOf('deployment', 'edge', ns),
    service: await uidOf('service', 'edge', ns), copy: await uidOf('secret', `gapi-${ns}-tls`, SYSTEM_NS),
  };

  // Every MeshHTTPRoute event in order: after each, both routes must still have one.
  const owners = new Map([['web', ownerLabelValue(ns, 'web')], ['api', ownerLabelValue(ns, 'api')]]);
  const live = new Map<string, KubeObject>();
  const gaps: string[] = [];
  // Kuma's carry its owner label, meshgate's its own: one watch over both.
  const ownerOf = (o: KubeObject) => o.metadata.labels?.[OWNER_LABEL] ?? o.metadata.labels?.[KUMA_OWNER_LABEL];
  let listed = false; // the initial list arrives one object at a time: judge only from then on
  const sub = informer(client, R.meshHTTPRoutes, { namespace: SYSTEM_NS }).subscribe((e) => {
    if (e.type === 'synced') listed = true;
    if (e.type === 'upsert' || e.type === 'delete') { const o = ownerOf(e.object); if (o === undefined || ![...owners.values()].includes(o)) return; }
    if (e.type === 'upsert') live.set(e.object.metadata.name, e.object);
    else if (e.type === 'delete') live.delete(e.object.metadata.name);
    if (!listed || (e.type !== 'upsert' && e.type !== 'delete')) return;
    for (const [route, owner] of owners) {
      if (![...live.values()].some((o) => ownerOf(o) === owner)) gaps.push(`${e.type} ${e.object.metadata.name}: no MeshHTTPRoute for ${route}`);
    }
  });
  try {
    await waitFor('both Kuma routes seen by the watch', async () => listed && live.size === 2);
    await s.start();
    await gatewayWhen(s, ns, 'edge', programmed, 'Programmed', 60_000);
    await waitFor('the MeshGatewayInstance removed', async () => (await uidOf('meshgatewayinstance', 'edge', ns)) === undefined, 60_000);
    await waitFor("no Kuma-made MeshHTTPRoute left", async () => [...live.values()].every((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'meshgate') && live.size === 3);
    await s.ctl!.idle();
  } finally {
    sub.unsubscribe();
  }
  expect(gaps).toEqual([]);

  // One copy of each, meshgate's; the objects that carry traffic were replaced in place.
  const mine = `meshgate.io/controller=${s.controllerHash}`;
  const routes = await s.kube.list<Obj>('meshhttproute', { namespace: SYSTEM_NS, selector: `${OWNER_LABEL} in (${[...owners.values()].join(',')})` });
  expect(routes.map((r) => r.metadata.labels?.['meshgate.io/controller']).sort()).toEqual([s.controllerHash, s.controllerHash, s.controllerHash]);
  // Kuma's names are kept only where they name one source (translators/naming.ts): a route under
  // Kuma's name is the adopted object, one under another name replaced Kuma's, which is gone.
  const kumaNames = [kumaRouteName('web', { name: 'edge', sectionName: 'http' }), kumaRouteName('api', { name: 'edge' })];
  for (const r of routes) if (kumaNames.includes(r.metadata.name)) expect(r.metadata.labels?.['meshgate.io/controller']).toBe(s.controllerHash);
  const mgw = (await s.kube.get<Obj>('meshgateway', `edge.${ns}`))!;
  expect(mgw.metadata.uid).toBe(before.meshGateway);
  expect(mgw.metadata.labels?.['meshgate.io/controller']).toBe(s.controllerHash);
  for (const [kind, uid] of [['deployment', before.deployment], ['service', before.service]] as const) {
    const o = (await s.kube.get<Obj>(kind, 'edge', ns))!;
    expect(o.metadata.uid).toBe(uid);
    expect(o.metadata.labels?.['meshgate.io/controller']).toBe(s.controllerHash);
    expect(o.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Gateway', name: 'edge', uid: gwUid, controller: true })]);
    const managers = ((o.metadata as { managedFields?: { manager: string }[] }).managedFields ?? []).map((m) => m.manager);
    expect(managers.filter((m) => m !== 'meshgate' && m !== 'kube-controller-manager')).toEqual([]);
  }
  const deploy = (await s.kube.get<Obj>('deployment', 'edge', ns))!;
  expect(JSON.stringify(deploy.spec.template)).not.toContain('KUMA_ONLY_SETTING');
  // The copy: meshgate's, alone (adopted in place where meshgate keeps Kuma's name).
  const copies = await s.kube.list<Obj>('secret', { namespace: SYSTEM_NS, selector: mine });
  expect(copies.map((c) => c.metadata.annotations?.['meshgate.io/source'])).toEqual([`${ns}/tls`]);
  if (copies[0].metadata.name === `gapi-${ns}-tls`) expect(copies[0].metadata.uid).toBe(before.copy);
  else expect(await uidOf('secret', `gapi-${ns}-tls`, SYSTEM_NS)).toBeUndefined();
  expect(await s.kube.list<Obj>('meshgateway', { selector: `${KUMA_OWNER_LABEL}=${ownerLabelValue(ns, 'edge')}` })).toEqual([]);
  expect(await s.kube.list<Obj>('meshhttproute', { namespace: SYSTEM_NS, selector: `${KUMA_OWNER_LABEL} in (${[...owners.values()].join(',')})` })).toEqual([]);

  // A restart finds nothing more to adopt or remove, and writes nothing.
  const log = readFileSync(s.ctl!.logFile, 'utf8');
  expect(log).toContain('adopted an object Kuma created');
  expect(log).toContain('removed an object Kuma created');
  await s.start();
  await s.ctl!.idle(1500);
  expect(await s.ctl!.totalWrites()).toBe(0);
});
