// THE one place where Secret contents are removed before anything reaches the browser.
// Every API response is built from the snapshot this returns; nothing else reads the source.
// Secrets are rebuilt from an allow-list (not a deny-list), so fields added later cannot leak.
import type { TranslationInput } from '../../translators/input';
import type { TranslationResult } from '../../translators/result';
import type { KubeObject, ObjectMeta } from '../../translators/api/meta';
import type { GuiSnapshot } from './types';

/** The annotation kubectl writes holds the whole object, data included. */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

export interface RedactedSecret extends KubeObject {
  kind: 'Secret';
  type?: string;
  /** Names of the keys in `data`/`stringData`, never their values. */
  dataKeys: string[];
}

function isSecret(o: unknown): o is KubeObject & { data?: unknown; stringData?: unknown; type?: unknown } {
  return typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'Secret';
}

function safeMeta(m: ObjectMeta | undefined): ObjectMeta {
  const meta = m ?? { name: '' };
  const out: ObjectMeta = { name: String(meta.name ?? '') };
  if (meta.namespace !== undefined) out.namespace = meta.namespace;
  if (meta.uid !== undefined) out.uid = meta.uid;
  if (meta.generation !== undefined) out.generation = meta.generation;
  if (meta.resourceVersion !== undefined) out.resourceVersion = meta.resourceVersion;
  if (meta.creationTimestamp !== undefined) out.creationTimestamp = meta.creationTimestamp;
  if (meta.deletionTimestamp !== undefined) out.deletionTimestamp = meta.deletionTimestamp;
  if (meta.labels) out.labels = { ...meta.labels };
  if (meta.annotations) {
    const a: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta.annotations)) if (!DROPPED_ANNOTATIONS.includes(k)) a[k] = v;
    out.annotations = a;
  }
  if (meta.ownerReferences) out.ownerReferences = meta.ownerReferences.map((r) => ({ ...r }));
  return out;
}

export function redactSecret(s: KubeObject & { data?: unknown; stringData?: unknown; type?: unknown }): RedactedSecret {
  const keys = new Set<string>();
  for (const field of [s.data, s.stringData]) {
    if (field && typeof field === 'object') for (const k of Object.keys(field)) keys.add(k);
  }
  const out: RedactedSecret = {
    apiVersion: String(s.apiVersion ?? 'v1'),
    kind: 'Secret',
    metadata: safeMeta(s.metadata),
    dataKeys: [...keys].sort(),
  };
  if (typeof s.type === 'string') out.type = s.type;
  return out;
}

/** Returns the object unchanged unless it is a Secret, which is replaced by its redacted form. */
export function redactObject<T>(o: T): T {
  return (isSecret(o) ? redactSecret(o) : o) as T;
}

function redactList<T>(list: T[] | undefined): T[] {
  return Array.isArray(list) ? list.map(redactObject) : [];
}

export function redactInput(input: TranslationInput): TranslationInput {
  const out = { ...input } as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(input)) if (Array.isArray(v)) out[k] = redactList(v);
  return out as unknown as TranslationInput;
}

export function redactResult(result: TranslationResult): TranslationResult {
  return { ...result, objects: redactList(result.objects), statuses: result.statuses ?? [], diagnostics: result.diagnostics ?? [] };
}

export function redactSnapshot(s: GuiSnapshot): GuiSnapshot {
  return { ...s, input: redactInput(s.input), result: redactResult(s.result) };
}
