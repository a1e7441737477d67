// The one redactor: no Secret value survives either form, and nothing outside the allow-list does.
import type { KubeObject } from '../translators/api/meta';
import { redactObject, redactSecrets } from './redact';

const secret = {
  apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
  metadata: { name: 'tls', namespace: 'app', labels: { a: 'b' }, annotations: { keep: 'me', 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"tls.key":"S0VZ"}}' }, managedFields: [{ manager: 'kubectl' }] },
  data: { 'tls.key': 'S0VZ', 'tls.crt': 'Q1JU' }, stringData: { note: 'plain' }, extra: { leaked: 'S0VZ' },
} as unknown as KubeObject;

describe('redaction', () => {
  it('the GUI form keeps identity, labels, type and key names only', () => {
    expect(redactObject(secret)).toEqual({
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', dataKeys: ['note', 'tls.crt', 'tls.key'],
      metadata: { name: 'tls', namespace: 'app', labels: { a: 'b' }, annotations: { keep: 'me' } },
    });
  });

  it('the CLI form is a Secret manifest whose values are replaced by their sizes', () => {
    expect(redactSecrets(secret)).toEqual({
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: { name: 'tls', namespace: 'app', labels: { a: 'b' }, annotations: { keep: 'me' } },
      data: { 'tls.key': '<redacted: 4 bytes>', 'tls.crt': '<redacted: 4 bytes>' }, stringData: { note: '<redacted: 5 bytes>' },
    });
  });

  it('neither form contains a value', () => {
    for (const out of [redactObject(secret), redactSecrets(secret)]) expect(JSON.stringify(out)).not.toMatch(/S0VZ|Q1JU|plain/);
  });

  it('other kinds pass unchanged', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } } as KubeObject;
    expect(redactObject(svc)).toBe(svc);
    expect(redactSecrets(svc)).toBe(svc);
  });
});
