// Conformance status cases on the REAL API server with the REAL controller (a child process).
// Loading and assertions come from the pure conformance harness (translators/conformance/
// harness.ts): its manifests, the Go-made Secrets and its Go-helper assertions are reused as they
// are; this file only swaps the translator's result for what is live on the API server:
//
//   live object status ──toLive()──▶ GatewayStatusUpdate / GatewayClassStatusUpdate / RouteStatusUpdate
//
// Every suite (test file) gets its own controllerName and GatewayClass. The conformance
// namespaces have fixed names, so suites take a cluster-wide lock (a ConfigMap) for their whole
// run; each suite deletes what it created at the end, and the next one waits for the namespaces
// to be gone before recreating them.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { stringify } from 'yaml';
import type { Gateway, GatewayClass, HTTPRoute, RouteParentStatus } from '../../translators/api/gateway-api';
import type { Condition, KubeObject } from '../../translators/api/meta';
import { CONTROLLER_LABEL, fnv1Digest, ownerLabels } from '../../translators/naming';
import { APP, CLASS_NAME, CONTROLLER, conformanceSecrets, expectLatestGeneration, expectParent, INFRA, readManifest, routeStatus, T, WEB } from '../../translators/conformance/harness';
import { startController, testControllerName, type ControllerProcess } from '../support/controller';
import { toLive, type Live, type WithStatus } from './live';
import { eventually, sharedKube, type Kube } from '../support/kube';

export const CONFORMANCE_NAMESPACES = [INFRA, APP, WEB];
const GROUP = 'gateway.networking.k8s.io';
const GATEWAY_API_KINDS = `gatewayclasses.${GROUP},gateways.${GROUP},httproutes.${GROUP},tlsroutes.${GROUP}`;
const GENERATED_KINDS = 'meshgateways.kuma.io,meshhttproutes.kuma.io,meshtcproutes.kuma.io,deployments.apps,services,secrets';
/** A controllerName no meshgate process runs with: the "other controller" of the decoys. */
export const FOREIGN_CONTROLLER = 'example.net/not-meshgate';
const LOCK = { namespace: 'default', name: 'meshgate-e2e-conformance-lock' };
const STALE_LOCK_MS = 15 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keyOf = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export type { Live } from './live';

export class ConformanceSuite {
  readonly kube: Kube = sharedKube();
  readonly controllerName: string;
  readonly className: string;
  readonly foreignNamespace: string;
  readonly foreignClass: string;
  ctl!: ControllerProcess;
  /** kind/namespace/name of every object this suite applied under its own class or controller. */
  readonly mine = new Set<string>();
  /** Objects of the foreign controller, as the test left them (resourceVersion, status). */
  private foreignSnapshot = new Map<string, { resourceVersion: string; status: unknown }>();
  private foreignParent: RouteParentStatus | undefined;
  private foreignGeneratedUIDs = new Map<string, string>();
  private applied: KubeObject[] = [];
  private holder = `${os.hostname()}-${process.pid}-${Date.now()}`;

  constructor(readonly suite: string) {
    this.controllerName = testControllerName(`conformance-${suite}`);
    this.className = `conformance-${suite}`;
    this.foreignNamespace = `conformance-${suite}-foreign`;
    this.foreignClass = `conformance-${suite}-foreign`;
  }

  // ---- manifests -----------------------------------------------------------------------

  /**
   * A conformance file as the upstream Applier would apply it: the harness's reading (placeholders,
   * no Deployments/Pods), then our class and controllerName instead of the harness's, and no
   * metadata.generation (the API server sets it).
   */
  load(relative: string): KubeObject[] {
    return readManifest(relative.includes('/') ? relative : `tests/${relative}.yaml`).map((o) => this.retarget(o));
  }

  retarget<T extends KubeObject>(o: T): T {
    const { generation: _g, ...metadata } = o.metadata;
    const out = { ...o, metadata } as T & { spec?: Record<string, unknown> };
    if (o.kind === 'Gateway' && out.spec?.gatewayClassName === CLASS_NAME) out.spec = { ...out.spec, gatewayClassName: this.className };
    if (o.kind === 'GatewayClass' && out.spec?.controllerName === CONTROLLER) out.spec = { ...out.spec, controllerName: this.controllerName };
    return out;
  }

