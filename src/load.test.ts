// The offline loader reads files as kubectl would and keeps only what the API server would admit,
// warning with file:line and the field; duplicates resolve as a second `kubectl apply` would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifests } from './load';

function files(contents: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-load-'));
  for (const [name, text] of Object.entries(contents)) writeFileSync(path.join(dir, name), text);
  return dir;
}
const rel = (dir: string, ws: string[]) => ws.map((w) => w.split(`${dir}/`).join(''));

const ROUTE = (name: string, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: app
spec:
  parentRefs:
  - name: edge
${extra}`;

describe('loadManifests', () => {
  it('skips what the API server would refuse, naming file:line and field; keeps the rest', () => {
    const dir = files({
      'a.yaml': `${ROUTE('ok', '  rules:\n  - backendRefs:\n    - {name: web, port: 80, weight: 0}\n')}---\n${ROUTE('neg', '  rules:\n  - backendRefs:\n    - {name: web, port: 80, weight: -1}\n')}`,
      'b.yaml': `${ROUTE('frac', '  rules:\n  - backendRefs:\n    - {name: web, port: 80, weight: 1.5}\n')}---\n${ROUTE('str', '  rules:\n  - backendRefs:\n    - {name: web, port: 80, weight: "10"}\n')}---\n${ROUTE('nul', '  rules:\n  - backendRefs:\n    - {name: web, port: 80, weight: null}\n')}`,
    });
    const { input, warnings } = loadManifests([dir]);
    expect(input.httpRoutes.map((r) => r.metadata.name)).toEqual(['ok', 'nul']);
    expect(input.httpRoutes[1].spec.rules![0].backendRefs![0]).toEqual({ name: 'web', port: 80 }); // null pruned: the default 1 applies
    expect(rel(dir, warnings)).toEqual([
      'a.yaml:13: skipped HTTPRoute app/neg: the API server would refuse it: spec.rules[0].backendRefs[0].weight: -1 must be at least 0',
      'b.yaml:1: skipped HTTPRoute app/frac: the API server would refuse it: spec.rules[0].backendRefs[0].weight: 1.5 must be an integer, not number',
      'b.yaml:13: skipped HTTPRoute app/str: the API server would refuse it: spec.rules[0].backendRefs[0].weight: "10" must be an integer, not string',
    ]);
  });

  it('skips objects whose apiVersion is not served for their kind', () => {
    const dir = files({ 'a.yaml': `${ROUTE('v999').replace('/v1', '/v999')}---\n${ROUTE('other').replace('gateway.networking.k8s.io', 'example.com')}---\n${ROUTE('beta').replace('/v1', '/v1beta1')}` });
    const { input, warnings } = loadManifests([dir]);
    expect(input.httpRoutes.map((r) => r.metadata.name)).toEqual(['beta']);
    expect(rel(dir, warnings)).toEqual([
      'a.yaml:1: skipped HTTPRoute app/v999: apiVersion gateway.networking.k8s.io/v999 is not served for kind HTTPRoute (served: gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1)',
      'a.yaml:10: skipped HTTPRoute app/other: apiVersion example.com/v1 is not served for kind HTTPRoute (served: gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1)',
    ]);
  });

  it('resolves a duplicate as a second kubectl apply would: the later one, with a warning when they differ', () => {
    const dir = files({
      'a.yaml': `${ROUTE('web', '  hostnames: [a.example.com]\n')}---\n${ROUTE('same')}`,
      'b.yaml': `${ROUTE('web', '  hostnames: [b.example.com]\n')}---\n${ROUTE('same')}`,
    });
    const { input, warnings } = loadManifests([dir]);
    expect(input.httpRoutes.map((r) => [r.metadata.name, r.spec.hostnames])).toEqual([['web', ['b.example.com']], ['same', undefined]]);
    expect(rel(dir, warnings)).toEqual(['b.yaml:1: HTTPRoute app/web is also defined, differently, at a.yaml:1; the later definition is used, as a second kubectl apply would']);
  });

  it('reads YAML as kubectl does: 1.1 booleans, octal, merge keys, !!binary; timestamps stay strings', () => {
    const dir = files({
      'bool.yaml': ROUTE('yes-host', '  hostnames: [yes]\n'),
      'merge.yaml': ROUTE('merged', '  rules:\n  - backendRefs:\n    - &base {name: web, port: 80}\n    - <<: *base\n      weight: 0777\n'),
      'binary.yaml': ROUTE('bin', '  hostnames: [!!binary d3d3LmV4YW1wbGUuY29t]\n'),
      'stamp.yaml': ROUTE('stamp', '  hostnames: [2024-01-01.example.com]\n  rules:\n  - matches:\n    - headers: [{name: x, value: 2024-01-01}]\n'),
    });
    const { input, warnings } = loadManifests([dir]);
    const byName = Object.fromEntries(input.httpRoutes.map((r) => [r.metadata.name, r.spec]));
    expect(Object.keys(byName).sort()).toEqual(['bin', 'merged', 'stamp']);
    expect(byName.merged.rules![0].backendRefs).toEqual([{ name: 'web', port: 80 }, { name: 'web', port: 80, weight: 511 }]);
    expect(byName.bin.hostnames).toEqual(['www.example.com']);
    expect(byName.stamp.rules![0].matches![0].headers).toEqual([{ name: 'x', value: '2024-01-01' }]);
    expect(rel(dir, warnings)).toEqual([
      'bool.yaml:1: skipped HTTPRoute app/yes-host: the API server would refuse it: spec.hostnames[0]: true must be a string, not boolean',
    ]);
  });

  it('turns YAML that parses but cannot be converted into an error with file:line, never a crash', () => {
    const dir = files({ 'a.yaml': `a: &x 1\n---\n${ROUTE('web', '  rules:\n  - backendRefs:\n    - <<: *x\n')}` });
    expect(() => loadManifests([dir])).toThrow(/a\.yaml:\d+: /);
  });

  it('warns about unknown fields, which the API server drops', () => {
    const dir = files({ 'a.yaml': ROUTE('web', '  colour: red\n  rules:\n  - {backendRefs: [{name: web, port: 80, wieght: 5}]}\n') });
    const { input, warnings } = loadManifests([dir]);
    expect(input.httpRoutes[0].spec.rules![0].backendRefs).toEqual([{ name: 'web', port: 80 }]);
    expect(rel(dir, warnings)).toEqual(['a.yaml:1: HTTPRoute app/web: unknown fields spec.colour, spec.rules[0].backendRefs[0].wieght (the API server drops them)']);
  });

  it('translates everything with admission off (--no-admission)', () => {
    const dir = files({ 'a.yaml': ROUTE('neg', '  rules:\n  - backendRefs:\n    - {name: web, port: 80, weight: -1}\n') });
    const { input, warnings } = loadManifests([dir], {}, { admission: false });
    expect(input.httpRoutes).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});
