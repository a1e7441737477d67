// Taking over from Kuma 2.x's own Gateway API controllers (docs/migrating-from-kuma.md).
//
// Kuma leaves MeshGateways, MeshHTTPRoutes, Secret copies and MeshGatewayInstances (which own the
// proxy Deployment and Service) behind. Pure planning, in two phases:
// - adopt, before meshgate's first write: a Kuma object at a name meshgate generates, made from the
//   same source, is replaced in place (no moment without it);
// - sweep, once meshgate's own objects are written: a Kuma object that meshgate's objects now
//   stand in for is deleted. A Kuma object meshgate has no replacement for is left alone.
import type { KubeObject, OwnerReference } from '../../translators/api/meta';
import { inputKeyOf, type InputKey } from '../../translators/keys';
import { KUMA_OWNER_LABEL, MANAGED_BY_LABEL, MESH_LABEL, OWNER_LABEL } from '../../translators/naming';

export const KUMA_SECRET_TYPE = 'system.kuma.io/secret';
export const SECRET_SOURCE_ANNOTATION = 'meshgate.io/source';
const INSTANCE_KIND = 'MeshGatewayInstance';

/** What Kuma left: objects without meshgate's labels, as discovered in the cluster. */
export interface KumaLeftovers {
  /** MeshGateways and MeshHTTPRoutes carrying Kuma's owner label. */
  policies: KubeObject[];
  /** Secrets of type system.kuma.io/secret in the system namespace. */
  secrets: KubeObject[];
  /** MeshGatewayInstances (Kuma makes one per Gateway, controlled by it). */
  instances: KubeObject[];
  /** Deployments and Services controlled by one of `instances`. */
  workloads: KubeObject[];
}

export interface AdoptOp { op: 'adopt'; live: KubeObject; desired: KubeObject; why: string }
export interface DeleteOp { op: 'delete'; live: KubeObject; orphanDependents: boolean; why: string }

const keyOf = inputKeyOf;
const display = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Not written by any meshgate (another controllerName's meshgate object is not Kuma's). */
export function isKumaMade(o: KubeObject): boolean {
  return o.metadata.labels?.[MANAGED_BY_LABEL] === undefined;
}

function controllerOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

/** The Kuma Secret-copy name of the source a meshgate copy names in its annotation. */
function kumaSecretName(copy: KubeObject): string | undefined {
  const src = copy.metadata.annotations?.[SECRET_SOURCE_ANNOTATION];
  const slash = src?.indexOf('/') ?? -1;
  return src && slash > 0 ? ['gapi', src.slice(0, slash), src.slice(slash + 1)].join('-') : undefined;
}

/**
 * Why `live` (Kuma's) was made from the same source as meshgate's `desired` at the same name,
 * or undefined if it was not (then it is someone else's object and is never touched).
 */
export function sameSource(live: KubeObject, desired: KubeObject, found: KumaLeftovers): string | undefined {
  if (!isKumaMade(live) || live.kind !== desired.kind) return undefined;
  switch (live.kind) {
    case 'MeshGateway':
    case 'MeshHTTPRoute': {
      const owner = live.metadata.labels?.[KUMA_OWNER_LABEL];
      return owner !== undefined && owner === desired.metadata.labels?.[OWNER_LABEL] ? `Kuma's owner label ${owner}` : undefined;
    }
    case 'Secret': {
      const s = live as KubeObject & { type?: string };
      if (s.type !== KUMA_SECRET_TYPE || kumaSecretName(desired) !== live.metadata.name) return undefined;
      return live.metadata.labels?.[MESH_LABEL] === desired.metadata.labels?.[MESH_LABEL] ? `Kuma's copy of ${desired.metadata.annotations?.[SECRET_SOURCE_ANNOTATION]}` : undefined;
    }
    case 'Deployment':
    case 'Service': {
      const inst = instanceControlling(live, found);
      const gw = controllerOf(desired);
      const instOwner = inst && controllerOf(inst);
      if (!inst || !gw || !instOwner || instOwner.kind !== 'Gateway' || instOwner.uid !== gw.uid) return undefined;
      return `controlled by Kuma's MeshGatewayInstance ${inst.metadata.namespace}/${inst.metadata.name} of the same Gateway`;
    }
    default:
      return undefined;
  }
}

function instanceControlling(o: KubeObject, found: KumaLeftovers): KubeObject | undefined {
  const ref = controllerOf(o);
  if (!ref || ref.kind !== INSTANCE_KIND) return undefined;
  return found.instances.find((i) => i.metadata.uid === ref.uid && i.metadata.namespace === o.metadata.namespace);
}

