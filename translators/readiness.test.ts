// Programmed means the proxy runs: the generated Deployment has an available replica and the
// Service a usable address. Checked through the engine, as the controller drives it (status of
// the generated objects arriving as upserts), and on the one-shot translation.
import type { KubeObject } from './api/meta';
import { TranslationEngine } from './engine';
import { translate } from './index';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from './input';
import type { GatewayStatusUpdate } from './result';
import { statusKeyOf } from './keys';

const GW = 'gateway.networking.k8s.io/v1';
const MANAGED = { 'app.kubernetes.io/managed-by': 'meshgate' };

function input(serviceType?: string) {
  const objs: KubeObject[] = [
    { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName, ...(serviceType ? { parametersRef: { group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'cfg' } } : {}) } } as KubeObject,
    { apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', generation: 3 }, spec: { gatewayClassName: 'kuma', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } } as KubeObject,
  ];
  if (serviceType) objs.push({ apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGatewayConfig', metadata: { name: 'cfg' }, spec: { serviceType } } as KubeObject);
  const i = emptyInput();
  for (const o of objs) addToInput(i, o);
  return i;
}

const service = (type: string, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'app', labels: MANAGED }, spec: { type, clusterIP: '10.0.0.7' }, ...extra }) as KubeObject;
const deployment = (available: number, replicas = 1, conditions?: unknown[]) =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge', namespace: 'app', labels: MANAGED, generation: 2 }, spec: { replicas }, status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 2, ...(conditions ? { conditions } : {}) } }) as KubeObject;
const lbIngress = { status: { loadBalancer: { ingress: [{ ip: '192.0.2.7' }, { hostname: 'edge.example.net' }] } } };

const status = (e: TranslationEngine) => e.desiredStatus(statusKeyOf({ kind: 'Gateway', namespace: 'app', name: 'edge' })) as GatewayStatusUpdate;
const programmed = (e: TranslationEngine) => status(e).conditions.find((c) => c.type === 'Programmed');

describe('Gateway Programmed follows the proxy', () => {
  it('offline (no Deployment, no Service): Programmed=False/Pending naming both, no address', () => {
    const s = translate(input()).statuses.find((x) => x.target.kind === 'Gateway') as GatewayStatusUpdate;
    expect(s.conditions.find((c) => c.type === 'Programmed')).toEqual({
      type: 'Programmed', status: 'False', reason: 'Pending', observedGeneration: 3,
      message: 'waiting for the gateway proxy: Deployment app/edge does not exist yet; Service app/edge does not exist yet',
    });
    expect(s.addresses).toEqual([]);
  });

  it('LoadBalancer: waits for an available replica and for the load balancer; the ClusterIP is never the address', () => {
    const e = TranslationEngine.fromInput(input());
    e.upsert([service('LoadBalancer'), deployment(0)]);
    expect(programmed(e)).toMatchObject({ status: 'False', reason: 'Pending', message: 'waiting for the gateway proxy: Deployment app/edge has no available replica (0 of 1 ready); Service app/edge has no load-balancer address yet (status.loadBalancer.ingress is empty)' });
    expect(status(e).addresses).toEqual([]);
    e.upsert([deployment(1)]);
    expect(programmed(e)?.message).toBe('waiting for the gateway proxy: Service app/edge has no load-balancer address yet (status.loadBalancer.ingress is empty)');
    const d = e.upsert([service('LoadBalancer', lbIngress)]);
    expect([...d.statuses]).toContain('Gateway|app|edge');
    expect(programmed(e)).toMatchObject({ status: 'True', reason: 'Programmed' });
    expect(status(e).addresses).toEqual([{ type: 'IPAddress', value: '192.0.2.7' }, { type: 'Hostname', value: 'edge.example.net' }]);
  });

  it('flips back to Pending when the replicas go away, and to NoResources when scaled to 0 or pods cannot be created', () => {
    const e = TranslationEngine.fromInput(input());
    e.upsert([service('LoadBalancer', lbIngress), deployment(2, 2)]);
    expect(programmed(e)?.status).toBe('True');
    e.upsert([deployment(0, 2)]);
    expect(programmed(e)).toMatchObject({ status: 'False', reason: 'Pending', message: 'waiting for the gateway proxy: Deployment app/edge has no available replica (0 of 2 ready)' });
    e.upsert([deployment(0, 0)]);
    expect(programmed(e)).toMatchObject({ status: 'False', reason: 'NoResources', message: 'waiting for the gateway proxy: Deployment app/edge is scaled to 0 replicas' });
    e.upsert([deployment(0, 1, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' }])]);
    expect(programmed(e)).toMatchObject({ reason: 'NoResources', message: 'waiting for the gateway proxy: Deployment app/edge cannot create pods (FailedCreate: exceeded quota)' });
    e.remove([{ kind: 'Deployment', namespace: 'app', name: 'edge' }]);
    expect(programmed(e)?.message).toBe('waiting for the gateway proxy: Deployment app/edge does not exist yet');
  });

  it('ClusterIP and NodePort: the ClusterIP is the address', () => {
    for (const type of ['ClusterIP', 'NodePort']) {
      const e = TranslationEngine.fromInput(input(type));
      e.upsert([service(type), deployment(1)]);
      expect(programmed(e)).toMatchObject({ status: 'True' });
      expect(status(e).addresses).toEqual([{ type: 'IPAddress', value: '10.0.0.7' }]);
      e.upsert([{ ...service(type), spec: { type } } as KubeObject]);
      expect(programmed(e)?.message).toBe('waiting for the gateway proxy: Service app/edge has no cluster IP yet');
    }
  });

  it('a Deployment status change readiness does not read re-translates nothing', () => {
    const e = TranslationEngine.fromInput(input());
    e.upsert([service('LoadBalancer', lbIngress), deployment(1)]);
    const d0 = deployment(1) as KubeObject & { status: Record<string, unknown> };
    const d = e.upsert([{ ...d0, status: { ...d0.status, observedGeneration: 9, updatedReplicas: 1 } } as KubeObject]);
    expect(d.statuses.size + d.objects.size).toBe(0);
  });

  it('a Deployment meshgate does not manage is not the proxy', () => {
    const e = TranslationEngine.fromInput(input());
    const foreign = { ...deployment(1), metadata: { name: 'edge', namespace: 'app' } } as KubeObject;
    e.upsert([service('LoadBalancer', lbIngress), foreign]);
    expect(programmed(e)?.message).toBe('waiting for the gateway proxy: Deployment app/edge does not exist yet');
  });

  it('the bundle keeps the Deployments it was given (GUI/CLI round trip), slimmed to what readiness reads', () => {
    const e = TranslationEngine.fromInput(input());
    e.upsert([deployment(1)]);
    expect(e.snap.toInput().deployments).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge', namespace: 'app', labels: MANAGED }, spec: { replicas: 1 }, status: { readyReplicas: 1, availableReplicas: 1 } },
    ]);
    expect(translate(e.snap.toInput())).toEqual(e.result());
  });

  it('a Deployment of any shape from a file never throws: what is not a count counts as absent', () => {
    for (const bad of [{ status: 'x' }, { status: { conditions: 'x', availableReplicas: '3' } }, { spec: 'x', status: { conditions: [null, 7, { type: 'ReplicaFailure', status: 'True' }] } }]) {
      const e = TranslationEngine.fromInput(input());
      expect(() => e.upsert([{ ...deployment(0), ...bad } as KubeObject])).not.toThrow();
      expect(programmed(e)?.status).toBe('False');
    }
  });
});
