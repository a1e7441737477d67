// Fast reading of block-style manifests. The `yaml` library's parseAllDocuments() builds a concrete syntax tree
// and a node tree before toJS(); that took 8.7 s for a file of 10,000 HTTPRoutes. Most manifests (everything
// `kubectl get -o yaml`, Helm and yaml.stringify print) use a small part of YAML: block mappings and sequences,
// one-line plain or quoted scalars, comments, `---`. This reader handles exactly that part and returns undefined
// for anything else (flow collections other than [] and {}, block scalars, multi-line scalars, anchors, aliases,
// tags, directives, tabs, CR line ends, duplicate keys, non-string keys, …): the caller then parses the whole
// file with the library, so the result, the errors and their line numbers are always the library's.
// Plain scalars are resolved as kubectl reads them (KUBECTL_YAML, below), by the library's own tags.
import { Document, isScalar, type DocumentOptions, type ParseOptions, type ScalarTag, type SchemaOptions } from 'yaml';

/**
 * kubectl reads manifests with go-yaml v2 (through sigs.k8s.io/yaml): YAML 1.1, so `yes`/`no`/`on`/`off`/`y`/`n`
 * are booleans, `0777` is octal and `<<` merges keys; timestamps and `1:30` stay strings (go-yaml gives strings
 * for them when the target is untyped), and `!!binary` becomes the decoded text (see decodeBinary in load.ts).
 * The `yaml` library's 1.1 schema without those two tags reads the same.
 */
export const KUBECTL_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => tags
    .filter((t) => !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME')))
    // The library's 1.1 exponent form also matches `e3` (NaN); go-yaml wants a digit before the exponent.
    .map((t) => (typeof t === 'object' && t.tag === 'tag:yaml.org,2002:float' && t.format === 'EXP' ? { ...(t as ScalarTag), test: /^[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)[eE][-+]?[0-9]+$/ } : t)),
};

export interface FastDocument {
  /** The document's value (null for an empty document). */
  value: unknown;
  /** 1-based line of the document's first content, as the library's `doc.contents.range[0]` gives. */
  line: number;
}

class Unsupported extends Error {}
const unsupported = (): never => { throw new Unsupported(); };

type Tag = { default?: boolean | string; test?: RegExp; resolve: (s: string, onError: (m: string) => void, o: object) => unknown };
const CORE_TAGS = (new Document(null, KUBECTL_YAML).schema.tags as unknown as Tag[]).filter((t) => t.default === true && t.test);
const RESOLVE_OPTIONS = { intAsBigInt: false };
// Plain scalars starting with a letter that YAML 1.1 does not read as strings (null and bool words).
const WORDS = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$/;

// First characters of the plain scalars some YAML 1.1 tag reads as other than a string: numbers (digits, signs,
// '.'), '~' (null) and letters (the null and bool words). A scalar starting otherwise (`/api`, `*.example.com`
// never reaches here: '*' is an alias) is a string; yaml-in.test.ts checks this against the library's tags.
const MAY_RESOLVE = new Uint8Array(128);
for (const ch of '0123456789+-.~') MAY_RESOLVE[ch.charCodeAt(0)] = 1;

function resolvePlain(s: string): unknown {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  // A string that starts with a letter is a string, unless it is one of the null/bool words.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return WORDS.test(s) ? resolveTagged(s) : s;
  if (c < 128 && MAY_RESOLVE[c] === 0) return s;
  return resolveTagged(s);
}

function resolveTagged(s: string): unknown {
  const tag = CORE_TAGS.find((t) => t.test!.test(s));
  if (!tag) return s;
  let failed = false;
  const r = tag.resolve(s, () => { failed = true; }, RESOLVE_OPTIONS);
  const v = isScalar(r) ? r.value : r; // bool resolves to a Scalar node
  if (failed || (typeof v === 'object' && v !== null)) unsupported();
  return v;
}

const DQ_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };

/** A scalar written on one line from `s` (trimmed at the start): its value. */
function scalar(s: string): unknown {
  const c = s[0];
  if (c === '"' || c === "'") {
    // The usual quoted scalar has no escape and nothing after its closing quote.
    const close = s.indexOf(c, 1);
    if (close === s.length - 1 && (c === "'" || !s.includes('\\'))) return s.slice(1, close);
    let out = '';
    let i = 1;
    for (;;) {
      if (i >= s.length) unsupported(); // continues on the next line
      const ch = s[i];
      if (c === "'" && ch === "'") {
        if (s[i + 1] === "'") { out += "'"; i += 2; continue; }
        break;
      }
      if (c === '"' && ch === '"') break;
      if (c === '"' && ch === '\\') {
        const e = s[i + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) { out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16)); i += 6; continue; }
        const r = DQ_ESCAPES[e];
        if (r === undefined) unsupported();
        out += r; i += 2; continue;
      }
      out += ch; i++;
    }
    const rest = s.slice(i + 1);
    if (rest !== '' && !/^[ \t]+#/.test(rest)) unsupported();
    return out;
  }
  const text = s.includes('#') ? stripComment(s) : s;
  if (text === '[]') return [];
  if (text === '{}') return {};
  // Indicators that start something other than a plain scalar, or a plain scalar this reader leaves alone.
  if (NOT_PLAIN_START.test(text) || (text.includes(':') && /:(\s|$)/.test(text)) || text.includes('\t')) unsupported();
  return resolvePlain(text);
}

