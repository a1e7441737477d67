// What the API server would do with an object read from a file, decided offline: is its apiVersion served
// for its kind, does it pass the structural schema of its CRD (types, enums, bounds, lengths, patterns, required
// fields), which fields would be pruned as unknown or null. CEL rules (x-kubernetes-validations) are not
// evaluated: the translator checks what it relies on itself. See docs/offline-admission.md.
import type { KubeObject } from '../../translators/api/meta';
import SCHEMAS from './schemas.json';

export interface Schema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface Verdict {
  /** Why the API server would refuse the object (empty: admitted). */
  errors: string[];
  /** Fields the API server would drop (unknown fields), as kubectl warns about them. */
  pruned: string[];
  /** The object as it would be stored: unknown fields and nulls pruned. */
  object: KubeObject;
}

const KINDS = (SCHEMAS as unknown as { kinds: Record<string, Record<string, Schema>> }).kinds;

/** Built-in kinds the loader reads, and the one version the API server serves for each. */
const BUILTIN: Record<string, string> = { Namespace: 'v1', Service: 'v1', Secret: 'v1', Deployment: 'apps/v1' };

/** Kind → group → served versions (sorted), for the CRD kinds. Read once per object: built once. */
const SERVED = new Map<string, Map<string, string[]>>();
for (const [gk, versions] of Object.entries(KINDS)) {
  const i = gk.lastIndexOf('/');
  const kind = gk.slice(i + 1);
  if (!SERVED.has(kind)) SERVED.set(kind, new Map());
  SERVED.get(kind)!.set(gk.slice(0, i), Object.keys(versions).sort());
}

/** undefined when the kind is not one this module knows (the loader decides about those). */
export function servedVersions(kind: string, group: string): string[] | undefined {
  if (BUILTIN[kind]) return group === (BUILTIN[kind].includes('/') ? BUILTIN[kind].split('/')[0] : '') ? [BUILTIN[kind].split('/').pop()!] : [];
  const byGroup = SERVED.get(kind);
  return byGroup === undefined ? undefined : byGroup.get(group) ?? [];
}

/** `group/version` split as the API server does: `v1` is the core group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** An error message when the apiVersion is not served for the kind, else undefined. */
export function checkApiVersion(obj: KubeObject): string | undefined {
  const { group, version } = splitApiVersion(obj.apiVersion);
  const served = servedVersions(obj.kind, group);
  if (served === undefined || served.includes(version)) return undefined;
  const expected = BUILTIN[obj.kind] ? [BUILTIN[obj.kind]]
    : Object.entries(KINDS).filter(([k]) => k.endsWith(`/${obj.kind}`)).flatMap(([k, vs]) => Object.keys(vs).map((v) => `${k.slice(0, k.lastIndexOf('/'))}/${v}`));
  return `apiVersion ${obj.apiVersion} is not served for kind ${obj.kind} (served: ${expected.sort().join(', ')})`;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The verdict for an object whose apiVersion is served (checkApiVersion returned undefined). */
export function admit(obj: KubeObject): Verdict {
  const errors: string[] = [];
  const pruned: string[] = [];
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    errors.push(`metadata.name: ${JSON.stringify(name)} is not a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'; at most 253 characters)`);
  }
  const ns = obj.metadata?.namespace;
  if (ns !== undefined && (typeof ns !== 'string' || ns.length > 63 || !DNS_LABEL.test(ns))) {
    errors.push(`metadata.namespace: ${JSON.stringify(ns)} is not a lowercase RFC 1123 label (a-z, 0-9, '-'; at most 63 characters)`);
  }
  const { group, version } = splitApiVersion(obj.apiVersion);
  const schema = rootSchema(`${group}/${obj.kind}`, version);
  if (!schema) return { errors, pruned, object: obj };
  // The object itself unless something was pruned; a copy keeps the keys in the author's order.
  const object = check(obj, schema, [], errors, pruned) as KubeObject;
  return { errors, pruned, object };
}

/** metadata (the API server's own) and status (reset on create): kept as written, not checked. */
const UNCHECKED: Schema = Object.freeze({ nullable: true });

const roots = new Map<string, Schema | undefined>();
/** The CRD's schema, with metadata and status UNCHECKED. */
function rootSchema(groupKind: string, version: string): Schema | undefined {
  const key = `${groupKind}/${version}`;
  if (!roots.has(key)) {
    const schema = KINDS[groupKind]?.[version];
    roots.set(key, schema && { ...schema, properties: { ...schema.properties, metadata: UNCHECKED, status: UNCHECKED } });
  }
  return roots.get(key);
}

