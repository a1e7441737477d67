// The engine's inputs that do not come from Gateway API objects: objects meshgate did not create
// sitting at the names of generated ones (found by the writer), reported on their Gateway.
import type { KubeObject } from './api/meta';
import { TranslationEngine } from './engine';
import { translate } from './index';
import { objectKey, statusKeyOf } from './keys';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from './input';
import type { GatewayStatusUpdate } from './result';

const GW = 'gateway.networking.k8s.io/v1';
const objs: KubeObject[] = [
  { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName } } as KubeObject,
  { apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', generation: 1 }, spec: { gatewayClassName: 'kuma', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } } as KubeObject,
  // The generated Service and Deployment, as they look once the proxy runs and has an address.
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'app', labels: { 'app.kubernetes.io/managed-by': 'meshgate' } }, spec: { type: 'LoadBalancer', clusterIP: '10.0.0.7' }, status: { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } } } as KubeObject,
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge', namespace: 'app', labels: { 'app.kubernetes.io/managed-by': 'meshgate' } }, spec: { replicas: 1 }, status: { availableReplicas: 1 } } as KubeObject,
];

function engine(): TranslationEngine {
  const input = emptyInput();
  for (const o of objs) addToInput(input, o);
  return TranslationEngine.fromInput(input);
}
const programmed = (e: TranslationEngine) =>
  (e.desiredStatus(statusKeyOf({ kind: 'Gateway', namespace: 'app', name: 'edge' })) as GatewayStatusUpdate).conditions.find((c) => c.type === 'Programmed');
const keyOf = (e: TranslationEngine, kind: string) => {
  return objectKey([...e.desiredObjects()].find((x) => x.kind === kind)!);
};

describe('objects meshgate did not create at generated names', () => {
  it('a foreign Deployment makes the Gateway Programmed=False naming it; freeing the name programs it again', () => {
    const e = engine();
    expect(programmed(e)).toEqual(expect.objectContaining({ status: 'True' }));
    const d = e.setForeign(keyOf(e, 'Deployment'), true);
    expect([...d.statuses]).toEqual(['Gateway|app|edge']);
    expect(programmed(e)).toEqual(expect.objectContaining({ status: 'False', reason: 'Invalid', message: 'Deployment app/edge exists and is not managed by meshgate; rename or delete it' }));
    // The generated objects stay desired: meshgate writes them as soon as the name is free.
    expect([...e.desiredObjects()].map((o) => o.kind).sort()).toEqual(['Deployment', 'MeshGateway', 'Service']);
    e.setForeign(keyOf(e, 'Deployment'), false);
    expect(programmed(e)).toEqual(expect.objectContaining({ status: 'True' }));
  });

  it('several are named in one message, sorted; setting the same state twice changes nothing', () => {
    const e = engine();
    e.setForeign(keyOf(e, 'MeshGateway'), true);
    e.setForeign(keyOf(e, 'Deployment'), true);
    expect(e.setForeign(keyOf(e, 'Deployment'), true).statuses.size).toBe(0);
    expect(programmed(e)?.message).toBe('Deployment app/edge, MeshGateway edge.app exist and are not managed by meshgate; rename or delete them');
  });
});

describe('the bundle holds every input', () => {
  it('foreign names travel in TranslationInput: translate(engine.input()) reproduces the engine, Programmed=False included', () => {
    const e = engine();
    e.setForeign(keyOf(e, 'Deployment'), true);
    const input = e.input();
    expect(input.foreign).toEqual([keyOf(e, 'Deployment')]);
    const offline = translate(JSON.parse(JSON.stringify(input)));
    expect(offline).toEqual(e.result());
    const gw = offline.statuses.find((s) => s.target.kind === 'Gateway') as GatewayStatusUpdate;
    expect(gw.conditions.find((c) => c.type === 'Programmed')).toEqual(expect.objectContaining({ status: 'False', reason: 'Invalid' }));
  });

  it('each generated object names the unit that owns it', () => {
    const r = engine().result();
    expect(r.objects.map((o) => [o.kind, r.owners?.[objectKey(o)]])).toEqual([
      ['MeshGateway', { kind: 'Gateway', namespace: 'app', name: 'edge' }],
      ['Deployment', { kind: 'Gateway', namespace: 'app', name: 'edge' }],
      ['Service', { kind: 'Gateway', namespace: 'app', name: 'edge' }],
    ]);
  });

  it('a route-generated object names its route, in a full and in an incremental translation (memo replays too)', () => {
    const route = (name: string, generation = 1) => ({ apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: 'app', generation }, spec: { parentRefs: [{ name: 'edge' }], hostnames: [`${name}.example.com`], rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${generation}` } }] }] } } as KubeObject);
    const ownersOfRoutes = (r: ReturnType<TranslationEngine['result']>) => r.objects.filter((o) => o.kind === 'MeshHTTPRoute').map((o) => r.owners?.[objectKey(o)]);
    const e = engine();
    e.upsert([route('a'), route('b')]);
    const expected = [{ kind: 'HTTPRoute', namespace: 'app', name: 'a' }, { kind: 'HTTPRoute', namespace: 'app', name: 'b' }];
    expect(ownersOfRoutes(e.result())).toEqual(expected);
    e.upsert([route('b', 2)]); // a's part is replayed from its memo; b's is translated anew
    expect(ownersOfRoutes(e.result())).toEqual(expected);
    expect(ownersOfRoutes(translate(e.input()))).toEqual(expected);
    e.remove([{ kind: 'HTTPRoute', namespace: 'app', name: 'a' }]);
    expect(ownersOfRoutes(e.result())).toEqual([expected[1]]);
    expect(e.result().objects.filter((o) => o.kind === 'MeshGateway').map((o) => e.result().owners?.[objectKey(o)])).toEqual([{ kind: 'Gateway', namespace: 'app', name: 'edge' }]);
  });
});

describe('apply(changes): one mutator, one recompute', () => {
  it('a batch of every kind of change gives the same desired state as the changes one by one', () => {
    const batched = engine();
    const single = engine();
    const dep = keyOf(batched, 'Deployment');
    const gw = objs[1];
    const moved = { ...gw, metadata: { ...gw.metadata, generation: 2 }, spec: { ...(gw as unknown as { spec: object }).spec, listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }] } } as KubeObject;
    const d = batched.apply({ upsert: [moved], foreign: [[dep, true]], now: { value: '2026-01-01T00:00:00Z' }, crds: { value: [] } });
    single.upsert([moved]);
    single.setForeign(dep, true);
    single.setNow('2026-01-01T00:00:00Z');
    single.setCRDs([]);
    expect(batched.result()).toEqual(single.result());
    expect(batched.input()).toEqual(single.input());
    expect([...d.statuses].sort()).toEqual(['GatewayClass||kuma', 'Gateway|app|edge']);
  });

  it('an empty batch changes nothing', () => {
    const e = engine();
    const before = e.result();
    const d = e.apply({});
    expect([d.objects.size, d.statuses.size]).toEqual([0, 0]);
    expect(e.result()).toEqual(before);
  });
});