  /** The suite's GatewayClass (the harness's gatewayClass(), renamed). */
  gatewayClass(): GatewayClass {
    return { apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: this.className }, spec: { controllerName: this.controllerName } };
  }

  async apply(objs: KubeObject[]): Promise<void> {
    for (const o of objs) {
      if (['GatewayClass', 'Gateway', 'HTTPRoute', 'TLSRoute', 'ReferenceGrant'].includes(o.kind)) this.mine.add(keyOf(o));
      if (!this.applied.some((a) => keyOf(a) === keyOf(o))) this.applied.push(o);
    }
    await this.kube.apply(objs);
  }

  async remove(objs: KubeObject[]): Promise<void> {
    await this.kube.remove(objs);
  }

  /** Merge patch of the spec (the upstream tests Update the object); returns the new generation. */
  async patch(kind: string, name: string, namespace: string | undefined, patch: object): Promise<number> {
    const r = await this.kube.kubectl(['patch', kind, name, ...(namespace ? ['-n', namespace] : []), '--type=merge', '-p', JSON.stringify(patch), '-o', 'json']);
    if (r.code !== 0) throw new Error(`kubectl patch ${kind} ${name}: ${r.stderr}`);
    return (JSON.parse(r.stdout) as KubeObject).metadata.generation ?? 0;
  }

  // ---- life cycle ----------------------------------------------------------------------

  /** Lock, fresh conformance namespaces, base manifests + Go-made Secrets + our class + decoys, controller. */
  async setup(): Promise<void> {
    const t0 = Date.now();
    await this.lock();
    const t1 = Date.now();
    await this.freshNamespaces();
    const t2 = Date.now();
    const foreign = this.foreignObjects();
    await this.kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kuma-system' } }, ...foreign.theirs]);
    await this.apply([this.gatewayClass(), ...this.load('base/manifests.yaml'), ...conformanceSecrets(), ...foreign.ours]);
    const t3 = Date.now();
    // The controller may start while the other controller's status is being written: the test's
    // status apply replaces the shared route's parents, and the controller must merge its own back.
    const [ctl] = await Promise.all([
      startController(this.kube.kubeconfigPath, {
        controllerName: this.controllerName,
        // debug: one log line per write (kind, namespace, name) for checkOnlyOwnWrites(); default QPS
        args: ['--log-level=debug'],
      }),
      this.writeForeignStatus(),
    ]);
    this.ctl = ctl;
    this.log(`setup: lock ${t1 - t0} ms, namespaces ${t2 - t1} ms, manifests ${t3 - t2} ms, controller start ${Date.now() - t3} ms`);
  }

  /**
   * Deletes every Gateway API object of the suite while the controller still runs (so it removes
   * what it generated), waits for its generated objects to be gone, stops it, deletes the
   * namespaces (without waiting: the next suite waits if it needs the names) and unlocks.
   */
  async teardown(): Promise<void> {
    const t0 = Date.now();
    try {
      const gatewayApi = this.applied.filter((o) => o.apiVersion.startsWith(`${GROUP}/`));
      await this.kube.remove(gatewayApi).catch(() => undefined);
      if (this.ctl) {
        await eventually(async () => (await this.generated()).length === 0, 60_000, 'generated objects removed').catch((e) => {
          this.log((e as Error).message);
        });
        await this.ctl.stop();
      }
      await this.kube.kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...CONFORMANCE_NAMESPACES, this.foreignNamespace]);
    } finally {
      await this.unlock();
      this.log(`teardown: ${Date.now() - t0} ms`);
    }
  }

  private log(msg: string): void {
    process.stderr.write(`[conformance ${this.suite}] ${msg}\n`);
  }

  /** Objects the controller generated for this suite, found by its controller label. */
  async generated(): Promise<KubeObject[]> {
    return this.kube.list<KubeObject>(GENERATED_KINDS, { selector: `${CONTROLLER_LABEL}=${fnv1Digest(this.controllerName)}` });
  }

  private async freshNamespaces(): Promise<void> {
    const present = async () => (await this.kube.list<KubeObject>('namespaces')).filter((n) => CONFORMANCE_NAMESPACES.includes(n.metadata.name) || n.metadata.name === this.foreignNamespace);
    if ((await present()).length > 0) {
      // Left by the previous suite (deleting) or by an aborted run: start from nothing.
      await this.kube.kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...CONFORMANCE_NAMESPACES, this.foreignNamespace]);
      await eventually(async () => (await present()).length === 0, 120_000, 'conformance namespaces deleted');
    }
  }

  private async lock(): Promise<void> {
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const r = await this.kube.kubectl(['create', 'configmap', LOCK.name, '-n', LOCK.namespace, `--from-literal=holder=${this.holder}`]);
      if (r.code === 0) return;
      if (!/AlreadyExists/.test(r.stderr)) throw new Error(`conformance lock: ${r.stderr}`);
      const cm = await this.kube.get<KubeObject>('configmap', LOCK.name, LOCK.namespace);
      if (cm && Date.now() - Date.parse(cm.metadata.creationTimestamp ?? '') > STALE_LOCK_MS) {
        await this.kube.kubectl(['delete', 'configmap', LOCK.name, '-n', LOCK.namespace, '--ignore-not-found']);
        continue;
      }
      if (Date.now() > deadline) throw new Error('conformance lock: still held by another suite after 10 minutes');
      await sleep(1000);
    }
  }

  private async unlock(): Promise<void> {
    const cm = await this.kube.get<KubeObject & { data?: Record<string, string> }>('configmap', LOCK.name, LOCK.namespace).catch(() => undefined);
    if (cm?.data?.holder === this.holder) await this.kube.kubectl(['delete', 'configmap', LOCK.name, '-n', LOCK.namespace, '--ignore-not-found']);
  }

  // ---- another controller's objects ------------------------------------------------------

  /**
   * Objects of another controller (never run) with status it "wrote", plus a route shared by its
   * Gateway and one of ours. The controller must never write the former, and must keep the
   * foreign parent entry of the shared route exactly as it was.
   */
  private foreignObjects(): { theirs: KubeObject[]; ours: KubeObject[] } {
    const ns = this.foreignNamespace;
    const listener = { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } };
    const route = (name: string, parents: string[]): HTTPRoute => ({
      apiVersion: `${GROUP}/v1`, kind: 'HTTPRoute', metadata: { name, namespace: ns },
      spec: { parentRefs: parents.map((p) => ({ name: p })), rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] },
    });
    return {
      theirs: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        { apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: this.foreignClass }, spec: { controllerName: FOREIGN_CONTROLLER } } as GatewayClass,
        { apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'foreign', namespace: ns }, spec: { gatewayClassName: this.foreignClass, listeners: [listener] } } as Gateway,
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { ports: [{ port: 8080 }], selector: { app: 'web' } } } as KubeObject,
        route('foreign-only', ['foreign']),
        // what another meshgate (with the other controllerName) generated for its Gateway: the
        // start-up sweep and the writer must leave it alone
        ...this.foreignGenerated(),
      ],
      ours: [
        { apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'mine', namespace: ns }, spec: { gatewayClassName: this.className, listeners: [listener] } } as Gateway,
        route('shared', ['foreign', 'mine']),
      ],
    };
  }

  private foreignGenerated(): KubeObject[] {
    const ns = this.foreignNamespace;
    const labels = { ...ownerLabels('Gateway', ns, 'foreign', FOREIGN_CONTROLLER), app: 'foreign-generated' };
    return [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'foreign-generated', namespace: ns, labels }, spec: { ports: [{ port: 80 }], selector: { app: 'foreign-generated' } } } as KubeObject,
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'foreign-generated', namespace: ns, labels },
        spec: { replicas: 0, selector: { matchLabels: { app: 'foreign-generated' } }, template: { metadata: { labels: { app: 'foreign-generated' } }, spec: { containers: [{ name: 'c', image: 'example.invalid/none' }] } } },
      } as KubeObject,
    ];
  }

  private async writeForeignStatus(): Promise<void> {
    const ns = this.foreignNamespace;
    const t = '2020-01-01T00:00:00Z';
    const cond = (type: string, reason: string): Condition => ({ type, status: 'True', reason, message: 'set by the other controller', lastTransitionTime: t, observedGeneration: 1 });
    const parent = { parentRef: { group: GROUP, kind: 'Gateway', name: 'foreign' }, controllerName: FOREIGN_CONTROLLER, conditions: [cond('Accepted', 'Accepted'), cond('ResolvedRefs', 'ResolvedRefs')] };
    const status = (kind: string, name: string, namespace: string | undefined, st: object) =>
      ({ apiVersion: `${GROUP}/v1`, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, status: st });
    const objs = [
      status('GatewayClass', this.foreignClass, undefined, { conditions: [cond('Accepted', 'Accepted')] }),
      status('Gateway', 'foreign', ns, { conditions: [cond('Accepted', 'Accepted'), cond('Programmed', 'Programmed')] }),
      status('HTTPRoute', 'foreign-only', ns, { parents: [parent] }),
      status('HTTPRoute', 'shared', ns, { parents: [parent] }),
    ];
    const r = await this.kube.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=e2e-foreign', '--subresource=status', '-f', '-'], { input: objs.map((o) => stringify(o)).join('---\n') });
    if (r.code !== 0) throw new Error(`status of the other controller's objects: ${r.stderr}`);
    const live = await this.kube.kubectl(['get', `gatewayclasses.${GROUP},gateways.${GROUP},httproutes.${GROUP}`, '-A', '-o', 'json']);
    if (live.code !== 0) throw new Error(live.stderr);
    const items = JSON.parse(live.stdout).items as WithStatus[];
    for (const o of objs.slice(0, 3)) {
      const found = items.find((i) => keyOf(i) === keyOf(o))!;
      this.foreignSnapshot.set(keyOf(o), { resourceVersion: found.metadata.resourceVersion!, status: found.status });
    }
    for (const o of this.foreignGenerated()) {
      const found = (await this.kube.get<KubeObject>(o.kind === 'Service' ? 'services' : 'deployments.apps', o.metadata.name, ns))!;
      this.foreignGeneratedUIDs.set(keyOf(o), found.metadata.uid!);
    }
    const shared = items.find((i) => keyOf(i) === keyOf(objs[3]))!;
    this.foreignParent = (shared.status?.parents as RouteParentStatus[]).find((p) => p.controllerName === FOREIGN_CONTROLLER);
    expect(this.foreignParent).toBeDefined();
  }

  /**
   * NO write on objects of other controllers: the foreign objects are byte-for-byte as the test
   * left them (resourceVersion, status, no managedFields entry of meshgate), the foreign parent
   * entry of the shared route is untouched while ours is there, and every write the controller
   * logged targets an object this suite applied under its own class.
   */
  async checkOnlyOwnWrites(): Promise<void> {
    await this.converge('our parent entry on the shared route', ({ result }) => {
      expectParent(routeStatus(result, 'HTTPRoute', 'shared', this.foreignNamespace), { name: 'mine', namespace: this.foreignNamespace, conditions: [T('Accepted', 'Accepted'), T('ResolvedRefs', 'ResolvedRefs')] }, { routeNamespace: this.foreignNamespace, generation: 1 });
    });
    for (const [key, before] of this.foreignSnapshot) {
      const [kind, namespace, name] = key.split('/');
      const r = await this.kube.kubectl(['get', `${kind.toLowerCase()}.${GROUP}`, name, ...(namespace ? ['-n', namespace] : []), '--show-managed-fields', '-o', 'json']);
      if (r.code !== 0) throw new Error(r.stderr);
      const o = JSON.parse(r.stdout) as WithStatus & { metadata: { managedFields?: { manager: string; subresource?: string }[] } };
      expect({ key, resourceVersion: o.metadata.resourceVersion, status: o.status }).toEqual({ key, resourceVersion: before.resourceVersion, status: before.status });
      // meshgate's status merge patches carry its User-Agent, which names the manager
      const managers = (o.metadata.managedFields ?? []).map((m) => m.manager);
      expect({ key, managers }).toEqual({ key, managers: expect.arrayContaining(['e2e']) });
      expect({ key, managers }).toEqual({ key, managers: expect.not.arrayContaining(['meshgate']) });
    }
    const r = await this.kube.kubectl(['get', `httproutes.${GROUP}`, 'shared', '-n', this.foreignNamespace, '--show-managed-fields', '-o', 'json']);
    if (r.code !== 0) throw new Error(r.stderr);
    const shared = JSON.parse(r.stdout) as WithStatus & { metadata: { managedFields?: { manager: string }[] } };
    // the manager name the negative check above looks for is the one meshgate's writes do carry
    expect(shared.metadata.managedFields?.map((m) => m.manager)).toContain('meshgate');
    const parents = (shared.status?.parents as RouteParentStatus[]) ?? [];
    expect(parents.filter((p) => p.controllerName === FOREIGN_CONTROLLER)).toEqual([this.foreignParent]);
    expect(parents.filter((p) => p.controllerName === this.controllerName).map((p) => ({ name: p.parentRef.name, accepted: p.conditions.find((c) => c.type === 'Accepted')?.status })))
      .toEqual([{ name: 'mine', accepted: 'True' }]);
    // The other meshgate's generated objects: still there (same uid), never written by ours.
    for (const [key, uid] of this.foreignGeneratedUIDs) {
      const [kind, namespace, name] = key.split('/');
      const g = await this.kube.kubectl(['get', kind === 'Service' ? 'services' : 'deployments.apps', name, '-n', namespace, '--show-managed-fields', '-o', 'json']);
      if (g.code !== 0) throw new Error(g.stderr);
      const o = JSON.parse(g.stdout) as KubeObject & { metadata: { managedFields?: { manager: string }[] } };
      expect({ key, uid: o.metadata.uid, managers: o.metadata.managedFields?.map((m) => m.manager) })
        .toEqual({ key, uid, managers: expect.not.arrayContaining(['meshgate']) });
    }
    const writes = this.loggedWrites();
    const statusWrites = writes.filter((w) => w.verb === 'status').map((w) => `${w.kind}/${w.namespace ?? ''}/${w.name}`);
    expect(statusWrites.length).toBeGreaterThan(0);
    expect([...new Set(statusWrites)].filter((k) => !this.mine.has(k))).toEqual([]);
    // Generated objects are written only where this suite's Gateways and routes live (or in the
    // system namespace / cluster scope), and never under the other controller's names.
    const where = new Set([...CONFORMANCE_NAMESPACES, this.foreignNamespace, 'kuma-system', '']);
    const objectWrites = writes.filter((w) => w.verb !== 'status');
    expect(objectWrites.filter((w) => !where.has(w.namespace ?? '') || w.name === 'foreign-generated')).toEqual([]);
  }

  /** Writes of the controller, from its debug log (reconciler.ts logs each one). */
  loggedWrites(): { kind: string; verb: string; namespace?: string; name: string; status: number }[] {
    return readFileSync(this.ctl.logFile, 'utf8').split('\n').filter((l) => l.includes('"message":"write"')).map((l) => JSON.parse(l));
  }

  /** After convergence, 10 s of idleness bring zero writes. */
  async checkIdle(ms = 10_000): Promise<void> {
    await this.ctl.idle(1000);
    const before = await this.ctl.writes();
    await sleep(ms);
    expect(await this.ctl.writes()).toEqual(before);
    expect(await this.ctl.metric('meshgate_queue_depth')).toBe(0);
  }

  // ---- live status, shaped for the harness ---------------------------------------------

  async live(): Promise<Live> {
    const r = await this.kube.kubectl(['get', GATEWAY_API_KINDS, '-A', '-o', 'json'], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(r.stderr);
    return toLive(JSON.parse(r.stdout).items as WithStatus[], this.controllerName);
  }

  /**
   * Waits until `check` (harness assertions over the live state) passes, then until the
   * controller is idle, and checks again: the assertions hold for the converged state, not for
   * a passing moment.
   */
  async converge(what: string, check: (live: Live) => void | Promise<void>, timeoutMs = 60_000): Promise<Live> {
    await eventually(async () => { await check(await this.live()); return true; }, timeoutMs, what);
    await this.ctl.idle(500);
    const live = await this.live();
    await check(live);
    // Converged: EVERY condition of our GatewayClasses and Gateways (listeners included) and of
    // our route parent entries is at its object's current generation, not only the asserted ones.
    for (const s of live.result.statuses) expectLatestGeneration(s, s.generation);
    return live;
  }

  /** Applies the case's files, runs `fn`, and always deletes what the case applied. */
  async withCase(files: string[], fn: (objs: KubeObject[]) => Promise<void>, extra: KubeObject[] = []): Promise<void> {
    const objs = [...files.flatMap((f) => this.load(f)), ...extra];
    await this.apply(objs);
    try {
      await fn(objs);
    } finally {
      await this.remove(objs);
    }
  }
}
