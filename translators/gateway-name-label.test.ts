// Gateway API asks that what a Gateway generates carry `gateway.networking.k8s.io/gateway-name`
// and that the Gateway's spec.infrastructure labels and annotations reach its pods; the upstream
// conformance test GatewayInfrastructure finds the pods by that label.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './api/meta';
import { TranslationEngine } from './engine';
import { translate } from './index';
import { addToInput, DEFAULT_OPTIONS, emptyInput } from './input';
import { GATEWAY_NAME_LABEL, gatewayNameLabel } from './naming';

const GW = 'gateway.networking.k8s.io/v1';
const CLASS = { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName } };

function bundle(objs: unknown[]) {
  const i = emptyInput();
  for (const o of [CLASS, ...objs]) addToInput(i, o as KubeObject);
  return i;
}

const labelsOf = (o: KubeObject) => o.metadata.labels ?? {};

describe('gatewayNameLabel', () => {
  it('is the Gateway name when that is a valid label value, nothing otherwise', () => {
    expect(gatewayNameLabel('edge.v2')).toEqual({ [GATEWAY_NAME_LABEL]: 'edge.v2' });
    expect(gatewayNameLabel('a'.repeat(63))).toEqual({ [GATEWAY_NAME_LABEL]: 'a'.repeat(63) });
    expect(gatewayNameLabel('a'.repeat(64))).toEqual({});
    expect(gatewayNameLabel('edge.')).toEqual({});
  });
});

describe('generated objects of a Gateway', () => {
  const gateway = {
    apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'app', uid: 'u1', generation: 1 },
    spec: {
      gatewayClassName: 'kuma',
      infrastructure: { labels: { key2: 'value2', app: 'not-the-selector' }, annotations: { key1: 'value1', 'kuma.io/gateway': 'other' } },
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
    },
  };
  const route = { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'app', generation: 1 }, spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } };
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'app' }, spec: { ports: [{ port: 8080 }] } };
  const objects = translate(bundle([gateway, route, svc])).objects;

  it('each carries the gateway-name label', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'MeshGateway', 'MeshHTTPRoute', 'Service']);
    for (const o of objects) expect([o.kind, labelsOf(o)[GATEWAY_NAME_LABEL]]).toEqual([o.kind, 'edge']);
  });

  it('the pod template carries spec.infrastructure labels and annotations; the selector and Kuma markers win', () => {
    const dep = objects.find((o) => o.kind === 'Deployment') as KubeObject & { spec: { template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> } } } };
    const tpl = dep.spec.template.metadata;
    expect(tpl.labels).toMatchObject({ key2: 'value2', app: 'edge', [GATEWAY_NAME_LABEL]: 'edge' });
    expect(tpl.annotations).toMatchObject({ key1: 'value1', 'kuma.io/gateway': 'builtin' });
  });
});

describe('Secret copies', () => {
  // Two Gateways (gw, gw2) using one Secret, from the golden case.
  const file = path.join(__dirname, 'testdata', 'secret-copy-default-mesh.in.yaml');
  const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as KubeObject).filter((o) => o.kind !== 'GatewayClass');
  const copyOf = (e: TranslationEngine) => [...e.desiredObjects()].find((o) => o.kind === 'Secret')!;

  it('carry the label only while one Gateway uses them, and follow changes incrementally', () => {
    const e = TranslationEngine.fromInput(bundle(docs));
    expect(labelsOf(copyOf(e))[GATEWAY_NAME_LABEL]).toBeUndefined();
    e.apply({ remove: [{ kind: 'Gateway', namespace: 'app', name: 'gw2' }] });
    expect(labelsOf(copyOf(e))[GATEWAY_NAME_LABEL]).toBe('gw');
    e.apply({ upsert: [docs.find((o) => o.metadata.name === 'gw2')!] });
    expect(labelsOf(copyOf(e))[GATEWAY_NAME_LABEL]).toBeUndefined();
  });
});