/** A field path as a stack of keys and indices, rendered (`spec.rules[0].name`) only for a message. */
type Path = (string | number)[];
function render(path: Path): string {
  let out = '';
  for (const p of path) out = typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p;
  return out || '<root>';
}
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v) : JSON.stringify(v));
const patterns = new Map<string, RegExp | null>();
function pattern(p: string): RegExp | null {
  if (!patterns.has(p)) {
    try { patterns.set(p, new RegExp(p, 'u')); } catch { patterns.set(p, null); }
  }
  return patterns.get(p)!;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Checks `v` against `s`; returns it with unknown fields and non-nullable nulls pruned. */
function check(v: unknown, s: Schema, path: Path, errors: string[], pruned: string[]): unknown {
  if (s === UNCHECKED) return v;
  const at = () => render(path);
  if (s['x-kubernetes-int-or-string']) {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) errors.push(`${at()}: ${show(v)} must be an integer or a string`);
    return v;
  }
  if (s.type) {
    const t = typeOf(v);
    const fits = t === s.type || (s.type === 'number' && t === 'integer');
    if (!fits) {
      errors.push(`${at()}: ${show(v)} must be ${s.type === 'integer' || s.type === 'array' || s.type === 'object' ? 'an' : 'a'} ${s.type}, not ${t === 'object' ? 'an object' : t}`);
      return v;
    }
  }
  if (s.enum && !s.enum.some((e) => e === v)) errors.push(`${at()}: ${show(v)} is not one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if (typeof v === 'number') checkNumber(v, s, at, errors);
  if (typeof v === 'string') checkString(v, s, at, errors);
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) errors.push(`${at()}: has ${v.length} items, at least ${s.minItems} required`);
    if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(`${at()}: has ${v.length} items, at most ${s.maxItems} allowed`);
    if (!s.items) return v;
    // Copied only where something was pruned: most objects pass through unchanged.
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      const x = check(v[i], s.items, path, errors, pruned);
      path.pop();
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (typeof v === 'object' && v !== null) return checkObject(v as Record<string, unknown>, s, path, errors, pruned);
  return v;
}

function checkNumber(v: number, s: Schema, at: () => string, errors: string[]): void {
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) errors.push(`${at()}: ${v} must be ${s.exclusiveMinimum ? 'greater than' : 'at least'} ${s.minimum}`);
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) errors.push(`${at()}: ${v} must be ${s.exclusiveMaximum ? 'less than' : 'at most'} ${s.maximum}`);
}

function checkString(v: string, s: Schema, at: () => string, errors: string[]): void {
  // The API server counts characters (runes), not UTF-16 units.
  const n = s.minLength !== undefined || s.maxLength !== undefined ? [...v].length : 0;
  if (s.minLength !== undefined && n < s.minLength) errors.push(`${at()}: ${show(v)} is shorter than ${s.minLength} characters`);
  if (s.maxLength !== undefined && n > s.maxLength) errors.push(`${at()}: is ${n} characters long, at most ${s.maxLength} allowed`);
  const re = s.pattern === undefined ? null : pattern(s.pattern);
  if (re && !re.test(v)) errors.push(`${at()}: ${show(v)} does not match ${s.pattern}`);
}

function checkObject(v: Record<string, unknown>, s: Schema, path: Path, errors: string[], pruned: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const x = v[k];
    const sub = s.properties?.[k] ?? s.additionalProperties;
    // Nulls in fields that are not nullable are pruned before validation, as the API server does.
    if (x === null && !sub?.nullable) { changed = true; continue; }
    if (!sub) {
      if (s['x-kubernetes-preserve-unknown-fields']) out[k] = x;
      else { pruned.push(render([...path, k])); changed = true; }
      continue;
    }
    path.push(k);
    const y = check(x, sub, path, errors, pruned);
    path.pop();
    if (y !== x) changed = true;
    out[k] = y;
  }
  for (const r of s.required ?? []) if (!(r in out)) errors.push(`${render([...path, r])}: required`);
  const count = s.minProperties !== undefined || s.maxProperties !== undefined ? Object.keys(out).length : 0;
  if (s.minProperties !== undefined && count < s.minProperties) errors.push(`${render(path)}: has ${count} fields, at least ${s.minProperties} required`);
  if (s.maxProperties !== undefined && count > s.maxProperties) errors.push(`${render(path)}: has ${count} fields, at most ${s.maxProperties} allowed`);
  return changed ? out : v;
}
