// Replays the Gateway API conformance manifests through the PURE translator and checks status
// the way the upstream Go helpers do (conformance/utils/kubernetes/helpers.go, v1.6.1). See
// ../shared/gateway-api/conformance/EXPECTATIONS.md (optional, for people) for what each case expects.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { conformanceDir } from '../../e2e/upstream/locate';
import type { Gateway, GatewayClass, ListenerStatus, RouteParentStatus } from '../api/gateway-api';
import { GATEWAY_GROUP } from '../api/gateway-api';
import type { Condition, Deployment, KubeObject, Secret, Service } from '../api/meta';
import { TranslationEngine, translate } from '../index';
import type { TranslationInput } from '../input';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from '../input';
import { fnv1 } from '../naming';
import type { GatewayClassStatusUpdate, GatewayStatusUpdate, RouteStatusUpdate, StatusUpdate, TranslationResult } from '../result';
import { tlsSecret } from '../testdata/certs';

/** base/ and tests/ of the pinned sigs.k8s.io/gateway-api/conformance module (e2e/upstream/go.mod). */
export const CONFORMANCE_DIR = conformanceDir();

export const CLASS_NAME = 'meshgate';
export const CONTROLLER = DEFAULT_OPTIONS.controllerName;
export const INFRA = 'gateway-conformance-infra';
export const APP = 'gateway-conformance-app-backend';
export const WEB = 'gateway-conformance-web-backend';
const SKIP_READINESS = 'gateway-api/skip-this-for-readiness';

// ---- input ------------------------------------------------------------------------------

/** Objects of one conformance file, placeholders replaced, Deployments/Pods dropped, generation defaulted. */
export function readManifest(relative: string): KubeObject[] {
  const file = path.join(CONFORMANCE_DIR, relative);
  const text = readFileSync(file, 'utf8')
    .replaceAll('{GATEWAY_CLASS_NAME}', CLASS_NAME)
    .replaceAll('{GATEWAY_CONTROLLER_NAME}', CONTROLLER);
  // Plain multi-document YAML (translators/ does not use the CLI's loader in src/).
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => typeof o?.kind === 'string' && o.kind !== 'Deployment' && o.kind !== 'Pod')
    .map((o) => ({ ...o, metadata: { ...o.metadata, generation: o.metadata.generation ?? 1 } }));
}

export function gatewayClass(name = CLASS_NAME): GatewayClass {
  return { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'GatewayClass', metadata: { name, generation: 1 }, spec: { controllerName: CONTROLLER } };
}

/** The Secrets the upstream harness creates in Go (suite.go Setup), all from the `valid` fixture. */
export function conformanceSecrets(): Secret[] {
  return [
    tlsSecret(WEB, 'certificate'),
    tlsSecret(INFRA, 'tls-validity-checks-certificate'),
    tlsSecret(INFRA, 'tls-passthrough-checks-certificate'),
    tlsSecret(APP, 'tls-passthrough-checks-certificate'),
    tlsSecret(INFRA, 'tls-terminate-checks-certificate'),
    tlsSecret(INFRA, 'tls-checks-client-certificate'),
  ];
}

/** Base manifests + the meshgate GatewayClass + the Go-made Secrets + `tests/<name>.yaml` for each name. */
export function conformanceInput(...tests: string[]): TranslationInput {
  const input = emptyInput();
  const objects: KubeObject[] = [
    gatewayClass(),
    ...readManifest('base/manifests.yaml'),
    ...conformanceSecrets(),
    ...tests.flatMap((t) => readManifest(path.join('tests', t.endsWith('.yaml') ? t : `${t}.yaml`))),
  ];
  for (const o of objects) addToInput(input, o); // kinds meshgate does not read (ConfigMap) are left out
  return input;
}

/** A deterministic ClusterIP per Service, as the API server would assign one. */
function clusterIP(svc: Service): string {
  const h = fnv1(svc.metadata.namespace ?? '', svc.metadata.name);
  return `10.96.${(h >>> 8) & 0xff}.${(h & 0xfe) + 1}`;
}

/**
 * Second pass: the API server creates the Services and Deployments meshgate generated, assigns
 * ClusterIPs, a load balancer gives LoadBalancer Services an ingress IP and the proxy pods become
 * ready; the translator then publishes status.addresses and Gateway Programmed=True. Returns both.
 */
