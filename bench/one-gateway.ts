// Incremental cost on one large Gateway: 1,000 HTTPRoutes added one by one to the same Gateway
// (as `bench:e2e` A2 does through the controller); prints the time per upsert near 1,000 routes.
//   node -r ts-node/register/transpile-only bench/one-gateway.ts   (MEMOS=0: without route memos)
import { TranslationEngine } from '../translators';
import { emptyInput } from '../translators/input';
import type { KubeObject } from '../translators/api/meta';
const GW = 'gateway.networking.k8s.io/v1';
const e = new TranslationEngine(emptyInput().options, { routeMemos: process.env.MEMOS !== '0' });
e.upsert([
  { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: 'gateways.kuma.io/controller' } } as KubeObject,
  { apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'a', generation: 1, uid: 'g' }, spec: { gatewayClassName: 'kuma', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] } } as KubeObject,
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'a' }, spec: { ports: [{ port: 8080 }] } } as KubeObject,
]);
const times: number[] = [];
for (let i = 0; i < 1000; i++) {
  const r = { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: `r-${i}`, namespace: 'a', generation: 1, uid: `u${i}`, creationTimestamp: new Date(1e12 + i * 1000).toISOString() }, spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/r-${i}` } }], backendRefs: [{ group: '', kind: 'Service', name: 'web', port: 8080, weight: 1 }] }] } } as KubeObject;
  const t0 = performance.now(); e.upsert([r]); times.push(performance.now() - t0);
}
const last = times.slice(-100).sort((a, b) => a - b);
console.log('per upsert at ~950 routes: median', last[50].toFixed(2), 'ms p90', last[90].toFixed(2), 'ms; total', times.reduce((a, b) => a + b, 0).toFixed(0), 'ms');
