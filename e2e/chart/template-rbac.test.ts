// Chart tests with the real helm: least-privilege RBAC derived from the controller's calls, no finalizers,
// and the controller Deployment (flags, hardening, probes, control plane, leader election, GUI exposure).
import { CHART, NAMESPACE, helmRun, template, parse, find, one, args, rules, grants, rendered, renderCases, RENDER_TIMEOUT_MS } from './template-support';

beforeAll(renderCases, RENDER_TIMEOUT_MS);

describe('RBAC is least privilege and derived from the controller calls', () => {
  const all = () => Object.values(rendered).flatMap((r) => r.objs);
  const rbacObjs = () => all().filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');

  it('has no wildcards, no finalizers, no escalation verbs', () => {
    for (const o of rbacObjs()) {
      for (const r of rules(o)) {
        expect(r.verbs).not.toContain('*');
        expect(r.resources).not.toContain('*');
        expect(r.apiGroups).not.toContain('*');
        for (const verb of ['escalate', 'bind', 'impersonate', 'deletecollection']) expect(r.verbs).not.toContain(verb);
        for (const res of r.resources) expect(res).not.toMatch(/finalizers/);
      }
    }
  });

  it('never writes Gateway API specs, only their status', () => {
    const rs = rules(one(rendered.on.objs, 'ClusterRole'));
    for (const res of ['gatewayclasses', 'gateways', 'httproutes', 'tlsroutes', 'referencegrants']) {
      expect(grants(rs, 'gateway.networking.k8s.io', res).sort()).toEqual(['get', 'list', 'watch']);
    }
    for (const res of ['gatewayclasses/status', 'gateways/status', 'httproutes/status', 'tlsroutes/status']) {
      expect(grants(rs, 'gateway.networking.k8s.io', res).sort()).toEqual(['get', 'patch', 'update']);
    }
    expect(grants(rs, 'gateway.networking.k8s.io', 'referencegrants/status')).toEqual([]);
  });

  it('grants exactly the documented cluster-wide calls', () => {
    const rs = rules(one(rendered.on.objs, 'ClusterRole'));
    const rw = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    const ro = ['get', 'list', 'watch'];
    expect(grants(rs, '', 'namespaces').sort()).toEqual(ro);
    expect(grants(rs, '', 'services').sort()).toEqual(rw);
    expect(grants(rs, '', 'secrets').sort()).toEqual(ro);
    expect(grants(rs, '', 'events').sort()).toEqual(['create', 'patch']);
    expect(grants(rs, 'apps', 'deployments').sort()).toEqual(rw);
    expect(grants(rs, 'apiextensions.k8s.io', 'customresourcedefinitions').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshgatewayconfigs').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshgateways').sort()).toEqual(rw);
    expect(grants(rs, 'kuma.io', 'meshhttproutes').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshtcproutes').sort()).toEqual(ro);
    expect(grants(rs, 'kuma.io', 'meshgatewayinstances').sort()).toEqual(['delete', 'get', 'list']);
    expect(grants(rs, 'coordination.k8s.io', 'leases')).toEqual([]);
  });

  it('writes Secrets, MeshHTTPRoutes and MeshTCPRoutes only in the system namespace', () => {
    const role = one(rendered.on.objs, 'Role', 'meshgate-system');
    expect(role.metadata.namespace).toBe('kuma-system');
    expect(grants(rules(role), '', 'secrets').sort()).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect(grants(rules(role), 'kuma.io', 'meshhttproutes').sort()).toEqual(['create', 'delete', 'patch', 'update']);
    expect(grants(rules(role), 'kuma.io', 'meshtcproutes').sort()).toEqual(['create', 'delete', 'patch', 'update']);
    const rb = one(rendered.on.objs, 'RoleBinding', 'meshgate-system');
    expect(rb.metadata.namespace).toBe('kuma-system');
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'meshgate', namespace: NAMESPACE }]);
  });

  it('leases: get, create, update in the release namespace only', () => {
    const role = one(rendered.on.objs, 'Role', 'meshgate-leader-election');
    expect(role.metadata.namespace).toBe(NAMESPACE);
    expect(rules(role)).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]);
  });

  it('secretNamespaces: a Role+RoleBinding per namespace and no cluster-wide Secret read', () => {
    const { objs } = rendered['secret-namespaces'];
    expect(grants(rules(one(objs, 'ClusterRole')), '', 'secrets')).toEqual([]);
    const readers = find(objs, 'Role', 'meshgate-secret-reader');
    expect(readers.map((r) => r.metadata.namespace).sort()).toEqual(['team-a', 'team-b']);
    for (const r of readers) expect(rules(r)).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(objs, 'RoleBinding', 'meshgate-secret-reader').map((r) => r.metadata.namespace).sort()).toEqual(['team-a', 'team-b']);
    expect(args(objs)).toContain('--secret-namespaces=team-a,team-b');
  });
});

