// e2e support: fresh self-signed certificates (openssl CLI) and kubernetes.io/tls Secrets, for
// tests that rotate or create certificates at run time (static fixtures: translators/testdata/certs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem { crt: string; key: string }

/** A self-signed certificate for `hosts` (names or IP addresses), valid 30 days; `ec` keys are faster to make than RSA. */
export function freshCertificate(cn: string, hosts: string[], keyType: 'rsa' | 'ec' = 'rsa'): Pem {
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-cert-'));
  const key = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  try {
    execFileSync('openssl', [
      'req', '-x509', ...key, '-nodes', '-sha256', '-days', '30',
      '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-subj', `/CN=${cn}`,
      '-addext', `subjectAltName=${hosts.map((h) => `${isIP(h) ? 'IP' : 'DNS'}:${h}`).join(',')}`,
    ], { stdio: 'ignore' });
    return { crt: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function tlsSecretFrom(ns: string, name: string, pem: Pem): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(pem.crt).toString('base64'), 'tls.key': Buffer.from(pem.key).toString('base64') },
  };
}
