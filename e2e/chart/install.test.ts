// The chart installed with the real helm into a real kube-apiserver, and its RBAC proven with the real
// controller. Two clusters of our own (startCluster, repoCrds: false, so helm owns the kuma.io CRDs):
//
//   with the Gateway API CRDs:    install (GatewayClass kuma) → the controller, run locally as the chart's
//                                 ServiceAccount (TokenRequest) with the chart Deployment's flags, translates
//                                 HTTPS + HTTPRoute + TLSRoute + MeshGatewayConfig with no 403 → `kubectl auth
//                                 can-i` says what it can and cannot do → secretNamespaces → helm upgrade
//                                 (replicas 2, debug), a new process takes the Lease → helm uninstall, then
//                                 Gateways, GatewayClasses and namespaces delete within 60 s (no finalizers).
//   without them:                 install succeeds, no GatewayClass, NOTES say so; the controller waits for the
//                                 CRDs; installing them + helm upgrade creates the class, which it accepts.
//
// There is no kubelet: Pods never run, so the chart's own Deployment never becomes Ready; the process the
// Deployment describes runs here instead, with the same args and env, authenticated as its ServiceAccount.
import * as fs from 'node:fs';
import { installGatewayApiCrds } from '../cluster/harness';
import { startController, type ControllerProcess } from '../support/controller';
import { eventually, findCondition } from '../support/kube';
import { canI, chartControllerCommand, describeCanI, forbidden, serviceAccountToken, type CanI } from './install-support';
import { CONTROLLER_NAME, INSTALL, LEASE, NS, RELEASE, SYSTEM_NS, UPGRADE, chartDeployment, cond, expectNo403, gatewayProgrammed, leaseHolder, listener, ns, parentOk, scenario, setup, startChartController, stopAll, type Env, type GatewayObj, type Obj, type RouteObj } from './install-env';

let withApi: Env;
let withoutApi: Env;

beforeAll(async () => {
  const started = await Promise.allSettled([setup('chart-install', true), setup('chart-install-no-gwapi', false)]);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') await s.value.cluster.stop();
    throw failed.reason;
  }
  [withApi, withoutApi] = started.map((s) => (s as PromiseFulfilledResult<Env>).value);
}, 240_000);

afterAll(async () => {
  for (const e of [withApi, withoutApi]) {
    if (!e) continue;
    for (const p of e.procs) await p.stop().catch(() => undefined);
    await e.cluster.stop();
  }
}, 60_000);

// =============================================================================================

