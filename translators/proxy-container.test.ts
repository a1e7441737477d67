// The proxy container against what kuma-dp 2.14.3 needs to join a control plane on Kubernetes,
// and the CA's way in: the option wins, else Kuma's CA Secret from the bundle.
import type { KubeObject } from './api/meta';
import { TranslationEngine } from './engine';
import { translate } from './index';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from './input';
import type { TranslationOptions } from './input';

const GW = 'gateway.networking.k8s.io/v1';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

function bundle(options: Partial<TranslationOptions> = {}, extra: KubeObject[] = []) {
  const i = emptyInput(options);
  const objs: KubeObject[] = [
    { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName } } as KubeObject,
    { apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', generation: 1 }, spec: { gatewayClassName: 'kuma', listeners: [{ name: 'https', port: 8443, protocol: 'HTTP' }, { name: 'http', port: 80, protocol: 'HTTP' }, { name: 'again', port: 8443, protocol: 'HTTP', hostname: 'a.example' }] } } as KubeObject,
    ...extra,
  ];
  for (const o of objs) addToInput(i, o);
  return i;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const deploymentOf = (objects: KubeObject[]): any => objects.find((o) => o.kind === 'Deployment');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const envOf = (objects: KubeObject[]): any[] => deploymentOf(objects).spec.template.spec.containers[0].env;
const envValue = (objects: KubeObject[], name: string) => envOf(objects).find((e) => e.name === name);
const caSecret = (ns: string, name: string, pem: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, data: { 'ca.crt': Buffer.from(pem).toString('base64') } }) as KubeObject;

describe('gateway proxy container', () => {
  it('names the Dataplane through POD_NAME/POD_NAMESPACE (kuma-dp makes it <pod>.<namespace>), never KUMA_DATAPLANE_NAME', () => {
    const env = envOf(translate(bundle()).objects);
    expect(env.map((e) => e.name)).not.toContain('KUMA_DATAPLANE_NAME');
    expect(envValue(translate(bundle()).objects, 'POD_NAME')).toEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } });
    expect(envValue(translate(bundle()).objects, 'POD_NAMESPACE')).toEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } });
  });

  it('env sorted by name as Kuma sorts it, the memory limit last as a resourceFieldRef kuma-dp can parse', () => {
    const env = envOf(translate(bundle()).objects);
    const names = env.map((e) => e.name);
    expect(names.slice(0, -1)).toEqual([...names.slice(0, -1)].sort());
    expect(env[env.length - 1]).toEqual({ name: 'KUMA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES', valueFrom: { resourceFieldRef: { containerName: 'kuma-gateway', resource: 'limits.memory' } } });
    expect(envValue(translate(bundle()).objects, 'KUMA_DATAPLANE_RUNTIME_TOKEN_PATH')?.value).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(envValue(translate(bundle()).objects, 'KUMA_DATAPLANE_DRAIN_TIME')?.value).toBe('30s');
  });

  it('control-plane URL: the option, else the Kuma service in the system namespace', () => {
    expect(envValue(translate(bundle()).objects, 'KUMA_CONTROL_PLANE_URL')?.value).toBe('https://kuma-control-plane.kuma-system:5678');
    expect(envValue(translate(bundle({ systemNamespace: 'mesh' })).objects, 'KUMA_CONTROL_PLANE_URL')?.value).toBe('https://kuma-control-plane.mesh:5678');
    expect(envValue(translate(bundle({ controlPlaneURL: 'https://cp.example:5678' })).objects, 'KUMA_CONTROL_PLANE_URL')?.value).toBe('https://cp.example:5678');
  });

  it('CA: none known = no value (kuma-dp then uses the system roots); Kuma\'s Secret when present; the option wins', () => {
    expect(envValue(translate(bundle()).objects, 'KUMA_CONTROL_PLANE_CA_CERT')).toEqual({ name: 'KUMA_CONTROL_PLANE_CA_CERT' });
    const withSecret = bundle({}, [caSecret('kuma-system', 'kuma-tls-cert', CA)]);
    expect(envValue(translate(withSecret).objects, 'KUMA_CONTROL_PLANE_CA_CERT')?.value).toBe(CA);
    const other = bundle({ controlPlaneCASecret: 'my-ca' }, [caSecret('kuma-system', 'kuma-tls-cert', 'x'), caSecret('kuma-system', 'my-ca', CA)]);
    expect(envValue(translate(other).objects, 'KUMA_CONTROL_PLANE_CA_CERT')?.value).toBe(CA);
    const option = bundle({ controlPlaneCACert: `${CA}#opt` }, [caSecret('kuma-system', 'kuma-tls-cert', CA)]);
    expect(envValue(translate(option).objects, 'KUMA_CONTROL_PLANE_CA_CERT')?.value).toBe(`${CA}#opt`);
    // Same name in another namespace, or not a PEM certificate: not the CA.
    expect(envValue(translate(bundle({}, [caSecret('app', 'kuma-tls-cert', CA)])).objects, 'KUMA_CONTROL_PLANE_CA_CERT')).toEqual({ name: 'KUMA_CONTROL_PLANE_CA_CERT' });
    expect(envValue(translate(bundle({}, [caSecret('kuma-system', 'kuma-tls-cert', 'garbage')])).objects, 'KUMA_CONTROL_PLANE_CA_CERT')).toEqual({ name: 'KUMA_CONTROL_PLANE_CA_CERT' });
  });

  it('a CA Secret arriving later rewrites the proxy Deployment (incremental = full)', () => {
    const e = TranslationEngine.fromInput(bundle());
    const d = e.upsert([caSecret('kuma-system', 'kuma-tls-cert', CA)]);
    expect([...d.objects].some((k) => k.includes('|Deployment|app|edge'))).toBe(true);
    expect(envValue([...e.desiredObjects()], 'KUMA_CONTROL_PLANE_CA_CERT')?.value).toBe(CA);
    expect(e.result()).toEqual(translate(bundle({}, [caSecret('kuma-system', 'kuma-tls-cert', CA)])));
  });

  it('defaults: Kuma\'s resources, probes on the readiness port, no CPU limit; a config\'s resources replace them whole', () => {
    const c = deploymentOf(translate(bundle()).objects).spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '50M' }, limits: { memory: '512Mi', 'ephemeral-storage': '1G' } });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 9902 }, initialDelaySeconds: 1, timeoutSeconds: 3, periodSeconds: 5, successThreshold: 1, failureThreshold: 12 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/ready', port: 9902 }, initialDelaySeconds: 60 });
    const cfg = { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGatewayConfig', metadata: { name: 'cfg' }, spec: { resources: { limits: { memory: '1Gi' } } } } as KubeObject;
    const i = bundle({}, [cfg]);
    i.gatewayClasses[0] = { ...i.gatewayClasses[0], spec: { ...i.gatewayClasses[0].spec, parametersRef: { group: 'kuma.io', kind: 'MeshGatewayConfig', name: 'cfg' } } };
    expect(deploymentOf(translate(i).objects).spec.template.spec.containers[0].resources).toEqual({ limits: { memory: '1Gi' } });
  });

  it('Service ports in Kuma\'s order: first appearance in spec.listeners, each port once', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const svc: any = translate(bundle()).objects.find((o) => o.kind === 'Service');
    expect(svc.spec.ports.map((p: { port: number }) => p.port)).toEqual([8443, 80]);
  });
});
