import type { KubeObject } from '../../translators/api/meta';
import { KUMA_OWNER_LABEL, MANAGED_BY_LABEL, MESH_LABEL, OWNER_LABEL, ownerLabels } from '../../translators/naming';
import { inputKeyOf, type InputKey } from '../../translators/keys';
import { adoptionBody, planAdoption, planSweep, type KumaLeftovers } from './plan';

const CONTROLLER = 'gateways.kuma.io/controller';
const GW_UID = 'gw-uid';
const INST_UID = 'inst-uid';

function obj(kind: string, name: string, extra: { ns?: string; labels?: Record<string, string>; annotations?: Record<string, string>; owner?: { kind: string; uid: string; name?: string }; type?: string; rv?: string } = {}): KubeObject {
  const apiVersion = kind === 'Deployment' ? 'apps/v1' : kind === 'Service' || kind === 'Secret' ? 'v1' : 'kuma.io/v1alpha1';
  return {
    apiVersion, kind,
    metadata: {
      name, namespace: extra.ns, uid: `${kind}-${name}-uid`, resourceVersion: extra.rv,
      labels: extra.labels, annotations: extra.annotations,
      ownerReferences: extra.owner ? [{ apiVersion: 'x/v1', kind: extra.owner.kind, name: extra.owner.name ?? 'edge', uid: extra.owner.uid, controller: true }] : undefined,
    },
    ...(extra.type ? { type: extra.type } : {}),
  } as KubeObject;
}

const mine = (kind: string, ns: string, name: string) => ({ ...ownerLabels(kind, ns, name, CONTROLLER) });
const kumaOwner = (ns: string, name: string) => ({ [KUMA_OWNER_LABEL]: mine('x', ns, name)[OWNER_LABEL] });
const none = (): KumaLeftovers => ({ policies: [], secrets: [], instances: [], workloads: [] });
const instance = obj('MeshGatewayInstance', 'edge', { ns: 'demo', owner: { kind: 'Gateway', uid: GW_UID } });
instance.metadata.uid = INST_UID;

// meshgate's desired objects for Gateway demo/edge, HTTPRoute demo/web and Secret demo/tls.
const desiredMGW = obj('MeshGateway', 'edge.demo', { labels: { ...mine('Gateway', 'demo', 'edge'), [MESH_LABEL]: 'default' } });
const desiredMHR = obj('MeshHTTPRoute', 'web-demo-0a1b2c3d', { ns: 'kuma-system', labels: { ...mine('HTTPRoute', 'demo', 'web'), [MESH_LABEL]: 'default' } });
const desiredCopy = obj('Secret', 'gapi-demo-tls', { ns: 'kuma-system', labels: { ...mine('Secret', 'demo', 'tls'), [MESH_LABEL]: 'default' }, annotations: { 'meshgate.io/source': 'demo/tls' }, type: 'system.kuma.io/secret' });
const desiredDeploy = obj('Deployment', 'edge', { ns: 'demo', labels: mine('Gateway', 'demo', 'edge'), owner: { kind: 'Gateway', uid: GW_UID } });
const desiredSvc = obj('Service', 'edge', { ns: 'demo', labels: mine('Gateway', 'demo', 'edge'), owner: { kind: 'Gateway', uid: GW_UID } });
const desired = [desiredMGW, desiredMHR, desiredCopy, desiredDeploy, desiredSvc];

