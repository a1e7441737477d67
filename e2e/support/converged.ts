// e2e support: "the cluster is converged" = a fresh pure translate() of the input objects as the
// API server has them right now equals what meshgate generated and wrote:
//   - generated objects (MeshGateway, MeshHTTPRoute, MeshTCPRoute, Deployment, Service, Secret
//     copies) carrying this controller's labels: same set of kind/namespace/name, and the fields
//     meshgate sets (labels, annotations, ownerReferences, spec/data/type) equal. Server-set
//     metadata and meshgate.io/applied-hash are ignored; server/CRD defaults may be added;
//   - every status meshgate owns (GatewayClass, Gateway, this controller's route parents) equals
//     the translation's (lastTransitionTime ignored), and no route carries parents of this
//     controller the translation does not give it.
// Reads everything with kubectl (not meshgate's client), so a bug there cannot hide itself.
import { translate, type TranslationInput, type TranslationOptions } from '../../translators';
import type { KubeObject, Secret } from '../../translators/api/meta';
import { addToInput, emptyInput } from '../../translators/input';
import { CONTROLLER_LABEL, fnv1Digest, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../translators/naming';
import type { GatewayClassStatusUpdate, GatewayStatusUpdate, RouteStatusUpdate, StatusUpdate } from '../../translators/result';
import type { ControllerProcess } from './controller';
import type { Kube } from './kube';

export interface ConvergedOptions extends Partial<Omit<TranslationOptions, 'controllerName'>> {
  /** The controller's --watch-namespaces (absent = all). */
  watchNamespaces?: string[];
  /** How long to poll before failing. Default 60 s. */
  timeoutMs?: number;
  /** Poll interval. Default 250 ms. */
  intervalMs?: number;
  /** After the first match, wait until this controller is idle and check once more. */
  settle?: ControllerProcess;
  /** Called after every poll that did not match (e.g. for progress output). */
  onMismatch?: (diffs: string[]) => void;
}

export interface ClusterDiff {
  diffs: string[];
  objects: number;
  statuses: number;
  input: TranslationInput;
}

const SYSTEM_NS = 'kuma-system';
const GENERATED_KINDS = new Set(['MeshGateway', 'MeshHTTPRoute', 'MeshTCPRoute', 'Deployment', 'Service', 'Secret']);
const INPUT_RESOURCES = [
  'namespaces', 'services', 'secrets', 'deployments.apps',
  'gatewayclasses.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io',
  'tlsroutes.gateway.networking.k8s.io', 'referencegrants.gateway.networking.k8s.io',
  'meshgatewayconfigs.kuma.io', 'meshgateways.kuma.io', 'meshhttproutes.kuma.io', 'meshtcproutes.kuma.io',
];
const ROUTE_KINDS: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);
const OPTIONAL_RESOURCES = ['grpcroutes.gateway.networking.k8s.io', 'tcproutes.gateway.networking.k8s.io', 'udproutes.gateway.networking.k8s.io'];
/** Annotations the API server or other controllers put on generated objects. */
const FOREIGN_ANNOTATIONS = new Set(['meshgate.io/applied-hash', 'deployment.kubernetes.io/revision']);
/** kuma.io CRD schema defaults: the only leaves a live Mesh* spec may have beyond the desired one. */
const KUMA_DEFAULTS: [string, unknown][] = [['type', 'Exact'], ['statusCode', 302], ['weight', 1]];

type Obj = KubeObject & Record<string, unknown> & { status?: Record<string, unknown> };

const keyOf = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

