// The I/O half of taking over from Kuma's Gateway API controllers: finds what Kuma left, and
// carries out the plans of ./plan.ts. Runs when this replica starts writing (adopt, before its
// first write) and again once that first pass is done (sweep). Failures are logged and retried
// on the next start; they never stop meshgate's own reconciliation.
import type { KubeObject } from '../../translators/api/meta';
import type { InputKey } from '../../translators/keys';
import { KUMA_OWNER_LABEL, MANAGED_BY_LABEL } from '../../translators/naming';
import type { KubeClient } from '../kube/client';
import { resourceForKind, resourcePath, type ResourceType } from '../kube/resources';
import type { Logger } from '../log';
import { withHash } from '../reconcile/object-diff';
import { adoptionBody, describeOp, KUMA_SECRET_TYPE, planAdoption, planSweep, type KumaLeftovers } from './plan';

const FIELD_MANAGER = 'meshgate';
const KUMA_POLICY_SELECTOR = [KUMA_OWNER_LABEL, `!${MANAGED_BY_LABEL}`].join(',');
const INSTANCES: ResourceType = { group: 'kuma.io', version: 'v1alpha1', plural: 'meshgatewayinstances', kind: 'MeshGatewayInstance', namespaced: true };

export interface MigrationDeps {
  client: KubeClient;
  systemNamespace: string;
  log: Logger;
}

export class KumaMigration {
  constructor(private readonly d: MigrationDeps) {}

  /** Everything Kuma's Gateway API controllers left that meshgate may take over. */
  async discover(): Promise<KumaLeftovers> {
    const sys = this.d.systemNamespace;
    const [gateways, routes, secrets, instances] = await Promise.all([
      this.list(resourceForKind('MeshGateway')!, undefined, { labelSelector: KUMA_POLICY_SELECTOR }),
      this.list(resourceForKind('MeshHTTPRoute')!, sys, { labelSelector: KUMA_POLICY_SELECTOR }),
      this.list(resourceForKind('Secret')!, sys, { labelSelector: `!${MANAGED_BY_LABEL}`, fieldSelector: `type=${KUMA_SECRET_TYPE}` }),
      this.list(INSTANCES, undefined, {}),
    ]);
    const workloads: KubeObject[] = [];
    for (const inst of instances) {
      for (const kind of ['Deployment', 'Service']) {
        const r = resourceForKind(kind)!;
        const res = await this.d.client.request<KubeObject>('GET', resourcePath(r, inst.metadata.namespace, inst.metadata.name));
        if (res.status === 404) continue;
        if (res.status !== 200) throw new Error(`get ${kind} ${inst.metadata.namespace}/${inst.metadata.name}: HTTP ${res.status}`);
        const o = { ...res.body, apiVersion: res.body.apiVersion ?? (kind === 'Service' ? 'v1' : 'apps/v1'), kind };
        if (o.metadata.ownerReferences?.some((ref) => ref.controller && ref.uid === inst.metadata.uid)) workloads.push(o);
      }
    }
    return { policies: [...gateways, ...routes], secrets: secrets.filter((s) => s.metadata.name.startsWith('gapi-')), instances, workloads };
  }

  /** Phase 1: replace Kuma's objects at meshgate's names in place. Returns the adopted objects. */
  async adopt(desired: Iterable<KubeObject>): Promise<KubeObject[]> {
    const found = await this.discover();
    const adopted: KubeObject[] = [];
    for (const op of planAdoption(desired, found)) {
      const r = resourceForKind(op.desired.kind, op.desired.apiVersion)!;
      const path = resourcePath(r, op.desired.metadata.namespace, op.desired.metadata.name);
      // A replace (not an apply): fields only Kuma set, and Kuma's ownerReference to its
      // MeshGatewayInstance, must not survive; the apply then makes meshgate their owner.
      const put = await this.d.client.request<KubeObject>('PUT', path, { body: withHash(adoptionBody(op)), query: { fieldManager: FIELD_MANAGER } });
      if (put.status >= 300) { this.d.log.warn('could not adopt an object Kuma created; leaving it alone', { op: describeOp(op), status: put.status, error: message(put.body) }); continue; }
      const applied = await this.d.client.request<KubeObject>('PATCH', path, {
        body: withHash(op.desired), contentType: 'application/apply-patch+yaml', query: { fieldManager: FIELD_MANAGER, force: true },
      });
      if (applied.status >= 300) throw new Error(`apply ${op.desired.kind} ${op.desired.metadata.name}: HTTP ${applied.status} ${message(applied.body)}`);
      adopted.push(applied.body);
      this.d.log.info('adopted an object Kuma created', { op: describeOp(op) });
    }
    return adopted;
  }

  /** Phase 2: delete what meshgate's written objects stand in for. */
  async sweep(desired: Iterable<KubeObject>, written: ReadonlySet<InputKey>): Promise<number> {
    const found = await this.discover();
    let n = 0;
    for (const op of planSweep(desired, written, found)) {
      const o = op.live;
      const r = o.kind === INSTANCES.kind ? INSTANCES : resourceForKind(o.kind, o.apiVersion)!;
      const res = await this.d.client.request('DELETE', resourcePath(r, o.metadata.namespace, o.metadata.name), {
        body: { preconditions: { uid: o.metadata.uid }, propagationPolicy: op.orphanDependents ? 'Orphan' : 'Background' }, contentType: 'application/json',
      });
      if (res.status >= 300 && res.status !== 404 && res.status !== 409) throw new Error(`delete ${o.kind} ${o.metadata.name}: HTTP ${res.status} ${message(res.body)}`);
      n++;
      this.d.log.info('removed an object Kuma created', { op: describeOp(op) });
    }
    const left = found.policies.length + found.secrets.length + found.instances.length - n;
    if (left > 0) this.d.log.info('objects Kuma created that meshgate has no replacement for are left in place', { count: left });
    return n;
  }

  private async list(r: ResourceType, namespace: string | undefined, query: Record<string, string>): Promise<KubeObject[]> {
    const res = await this.d.client.request<{ items?: KubeObject[] }>('GET', resourcePath(r, namespace), { query });
    if (res.status === 404) return []; // the CRD is not installed: Kuma left nothing of that kind
    if (res.status !== 200) throw new Error(`list ${r.plural}: HTTP ${res.status} ${message(res.body)}`);
    const apiVersion = r.group ? [r.group, r.version].join('/') : r.version;
    return (res.body.items ?? []).map((o) => ({ ...o, apiVersion, kind: r.kind }));
  }
}

function message(body: unknown): string {
  return typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : '';
}
