// Test-only TLS fixtures (see README.md): `kubernetes.io/tls` Secrets built from the committed
// PEMs, for pure translator tests, goldens and e2e tests that create them in a real API server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Secret } from '../../api/meta';

/** valid: 100-year self-signed cert; mismatched: key of another cert; expired: 2000–2001; not-pem: garbage. */
export type CertFixture = 'valid' | 'mismatched' | 'expired' | 'not-pem';

const FILES: Record<CertFixture, { crt: string; key: string }> = {
  valid: { crt: 'valid.crt', key: 'valid.key' },
  mismatched: { crt: 'valid.crt', key: 'mismatched.key' },
  expired: { crt: 'expired.crt', key: 'expired.key' },
  'not-pem': { crt: 'not-pem.txt', key: 'not-pem.txt' },
};

/** The PEM (or garbage) text of one fixture file, e.g. `pem('valid.crt')`. */
export function pem(file: string): string {
  return readFileSync(join(__dirname, file), 'utf8');
}

/** A `kubernetes.io/tls` Secret named `namespace/name` holding the chosen fixture (base64 `data`). */
export function tlsSecret(namespace: string, name: string, which: CertFixture = 'valid'): Secret {
  const f = FILES[which];
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(pem(f.crt)).toString('base64'),
      'tls.key': Buffer.from(pem(f.key)).toString('base64'),
    },
  };
}
