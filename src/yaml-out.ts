// YAML output of the CLI. The `yaml` library builds a node tree per document before printing it, which cost 12.7 s
// for the output of 10,000 HTTPRoutes. This writer prints plain JSON-like data (objects, arrays, strings, finite
// numbers, booleans, null) directly, byte for byte as `stringify(doc, YAML_OPTIONS)` does: the same block
// layout, the same plain-or-quoted decision (the library's own YAML 1.1 tag tests decide), and quoted strings from
// the library itself. Anything else in a document (multi-line or control-character strings, keys that need quoting,
// -0, NaN, undefined in arrays, …) sends that whole document to the library, so the output never differs.
import { Document, stringify, type ToStringOptions, type CreateNodeOptions, type DocumentOptions, type SchemaOptions } from 'yaml';

/** YAML 1.1 quoting so kubectl (YAML 1.1) never reads a header value like `on` as a boolean. */
export const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false };

class Unsupported extends Error {}

// Tags of the YAML 1.1 schema that would read a plain scalar as something other than a string (null, bool, int,
// float, timestamp, …), taken from the library so the decision is its decision.
const resolvingTags = (() => {
  const { schema } = new Document(null, YAML_OPTIONS);
  const tags = [...schema.tags, ...(schema.compat ?? [])] as { default?: boolean | string; tag: string; test?: RegExp }[];
  // `default: 'key'` (the merge key `<<`) applies to keys only: the library prints `<<` plain as a value.
  return tags.filter((t) => t.default === true && t.tag !== 'tag:yaml.org,2002:str' && t.test).map((t) => t.test as RegExp);
})();

// The library's plainString() rules for a one-line string: indicator characters first, ': ', ' #', trailing ' '
// or ':', a document marker at the start.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$|^(?:%|---|\.\.\.)/;
// Characters for which the library switches to double quotes, block scalars or folding.
const SPECIAL = /[\n\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;

// Most strings (names, kinds, API versions, hostnames) start with a letter and hold only [A-Za-z0-9_./-]: such a
// string is plain unless it is one of YAML 1.1's null or bool words, or a float like `e5` (YAML 1.1 floats need no
// digit before the exponent; other numbers, timestamps and .inf/.nan start otherwise). Strings starting with e/E
// take the full check.
const SIMPLE = /^[A-DF-Za-df-z][A-Za-z0-9_./-]*$/;
const WORDS_1_1 = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

const DOC_MARKER = /^(?:%|---|\.\.\.)/m;
const PRINTABLE_NO_QUOTE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const MEMO_LIMIT = 200_000;
const valueMemo = new Map<string, string>();
const keyMemo = new Map<string, boolean>();

function isPlain(s: string): boolean {
  return !NOT_PLAIN.test(s) && !resolvingTags.some((re) => re.test(s));
}

/** A string in value position: plain, or quoted as the library quotes it (one-line strings only). */
function scalarString(s: string): string {
  if (SIMPLE.test(s) && !WORDS_1_1.test(s)) return s;
  let out = valueMemo.get(s);
  if (out !== undefined) return out;
  // The library prints strings with a document marker (%, ---, ...) differently by depth: its call.
  if (SPECIAL.test(s) || DOC_MARKER.test(s)) throw new Unsupported();
  // Not plain: the library double-quotes a string without '"' (JSON escaping; with printable ASCII and no '\'
  // that is just the quotes, and lineWidth 0 never folds). Timestamps are the common case.
  out = isPlain(s) ? s : PRINTABLE_NO_QUOTE.test(s) ? `"${s}"` : stringify(s, YAML_OPTIONS).slice(0, -1);
  if (out.includes('\n')) throw new Unsupported();
  if (valueMemo.size > MEMO_LIMIT) valueMemo.clear();
  valueMemo.set(s, out);
  return out;
}

// Keys are few and repeat in every document (property names, their hashes cached by V8): the memo is
// looked up first, cheaper than the two pattern tests it saves.
function key(k: string): string {
  let plain = keyMemo.get(k);
  if (plain === undefined) {
    plain = (SIMPLE.test(k) && !WORDS_1_1.test(k)) || (k.length > 0 && k.length < 1000 && !SPECIAL.test(k) && isPlain(k));
    if (keyMemo.size > MEMO_LIMIT) keyMemo.clear();
    keyMemo.set(k, plain);
  }
  if (!plain) throw new Unsupported();
  return k;
}

/** A scalar, `{}` or `[]` on the same line; undefined for a non-empty collection. */
function inline(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string': return scalarString(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v) || Object.is(v, -0)) throw new Unsupported();
      return JSON.stringify(v);
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) throw new Unsupported();
      for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return undefined;
      return '{}';
    default:
      throw new Unsupported();
  }
}

function writeMap(o: Record<string, unknown>, indent: string, out: string[], firstPrefix: string): void {
  let prefix = firstPrefix;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    const s = inline(v);
    if (s !== undefined) out.push(`${prefix}${key(k)}: ${s}\n`);
    else if (Array.isArray(v)) { out.push(`${prefix}${key(k)}:\n`); writeSeq(v, `${indent}  `, out, `${indent}  `); }
    else { out.push(`${prefix}${key(k)}:\n`); writeMap(v as Record<string, unknown>, `${indent}  `, out, `${indent}  `); }
    prefix = indent;
  }
}

function writeSeq(a: unknown[], indent: string, out: string[], firstPrefix: string): void {
  let prefix = firstPrefix;
  for (const v of a) {
    if (v === undefined) throw new Unsupported();
    const s = inline(v);
    if (s !== undefined) out.push(`${prefix}- ${s}\n`);
    else if (Array.isArray(v)) writeSeq(v, `${indent}  `, out, `${prefix}- `);
    else writeMap(v as Record<string, unknown>, `${indent}  `, out, `${prefix}- `);
    prefix = indent;
  }
}

/** One document as `stringify(doc, YAML_OPTIONS)` prints it. */
export function documentToYAML(doc: object): string {
  try {
    const s = inline(doc);
    if (s !== undefined) return `${s}\n`;
    const out: string[] = [];
    if (Array.isArray(doc)) writeSeq(doc, '', out, '');
    else writeMap(doc as Record<string, unknown>, '', out, '');
    return out.join('');
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    return stringify(doc, YAML_OPTIONS);
  }
}

/** Documents joined by `---` lines, each written to `write` as soon as it is printed. */
export async function writeYAMLStream(docs: Iterable<object>, write: (chunk: string) => void | Promise<void>): Promise<void> {
  let first = true;
  let buffer = '';
  for (const d of docs) {
    buffer += first ? documentToYAML(d) : `---\n${documentToYAML(d)}`;
    first = false;
    // Batches of ~64 KiB: one write per document would spend more time in write calls than in printing.
    if (buffer.length >= 65536) { await write(buffer); buffer = ''; }
  }
  if (buffer) await write(buffer);
}