describe('planAdoption', () => {
  const cases: { name: string; found: KumaLeftovers; adopted: string[] }[] = [
    { name: 'nothing left by Kuma', found: none(), adopted: [] },
    {
      name: "Kuma's MeshGateway and MeshHTTPRoute at meshgate's names, same owner",
      found: { ...none(), policies: [obj('MeshGateway', 'edge.demo', { labels: kumaOwner('demo', 'edge') }), obj('MeshHTTPRoute', 'web-demo-0a1b2c3d', { ns: 'kuma-system', labels: kumaOwner('demo', 'web') })] },
      adopted: ['MeshGateway edge.demo', 'MeshHTTPRoute web-demo-0a1b2c3d'],
    },
    {
      name: 'same name, another owner (a collision, never touched)',
      found: { ...none(), policies: [obj('MeshHTTPRoute', 'web-demo-0a1b2c3d', { ns: 'kuma-system', labels: kumaOwner('other', 'web') })] },
      adopted: [],
    },
    {
      name: "another meshgate's object is not Kuma's",
      found: { ...none(), policies: [obj('MeshGateway', 'edge.demo', { labels: { ...kumaOwner('demo', 'edge'), [MANAGED_BY_LABEL]: 'meshgate' } })] },
      adopted: [],
    },
    {
      name: "Kuma's Secret copy of the same source and mesh",
      found: { ...none(), secrets: [obj('Secret', 'gapi-demo-tls', { ns: 'kuma-system', labels: { [MESH_LABEL]: 'default' }, type: 'system.kuma.io/secret' })] },
      adopted: ['Secret gapi-demo-tls'],
    },
    {
      name: 'a Secret copy for another mesh is not adopted',
      found: { ...none(), secrets: [obj('Secret', 'gapi-demo-tls', { ns: 'kuma-system', labels: { [MESH_LABEL]: 'other' }, type: 'system.kuma.io/secret' })] },
      adopted: [],
    },
    {
      name: 'a plain Secret at that name is not a Kuma copy',
      found: { ...none(), secrets: [obj('Secret', 'gapi-demo-tls', { ns: 'kuma-system', labels: { [MESH_LABEL]: 'default' }, type: 'Opaque' })] },
      adopted: [],
    },
    {
      name: "Deployment and Service controlled by the Gateway's MeshGatewayInstance",
      found: { ...none(), instances: [instance], workloads: [obj('Deployment', 'edge', { ns: 'demo', owner: { kind: 'MeshGatewayInstance', uid: INST_UID } }), obj('Service', 'edge', { ns: 'demo', owner: { kind: 'MeshGatewayInstance', uid: INST_UID } })] },
      adopted: ['Deployment edge', 'Service edge'],
    },
    {
      name: "an instance of another Gateway (uid differs) gives nothing",
      found: { ...none(), instances: [{ ...instance, metadata: { ...instance.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Gateway', name: 'edge', uid: 'old-uid', controller: true }] } }], workloads: [obj('Deployment', 'edge', { ns: 'demo', owner: { kind: 'MeshGatewayInstance', uid: INST_UID } })] },
      adopted: [],
    },
  ];
  it.each(cases)('$name', ({ found, adopted }) => {
    expect(planAdoption(desired, found).map((op) => `${op.live.kind} ${op.live.metadata.name}`)).toEqual(adopted);
  });

  it("replaces at Kuma's version and drops every field manager", () => {
    const live = obj('MeshGateway', 'edge.demo', { labels: kumaOwner('demo', 'edge'), rv: '42' });
    const [op] = planAdoption(desired, { ...none(), policies: [live] });
    const body = adoptionBody(op) as KubeObject & { metadata: { managedFields?: unknown } };
    expect(body.metadata.resourceVersion).toBe('42');
    expect(body.metadata.managedFields).toEqual([{}]);
    expect(body.metadata.labels).toEqual(desiredMGW.metadata.labels);
  });
});

describe('planSweep', () => {
  const kumaRoute = obj('MeshHTTPRoute', 'web-demo-1234abcd', { ns: 'kuma-system', labels: kumaOwner('demo', 'web') });
  const kumaCopy = obj('Secret', 'gapi-demo-tls', { ns: 'kuma-system', labels: { [MESH_LABEL]: 'default' }, type: 'system.kuma.io/secret' });
  const all = new Set(desired.map(inputKeyOf));
  const without = (kind: string) => new Set([...all].filter((k) => !k.startsWith(`${kind}|`)));
  const keys = (...k: string[]) => new Set(k as InputKey[]);
  const cases: { name: string; found: KumaLeftovers; written: Set<InputKey>; deleted: string[] }[] = [
    { name: "Kuma's route under another name, meshgate's written", found: { ...none(), policies: [kumaRoute] }, written: all, deleted: ['MeshHTTPRoute web-demo-1234abcd'] },
    { name: "meshgate's route not written yet: Kuma's stays", found: { ...none(), policies: [kumaRoute] }, written: without('MeshHTTPRoute'), deleted: [] },
    { name: 'a Kuma route whose source meshgate makes nothing of stays', found: { ...none(), policies: [obj('MeshHTTPRoute', 'gone-demo-1', { ns: 'kuma-system', labels: kumaOwner('demo', 'gone') })] }, written: all, deleted: [] },
    { name: "a Kuma object at a desired name is adopted, never deleted", found: { ...none(), policies: [obj('MeshGateway', 'edge.demo', { labels: kumaOwner('demo', 'edge') })] }, written: all, deleted: [] },
    {
      name: 'the instance goes once Deployment and Service are meshgate\'s and it controls nothing',
      found: { ...none(), instances: [instance] }, written: all, deleted: ['MeshGatewayInstance edge'],
    },
    {
      name: 'the instance stays while it still controls the Deployment',
      found: { ...none(), instances: [instance], workloads: [obj('Deployment', 'edge', { ns: 'demo', owner: { kind: 'MeshGatewayInstance', uid: INST_UID } })] }, written: all, deleted: [],
    },
    { name: 'the instance stays until the Service is written', found: { ...none(), instances: [instance] }, written: without('Service'), deleted: [] },
    {
      name: "Kuma's Secret copy at meshgate's own name is adopted, never deleted",
      found: { ...none(), secrets: [kumaCopy] },
      written: new Set([...all, ...keys('Secret|kuma-system|gapi-demo-tls-2')]),
      deleted: [],
    },
  ];
  it.each(cases)('$name', ({ found, written, deleted }) => {
    const ops = planSweep(desired, written, found);
    expect(ops.map((op) => `${op.live.kind} ${op.live.metadata.name}`)).toEqual(deleted);
    for (const op of ops) expect(op.orphanDependents).toBe(op.live.kind === 'MeshGatewayInstance');
  });

  it("deletes Kuma's copy when meshgate's copy of that source sits under another name", () => {
    const renamed = { ...desiredCopy, metadata: { ...desiredCopy.metadata, name: 'gapi-demo-tls-5e6f7a8b' } };
    const d = [desiredMGW, renamed];
    const written = keys('Secret|kuma-system|gapi-demo-tls-5e6f7a8b', 'MeshGateway||edge.demo');
    const kumaCopy = obj('Secret', 'gapi-demo-tls', { ns: 'kuma-system', labels: { [MESH_LABEL]: 'default' }, type: 'system.kuma.io/secret' });
    expect(planSweep(d, written, { ...none(), secrets: [kumaCopy] }).map((op) => op.live.metadata.name)).toEqual(['gapi-demo-tls']);
    expect(planSweep(d, keys('MeshGateway||edge.demo'), { ...none(), secrets: [kumaCopy] })).toEqual([]);
  });
});