describe('with the Gateway API CRDs installed', () => {
  let ctl: ControllerProcess;

  test('helm install succeeds: release deployed, kuma.io CRDs Established, GatewayClass kuma for gateways.kuma.io/controller', async () => {
    const e = withApi;
    // The chart's Role for Secret copies and generated routes lives in the system namespace, which Kuma creates.
    await e.kube.apply([ns(SYSTEM_NS)]);
    const out = await e.helm.ok(INSTALL);
    expect(out).toMatch(/STATUS: deployed/);
    expect(out).toMatch(/Gateway API support is ON \(controllerName gateways\.kuma\.io\/controller\)/);
    expect(out).not.toMatch(/no GatewayClass was created/);

    const manifest = await e.helm.ok(['get', 'manifest', RELEASE, '-n', NS]);
    expect(manifest).toMatch(/^kind: GatewayClass$/m);
    const gc = await e.kube.get<Obj>('gatewayclass', 'kuma');
    expect(gc?.spec.controllerName).toBe(CONTROLLER_NAME);
    expect(gc?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    const crds = ['meshgateways', 'meshgatewayconfigs', 'meshhttproutes', 'meshtcproutes'].map((p) => `crd/${p}.kuma.io`);
    const waited = await e.cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...crds], { timeoutMs: 90_000 });
    expect(waited.stderr).toBe('');
    expect(waited.code).toBe(0);

    const deploy = await chartDeployment(e);
    e.sa = deploy.spec.template.spec.serviceAccountName;
    expect(await e.kube.get('serviceaccount', e.sa, NS)).toBeDefined();
    expect(deploy.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--gateway-api=true', `--controller-name=${CONTROLLER_NAME}`, `--system-namespace=${SYSTEM_NS}`, '--leader-elect=true']));
  });

  test('the controller as the chart ServiceAccount, with the chart flags, translates HTTPS + HTTPRoute + TLSRoute + MeshGatewayConfig; no 403', async () => {
    const e = withApi;
    await e.kube.apply(scenario);
    // parametersRef the way the chart documents it.
    await e.helm.ok([...UPGRADE, '--set', 'gatewayClass.parametersRef.group=kuma.io,gatewayClass.parametersRef.kind=MeshGatewayConfig,gatewayClass.parametersRef.name=e2e-config']);
    expect((await e.kube.get<Obj>('gatewayclass', 'kuma'))?.spec.parametersRef).toEqual({ group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'e2e-config' });

    ctl = await startChartController(e, 'meshgate-rev2-0');
    await eventually(async () => (await leaseHolder(e)) === 'meshgate-rev2-0', 30_000, `Lease ${NS}/${LEASE} held by the controller`);

    // Statuses.
    const gw = await eventually(async () => {
      const g = await gatewayProgrammed(e, 'app', 'edge');
      return g && listener(g, 'https')?.attachedRoutes === 1 && listener(g, 'tls')?.attachedRoutes === 1 && g;
    }, 60_000, 'Gateway app/edge Programmed with the HTTPRoute and the TLSRoute attached');
    expect(cond(listener(gw, 'https')?.conditions, 'ResolvedRefs')).toBe('True');
    expect(cond(gw.status?.conditions, 'Accepted')).toBe('True');
    await eventually(async () => parentOk(await e.kube.get<RouteObj>('httproute', 'web', 'app')), 30_000, 'HTTPRoute app/web Accepted');
    await eventually(async () => parentOk(await e.kube.get<RouteObj>('tlsroute', 'db', 'app')), 30_000, 'TLSRoute app/db Accepted');
    await eventually(() => gatewayProgrammed(e, 'other', 'edge'), 30_000, 'Gateway other/edge Programmed');
    for (const name of ['kuma', 'e2e-extra']) {
      await eventually(async () => {
        const gc = await e.kube.get<Obj>('gatewayclass', name);
        const accepted = findCondition(gc?.status?.conditions, 'Accepted');
        return accepted?.status === 'True' && accepted.observedGeneration === gc?.metadata.generation;
      }, 30_000, `GatewayClass ${name} Accepted (current generation)`);
    }

    // Generated objects.
    expect((await e.kube.get<Obj>('meshgateway', 'edge.app'))?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('meshgate');
    expect(await e.kube.list('meshhttproute', { namespace: SYSTEM_NS, selector: 'meshgate.io/owner-kind=HTTPRoute' })).toHaveLength(1);
    expect(await e.kube.list('meshtcproute', { namespace: SYSTEM_NS, selector: 'meshgate.io/owner-kind=TLSRoute' })).toHaveLength(1);
    const proxy = await e.kube.get<Obj>('deployment', 'edge', 'app');
    expect(proxy?.spec.replicas).toBe(2); // from MeshGatewayConfig e2e-config via the class parametersRef
    const svc = await e.kube.get<Obj>('service', 'edge', 'app');
    expect(svc?.spec.ports.map((p: { port: number }) => p.port).sort()).toEqual([443, 8443]);
    const copies = await e.kube.list<Obj>('secret', { namespace: SYSTEM_NS, selector: 'meshgate.io/owner-kind=Secret' });
    expect(copies.map((s) => s.metadata.name).sort()).toEqual(['gapi-app-www-cert', 'gapi-other-other-cert']);

    await ctl.idle();
    const writes = await ctl.writes();
    const expectedWrites = ['MeshGateway apply', 'MeshHTTPRoute apply', 'MeshTCPRoute apply', 'Deployment apply', 'Service apply', 'Secret apply', 'Gateway status', 'HTTPRoute status', 'TLSRoute status', 'GatewayClass status'];
    expect(expectedWrites.filter((k) => !(writes[k] > 0))).toEqual([]);
    await expectNo403(ctl);
  });

  const user = () => `system:serviceaccount:${NS}:${withApi.sa}`;
  const GWAPI = 'gateway.networking.k8s.io';
  const cannot: CanI[] = [
    { verb: 'update', resource: `gateways.${GWAPI}`, namespace: 'app' },
    { verb: 'patch', resource: `gateways.${GWAPI}`, namespace: 'app' },
    { verb: 'delete', resource: `gateways.${GWAPI}`, namespace: 'app' },
    { verb: 'update', resource: `gateways.${GWAPI}`, namespace: 'app', subresource: 'finalizers' },
    { verb: 'update', resource: `httproutes.${GWAPI}`, namespace: 'app' },
    { verb: 'patch', resource: `httproutes.${GWAPI}`, namespace: 'app' },
    { verb: 'update', resource: `tlsroutes.${GWAPI}`, namespace: 'app' },
    { verb: 'update', resource: `gatewayclasses.${GWAPI}` },
    { verb: 'update', resource: `gatewayclasses.${GWAPI}`, subresource: 'finalizers' },
    { verb: 'create', resource: 'secrets', namespace: 'app' },
    { verb: 'create', resource: 'secrets', namespace: NS },
    { verb: 'create', resource: 'secrets', namespace: 'default' },
    { verb: 'update', resource: 'secrets', namespace: 'app' },
    { verb: 'delete', resource: 'secrets', namespace: 'app' },
    { verb: 'delete', resource: 'namespaces' },
    { verb: 'create', resource: 'namespaces' },
    { verb: 'update', resource: 'namespaces', subresource: 'finalize' },
    { verb: 'create', resource: 'clusterroles.rbac.authorization.k8s.io' },
    { verb: 'create', resource: 'clusterrolebindings.rbac.authorization.k8s.io' },
    { verb: 'escalate', resource: 'clusterroles.rbac.authorization.k8s.io' },
    { verb: 'bind', resource: 'clusterroles.rbac.authorization.k8s.io' },
    { verb: 'create', resource: 'rolebindings.rbac.authorization.k8s.io', namespace: SYSTEM_NS },
    { verb: 'impersonate', resource: 'serviceaccounts', namespace: NS },
    { verb: 'create', resource: 'serviceaccounts', namespace: NS, subresource: 'token' },
    { verb: 'create', resource: 'pods', namespace: 'app' },
    { verb: 'create', resource: 'customresourcedefinitions.apiextensions.k8s.io' },
    { verb: 'create', resource: 'meshgatewayconfigs.kuma.io' },
    { verb: 'create', resource: 'meshhttproutes.kuma.io', namespace: 'app' },
    { verb: 'create', resource: 'leases.coordination.k8s.io', namespace: SYSTEM_NS },
    { verb: 'delete', resource: 'leases.coordination.k8s.io', namespace: NS },
  ];
  const can: CanI[] = [
    { verb: 'patch', resource: `gateways.${GWAPI}`, namespace: 'app', subresource: 'status' },
    { verb: 'update', resource: `gateways.${GWAPI}`, namespace: 'app', subresource: 'status' },
    { verb: 'patch', resource: `httproutes.${GWAPI}`, namespace: 'app', subresource: 'status' },
    { verb: 'patch', resource: `tlsroutes.${GWAPI}`, namespace: 'app', subresource: 'status' },
    { verb: 'patch', resource: `gatewayclasses.${GWAPI}`, subresource: 'status' },
    { verb: 'watch', resource: `referencegrants.${GWAPI}`, allNamespaces: true },
    { verb: 'create', resource: 'secrets', namespace: SYSTEM_NS },
    { verb: 'delete', resource: 'secrets', namespace: SYSTEM_NS },
    { verb: 'get', resource: 'secrets', namespace: 'app' },
    { verb: 'list', resource: 'secrets', allNamespaces: true },
    { verb: 'create', resource: 'meshhttproutes.kuma.io', namespace: SYSTEM_NS },
    { verb: 'create', resource: 'meshtcproutes.kuma.io', namespace: SYSTEM_NS },
    { verb: 'create', resource: 'meshgateways.kuma.io' },
    { verb: 'create', resource: 'deployments.apps', namespace: 'app' },
    { verb: 'delete', resource: 'services', namespace: 'app' },
    { verb: 'create', resource: 'events', namespace: 'app' },
    { verb: 'watch', resource: 'customresourcedefinitions.apiextensions.k8s.io' },
    { verb: 'create', resource: 'leases.coordination.k8s.io', namespace: NS },
    { verb: 'update', resource: 'leases.coordination.k8s.io', namespace: NS },
  ];

  test('kubectl auth can-i: the ServiceAccount cannot write Gateway API specs, Secrets outside the system namespace, namespaces or RBAC; can write statuses, copies, leases', async () => {
    const e = withApi;
    const answers = async (qs: CanI[]) => Object.fromEntries(await Promise.all(qs.map(async (q) => [describeCanI(q), await canI(e.cluster, user(), q)] as const)));
    expect(await answers(cannot)).toEqual(Object.fromEntries(cannot.map((q) => [describeCanI(q), false])));
    expect(await answers(can)).toEqual(Object.fromEntries(can.map((q) => [describeCanI(q), true])));
  });

  test('secretNamespaces=[app]: a Role there, no cluster-wide Secret read; certificateRefs in app resolve, in other they do not; no 403', async () => {
    const e = withApi;
    await e.helm.ok([...UPGRADE, '--set', 'secretNamespaces={app}']);
    const cr = await e.kube.get<{ rules: { resources: string[] }[] }>('clusterrole', RELEASE);
    expect(cr?.rules.flatMap((r) => r.resources)).not.toContain('secrets');
    expect(await e.kube.get('role', `${RELEASE}-secret-reader`, 'app')).toBeDefined();
    const q = (verb: string, extra: Partial<CanI>): CanI => ({ verb, resource: 'secrets', ...extra });
    const expected: [CanI, boolean][] = [
      [q('get', { namespace: 'app' }), true],
      [q('watch', { namespace: 'app' }), true],
      [q('get', { namespace: 'other' }), false],
      [q('list', { namespace: 'default' }), false],
      [q('list', { allNamespaces: true }), false],
      [q('create', { namespace: 'app' }), false],
      [q('get', { namespace: SYSTEM_NS }), true],
      [q('create', { namespace: SYSTEM_NS }), true],
    ];
    const got = await Promise.all(expected.map(async ([c]) => [describeCanI(c), await canI(e.cluster, user(), c)]));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected.map(([c, v]) => [describeCanI(c), v])));

    // A rolling update: the old Pod goes (releasing the Lease), the new one runs with --secret-namespaces=app.
    await expectNo403(ctl);
    await stopAll(e);
    ctl = await startChartController(e, 'meshgate-rev3-0');
    expect((await chartDeployment(e)).spec.template.spec.containers[0].args).toContain('--secret-namespaces=app');
    await eventually(async () => (await ctl.metric('meshgate_leader')) === 1, 30_000, 'the new process leads');

    // other/other-cert may no longer be read: the listener says so, and its copy is removed.
    await eventually(async () => {
      const l = listener(await e.kube.get<GatewayObj>('gateway', 'edge', 'other'), 'https');
      return findCondition(l?.conditions, 'ResolvedRefs')?.reason === 'InvalidCertificateRef';
    }, 30_000, 'listener other/edge https: ResolvedRefs InvalidCertificateRef');
    await eventually(async () => !(await e.kube.get('secret', 'gapi-other-other-cert', SYSTEM_NS)), 30_000, 'copy of other/other-cert removed');
    // app/www-cert is read through the Role: a deleted copy comes back.
    const old = await e.kube.get<Obj>('secret', 'gapi-app-www-cert', SYSTEM_NS);
    expect(old).toBeDefined();
    await e.cluster.kubectl(['delete', 'secret', 'gapi-app-www-cert', '-n', SYSTEM_NS]);
    await eventually(async () => {
      const s = await e.kube.get<Obj>('secret', 'gapi-app-www-cert', SYSTEM_NS);
      return s && s.metadata.uid !== old!.metadata.uid;
    }, 30_000, 'copy of app/www-cert re-created');
    expect(cond(listener(await e.kube.get<GatewayObj>('gateway', 'edge', 'app'), 'https')?.conditions, 'ResolvedRefs')).toBe('True');
    await ctl.idle();
    await expectNo403(ctl);
  });

  test('helm upgrade (replicas 2, logLevel debug, GUI off) succeeds; a process with the new flags takes the Lease from the old one and converges; the second replica follows', async () => {
    const e = withApi;
    const old = ctl;
    expect(await leaseHolder(e)).toBe('meshgate-rev3-0');
    const out = await e.helm.ok([...UPGRADE, '--set', 'replicas=2', '--set', 'logLevel=debug', '--set', 'gui.enabled=false']);
    expect(out).toMatch(/STATUS: deployed/);
    expect(out).toMatch(/The GUI is off/);
    expect(out).not.toMatch(/Open the GUI/);
    const history = JSON.parse(await e.helm.ok(['history', RELEASE, '-n', NS, '-o', 'json'])) as { revision: number; status: string }[];
    expect(history.map((h) => h.status)).toEqual(['superseded', 'superseded', 'superseded', 'deployed']);
    const deploy = await chartDeployment(e);
    expect(deploy.spec.replicas).toBe(2);
    const args = deploy.spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining(['--log-level=debug', '--gui-address=off', '--leader-elect=true', `--leader-election-id=${LEASE}`, '--secret-namespaces=app']));
    expect((deploy.spec.template.spec.containers[0] as { env?: { name: string }[] }).env?.map((v) => v.name)).toContain('POD_NAMESPACE');

    // New replica 0 starts while the old Pod still leads: it follows and writes nothing.
    const next = await startChartController(e, 'meshgate-rev4-0');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await next.metric('meshgate_leader')).toBe(0);
    expect(await next.writes()).toEqual({});
    expect(await leaseHolder(e)).toBe('meshgate-rev3-0');

    // The old Pod terminates (SIGTERM releases the Lease): the new one takes it.
    await expectNo403(old);
    await old.stop();
    e.procs.splice(e.procs.indexOf(old), 1);
    const stoppedAt = Date.now();
    await eventually(async () => (await next.metric('meshgate_leader')) === 1 && (await leaseHolder(e)) === 'meshgate-rev4-0', 30_000, 'meshgate-rev4-0 takes the Lease');
    const takeoverMs = Date.now() - stoppedAt;
    console.log(`helm upgrade: Lease ${NS}/${LEASE} taken over ${takeoverMs} ms after the old process stopped`);
    expect(takeoverMs).toBeLessThan(15_000); // released on shutdown: no need to wait out the 15 s lease
    const lease = await e.kube.get<{ spec: { leaseTransitions?: number } }>('lease', LEASE, NS);
    expect(lease?.spec.leaseTransitions).toBeGreaterThanOrEqual(1);

    // Converged: the new leader re-checks everything and finds nothing to write.
    await next.idle(2000);
    expect(await next.writes()).toEqual({});
    await eventually(() => gatewayProgrammed(e, 'app', 'edge'), 10_000, 'Gateway app/edge still Programmed');
    expect(parentOk(await e.kube.get<RouteObj>('httproute', 'web', 'app'))).toBe(true);
    expect(parentOk(await e.kube.get<RouteObj>('tlsroute', 'db', 'app'))).toBe(true);

    // Replica 1 of the new ReplicaSet: a follower.
    const second = await startChartController(e, 'meshgate-rev4-1');
    await second.idle(2000);
    expect(await second.metric('meshgate_leader')).toBe(0);
    expect(await second.writes()).toEqual({});
    expect(await leaseHolder(e)).toBe('meshgate-rev4-0');
    await expectNo403(next);
    await expectNo403(second);
    ctl = next;
  });

  test('helm uninstall leaves no finalizers: Gateways, GatewayClasses and namespaces are gone within 60 s of deleting them', async () => {
    const e = withApi;
    // The chart's Pods are gone with the release.
    await stopAll(e);
    const kinds = ['gatewayclasses', 'gateways', 'httproutes', 'tlsroutes', 'referencegrants', 'namespaces', 'meshgateways', 'meshgatewayconfigs', 'meshhttproutes', 'meshtcproutes', 'secrets', 'deployments', 'services'];
    const finalizers = async () => {
      const found: string[] = [];
      for (const k of kinds) {
        for (const o of await e.kube.list<Obj>(k)) {
          if (o.metadata.finalizers?.length) found.push(`${k} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${o.metadata.finalizers.join(',')}`);
        }
      }
      return found;
    };
    expect(await finalizers()).toEqual([]);

    const out = await e.helm.ok(['uninstall', RELEASE, '-n', NS]);
    expect(out).toMatch(/release "meshgate" uninstalled/);
    expect(await e.kube.get('gatewayclass', 'kuma')).toBeUndefined();
    expect(await e.kube.get('clusterrole', RELEASE)).toBeUndefined();
    expect(await e.kube.get('deployment', RELEASE, NS)).toBeUndefined();
    // crds.keep (default): the kuma.io CRDs and so the generated objects survive the uninstall.
    expect(await e.kube.get('crd', 'meshgateways.kuma.io')).toBeDefined();
    expect(await finalizers()).toEqual([]);

    const namespaces = ['app', 'other', SYSTEM_NS, NS];
    const t0 = Date.now();
    for (const args of [['gateway', 'edge', '-n', 'app'], ['gateway', 'edge', '-n', 'other'], ['gatewayclass', 'e2e-extra'], ['namespace', ...namespaces]]) {
      const r = await e.cluster.kubectl(['delete', '--wait=false', ...args]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    await eventually(async () => {
      const left = [
        ...(await e.kube.list<Obj>('namespaces')).filter((n) => namespaces.includes(n.metadata.name)).map((n) => `namespace ${n.metadata.name}`),
        ...(await e.kube.list<Obj>('gatewayclasses')).map((o) => `gatewayclass ${o.metadata.name}`),
        ...(await e.kube.list<Obj>('gateways')).map((o) => `gateway ${o.metadata.namespace}/${o.metadata.name}`),
        ...(await e.kube.list<Obj>('httproutes')).map((o) => `httproute ${o.metadata.namespace}/${o.metadata.name}`),
        ...(await e.kube.list<Obj>('tlsroutes')).map((o) => `tlsroute ${o.metadata.namespace}/${o.metadata.name}`),
      ];
      if (left.length) throw new Error(`still there: ${left.join(', ')}`);
      return true;
    }, 60_000, 'namespaces, Gateways and GatewayClasses deleted');
    console.log(`after helm uninstall: namespaces, Gateways and GatewayClasses deleted in ${Date.now() - t0} ms`);
    expect(await finalizers()).toEqual([]);
  }, 120_000);
});

