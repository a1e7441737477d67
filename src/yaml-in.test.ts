// The fast reader gives what the yaml library gives (values and the line of each document), or leaves the text
// to the library; and it does read the block style that kubectl, Helm and yaml.stringify print. Both read YAML
// as kubectl does (YAML 1.1: KUBECTL_YAML).
import fc from 'fast-check';
import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import { KUBECTL_YAML, parseFast } from './yaml-in';

function library(text: string): { value: unknown; line: number }[] | 'error' {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...KUBECTL_YAML, lineCounter });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) return 'error';
  return list.map((d) => ({ value: d.toJS(), line: d.contents ? lineCounter.linePos(d.contents.range[0]).line : 1 })).filter((d) => d.value !== null);
}
const fast = (text: string) => parseFast(text)?.filter((d) => d.value !== null);

const str = fc.oneof(
  fc.constantFrom('', 'y', 'on', 'null', '~', 'true', 'False', '0x1F', '0o17', '012', '1e3', 'e3', '.5', '-1', '+2', '.inf', '2024-01-01',
    '*.example.com', 'a: b', 'a:b', 'a #b', 'a#b', ' x', 'x ', '- a', '-a', '"q"', "it's", 'é', 'two\nlines', 'k8s.io/v1', '---', '...'),
  fc.string({ maxLength: 10 }),
  fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, str, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('a'), tie('o')),
  a: fc.array(tie('v'), { maxLength: 4 }),
  o: fc.dictionary(str, tie('v'), { maxKeys: 5 }),
})).o;
const options = fc.constantFrom({}, { indentSeq: false }, { lineWidth: 0 }, { version: '1.1' as const, lineWidth: 0 }, { indent: 4 }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { defaultStringType: 'QUOTE_SINGLE' as const }, { collectionStyle: 'flow' as const });

describe('parseFast', () => {
  it('reads documents printed by yaml.stringify as the library does, or leaves them to it', () => {
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), options, (docs, opts) => {
      const text = docs.map((d) => stringify(d, opts)).join('---\n');
      const f = fast(text);
      if (f !== undefined) expect(f).toEqual(library(text));
    }), { numRuns: 2000 });
  });

  it('reads the block style itself: plain, quoted and empty values, numbers, booleans, null, nesting', () => {
    const simple = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.stringMatching(/^[a-z*][a-z0-9 .:/*#-]{0,12}$/), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('a'), tie('o')),
      a: fc.array(tie('v'), { maxLength: 3 }),
      o: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9./-]{0,8}$/), tie('v'), { maxKeys: 4 }),
    })).o;
    let read = 0;
    fc.assert(fc.property(simple, fc.constantFrom({}, { indentSeq: false }), (d, opts) => {
      const text = stringify(d, opts);
      const f = fast(text);
      if (f !== undefined) { read++; expect(f).toEqual(library(text)); }
    }), { numRuns: 500 });
    expect(read).toBeGreaterThan(450); // only multi-line or flow output is left to the library
  });

  it('reads block-style Kubernetes manifests itself (comments, ---, quotes, compact sequences, [] and {})', () => {
    const text = `# a comment
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web   # trailing comment
  namespace: "demo"
  labels: {}
spec:
  parentRefs:
  - name: edge
    sectionName: 'http'
  hostnames: ["*.example.com"]
---
---
apiVersion: v1
kind: Service
metadata: {name: web}
`;
    expect(fast(text)).toBeUndefined(); // flow collections with content are the library's
    const block = text.replace('hostnames: ["*.example.com"]', 'hostnames:\n    - "*.example.com"\n    - a#b\n  port: 8080\n  weight: 0.5\n  \'on\': true').replace('metadata: {name: web}', 'metadata:\n  name: web\n  empty:');
    const f = fast(block);
    expect(f).toEqual(library(block));
    expect(f).toHaveLength(2);
    expect(f![0].line).toBe(2);
    expect(f![1].line).toBe(20);
    expect((f![0].value as { spec: Record<string, unknown> }).spec).toMatchObject({ hostnames: ['*.example.com', 'a#b'], port: 8080, weight: 0.5, on: true });
  });

  // YAML's white space is space and tab: a no-break space (or another Unicode space) is content, and '#' after it
  // starts no comment. The fast reader once trimmed any \s, and read these differently from the library.
  it('reads only space and tab as white space, as the library does', () => {
    for (const text of ['a: b\u00a0\n', 'a: b\u00a0# c\n', 'a: b \u00a0 #c\n', '- \u00a0x\n', 'a:\n- \u00a0\n', 'a: "q"\u00a0\n', '---\u00a0\na: 1\n', '---\u00a0#c\na: 1\n', 'a: b\u2003\n']) {
      const f = fast(text);
      if (f !== undefined) expect({ text, f }).toEqual({ text, f: library(text) }); // undefined: left to the library
    }
  });

  it('reads a plain scalar by its first character as the library does (strings need no tag test)', () => {
    for (let c = 0x21; c < 0x7f; c++) {
      for (const rest of ['', '1', '0', '.5', 'e3', 'x', '_1', ':x']) {
        const text = `k: ${String.fromCharCode(c)}${rest}\n`;
        const f = fast(text);
        if (f !== undefined) expect({ text, f }).toEqual({ text, f: library(text) });
      }
    }
  });

  it('leaves invalid or unusual YAML to the library', () => {
    for (const text of ["'__proto__': null\n", '"__proto__": {}\n', 'a: 1\na: 2\n', 'a: 1\n  b: 2\n', 'a:\n\tb: 1\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: |\n  x\n', 'a: b: c\n', 'a: "open\n  quote"\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\r\n', '- a\nb: 1\n', 'a: plain\n  continued\n', '? complex\n: key\n', '1: x\n']) {
      expect({ text, fast: parseFast(text) }).toEqual({ text, fast: undefined });
    }
  });
});