export function withGeneratedServices(input: TranslationInput, result: TranslationResult = translate(input)): { input: TranslationInput; result: TranslationResult } {
  const key = (s: KubeObject) => `${s.metadata.namespace}/${s.metadata.name}`;
  const generated = result.objects.filter((o): o is Service => o.kind === 'Service');
  const keys = new Set(generated.map(key));
  const services = [
    ...input.services.filter((s) => !keys.has(key(s))),
    ...generated.map((s) => {
      const ip = clusterIP(s);
      const lb = s.spec?.type === 'LoadBalancer' ? { status: { loadBalancer: { ingress: [{ ip: ip.replace(/^10\.96\./, '172.18.') }] } } } : {};
      return { ...s, spec: { ...s.spec, clusterIP: ip }, ...lb };
    }),
  ];
  const deployments = result.objects.filter((o): o is Deployment => o.kind === 'Deployment').map((d) => {
    const replicas = d.spec?.replicas ?? 1;
    return { ...d, status: { replicas, readyReplicas: replicas, availableReplicas: replicas } };
  });
  const next = { ...input, services, deployments };
  return { input: next, result: translate(next) };
}

/** Both passes at once: the state a cluster settles in. */
export function settle(input: TranslationInput): { input: TranslationInput; result: TranslationResult } {
  return withGeneratedServices(input);
}

/** A copy of `input` with `obj` replacing the object of the same kind/namespace/name. */
export function replaceIn(input: TranslationInput, obj: KubeObject): TranslationInput {
  const next: TranslationInput = { ...input };
  const same = (o: KubeObject) => o.kind === obj.kind && o.metadata.namespace === obj.metadata.namespace && o.metadata.name === obj.metadata.name;
  for (const k of ['gatewayClasses', 'gateways', 'httpRoutes', 'tlsRoutes', 'referenceGrants', 'namespaces', 'services', 'secrets', 'meshGatewayConfigs'] as const) {
    const list = input[k] as KubeObject[];
    if (list.some(same)) (next as unknown as Record<string, KubeObject[]>)[k] = list.map((o) => (same(o) ? obj : o));
  }
  return next;
}

export function removeFrom(input: TranslationInput, kind: string, namespace: string | undefined, name: string): TranslationInput {
  const next: TranslationInput = { ...input };
  for (const k of ['gatewayClasses', 'gateways', 'httpRoutes', 'tlsRoutes', 'referenceGrants', 'namespaces', 'services', 'secrets', 'meshGatewayConfigs'] as const) {
    (next as unknown as Record<string, KubeObject[]>)[k] = (input[k] as KubeObject[]).filter(
      (o) => !(o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name),
    );
  }
  return next;
}

export function findGateway(input: TranslationInput, name: string, namespace = INFRA): Gateway {
  const gw = input.gateways.find((g) => g.metadata.name === name && g.metadata.namespace === namespace);
  if (!gw) throw new Error(`no Gateway ${namespace}/${name} in the input`);
  return gw;
}

/** The incremental engine, fed `changed` after starting from `before`, must equal a full translation of `after`. */
export function expectIncrementalMatchesFull(before: TranslationInput, after: TranslationInput, change: (e: TranslationEngine) => void): TranslationResult {
  const engine = TranslationEngine.fromInput(before);
  change(engine);
  const incremental = engine.result();
  expect(incremental).toEqual(translate(after));
  return incremental;
}

// ---- status lookups ---------------------------------------------------------------------

export function gatewayStatus(result: TranslationResult, name: string, namespace = INFRA): GatewayStatusUpdate {
  const s = result.statuses.find((x) => x.target.kind === 'Gateway' && x.target.name === name && x.target.namespace === namespace);
  if (!s) throw new Error(`no status for Gateway ${namespace}/${name}`);
  return s as GatewayStatusUpdate;
}

export function classStatus(result: TranslationResult, name = CLASS_NAME): GatewayClassStatusUpdate {
  const s = result.statuses.find((x) => x.target.kind === 'GatewayClass' && x.target.name === name);
  if (!s) throw new Error(`no status for GatewayClass ${name}`);
  return s as GatewayClassStatusUpdate;
}

/** undefined when meshgate writes no status for the route at all. */
export function routeStatus(result: TranslationResult, kind: 'HTTPRoute' | 'TLSRoute', name: string, namespace = INFRA): RouteStatusUpdate | undefined {
  return result.statuses.find((x) => x.target.kind === kind && x.target.name === name && x.target.namespace === namespace) as RouteStatusUpdate | undefined;
}

// ---- assertions, mirroring helpers.go ---------------------------------------------------

export interface Cond {
  type: string;
  status: Condition['status'];
  /** undefined = any reason (the Go helpers' empty Reason). */
  reason?: string;
}

export const T = (type: string, reason?: string): Cond => ({ type, status: 'True', reason });
export const F = (type: string, reason?: string): Cond => ({ type, status: 'False', reason });

/** conditionsMatch/findConditionInList: every expected type present with that status (and reason if given). */
export function expectConditions(actual: Condition[], expected: Cond[], where: string): void {
  for (const e of expected) {
    const a = actual.find((c) => c.type === e.type);
    const got = a ? { at: where, type: a.type, status: a.status, reason: e.reason === undefined ? '*' : a.reason } : { at: where, missing: e.type, present: actual.map((c) => `${c.type}=${c.status}/${c.reason}`) };
    expect(got).toEqual({ at: where, type: e.type, status: e.status, reason: e.reason ?? '*' });
  }
}