// =============================================================================================

describe('without the Gateway API CRDs', () => {
  let ctl: ControllerProcess;

  test('helm install succeeds, renders no GatewayClass and NOTES say so; the controller starts and waits for the CRDs, no 403', async () => {
    const e = withoutApi;
    await e.kube.apply([ns(SYSTEM_NS)]);
    const out = await e.helm.ok(INSTALL);
    expect(out).toMatch(/STATUS: deployed/);
    expect(out).toMatch(/WARNING: the API server does not serve gateway\.networking\.k8s\.io\/v1 GatewayClass, so no GatewayClass was created/);
    const manifest = await e.helm.ok(['get', 'manifest', RELEASE, '-n', NS]);
    expect(manifest).not.toMatch(/^kind: GatewayClass$/m);
    expect(manifest).toMatch(/^kind: ClusterRole$/m);
    const noType = await e.cluster.kubectl(['get', 'gatewayclasses']);
    expect(noType.code).not.toBe(0);
    expect(noType.stderr).toMatch(/the server doesn't have a resource type "gatewayclasses"/);

    e.sa = (await chartDeployment(e)).spec.template.spec.serviceAccountName;
    ctl = await startChartController(e, 'meshgate-0');
    await eventually(async () => (await ctl.metric('meshgate_leader')) === 1, 30_000, 'the controller leads');
    await eventually(async () => /CRDs not installed/.test(fs.readFileSync(ctl.logFile, 'utf8')), 10_000, 'log: CRDs not installed');
    await expectNo403(ctl);
  });

  test('installing the Gateway API CRDs, then helm upgrade, creates GatewayClass kuma; the running controller notices the CRDs and accepts it', async () => {
    const e = withoutApi;
    await installGatewayApiCrds(e.cluster);
    const out = await e.helm.ok(UPGRADE);
    expect(out).not.toMatch(/no GatewayClass was created/);
    expect((await e.kube.get<Obj>('gatewayclass', 'kuma'))?.spec.controllerName).toBe(CONTROLLER_NAME);
    await eventually(async () => cond((await e.kube.get<Obj>('gatewayclass', 'kuma'))?.status?.conditions, 'Accepted') === 'True', 30_000, 'GatewayClass kuma Accepted');
    await ctl.idle();
    expect((await ctl.writes())['GatewayClass status']).toBeGreaterThan(0);
    await expectNo403(ctl);
  });

  test('control: the same 403 checks do catch a ServiceAccount without the chart RBAC', async () => {
    const e = withoutApi;
    const cmd = chartControllerCommand(await chartDeployment(e), 'no-rbac-0');
    const token = await serviceAccountToken(e.cluster, 'default', 'default');
    const p = await startController(e.cluster.writeTokenKubeconfig(token), { controllerName: CONTROLLER_NAME, args: cmd.args, env: cmd.env, waitReady: false });
    e.procs.push(p);
    const f = await eventually(async () => {
      const r = await forbidden(p);
      return r.lines.length > 0 && r.metric403 > 0 && r;
    }, 30_000, '403s in the log and the metric');
    expect(f.lines.join('\n')).toMatch(/forbidden/);
    expect(await p.metric('meshgate_ready')).toBe(0);
  });
});