const NOT_PLAIN_START = /^(?:[[\]{},#&*!|>%@`?:]|-(?:\s|$))/;

function stripComment(s: string): string {
  const i = s.search(/[ \t]#/);
  return i >= 0 ? s.slice(0, i).replace(/[ \t]+$/, '') : s;
}

interface Line { indent: number; text: string; no: number }

const KEY_START_INDICATOR = /^[[\]{},#&*!|>%@`?:"'-]/;

/** `key: value` at the start of `text`: the key and where the value starts, or undefined when `text` is not a
 *  mapping entry. */
function entry(text: string): { key: string; at: number } | undefined {
  let key: string;
  let colon: number;
  if (text[0] === '"' || text[0] === "'") {
    const close = text.indexOf(text[0], 1);
    if (close < 0) unsupported();
    if (text[close + 1] !== ':' || !(close + 2 === text.length || text[close + 2] === ' ')) return undefined;
    if (text.slice(1, close).includes('\\') || (text[0] === "'" && text[close + 1] === "'")) unsupported();
    key = text.slice(1, close);
    if (key === '__proto__') unsupported(); // an own key, not the prototype: the library's job
    colon = close + 1;
  } else {
    colon = text.indexOf(':');
    while (colon >= 0 && colon + 1 < text.length && text.charCodeAt(colon + 1) !== 32) colon = text.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
    key = text.slice(0, colon);
    if (KEY_START_INDICATOR.test(key) || key.includes('#') || key.includes('\t') || key.charCodeAt(key.length - 1) === 32) unsupported();
    const k = resolvePlain(key);
    if (typeof k !== 'string' || k === '__proto__' || k === '<<') unsupported();
  }
  let at = colon + 1;
  while (text.charCodeAt(at) === 32) at++;
  return { key, at };
}

class Reader {
  i = 0;
  constructor(private readonly lines: Line[]) {}

  private peek(): Line | undefined { return this.lines[this.i]; }

  /** A block node whose first line is the current line, at exactly `indent`. */
  node(indent: number): unknown {
    const l = this.peek()!;
    if (l.text === '-' || l.text.startsWith('- ')) return this.seq(indent);
    const e = l.text.includes(':') ? entry(l.text) : undefined;
    if (e) return this.map(indent, e);
    this.i++;
    const v = scalar(l.text);
    this.after(indent);
    return v;
  }

  /** After a one-line value: a following line indented deeper would continue it (not handled here). */
  private after(indent: number): void {
    const n = this.peek();
    if (n && n.indent > indent) unsupported();
  }

  /** The value after `key:` or `-` when nothing follows on the line: the block below, or null. */
  private below(indent: number, seqAtSameIndent: boolean): unknown {
    const n = this.peek();
    if (n && n.indent > indent) return this.node(n.indent);
    if (n && seqAtSameIndent && n.indent === indent && (n.text === '-' || n.text.startsWith('- '))) return this.seq(indent);
    return null;
  }

  /** A block mapping; `first` is the entry of its first line when the caller has parsed it already. */
  private map(indent: number, first?: { key: string; at: number }): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let l = this.peek(); l && l.indent >= indent; l = this.peek()) {
      if (l.indent > indent) unsupported();
      const e = first ?? entry(l.text);
      first = undefined;
      if (!e) unsupported();
      const { key, at } = e!;
      if (Object.prototype.hasOwnProperty.call(o, key)) unsupported(); // the library reports duplicate keys
      this.i++;
      if (at >= l.text.length || l.text.charCodeAt(at) === 35 /* # */) { o[key] = this.below(indent, true); continue; }
      o[key] = scalar(at === 0 ? l.text : l.text.slice(at));
      this.after(indent);
    }
    return o;
  }

  private seq(indent: number): unknown[] {
    const a: unknown[] = [];
    for (let l = this.peek(); l && l.indent >= indent; l = this.peek()) {
      if (l.indent > indent) unsupported();
      // A key at the indent of a sequence ends it (`key:\n- a\nnext: b`); anything else there is left to the library.
      if (!(l.text === '-' || l.text.startsWith('- '))) break;
      let k = 1;
      for (let c = l.text.charCodeAt(k); c === 32 || c === 9; c = l.text.charCodeAt(++k));
      const r = l.text.slice(k);
      if (r === '' || r[0] === '#') { this.i++; a.push(this.below(indent, false)); continue; }
      // `- key: v` / `- - v`: the rest of the line is the first line of a block node at its own column.
      const col = indent + k;
      const dash = r === '-' || r.startsWith('- ');
      const e = !dash && r.includes(':') ? entry(r) : undefined;
      if (dash || e) {
        this.lines[this.i] = { indent: col, text: r, no: l.no };
        a.push(e ? this.map(col, e) : this.node(col));
        continue;
      }
      this.i++;
      a.push(scalar(r));
      this.after(indent);
    }
    return a;
  }

  document(): unknown {
    const first = this.peek();
    if (!first) return null;
    const v = this.node(first.indent);
    if (this.peek()) unsupported(); // content at a smaller indent than the document's first line
    return v;
  }
}

/** The documents of `text`, or undefined when it uses YAML this reader leaves to the library. */
export function parseFast(text: string): FastDocument[] | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const docs: FastDocument[] = [];
  let lines: Line[] = [];
  const flush = () => {
    const value = new Reader(lines).document();
    docs.push({ value, line: lines[0]?.no ?? 1 });
    lines = [];
  };
  try {
    let start = 0;
    let no = 0;
    let sawMarker = false;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const lineStart = start;
      start = end + 1;
      no++;
      const c0 = text.charCodeAt(lineStart);
      if (c0 === 45 /* - */ || c0 === 46 /* . */ || c0 === 37 /* % */) {
        const raw = text.slice(lineStart, end);
        if (raw.startsWith('---') && (raw.length === 3 || /^---[ \t]+#/.test(raw) || /^---[ \t]*$/.test(raw))) {
          if (lines.length > 0 || sawMarker || docs.length > 0) flush();
          sawMarker = true;
          continue;
        }
        if (raw.startsWith('...') || raw.startsWith('%') || raw.startsWith('---')) return undefined;
      }
      let i = lineStart;
      while (text.charCodeAt(i) === 32) i++;
      const c = text.charCodeAt(i);
      if (i >= end || c === 35 /* # */) continue;
      if (c === 9 /* tab */) return undefined;
      let e = end;
      while (e > i && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
      lines.push({ indent: i - lineStart, text: text.slice(i, e), no });
    }
    if (lines.length > 0 || sawMarker) flush();
    return docs;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