async function kubectlJSON<T>(kube: Kube, args: string[]): Promise<T> {
  const r = await kube.kubectl(args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

/** Installed Gateway API CRDs with their bundle-version, as the controller passes them to the engine. */
async function gatewayCRDs(kube: Kube): Promise<{ name: string; bundleVersion?: string }[] | undefined> {
  const r = await kube.kubectl(['get', 'customresourcedefinitions', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}{"\\n"}{end}'], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kubectl get crds: ${r.stderr}`);
  const crds = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')).filter(([n]) => n.endsWith('.gateway.networking.k8s.io'))
    .map(([name, v]) => ({ name, bundleVersion: v || undefined }));
  return crds.length ? crds : undefined;
}

/** One snapshot of the cluster compared with a fresh translation of its inputs. */
export async function clusterDiff(kube: Kube, controllerName: string, opts: ConvergedOptions = {}, crds?: TranslationInput['crds']): Promise<ClusterDiff> {
  const systemNamespace = opts.systemNamespace ?? SYSTEM_NS;
  const { watchNamespaces, timeoutMs: _t, intervalMs: _i, settle: _s, onMismatch: _m, ...translationOpts } = opts;
  const installed = await gatewayCRDs(kube);
  // GRPCRoute, TCPRoute and UDPRoute CRDs are optional (the controller watches them only when served).
  const optional = OPTIONAL_RESOURCES.filter((r) => installed?.some((c) => c.name === r));
  const list = await kubectlJSON<{ items: Obj[] }>(kube, ['get', [...INPUT_RESOURCES, ...optional].join(','), '-A', '-o', 'json']);
  const input = emptyInput({ ...translationOpts, controllerName, systemNamespace });
  input.crds = crds ?? installed;
  const hash = fnv1Digest(controllerName);
  const live = new Map<string, Obj>();
  const routes: Obj[] = [];
  for (const o of list.items) {
    const ns = o.metadata.namespace;
    const labels = o.metadata.labels ?? {};
    if (GENERATED_KINDS.has(o.kind) && labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[CONTROLLER_LABEL] === hash) live.set(keyOf(o), o);
    if (ROUTE_KINDS.has(o.kind)) routes.push(o);
    // The controller's informer scopes (see src/controller/controller.ts).
    const gatewayApiNamespaced = ['Gateway', 'ReferenceGrant', 'Service'].includes(o.kind) || ROUTE_KINDS.has(o.kind);
    if (gatewayApiNamespaced && watchNamespaces && !watchNamespaces.includes(ns ?? '')) continue;
    if (o.kind === 'Secret' && opts.secretNamespaces && ![...opts.secretNamespaces, systemNamespace].includes(ns ?? '')) continue;
    const { managedFields: _mf, ...metadata } = o.metadata as Obj['metadata'] & { managedFields?: unknown };
    let obj: KubeObject = { ...o, metadata };
    if (o.kind === 'Secret') obj = slimSecret(obj as Secret, systemNamespace);
    addToInput(input, obj);
  }
  const result = translate(input);
  const diffs: string[] = [];

  // Generated objects.
  const desired = new Map(result.objects.map((o) => [keyOf(o), o as Obj]));
  for (const [k, d] of desired) {
    const l = live.get(k);
    if (!l) { diffs.push(`missing ${k}`); continue; }
    if (l.metadata.deletionTimestamp) diffs.push(`${k} is being deleted but should exist`);
    diffs.push(...compareObject(k, d, l));
  }
  for (const k of live.keys()) if (!desired.has(k)) diffs.push(`left behind: ${k}${live.get(k)!.metadata.deletionTimestamp ? ' (terminating)' : ''}`);

  // Statuses.
  const liveByKey = new Map(list.items.map((o) => [keyOf(o), o]));
  const routeStatuses = new Set<string>();
  for (const s of result.statuses) {
    const k = keyOf({ kind: s.target.kind, metadata: { namespace: s.target.namespace, name: s.target.name } });
    const l = liveByKey.get(k);
    if (!l) { diffs.push(`status target ${k} does not exist`); continue; }
    if (ROUTE_KINDS.has(s.target.kind)) routeStatuses.add(k);
    diffs.push(...compareStatus(k, s, l.status, controllerName));
  }
  for (const r of routes) {
    const k = keyOf(r);
    if (routeStatuses.has(k)) continue;
    const ours = ((r.status?.parents as { controllerName: string }[] | undefined) ?? []).filter((p) => p.controllerName === controllerName);
    if (ours.length) diffs.push(`${k}: status.parents has ${ours.length} entries of ${controllerName}, the translation none`);
  }
  return { diffs, objects: desired.size, statuses: result.statuses.length, input };
}

/**
 * Polls until the cluster matches a fresh translation of its inputs (see clusterDiff), then
 * returns how long that took. Throws with the remaining differences after `timeoutMs`.
 */
export async function expectClusterMatchesTranslation(kube: Kube, controllerName: string, opts: ConvergedOptions = {}): Promise<{ ms: number; polls: number; objects: number; statuses: number }> {
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 60_000);
  const crds = await gatewayCRDs(kube);
  let polls = 0;
  let last: string[] = [];
  for (;;) {
    polls++;
    let d: ClusterDiff | undefined;
    try {
      d = await clusterDiff(kube, controllerName, opts, crds);
      last = d.diffs;
    } catch (e) {
      last = [`could not read the cluster: ${(e as Error).message}`];
    }
    if (d && d.diffs.length === 0) {
      const ms = Date.now() - started;
      if (!opts.settle) return { ms, polls, objects: d.objects, statuses: d.statuses };
      await opts.settle.idle(1000, Math.max(5000, deadline - Date.now()));
      const again = await clusterDiff(kube, controllerName, opts, crds);
      if (again.diffs.length === 0) return { ms, polls, objects: again.objects, statuses: again.statuses };
      last = again.diffs.map((x) => `(after the controller went idle) ${x}`);
    } else opts.onMismatch?.(last);
    if (Date.now() > deadline) {
      throw new Error(`cluster does not match a fresh translation of its inputs after ${Date.now() - started} ms (${last.length} differences):\n  ${last.slice(0, 40).join('\n  ')}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

/** The controller keeps Secret data only for TLS Secrets and its own copies. */
function slimSecret(s: Secret, systemNamespace: string): Secret {
  if (s.type === 'kubernetes.io/tls' || s.metadata.namespace === systemNamespace) return s;
  const { data: _d, stringData: _s, ...rest } = s;
  return rest as Secret;
}

function compareObject(k: string, d: Obj, l: Obj): string[] {
  const out: string[] = [];
  const dl = d.metadata.labels ?? {};
  const ll = l.metadata.labels ?? {};
  if (!sameJSON(dl, ll)) out.push(`${k}: labels ${JSON.stringify(ll)}, want ${JSON.stringify(dl)}`);
  const la = Object.fromEntries(Object.entries(l.metadata.annotations ?? {}).filter(([a]) => !FOREIGN_ANNOTATIONS.has(a)));
  const da = d.metadata.annotations ?? {};
  if (!sameJSON(da, la)) out.push(`${k}: annotations ${JSON.stringify(la)}, want ${JSON.stringify(da)}`);
  const refs = (o: Obj) => (o.metadata.ownerReferences ?? []).map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid, controller: r.controller ?? false }));
  if (!sameJSON(refs(d), refs(l))) out.push(`${k}: ownerReferences ${JSON.stringify(refs(l))}, want ${JSON.stringify(refs(d))}`);
  for (const field of Object.keys(d)) {
    if (field === 'apiVersion' || field === 'kind' || field === 'metadata' || field === 'status') continue;
    if (d.kind === 'Secret') {
      if (!sameJSON(d[field], l[field])) out.push(`${k}: .${field} differs`); // never print Secret data
      continue;
    }
    const sub = subsetDiff(d[field], l[field], `.${field}`);
    if (sub) out.push(`${k}: ${sub}`);
    if (d.apiVersion.startsWith('kuma.io/')) {
      const extra = extraLeaves(d[field], l[field], `.${field}`);
      if (extra) out.push(`${k}: ${extra} is set but not wanted`);
    }
  }
  if (d.kind === 'Secret' && Object.keys(l.data as object ?? {}).length !== Object.keys(d.data as object ?? {}).length) out.push(`${k}: .data has other keys`);
  return out;
}

/** First path where `desired` is not contained in `live` (scalars compared as strings: int-or-string). */
function subsetDiff(desired: unknown, live: unknown, path: string): string | undefined {
  if (desired === undefined) return undefined;
  if (desired === null || typeof desired !== 'object') {
    if (desired === live || (live !== undefined && live !== null && typeof live !== 'object' && String(desired) === String(live))) return undefined;
    return `${path} is ${JSON.stringify(live)}, want ${JSON.stringify(desired)}`;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return desired.length === 0 && live === undefined ? undefined : `${path} is ${JSON.stringify(live)}, want a list of ${desired.length}`;
    if (live.length !== desired.length) return `${path} has ${live.length} entries, want ${desired.length}`;
    for (let i = 0; i < desired.length; i++) { const s = subsetDiff(desired[i], live[i], `${path}[${i}]`); if (s) return s; }
    return undefined;
  }
  if (live === undefined && Object.keys(desired).length === 0) return undefined;
  if (live === null || typeof live !== 'object' || Array.isArray(live)) return `${path} is ${JSON.stringify(live)}, want an object`;
  for (const [f, v] of Object.entries(desired)) {
    const s = subsetDiff(v, (live as Record<string, unknown>)[f], `${path}.${f}`);
    if (s) return s;
  }
  return undefined;
}

/** First leaf in `live` that `desired` lacks and that is no CRD default (catches fields meshgate stopped setting). */
function extraLeaves(desired: unknown, live: unknown, path: string): string | undefined {
  if (live === null || typeof live !== 'object') return undefined;
  if (Array.isArray(live)) {
    const d = Array.isArray(desired) ? desired : [];
    for (let i = 0; i < live.length; i++) { const s = extraLeaves(d[i], live[i], `${path}[${i}]`); if (s) return s; }
    return undefined;
  }
  const d = desired && typeof desired === 'object' && !Array.isArray(desired) ? (desired as Record<string, unknown>) : {};
  for (const [f, v] of Object.entries(live as Record<string, unknown>)) {
    if (d[f] === undefined) {
      if (KUMA_DEFAULTS.some(([dk, dv]) => dk === f && dv === v)) continue;
      if (v !== null && typeof v === 'object' && Object.keys(v).length === 0) continue;
      return `${path}.${f}`;
    }
    const s = extraLeaves(d[f], v, `${path}.${f}`);
    if (s) return s;
  }
  return undefined;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

interface Cond { type: string; status: string; reason: string; message: string; observedGeneration?: number }
const cond = (c: Cond) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, observedGeneration: c.observedGeneration });
/** Conditions without lastTransitionTime, sorted by type; duplicates stay (and then differ). */
const conds = (cs: Cond[] | undefined) => stable((cs ?? []).map(cond).sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)));

function compareStatus(k: string, s: StatusUpdate, live: Record<string, unknown> | undefined, controllerName: string): string[] {
  const out: string[] = [];
  if (s.target.kind === 'GatewayClass' || s.target.kind === 'Gateway') {
    const d = s as GatewayClassStatusUpdate | GatewayStatusUpdate;
    const types = new Set(d.conditions.map((c) => c.type));
    // Condition types meshgate does not set belong to other writers and are kept.
    const liveConds = ((live?.conditions as Cond[] | undefined) ?? []).filter((c) => types.has(c.type));
    if (conds(liveConds) !== conds(d.conditions as Cond[])) out.push(`${k}: status.conditions ${conds(liveConds)}, want ${conds(d.conditions as Cond[])}`);
  }
  if (s.target.kind === 'GatewayClass') {
    const d = s as GatewayClassStatusUpdate;
    if (!sameJSON(live?.supportedFeatures ?? [], d.supportedFeatures)) out.push(`${k}: status.supportedFeatures differ`);
  } else if (s.target.kind === 'Gateway') {
    const d = s as GatewayStatusUpdate;
    if (!sameJSON(live?.addresses ?? [], d.addresses)) out.push(`${k}: status.addresses ${stable(live?.addresses)}, want ${stable(d.addresses)}`);
    const listeners = (ls: unknown) => ((ls as GatewayStatusUpdate['listeners'] | undefined) ?? []).map((l) => ({ name: l.name, attachedRoutes: l.attachedRoutes, supportedKinds: l.supportedKinds, conditions: JSON.parse(conds(l.conditions as Cond[])) }));
    if (!sameJSON(listeners(live?.listeners), listeners(d.listeners))) out.push(`${k}: status.listeners ${stable(listeners(live?.listeners))}, want ${stable(listeners(d.listeners))}`);
  } else {
    const d = s as RouteStatusUpdate;
    type P = { parentRef: Record<string, unknown>; controllerName: string; conditions: Cond[] };
    const norm = (ps: P[]) => ps.map((p) => stable({ parentRef: p.parentRef, controllerName: p.controllerName, conditions: JSON.parse(conds(p.conditions)) })).sort();
    const ours = ((live?.parents as P[] | undefined) ?? []).filter((p) => p.controllerName === controllerName);
    const want = norm(d.parents as unknown as P[]);
    const got = norm(ours);
    if (!sameJSON(got, want)) out.push(`${k}: ${ours.length} status.parents of ours ${JSON.stringify(got)}, want ${want.length}: ${JSON.stringify(want)}`);
  }
  return out;
}