/**
 * ConditionsHaveLatestObservedGeneration on every Gateway/GatewayClass condition and every
 * route parent condition (listener conditions too, which meshgate also stamps), plus the CRD
 * schema limits (conditions ≤ 8, parents ≤ 32, parent conditions ≥ 1).
 */
export function expectLatestGeneration(status: StatusUpdate, generation: number): void {
  const where = `${status.target.kind} ${status.target.namespace ?? ''}/${status.target.name}`;
  expect({ where, generation: status.generation }).toEqual({ where, generation });
  const stale = (conds: Condition[], path: string) => conds.filter((c) => c.observedGeneration !== generation).map((c) => `${path}${c.type}@${c.observedGeneration}`);
  const problems: string[] = [];
  if ('parents' in status) {
    if (status.parents.length > 32) problems.push(`${status.parents.length} parents`);
    for (const p of status.parents) {
      if (p.conditions.length < 1 || p.conditions.length > 8) problems.push(`parent ${p.parentRef.name}: ${p.conditions.length} conditions`);
      problems.push(...stale(p.conditions, `parent ${p.parentRef.name}: `));
    }
  } else {
    if (status.conditions.length > 8) problems.push(`${status.conditions.length} conditions`);
    problems.push(...stale(status.conditions, ''));
    if ('listeners' in status) for (const l of status.listeners) problems.push(...stale(l.conditions, `listener ${l.name}: `));
  }
  expect({ where, problems }).toEqual({ where, problems: [] });
}

export interface ListenerExpectation {
  name: string;
  /** Kinds (group gateway.networking.k8s.io): expected ⊆ actual; [] means actual must be empty; undefined = unchecked. */
  supportedKinds?: string[];
  attachedRoutes: number;
  conditions?: Cond[];
}

/** GatewayStatusMustHaveListeners: same count, each expected listener by name, kinds subset, exact attachedRoutes. */
export function expectListeners(gw: GatewayStatusUpdate, expected: ListenerExpectation[]): void {
  const where = `Gateway ${gw.target.namespace}/${gw.target.name}`;
  expect({ where, listeners: gw.listeners.map((l) => l.name).sort() }).toEqual({ where, listeners: expected.map((l) => l.name).sort() });
  for (const e of expected) {
    const a = gw.listeners.find((l) => l.name === e.name) as ListenerStatus;
    const at = `${where} listener ${e.name}`;
    if (e.supportedKinds !== undefined) {
      const actualKinds = a.supportedKinds.map((k) => `${k.group ?? GATEWAY_GROUP}/${k.kind}`);
      if (e.supportedKinds.length === 0) expect({ at, supportedKinds: actualKinds }).toEqual({ at, supportedKinds: [] });
      else expect({ at, supportedKinds: actualKinds }).toEqual({ at, supportedKinds: expect.arrayContaining(e.supportedKinds.map((k) => `${GATEWAY_GROUP}/${k}`)) });
    }
    expect({ at, attachedRoutes: a.attachedRoutes }).toEqual({ at, attachedRoutes: e.attachedRoutes });
    if (e.conditions) expectConditions(a.conditions, e.conditions, at);
  }
}

/** Every listener Accepted, ResolvedRefs and Programmed True (RoutesAndParentMustBeAccepted). */
export function expectAllListenersReady(gw: GatewayStatusUpdate): void {
  for (const l of gw.listeners) {
    expectConditions(l.conditions, [T('Accepted'), T('ResolvedRefs'), T('Programmed')], `Gateway ${gw.target.namespace}/${gw.target.name} listener ${l.name}`);
  }
}

/** GatewayMustHaveZeroRoutes: no listeners in status, or exactly one with attachedRoutes 0. */
export function expectZeroRoutes(gw: GatewayStatusUpdate): void {
  const where = `Gateway ${gw.target.namespace}/${gw.target.name}`;
  const ok = gw.listeners.length === 0 || (gw.listeners.length === 1 && gw.listeners[0].attachedRoutes === 0);
  expect({ where, ok, listeners: gw.listeners.map((l) => ({ name: l.name, attachedRoutes: l.attachedRoutes })) }).toEqual({ where, ok: true, listeners: expect.anything() });
}

/**
 * HTTPRouteMustHaveNoAcceptedParents / TLSRouteMustHaveNoAcceptedParents: no parents (or no
 * status written at all), or exactly one parent whose Accepted is False.
 */
