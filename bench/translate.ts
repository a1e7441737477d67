// npm run bench:translate — translation time and heap on synthetic clusters:
//   (1) 100 Gateways × 1,000 HTTPRoutes (HTTP)
//   (2) 1,000 Gateways × 10,000 HTTPRoutes with TLS: every Gateway has an HTTPS listener (cert
//       Secret) and a TLS passthrough listener with a TLSRoute, besides HTTP.
// Prints the full translation time (median of ≥5 runs, min, max), the time to re-translate
// after one route changes with the incremental engine (median and p95 over 50 routes, with and
// without route memos; memos matter most on large Gateways: bench/one-gateway.ts), and the heap
// used after GC with the engine's state alive, and a yardstick: JSON.parse of the output's JSON
// (the same objects built with no decisions), timed right after. Targets: full (2) ≤ 300 ms median (issue #13),
// one change ≤ 10 ms, heap ≤ 200 MB. Run with --expose-gc (the npm script does).
import { performance } from 'node:perf_hooks';
import type { HTTPRoute } from '../translators/api/gateway-api';
import type { KubeObject } from '../translators/api/meta';
import { translate, TranslationEngine } from '../translators';
import type { TranslationInput } from '../translators/input';
import { addToInput, emptyInput } from '../translators/input';
import { tlsSecret } from '../translators/testdata/certs';

const NAMESPACES = 50;
const FULL_RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHANGES = 50;

export function cluster(gateways: number, routes: number, tls: boolean): TranslationInput {
  const input = emptyInput();
  const add = (o: unknown) => addToInput(input, o as KubeObject);
  add({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: 'gateways.kuma.io/controller' } });
  for (let n = 0; n < NAMESPACES; n++) {
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { team: `t${n % 5}` } } });
    if (tls) add(tlsSecret(`ns-${n}`, 'wildcard-tls'));
  }
  const created = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
  for (let g = 0; g < gateways; g++) {
    const ns = `ns-${g % NAMESPACES}`;
    const listeners: unknown[] = [{ name: 'http', port: 80, protocol: 'HTTP', hostname: `*.gw-${g}.example.com`, allowedRoutes: { namespaces: { from: 'All' } } }];
    if (tls) {
      listeners.push({ name: 'https', port: 443, protocol: 'HTTPS', hostname: `*.gw-${g}.example.com`, tls: { certificateRefs: [{ name: 'wildcard-tls' }] }, allowedRoutes: { namespaces: { from: 'All' } } });
      listeners.push({ name: 'tls', port: 8443, protocol: 'TLS', hostname: `*.tls-${g}.example.com`, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'All' } } });
    }
    add({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: `gw-${g}`, namespace: ns, generation: 1, uid: `uid-gw-${g}` }, spec: { gatewayClassName: 'kuma', listeners } });
    if (tls) {
      add({
        apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute',
        metadata: { name: `db-${g}`, namespace: ns, generation: 1, creationTimestamp: created(g) },
        spec: { parentRefs: [{ name: `gw-${g}`, sectionName: 'tls' }], hostnames: [`db.tls-${g}.example.com`], rules: [{ backendRefs: [{ name: `svc-${g % 20}`, port: 5432 }] }] },
      });
    }
  }
  for (let r = 0; r < routes; r++) {
    const g = r % gateways;
    const ns = `ns-${(r * 7) % NAMESPACES}`;
    add(httpRoute(r, g, ns, created(r), 1));
  }
  for (let n = 0; n < NAMESPACES; n++) {
    for (let s = 0; s < 20; s++) {
      add({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: `ns-${n}` }, spec: { clusterIP: `10.${n}.0.${s + 1}`, ports: [{ name: 'http', port: 8080 }, { name: 'db', port: 5432 }] } });
    }
  }
  return input;
}

function httpRoute(r: number, g: number, ns: string, creationTimestamp: string, generation: number, prefix = 'api'): HTTPRoute {
  const gwNs = `ns-${g % NAMESPACES}`;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name: `route-${r}`, namespace: ns, generation, creationTimestamp, uid: `uid-route-${r}` },
    spec: {
      parentRefs: [{ name: `gw-${g}`, namespace: gwNs }],
      hostnames: [`r${r}.gw-${g}.example.com`],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: `/${prefix}/v${r % 3}` }, headers: [{ name: 'X-Tenant', value: `t${r % 10}` }] }],
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Route', value: `r${r}` }] } }],
          backendRefs: [{ name: `svc-${r % 20}`, port: 8080, weight: 90 }, { name: `svc-${(r + 1) % 20}`, port: 8080, weight: 10 }],
        },
        { matches: [{ path: { type: 'Exact', value: `/health/${r}` } }], backendRefs: [{ name: `svc-${r % 20}`, port: 8080 }] },
      ],
    },
  } as HTTPRoute;
}

