// The Kuma control plane's CA that gateway proxies verify it with: the configured PEM, else
// `ca.crt` of Kuma's CA Secret in the system namespace when the bundle holds it. Read from the
// bundle only (the controller watches Secrets in the system namespace), never from disk.
import type { TranslationOptions } from './input';
import type { Snapshot } from './snapshot';

/** What Kuma's Helm chart mounts as the control plane's CA (`<release>-tls-cert`, release `kuma`). */
export const DEFAULT_CA_SECRET = 'kuma-tls-cert';

export function controlPlaneCASecretKey(options: TranslationOptions): string {
  return `${options.systemNamespace}/${options.controlPlaneCASecret ?? DEFAULT_CA_SECRET}`;
}

export function controlPlaneCA(snap: Snapshot): string | undefined {
  if (snap.options.controlPlaneCACert) return snap.options.controlPlaneCACert;
  const secret = snap.secrets.get(controlPlaneCASecretKey(snap.options));
  const b64 = secret?.data?.['ca.crt'];
  const pem = typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : secret?.stringData?.['ca.crt'];
  // Only a PEM certificate is passed on: anything else would stop kuma-dp ("could not add certificate").
  return typeof pem === 'string' && pem.includes('-----BEGIN CERTIFICATE-----') ? pem : undefined;
}
