// Generated objects are meshgate's: edits are reverted and deletions undone within seconds.
// Objects meshgate did not create are never modified or deleted, even when their names
// collide with what meshgate would generate; the Gateway says why it is not programmed.
import {
  gateway, gatewayClass, gatewayCond, gatewayWhen, generatedBy, httpListener, httpRoute, KUMA, namespace, programmed, scenario, service, SYSTEM_NS,
  systemNamespace, waitFor, waitGone, type Obj,
} from './fixture';

const s = scenario('drift');
const [ns] = s.namespaces;
const RESTORE_MS = 10_000;

beforeAll(async () => {
  await s.kube.apply([systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName), service(ns, 'web', [8080])]);
  await s.start();
});
afterAll(() => s.cleanup());

async function delta<T>(fn: () => Promise<T>): Promise<Record<string, number>> {
  await s.ctl!.idle();
  const before = await s.ctl!.writes();
  await fn();
  await s.ctl!.idle();
  const after = await s.ctl!.writes();
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
}

test('edits to generated objects are reverted; a deleted MeshHTTPRoute is recreated', async () => {
  await s.kube.apply([gateway(ns, 'edge', s.className, [httpListener()]), httpRoute(ns, 'web', [{ name: 'edge' }], { name: 'web', port: 8080 })]);
  await gatewayWhen(s, ns, 'edge', programmed, 'Programmed');
  const mgw = await waitFor('MeshGateway', () => s.kube.get<Obj>('meshgateway', `edge.${ns}`));
  const [route] = await waitFor('MeshHTTPRoute', async () => { const l = await generatedBy(s, 'meshhttproute', 'HTTPRoute'); return l.length === 1 && l; });

  // kubectl edits the MeshGateway's spec → restored.
  expect(await delta(async () => {
    const r = await s.kube.kubectl(['patch', 'meshgateway', `edge.${ns}`, '--type=merge', '-p', JSON.stringify({ spec: { conf: { listeners: [{ hostname: 'evil.example.com', port: 9999, protocol: 'HTTP', tags: {} }] } } })]);
    expect(r.code).toBe(0);
    await waitFor('MeshGateway spec restored', async () => JSON.stringify((await s.kube.get<Obj>('meshgateway', `edge.${ns}`))?.spec) === JSON.stringify(mgw.spec), RESTORE_MS);
  })).toEqual({ 'MeshGateway apply': 1 });

  // kubectl scales the Deployment → replicas restored.
  expect(await delta(async () => {
    const r = await s.kube.kubectl(['scale', 'deployment', 'edge', '-n', ns, '--replicas=5']);
    expect(r.code).toBe(0);
    await waitFor('Deployment replicas restored', async () => (await s.kube.get<Obj>('deployment', 'edge', ns))?.spec.replicas === 1, RESTORE_MS);
  })).toEqual({ 'Deployment apply': 1 });

  // kubectl deletes the MeshHTTPRoute → recreated (a new object, same spec).
  expect(await delta(async () => {
    const r = await s.kube.kubectl(['delete', 'meshhttproute', route.metadata.name, '-n', SYSTEM_NS]);
    expect(r.code).toBe(0);
    const again = await waitFor('MeshHTTPRoute recreated', async () => { const x = await s.kube.get<Obj>('meshhttproute', route.metadata.name, SYSTEM_NS); return x && x.metadata.uid !== route.metadata.uid && x; }, RESTORE_MS);
    expect(again.spec).toEqual(route.spec);
  })).toEqual({ 'MeshHTTPRoute apply': 1 });
});

test('objects meshgate did not create are never modified or deleted; the Gateway says why', async () => {
  // Someone else's Service, Deployment and MeshGateway, with the names Gateway "taken" would get.
  const foreign: Obj[] = [
    { ...service(ns, 'taken', [80]), metadata: { name: 'taken', namespace: ns, labels: { owner: 'someone-else' } } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'taken', namespace: ns, labels: { owner: 'someone-else' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'taken' } }, template: { metadata: { labels: { app: 'taken' } }, spec: { containers: [{ name: 'c', image: 'example.org/someone-else:1' }] } } },
    },
    { apiVersion: KUMA, kind: 'MeshGateway', mesh: 'default', metadata: { name: `taken.${ns}`, labels: { owner: 'someone-else' } }, spec: { selectors: [{ match: { 'kuma.io/service': 'someone-else' } }], conf: { listeners: [{ port: 7000, protocol: 'HTTP', tags: {} }] } } },
  ];
  await s.kube.apply(foreign);
  const before = await Promise.all(foreign.map((o) => s.kube.get<Obj>(o.kind.toLowerCase(), o.metadata.name, o.metadata.namespace)));
  const gw = gateway(ns, 'taken', s.className, [httpListener()]);
  await s.kube.apply([gw]);

  // The Service is watched, so it is named at once; the writer finds the Deployment (not watched:
  // meshgate watches its own by label) and the MeshGateway when it would write them, in either order.
  const live = await gatewayWhen(s, ns, 'taken', (g) => gatewayCond(g, 'Programmed')?.status === 'False' && ['Deployment', 'MeshGateway', 'Service'].every((k) => gatewayCond(g, 'Programmed')?.message.includes(k)), 'Programmed=False naming the three foreign objects');
  expect(gatewayCond(live, 'Programmed')).toEqual(expect.objectContaining({
    status: 'False', reason: 'Invalid', message: `Deployment ${ns}/taken, MeshGateway taken.${ns}, Service ${ns}/taken exist and are not managed by meshgate; rename or delete them`,
  }));
  await s.ctl!.idle(2000);
  const unchanged = async () => {
    for (const [i, o] of foreign.entries()) {
      const now = await s.kube.get<Obj>(o.kind.toLowerCase(), o.metadata.name, o.metadata.namespace);
      expect(now?.metadata.uid).toBe(before[i]?.metadata.uid);
      expect({ kind: o.kind, spec: now?.spec, labels: now?.metadata.labels, ownerReferences: now?.metadata.ownerReferences, managers: managers(now) })
        .toEqual({ kind: o.kind, spec: before[i]?.spec, labels: before[i]?.metadata.labels, ownerReferences: before[i]?.metadata.ownerReferences, managers: managers(before[i]) });
    }
  };
  await unchanged();
  const log = (await import('node:fs')).readFileSync(s.ctl!.logFile, 'utf8');
  expect(log).toContain('an object meshgate did not create has the name of a generated object; leaving it alone');

  // Deleting the Gateway deletes none of them either.
  await s.kube.remove([gw]);
  await waitGone(s, 'gateway', 'taken', ns);
  await s.ctl!.idle(2000);
  await unchanged();
});

/** Field managers of an object: a write by meshgate would add "meshgate". */
function managers(o: Obj | undefined): string[] {
  return ((o?.metadata as { managedFields?: { manager: string }[] } | undefined)?.managedFields ?? []).map((m) => m.manager).sort();
}