const ms = (t: number) => `${t.toFixed(1)} ms`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) { g(); g(); }
}

function run(label: string, gateways: number, routes: number, tls: boolean): TranslationEngine {
  const input = cluster(gateways, routes, tls);
  const objects = input.gateways.length + input.httpRoutes.length + input.tlsRoutes.length + input.services.length + input.secrets.length + input.namespaces.length + 1;
  console.log(`\n${label}: ${gateways} Gateways, ${input.httpRoutes.length} HTTPRoutes, ${input.tlsRoutes.length} TLSRoutes, ${objects} input objects`);

  // Wall time, and this process's CPU time (user+system), which a busy machine inflates less.
  const times: number[] = [];
  const cpu: number[] = [];
  let last: ReturnType<typeof translate> | undefined;
  for (let i = 0; i < FULL_RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = translate(input);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    last = result;
  }
  const generated = last!.objects.length;
  // A yardstick taken right after the runs (not between them: its garbage would slow the next
  // translation): JSON.parse of the output's own JSON builds the same objects and statuses with no
  // decisions and no shared parts, so how fast the machine is at that moment shows in both figures.
  const json = JSON.stringify({ objects: last!.objects, statuses: last!.statuses });
  last = undefined;
  gc();
  const parses: number[] = [];
  for (let i = 0; i < FULL_RUNS; i++) {
    const p0 = performance.now();
    JSON.parse(json);
    parses.push(performance.now() - p0);
  }
  console.log(`  full translation:   median ${ms(quantile(times, 0.5))}  (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}, ${FULL_RUNS} runs; ${generated} objects generated)`);
  console.log(`                      CPU time median ${ms(quantile(cpu, 0.5))} (min ${ms(Math.min(...cpu))}, max ${ms(Math.max(...cpu))}; includes GC threads)`);
  console.log(`  yardstick:          JSON.parse of the output (${(json.length / 1e6).toFixed(1)} MB of JSON) median ${ms(quantile(parses, 0.5))} (min ${ms(Math.min(...parses))}, max ${ms(Math.max(...parses))}), right after`);

  const engine = changeRoutes(input, true);
  changeRoutes(input, false);
  return engine;
}

/** The incremental engine's time to re-translate after one route changed, over CHANGES different routes. */
function changeRoutes(input: TranslationInput, routeMemos: boolean): TranslationEngine {
  const engine = TranslationEngine.fromInput(input, { routeMemos });
  const changes: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const r = Math.floor((i * input.httpRoutes.length) / CHANGES) + (i % 3);
    const old = input.httpRoutes[r];
    const g = Number(old.spec.parentRefs![0].name.slice(3));
    const modified = httpRoute(r, g, old.metadata.namespace!, old.metadata.creationTimestamp!, 2, 'changed');
    const t0 = performance.now();
    const delta = engine.upsert([modified]);
    changes.push(performance.now() - t0);
    if (delta.objects.size === 0) throw new Error(`changing route-${r} changed no generated object`);
  }
  console.log(`  one route changed:  median ${ms(quantile(changes, 0.5))}  p95 ${ms(quantile(changes, 0.95))}  (incremental engine.upsert, ${CHANGES} different routes; route memos ${routeMemos ? 'on' : 'off'})`);
  return engine;
}

function heap(what: string): void {
  gc();
  const mb = process.memoryUsage().heapUsed / (1024 * 1024);
  console.log(`  heap used after GC: ${mb.toFixed(1)} MB (${what})${(globalThis as { gc?: unknown }).gc ? '' : ' [no --expose-gc: not collected first]'}`);
}

// The input bundle is garbage once run() returns; the engine (snapshot, units, desired state)
// is what a controller keeps. Heap is measured with only the engine alive.
// BENCH_CASE=1 or 2 runs one case only (e.g. under node --cpu-prof).
function main(): void {
  const only = process.env.BENCH_CASE;
  let engine: TranslationEngine | undefined;
  if (!only || only === '1') {
    engine = run('(1) HTTP', 100, 1000, false);
    heap('engine state of (1) alive');
    engine = undefined;
  }
  if (!only || only === '2') {
    engine = run('(2) TLS', 1000, 10000, true);
    heap('engine state of (2) alive');
  }
  void engine?.result().objects.length;
}
if (require.main === module) main();
