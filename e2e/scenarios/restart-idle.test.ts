// A converged cluster stays converged without writes: an idle period (MESHGATE_E2E_IDLE_MS,
// default 15 s; `npm run bench:e2e` measures a full minute) performs zero writes, and a new
// controller process over the converged cluster performs zero writes too.
import { pem } from '../../translators/testdata/certs';
import {
  gateway, gatewayClass, gatewayWhen, GW, httpListener, httpRoute, httpsListener, listenerStatus, meshGatewayConfig, namespace, programmed, scenario,
  service, sleep, systemNamespace, tlsSecretFrom, waitFor,
} from './fixture';

const IDLE_MS = Number(process.env.MESHGATE_E2E_IDLE_MS ?? 15_000);
const s = scenario('restart-idle', ['', 'other']);
const [ns, other] = s.namespaces;
const config = meshGatewayConfig('e2e-restart-idle', { replicas: 2, serviceType: 'ClusterIP', tags: { team: 'edge' } });

afterAll(async () => {
  // The GAMMA route first, and synchronously: it has no class, so other test files' controllers
  // (watching all namespaces) would translate it while its namespace is being deleted.
  await s.kube.kubectl(['delete', 'httproute', 'mesh', '-n', other, '--ignore-not-found', '--wait=true']);
  await s.cleanup([config]);
});

// A bit of everything: a config, HTTP + HTTPS + TLS listeners, cross-namespace routes, a
// backend ReferenceGrant, a TLSRoute and a GAMMA route.
const manifests = [
  systemNamespace(), namespace(ns), namespace(other), config, gatewayClass(s.className, s.controllerName, config.metadata.name),
  tlsSecretFrom(ns, 'cert', { crt: pem('valid.crt'), key: pem('valid.key') }),
  service(ns, 'web', [8080]), service(other, 'api', [9090]), service(ns, 'db', [5432]),
  gateway(ns, 'edge', s.className, [
    httpListener('http', 80, { allowedRoutes: { namespaces: { from: 'All' } } }),
    httpsListener('https', 443, 'cert', { hostname: '*.example.com' }),
    { name: 'tls', port: 8443, protocol: 'TLS', hostname: 'db.example.org', tls: { mode: 'Passthrough' } },
  ]),
  httpRoute(ns, 'web', [{ name: 'edge' }], { name: 'web', port: 8080 }, { hostnames: ['www.example.com'] }),
  httpRoute(other, 'api', [{ name: 'edge', namespace: ns, sectionName: 'http' }], { name: 'api', port: 9090 }, { path: '/api' }),
  { apiVersion: GW, kind: 'TLSRoute', metadata: { name: 'db', namespace: ns }, spec: { parentRefs: [{ name: 'edge', sectionName: 'tls' }], hostnames: ['db.example.org'], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } },
  { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'mesh', namespace: other }, spec: { parentRefs: [{ group: '', kind: 'Service', name: 'api', port: 9090 }], rules: [{ backendRefs: [{ name: 'api', port: 9090 }] }] } },
];

test(`a converged cluster: zero writes while idle (${IDLE_MS} ms) and zero writes after a restart`, async () => {
  await s.kube.apply(manifests);
  const first = await s.start();
  await gatewayWhen(s, ns, 'edge', (g) => programmed(g) && listenerStatus(g, 'http')?.attachedRoutes === 2 && listenerStatus(g, 'https')?.attachedRoutes === 1 && listenerStatus(g, 'tls')?.attachedRoutes === 1, 'converged');
  await waitFor('Deployment replicas 2', async () => (await s.kube.get<{ spec: { replicas: number } }>('deployment', 'edge', ns))?.spec.replicas === 2);
  await first.idle(2000);
  const converged = await first.totalWrites();
  expect(converged).toBeGreaterThan(0);

  // Idle: kube-controller-manager keeps updating Deployment/ReplicaSet status meanwhile; meshgate writes nothing.
  await sleep(IDLE_MS);
  expect(await first.totalWrites()).toBe(converged);

  // A new process over the converged cluster: relists everything, writes nothing.
  await first.stop();
  const second = await s.start();
  await second.idle(2000);
  expect(await second.writes()).toEqual({});
  expect(await second.metric('meshgate_api_requests_total', { method: 'PATCH' })).toBe(0);
  expect(await second.metric('meshgate_api_requests_total', { method: 'POST' })).toBe(0);
  expect(await second.metric('meshgate_api_requests_total', { method: 'DELETE' })).toBe(0);

  // Also after SIGKILL (no graceful shutdown).
  await second.kill('SIGKILL');
  const third = await s.start();
  await third.idle(2000);
  expect(await third.writes()).toEqual({});
});