describe('controller Deployment', () => {
  it('passes the agreed flags', () => {
    expect(args(rendered.on.objs)).toEqual([
      'controller',
      '--gateway-api=true',
      '--controller-name=gateways.kuma.io/controller',
      '--system-namespace=kuma-system',
      '--proxy-image=docker.io/kumahq/kuma-dp:2.14.3',
      '--control-plane-ca-secret=kuma-tls-cert',
      '--leader-elect=true',
      '--leader-election-id=meshgate-leader',
      '--lease-duration=15s',
      '--renew-deadline=10s',
      '--retry-period=2s',
      '--gui-address=127.0.0.1:5681',
      '--metrics-address=:9090',
      '--kube-qps=auto',
      '--kube-burst=100',
      '--log-level=info',
      '--log-format=json',
    ]);
  });

  it('is hardened, probes /healthz and /readyz on the metrics port, sets POD_NAMESPACE', () => {
    const pod = one(rendered.off.objs, 'Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }]);
    expect(c.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(one(rendered.off.objs, 'Service', 'meshgate-metrics').spec.ports).toEqual([
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(find(rendered.off.objs, 'Service', 'meshgate-gui')).toHaveLength(0);
    expect(find(rendered.off.objs, 'ServiceMonitor')).toHaveLength(0);
  });

  it('controlPlane: URL and CA Secret flags; an inline CA becomes a ConfigMap mounted as --control-plane-ca-file', () => {
    const { objs } = rendered['control-plane'];
    const a = args(objs);
    expect(a).toEqual(expect.arrayContaining(['--control-plane-url=https://kuma-cp.mesh-system.svc:5678', '--control-plane-ca-file=/etc/meshgate/control-plane-ca/ca.crt', '--control-plane-ca-secret=kuma-cp-ca']));
    const cm = find(objs, 'ConfigMap').find((o) => o.metadata.name === 'meshgate-control-plane-ca');
    expect((cm as unknown as { data: Record<string, string> }).data['ca.crt']).toContain('-----BEGIN CERTIFICATE-----');
    expect(args(rendered.on.objs).some((x) => x.startsWith('--control-plane-ca-file') || x.startsWith('--control-plane-url'))).toBe(false);
    expect(find(rendered.on.objs, 'ConfigMap')).toHaveLength(0);
    const bad = helmRun(['template', 'meshgate', CHART, '--set', 'controlPlane.caCert=not-a-certificate']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/caCert/);
  });

  it('leader election: forced on with replicas > 1, off only when asked with one replica', () => {
    expect(args(rendered['secret-namespaces'].objs)).toContain('--leader-elect=true');
    const single = parse(template(['--set', 'leaderElection.enabled=false']));
    expect(args(single)).toContain('--leader-elect=false');
    expect(args(single).some((a) => a.startsWith('--leader-election-id'))).toBe(false);
    expect(find(single, 'Role', 'meshgate-leader-election')).toHaveLength(0);
  });

  it('exposed GUI: binds 0.0.0.0, has a Service, mounts the token; refused without a token Secret', () => {
    const { objs } = rendered['secret-namespaces'];
    const a = args(objs);
    expect(a).toContain('--gui-address=0.0.0.0:5681');
    expect(a).toContain('--gui-token-file=/etc/meshgate/gui-token/token');
    expect(one(objs, 'Service', 'meshgate-gui').spec.ports[0]).toMatchObject({ port: 5681, targetPort: 'gui' });
    expect(one(objs, 'ServiceMonitor').spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
    expect(one(objs, 'GatewayClass').spec.parametersRef).toEqual({ group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'default' });

    const r = helmRun(['template', 'meshgate', CHART, '--set', 'gui.expose=true']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/gui.expose=true requires gui.tokenSecret/);
  });

  it('rejects a parametersRef that is not a cluster-scoped MeshGatewayConfig', () => {
    const r = helmRun(['template', 'meshgate', CHART, '--set', 'gatewayClass.parametersRef.group=kuma.io,gatewayClass.parametersRef.kind=MeshGatewayConfig,gatewayClass.parametersRef.name=x,gatewayClass.parametersRef.namespace=y']);
    expect(r.status).not.toBe(0);
  });

  it('serviceMonitor only when monitoring.coreos.com/v1 is served', () => {
    expect(find(parse(template(['--set', 'metrics.serviceMonitor.enabled=true'])), 'ServiceMonitor')).toHaveLength(0);
  });
});
