// GUI benchmark: synthetic bundles with 1,000 and 10,000 HTTPRoutes served by the GUI server,
// measured in headless Chromium: first paint, time until the route list is rendered, and the
// time to apply a text filter over all routes. Prints figures; asserts nothing.
//   npm run bench:gui
import type { Gateway, HTTPRoute } from '../translators/api/gateway-api';
import type { KubeObject } from '../translators/api/meta';
import { emptyInput, type TranslationInput } from '../translators/input';
import { meshGatewayName, ownerLabels, parentScopedRouteName } from '../translators/naming';
import type { StatusUpdate, TranslationResult } from '../translators/result';
import { launchBrowser } from '../e2e/gui/browser';
import { startGuiServer } from '../src/gui/server';
import { memorySource } from '../src/gui/source';

const GW = 'gateway.networking.k8s.io';
const CTRL = 'gateways.kuma.io/controller';
const FAIL = ['BackendNotFound', 'NoMatchingListenerHostname', 'NotAllowedByListeners', 'RefNotPermitted'];

export function synthetic(routes: number): { input: TranslationInput; result: TranslationResult } {
  const input = emptyInput();
  const objects: KubeObject[] = [];
  const statuses: StatusUpdate[] = [];
  const gateways = Math.max(1, Math.round(routes / 500));
  input.gatewayClasses.push({ apiVersion: `${GW}/v1`, kind: 'GatewayClass', metadata: { name: 'meshgate' }, spec: { controllerName: CTRL } });
  statuses.push({ target: { apiVersion: `${GW}/v1`, kind: 'GatewayClass', name: 'meshgate' }, generation: 1, conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '' }], supportedFeatures: [] });
  for (let g = 0; g < gateways; g++) {
    const gw: Gateway = {
      apiVersion: `${GW}/v1`,
      kind: 'Gateway',
      metadata: { name: `gw-${g}`, namespace: `infra-${g % 5}` },
      spec: { gatewayClassName: 'meshgate', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
    };
    input.gateways.push(gw);
    objects.push({ apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGateway', metadata: { name: meshGatewayName(gw.metadata.namespace!, gw.metadata.name), labels: ownerLabels('Gateway', gw.metadata.namespace!, gw.metadata.name, CTRL) } });
    statuses.push({
      target: { apiVersion: `${GW}/v1`, kind: 'Gateway', namespace: gw.metadata.namespace!, name: gw.metadata.name },
      generation: 1,
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '' }, { type: 'Programmed', status: 'True', reason: 'Programmed', message: '' }],
      listeners: [{ name: 'http', supportedKinds: [{ group: GW, kind: 'HTTPRoute' }], attachedRoutes: 0, conditions: [] }],
      addresses: [{ type: 'IPAddress', value: `10.96.0.${g % 250}` }],
    });
  }
  for (let i = 0; i < routes; i++) {
    const ns = `team-${i % 40}`;
    const gw = input.gateways[i % gateways]!;
    const parent = { namespace: gw.metadata.namespace!, name: gw.metadata.name };
    const r: HTTPRoute = {
      apiVersion: `${GW}/v1`,
      kind: 'HTTPRoute',
      metadata: { name: `route-${i}`, namespace: ns, generation: 1 },
      spec: { parentRefs: [parent], hostnames: [`svc-${i}.example.com`], rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/r${i}` } }], backendRefs: [{ name: `svc-${i}`, port: 80 }] }] },
    };
    input.httpRoutes.push(r);
    const failing = i % 10 === 7;
    statuses.push({
      target: { apiVersion: `${GW}/v1`, kind: 'HTTPRoute', namespace: ns, name: r.metadata.name },
      generation: 1,
      parents: [{
        parentRef: { group: GW, kind: 'Gateway', ...parent },
        controllerName: CTRL,
        conditions: failing
          ? [{ type: 'Accepted', status: 'False', reason: FAIL[i % FAIL.length]!, message: 'synthetic failure' }]
          : [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '' }, { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: '' }],
      }],
    });
    if (!failing) {
      objects.push({
        apiVersion: 'kuma.io/v1alpha1',
        kind: 'MeshHTTPRoute',
        metadata: { name: parentScopedRouteName(ns, r.metadata.name, { group: GW, kind: 'Gateway', ...parent }), namespace: 'kuma-system', labels: ownerLabels('HTTPRoute', ns, r.metadata.name, CTRL) },
      });
    }
  }
  return { input, result: { objects, statuses, diagnostics: [] } };
}

async function measure(routes: number): Promise<void> {
  const { input, result } = synthetic(routes);
  const source = memorySource(input, () => result, 'offline', result);
  const server = await startGuiServer({ host: '127.0.0.1', port: 0, source });
  const browser = await launchBrowser();
  try {
    const sizes: string[] = [];
    for (const p of ['overview', 'list?kind=routes']) {
      const t0 = Date.now();
      const res = await fetch(`${server.url}api/${p}`);
      const kib = (await res.arrayBuffer()).byteLength / 1024;
      sizes.push(`${p}: ${Date.now() - t0} ms, ${kib.toFixed(0)} KiB`);
    }
    source.update(input, result); // a new version: the browser below pays the cold index again
    const page = await browser.context.newPage();
    await page.goto(`${server.url}#/routes`);
    await page.locator('table.list tbody tr').first().waitFor({ timeout: 60000 });
    const paint = await page.evaluate<{ fp?: number; fcp?: number; listReady: number }>(`({
      fp: performance.getEntriesByName('first-paint')[0]?.startTime,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      listReady: performance.now(),
    })`);
    const filterMs: number[] = [];
    for (const term of ['route-9', 'route-77', 'svc-1234', 'nomatching', '']) {
      // Browser-side code as a string: the project's tsconfig has no DOM lib.
      filterMs.push(
        await page.evaluate<number>(`(async (t) => {
          const input = document.querySelector('input[type=search]');
          const pager = () => document.querySelector('.pager span')?.textContent ?? '';
          const before = pager();
          const start = performance.now();
          input.value = t;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          for (let i = 0; i < 600 && pager() === before; i++) await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - start;
        })(${JSON.stringify(term)})`),
      );
    }
    await page.close();
    const overview = await browser.context.newPage();
    await overview.goto(`${server.url}#/`);
    await overview.locator('#problems .problem').first().waitFor({ timeout: 60000 });
    const ovReady = await overview.evaluate<number>('performance.now()');
    console.log(
      `${routes.toLocaleString()} routes: cold API (${sizes.join('; ')}); ` +
        `routes page first paint ${paint.fp?.toFixed(0)} ms, first contentful paint ${paint.fcp?.toFixed(0)} ms, list rendered ${paint.listReady.toFixed(0)} ms; ` +
        `overview rendered ${ovReady.toFixed(0)} ms; text filter over all routes: ${filterMs.map((m) => m.toFixed(1)).join(' / ')} ms (median ${[...filterMs].sort((a, b) => a - b)[2]!.toFixed(1)} ms)`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

if (require.main === module) (async () => {
  for (const n of [1000, 10000]) await measure(n);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