/** Phase 1: Kuma's objects at names meshgate generates, from the same source. */
export function planAdoption(desired: Iterable<KubeObject>, found: KumaLeftovers): AdoptOp[] {
  const live = new Map<InputKey, KubeObject>();
  for (const o of [...found.policies, ...found.secrets, ...found.workloads]) live.set(keyOf(o), o);
  const ops: AdoptOp[] = [];
  for (const d of desired) {
    const l = live.get(keyOf(d));
    const why = l && sameSource(l, d, found);
    if (l && why) ops.push({ op: 'adopt', live: l, desired: d, why });
  }
  return ops.sort((a, b) => (keyOf(a.desired) < keyOf(b.desired) ? -1 : 1));
}

/**
 * Phase 2: given meshgate's objects that are written (live and meshgate's), the Kuma objects they
 * stand in for. A Kuma policy goes once every desired object of its kind with its owner label is
 * written; a Secret copy once meshgate's copy of the same source is; an instance once the
 * Deployment and Service of its Gateway are meshgate's and nothing is controlled by it any more.
 */
export function planSweep(desired: Iterable<KubeObject>, written: ReadonlySet<InputKey>, found: KumaLeftovers): DeleteOp[] {
  const byOwner = new Map<string, { all: number; written: number; names: string[] }>();
  const copies = new Map<string, KubeObject>();
  const gatewayWorkloads = new Map<string, Set<string>>(); // Gateway uid → kinds written
  const desiredKeys = new Set<InputKey>();
  for (const d of desired) {
    const k = keyOf(d);
    desiredKeys.add(k);
    const isWritten = written.has(k);
    const owner = d.metadata.labels?.[OWNER_LABEL];
    if ((d.kind === 'MeshGateway' || d.kind === 'MeshHTTPRoute') && owner !== undefined) {
      const e = byOwner.get([d.kind, owner].join('|')) ?? { all: 0, written: 0, names: [] };
      e.all++;
      if (isWritten) { e.written++; e.names.push(d.metadata.name); }
      byOwner.set([d.kind, owner].join('|'), e);
    }
    const kumaName = d.kind === 'Secret' ? kumaSecretName(d) : undefined;
    if (kumaName && isWritten) copies.set([d.metadata.labels?.[MESH_LABEL] ?? '', kumaName].join('|'), d);
    const gw = controllerOf(d);
    if ((d.kind === 'Deployment' || d.kind === 'Service') && gw?.kind === 'Gateway' && isWritten) {
      const s = gatewayWorkloads.get(gw.uid) ?? new Set<string>();
      s.add(d.kind);
      gatewayWorkloads.set(gw.uid, s);
    }
  }
  const ops: DeleteOp[] = [];
  for (const p of found.policies) {
    if (!isKumaMade(p) || desiredKeys.has(keyOf(p))) continue;
    const owner = p.metadata.labels?.[KUMA_OWNER_LABEL];
    const e = owner === undefined ? undefined : byOwner.get([p.kind, owner].join('|'));
    if (e && e.all > 0 && e.written === e.all) ops.push({ op: 'delete', live: p, orphanDependents: false, why: `replaced by meshgate's ${p.kind} ${e.names.sort().join(', ')}` });
  }
  for (const s of found.secrets) {
    if (!isKumaMade(s) || desiredKeys.has(keyOf(s))) continue;
    const copy = copies.get([s.metadata.labels?.[MESH_LABEL] ?? '', s.metadata.name].join('|'));
    if (copy) ops.push({ op: 'delete', live: s, orphanDependents: false, why: `replaced by meshgate's copy ${copy.metadata.namespace}/${copy.metadata.name}` });
  }
  for (const inst of found.instances) {
    const gw = controllerOf(inst);
    const done = gw?.kind === 'Gateway' ? gatewayWorkloads.get(gw.uid) : undefined;
    const stillControls = found.workloads.some((w) => controllerOf(w)?.uid === inst.metadata.uid);
    if (done?.has('Deployment') && done.has('Service') && !stillControls) {
      ops.push({ op: 'delete', live: inst, orphanDependents: true, why: `its Gateway's Deployment and Service are meshgate's` });
    }
  }
  return ops.sort((a, b) => (keyOf(a.live) < keyOf(b.live) ? -1 : 1));
}

/**
 * The body that replaces Kuma's object: meshgate's desired object, at the live version (a
 * concurrent change fails the write instead of being lost), with every field manager's claims
 * dropped so that no field Kuma set survives meshgate's later applies.
 */
export function adoptionBody(op: AdoptOp): KubeObject {
  const metadata = { ...op.desired.metadata, resourceVersion: op.live.metadata.resourceVersion, managedFields: [{}] };
  return { ...op.desired, metadata } as KubeObject;
}

export function describeOp(op: AdoptOp | DeleteOp): string {
  return `${op.op} ${display(op.live)}: ${op.why}`;
}
