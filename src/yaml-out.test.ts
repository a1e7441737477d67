// The YAML writer prints exactly what the yaml library prints (the CLI's output must not change), for documents
// it handles itself and for those it hands to the library.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { documentToYAML, writeYAMLStream, YAML_OPTIONS } from './yaml-out';

// Strings that exercise every quoting rule: indicators, ': ', ' #', YAML 1.1 bools/nulls/numbers/timestamps,
// document markers, spaces at the ends, non-ASCII, newlines and control characters.
const tricky = fc.oneof(
  fc.constantFrom('', 'y', 'yes', 'on', 'Off', 'NO', '~', 'null', 'true', '<<', '0x1F', '0o17', '1_000', '1:20', '.inf', '.nan', '-1.5e3',
    '2024-01-01', '2024-01-01T00:00:00Z', '---', '...', '%x', '*.example.com', '&a', '!tag', '- a', '-a', '? x', 'a: b', 'a:b', 'a #b', 'a#b',
    ' lead', 'trail ', 'x:', '"q"', "'s'", '[a]', '{a}', 'é', 'line\nbreak', 'tab\there', 'bell\u0007', 'kuma.io/service', 'route-1', '8080'),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/),
);
const scalar = fc.oneof(tricky, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
const doc = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(tricky, fc.constantFrom('apiVersion', 'kind', 'metadata', 'spec')), fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
})).object;

describe('documentToYAML', () => {
  it('prints what yaml.stringify prints, for any JSON-like document', () => {
    fc.assert(fc.property(doc, (d) => { expect(documentToYAML(d)).toBe(stringify(d, YAML_OPTIONS)); }), { numRuns: 3000 });
  });

  it('prints a Kubernetes object with nested maps, sequences of maps and sequences, empty collections', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'demo', labels: {}, annotations: { 'kuma.io/service': 'on' } },
      spec: { hostnames: ['*.example.com', 'a.example.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 8080, weight: 0.5 }] }], parentRefs: [], nested: [[1, 2], [], [{}]] },
      status: { message: 'Route accepted: all good #1', ts: '2024-01-01T00:00:00Z', nothing: null },
    };
    const out = documentToYAML(route);
    expect(out).toBe(stringify(route, YAML_OPTIONS));
    expect(out).toContain("kuma.io/service: \"on\"\n");
    expect(out).toContain('  hostnames:\n    - "*.example.com"\n');
  });

  it('streams documents separated by ---, in chunks', async () => {
    const docs = Array.from({ length: 3000 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { k: 'v'.repeat(40) } }));
    const chunks: string[] = [];
    await writeYAMLStream(docs, (c) => { chunks.push(c); });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(docs.map((d) => stringify(d, YAML_OPTIONS)).join('---\n'));
  });
});

describe('documentToYAML, merge key', () => {
  // `<<` resolves to the merge tag only as a key; as a value the library prints it plain.
  it.each([[{ a: '<<' }], [{ a: ['<<'] }], [{ '<<': 1 }], [{ '<<': '<<' }]])('prints %j as the library does', (d) => {
    expect(documentToYAML(d)).toBe(stringify(d, YAML_OPTIONS));
  });
});
