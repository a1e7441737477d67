// Manifests from files → the translator's input bundle. Multi-document YAML, directories read
// recursively; unknown kinds are reported, not fatal; unparseable YAML is an error with file:line.
// Block-style files are read by src/yaml-in.ts (fast); any other file by the `yaml` library, with the same result.
// Files are read as `kubectl apply` would read them, and what the API server would refuse is skipped with a
// warning naming file:line and field (src/admission, docs/offline-admission.md): an offline translation never
// shows a result the cluster could not have.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../translators/api/meta';
import { KUBECTL_YAML, parseFast } from './yaml-in';
import { admit, checkApiVersion } from './admission/validate';
import type { TranslationInput, TranslationOptions } from '../translators/input';
import { addToInput, emptyInput } from '../translators/input';
import { listOf } from '../translators/status/conditions';

export class ManifestError extends Error {
  constructor(public readonly file: string, public readonly line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
  }
}

export interface LoadResult {
  input: TranslationInput;
  warnings: string[];
}

export interface Parsed {
  objects: KubeObject[];
  /** `file:line` of each object's document, index for index. */
  origins: string[];
  warnings: string[];
}

/** Parse one YAML text into Kubernetes objects (`List` kinds are flattened). */
export function parseManifests(text: string, file: string): Parsed {
  const out: Parsed = { objects: [], origins: [], warnings: [] };
  const fast = parseFast(text);
  if (fast) {
    for (const d of fast) if (d.value !== null) collect(d.value, `${file}:${d.line}`, out);
    return out;
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...KUBECTL_YAML, lineCounter, prettyErrors: false });
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const err = doc.errors[0];
    if (err) throw new ManifestError(file, lineCounter.linePos(err.pos[0]).line, err.message.split('\n')[0]);
    const line = doc.contents ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    let value: unknown;
    try {
      value = decodeBinary(doc.toJS({ maxAliasCount: 100 }));
    } catch (e) {
      // Parsed but not convertible (a merge of a non-map, too many aliases): kubectl refuses these too.
      throw new ManifestError(file, line, (e as Error).message.split('\n')[0]);
    }
    if (value === null || value === undefined) continue;
    collect(value, `${file}:${line}`, out);
  }
  return out;
}

/** `!!binary` values as kubectl passes them on: the decoded bytes as UTF-8 text (invalid bytes become U+FFFD). */
function decodeBinary(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return v.map(decodeBinary);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeBinary(x)]));
  return v;
}

function collect(value: unknown, where: string, out: Parsed): void {
  const { objects, warnings } = out;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    warnings.push(`${where}: skipped a document that is not an object`);
    return;
  }
  const o = value as Partial<KubeObject> & { items?: unknown[] };
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
    for (const item of o.items) collect(item, where, out);
    return;
  }
  if (typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') {
    warnings.push(`${where}: skipped a document without apiVersion, kind and metadata.name`);
    return;
  }
  objects.push(o as KubeObject);
  out.origins.push(where);
}

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) return listFiles(full);
      return /\.(ya?ml|json)$/.test(entry) ? [full] : [];
    });
}

/** Objects read from files lack server-set fields the translator relies on; fill neutral ones. */
function normalise(o: KubeObject): KubeObject {
  const ns = ['Namespace', 'GatewayClass', 'MeshGatewayConfig', 'MeshGateway', 'CustomResourceDefinition'].includes(o.kind);
  const metadata = { ...o.metadata, generation: o.metadata.generation ?? 1 };
  if (!ns && !metadata.namespace) metadata.namespace = 'default';
  return { ...o, metadata };
}

export interface LoadOptions {
  /** Skip what the API server would refuse (default). false: translate it anyway (`--no-admission`). */
  admission?: boolean;
}

export function loadManifests(paths: string[], options: Partial<TranslationOptions> = {}, load: LoadOptions = {}): LoadResult {
  const checkAdmission = load.admission ?? true;
  const input = emptyInput(options);
  const warnings: string[] = [];
  // Later definitions of the same object replace earlier ones, as a second `kubectl apply` would.
  const admitted = new Map<string, { obj: KubeObject; where: string }>();
  for (const file of paths.flatMap(listFiles)) {
    const parsed = parseManifests(readFileSync(file, 'utf8'), file);
    warnings.push(...parsed.warnings);
    parsed.objects.forEach((raw, i) => {
      const where = parsed.origins[i];
      const obj = normalise(raw);
      const what = `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${String(obj.metadata.name)}`;
      const badVersion = checkAdmission ? checkApiVersion(obj) : undefined;
      if (badVersion) { warnings.push(`${where}: skipped ${what}: ${badVersion}`); return; }
      const verdict = checkAdmission ? admit(obj) : { errors: [], pruned: [], object: obj };
      if (verdict.errors.length > 0) {
        warnings.push(`${where}: skipped ${what}: the API server would refuse it: ${listOf(verdict.errors, '; ', 8)}`);
        return;
      }
      if (verdict.pruned.length > 0) warnings.push(`${where}: ${what}: unknown field${verdict.pruned.length > 1 ? 's' : ''} ${listOf(verdict.pruned, ', ', 8)} (the API server drops ${verdict.pruned.length > 1 ? 'them' : 'it'})`);
      const key = `${obj.apiVersion.split('/').slice(0, -1).join('/')}|${what}`;
      const earlier = admitted.get(key);
      if (earlier) {
        // An identical repeat is what kubectl reports as "unchanged": nothing to warn about.
        if (JSON.stringify(earlier.obj) !== JSON.stringify(verdict.object)) {
          warnings.push(`${where}: ${what} is also defined, differently, at ${earlier.where}; the later definition is used, as a second kubectl apply would`);
        }
        admitted.delete(key); // re-inserted: the input keeps file order of the definitions that count
      }
      admitted.set(key, { obj: verdict.object, where });
    });
  }
  for (const { obj, where } of admitted.values()) {
    if (!addToInput(input, obj)) warnings.push(`${where}: skipped ${obj.kind} ${obj.metadata.name}: meshgate does not read this kind`);
  }
  return { input, warnings };
}
