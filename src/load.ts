// Manifests from files → the translator's input bundle. Multi-document YAML, directories read
// recursively; unknown kinds are reported, not fatal; unparseable YAML is an error with file:line.
// Block-style files are read by src/yaml-in.ts (fast); any other file by the `yaml` library, with the same result.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../translators/api/meta';
import { parseFast } from './yaml-in';
import type { TranslationInput, TranslationOptions } from '../translators/input';
import { addToInput, emptyInput } from '../translators/input';

export class ManifestError extends Error {
  constructor(public readonly file: string, public readonly line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
  }
}

export interface LoadResult {
  input: TranslationInput;
  warnings: string[];
}

/** Parse one YAML text into Kubernetes objects (`List` kinds are flattened). */
export function parseManifests(text: string, file: string): { objects: KubeObject[]; warnings: string[] } {
  const fast = parseFast(text);
  if (fast) {
    const objects: KubeObject[] = [];
    const warnings: string[] = [];
    for (const d of fast) if (d.value !== null) collect(d.value, `${file}:${d.line}`, objects, warnings);
    return { objects, warnings };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const objects: KubeObject[] = [];
  const warnings: string[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const err = doc.errors[0];
    if (err) throw new ManifestError(file, lineCounter.linePos(err.pos[0]).line, err.message.split('\n')[0]);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const line = doc.contents ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    collect(value, `${file}:${line}`, objects, warnings);
  }
  return { objects, warnings };
}

function collect(value: unknown, where: string, objects: KubeObject[], warnings: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    warnings.push(`${where}: skipped a document that is not an object`);
    return;
  }
  const o = value as Partial<KubeObject> & { items?: unknown[] };
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
    for (const item of o.items) collect(item, where, objects, warnings);
    return;
  }
  if (typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') {
    warnings.push(`${where}: skipped a document without apiVersion, kind and metadata.name`);
    return;
  }
  objects.push(o as KubeObject);
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

export function loadManifests(paths: string[], options: Partial<TranslationOptions> = {}): LoadResult {
  const input = emptyInput(options);
  const warnings: string[] = [];
  for (const file of paths.flatMap(listFiles)) {
    const parsed = parseManifests(readFileSync(file, 'utf8'), file);
    warnings.push(...parsed.warnings);
    for (const obj of parsed.objects) {
      if (!addToInput(input, normalise(obj))) warnings.push(`${file}: skipped ${obj.kind} ${obj.metadata.name}: meshgate does not read this kind`);
    }
  }
  return { input, warnings };
}
