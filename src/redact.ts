// Secret data never leaves meshgate except through the writer: one function strips it for every
// other consumer (CLI output, GUI, logs), leaving sizes so a user can still tell it is there.
import type { KubeObject, Secret } from '../translators/api/meta';

export function redactSecrets<T extends KubeObject>(o: T): T {
  if (o.kind !== 'Secret') return o;
  const s = o as unknown as Secret;
  const redact = (m?: Record<string, string>) =>
    m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, `<redacted: ${typeof v === 'string' ? v.length : 0} bytes>`]));
  const out: Secret = { ...s };
  if (s.data) out.data = redact(s.data);
  if (s.stringData) out.stringData = redact(s.stringData);
  return out as unknown as T;
}
