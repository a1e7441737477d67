// THE one place where Secret contents are removed before anything leaves meshgate except through
// the writer (CLI output, GUI, logs). Secrets are rebuilt from an allow-list (not a deny-list), so
// fields added later cannot leak; what remains says which keys exist, never their values.
import type { KubeObject, ObjectMeta } from '../translators/api/meta';

/** The annotation kubectl writes holds the whole object, data included. */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

export interface RedactedSecret extends KubeObject {
  kind: 'Secret';
  type?: string;
  /** Names of the keys in `data`/`stringData`, never their values. */
  dataKeys: string[];
}

type SecretLike = KubeObject & { data?: unknown; stringData?: unknown; type?: unknown };

export function isSecret(o: unknown): o is SecretLike {
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

/** The allow-listed Secret: identity, metadata, type and the names of its keys. */
export function redactSecret(s: SecretLike): RedactedSecret {
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

/**
 * The CLI's form of the same redaction: a Secret that still reads as a Secret manifest, each
 * data key's value replaced by its size.
 */
export function redactSecrets<T extends KubeObject>(o: T): T {
  if (!isSecret(o)) return o;
  const { dataKeys: _k, ...safe } = redactSecret(o);
  const sizes = (m: unknown) => (m && typeof m === 'object'
    ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, `<redacted: ${typeof v === 'string' ? v.length : 0} bytes>`]))
    : undefined);
  const data = sizes(o.data);
  const stringData = sizes(o.stringData);
  return { ...safe, ...(data ? { data } : {}), ...(stringData ? { stringData } : {}) } as unknown as T;
}