export function expectNoAcceptedParents(route: RouteStatusUpdate | undefined, where: string): void {
  const parents = route?.parents ?? [];
  if (parents.length === 0) return;
  expect({ where, parents: parents.length }).toEqual({ where, parents: 1 });
  expectConditions(parents[0].conditions, [F('Accepted')], where);
}

export interface ParentExpectation {
  name: string;
  /** Expected parentRef.namespace (the Go helpers always pass the Gateway's namespace). */
  namespace?: string;
  group?: string;
  kind?: string;
  conditions: Cond[];
}

/**
 * parentsForRouteMatch for one expected parent: some parent of ours must have the same
 * group and kind (by value, so both must be echoed), name, and a namespace equal to the
 * expected one — or absent, when the route and Gateway share a namespace — plus the conditions.
 * Also checks the route's parent conditions are at `generation`.
 */
export function expectParent(route: RouteStatusUpdate | undefined, e: ParentExpectation, opts: { routeNamespace: string; generation?: number }): RouteParentStatus {
  const where = `${route?.target.kind ?? 'route'} ${route?.target.namespace ?? ''}/${route?.target.name ?? '?'} parent ${e.name}`;
  expect({ where, hasStatus: route !== undefined }).toEqual({ where, hasStatus: true });
  const expectedNs = e.namespace ?? INFRA;
  const namespaceRequired = opts.routeNamespace !== expectedNs;
  const match = route!.parents.filter(
    (p) =>
      p.controllerName === CONTROLLER &&
      p.parentRef.group === (e.group ?? GATEWAY_GROUP) &&
      p.parentRef.kind === (e.kind ?? 'Gateway') &&
      p.parentRef.name === e.name &&
      (p.parentRef.namespace === expectedNs || (!namespaceRequired && p.parentRef.namespace === undefined)),
  );
  expect({ where, matchingParents: match.length > 0, parents: route!.parents.map((p) => p.parentRef) }).toEqual({ where, matchingParents: true, parents: expect.anything() });
  // Several parentRefs to one Gateway (distinct sectionNames) give several entries: any may match.
  const good = match.find((p) => e.conditions.every((c) => p.conditions.some((a) => a.type === c.type && a.status === c.status && (c.reason === undefined || a.reason === c.reason))));
  if (!good) expectConditions(match[0].conditions, e.conditions, where);
  if (opts.generation !== undefined) expectLatestGeneration(route!, opts.generation);
  return good ?? match[0];
}

/**
 * GatewayAndHTTPRoutesMustBeAccepted / GatewayAndTLSRoutesMustBeAccepted: the Gateway has an
 * address with a type, every route has an Accepted=True/Accepted parent for it, and every
 * listener is Accepted, ResolvedRefs and Programmed.
 */
export function expectGatewayAndRoutesAccepted(
  result: TranslationResult,
  input: TranslationInput,
  gw: { name: string; namespace?: string },
  routes: { kind: 'HTTPRoute' | 'TLSRoute'; name: string; namespace?: string }[],
): void {
  const ns = gw.namespace ?? INFRA;
  const status = gatewayStatus(result, gw.name, ns);
  const where = `Gateway ${ns}/${gw.name}`;
  expect({ where, typedAddress: status.addresses.some((a) => a.type === 'IPAddress' && a.value) }).toEqual({ where, typedAddress: true });
  expectLatestGeneration(status, findGateway(input, gw.name, ns).metadata.generation ?? 1);
  for (const r of routes) {
    const rns = r.namespace ?? INFRA;
    const obj = (r.kind === 'HTTPRoute' ? input.httpRoutes : input.tlsRoutes).find((x) => x.metadata.name === r.name && x.metadata.namespace === rns);
    expectParent(routeStatus(result, r.kind, r.name, rns), { name: gw.name, namespace: ns, conditions: [T('Accepted', 'Accepted')] }, { routeNamespace: rns, generation: obj?.metadata.generation ?? 1 });
  }
  expectAllListenersReady(status);
}

/**
 * NamespacesMustBeReady, status part: every Gateway in the namespaces (except those annotated
 * skip-this-for-readiness) is Accepted=True and Programmed=True at its latest generation. Pods
 * are out of scope for the pure translator.
 */
export function expectNamespacesReady(result: TranslationResult, input: TranslationInput, namespaces = [INFRA, APP, WEB]): void {
  for (const gw of input.gateways) {
    if (!namespaces.includes(gw.metadata.namespace ?? '') || gw.metadata.annotations?.[SKIP_READINESS] === 'true') continue;
    const s = gatewayStatus(result, gw.metadata.name, gw.metadata.namespace);
    const where = `Gateway ${gw.metadata.namespace}/${gw.metadata.name}`;
    expectConditions(s.conditions, [T('Accepted'), T('Programmed')], where);
    expectLatestGeneration(s, gw.metadata.generation ?? 1);
  }
}
