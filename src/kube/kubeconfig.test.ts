// The kubeconfig fast path (plainConnection) gives what client-node gives, or steps aside.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientNodeConnection, plainConnection } from './kubeconfig';

const dir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-kubeconfig-'));
const b64 = (s: string) => Buffer.from(s).toString('base64');
const write = (name: string, text: string) => { const f = path.join(dir, name); writeFileSync(f, text); return f; };
const config = (cluster: string, user: string, extra = '') => `apiVersion: v1
kind: Config
current-context: here
contexts:
- name: elsewhere
  context: { cluster: other, user: other }
- name: here
  context: { cluster: c, user: u, namespace: ns }
clusters:
- name: other
  cluster: { server: 'https://other:6443' }
- name: c
  cluster: ${cluster}
users:
- name: other
  user: { token: nope }
- name: u
  user: ${user}
${extra}`;
mkdirSync(path.join(dir, 'pki'));
write('pki/ca.crt', 'CA FILE');
write('pki/client.crt', 'CERT FILE');
write('pki/client.key', 'KEY FILE');

describe('plainConnection: the same as client-node', () => {
  it.each([
    ['inline certificates and CA', `{ server: 'https://127.0.0.1:6443', certificate-authority-data: ${b64('CA')} }`, `{ client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')} }`],
    ['files relative to the kubeconfig, a static token, a trailing slash', `{ server: 'https://api.example:443/', certificate-authority: pki/ca.crt }`, '{ client-certificate: pki/client.crt, client-key: pki/client.key, token: abc }'],
    ['insecure-skip-tls-verify and a token', `{ server: 'https://10.0.0.1', insecure-skip-tls-verify: true }`, '{ token: t0k }'],
    ['no credentials at all', `{ server: 'https://localhost:6443' }`, '{}'],
  ])('%s', async (_name, cluster, user) => {
    const f = write(`${_name.replace(/\W+/g, '-')}.yaml`, config(cluster, user));
    const plain = plainConnection(f, {});
    expect(plain).toBeDefined();
    expect(plain).toEqual(await clientNodeConnection(f));
  }, 30_000);
});

describe('plainConnection: steps aside for client-node', () => {
  it.each([
    ['an exec plugin', `{ server: 'https://x' }`, '{ exec: { command: aws, apiVersion: client.authentication.k8s.io/v1 } }'],
    ['an auth provider', `{ server: 'https://x' }`, '{ auth-provider: { name: oidc } }'],
    ['a proxy', `{ server: 'https://x', proxy-url: 'http://proxy:3128' }`, '{ token: t }'],
    ['a TLS server name', `{ server: 'https://x', tls-server-name: api }`, '{ token: t }'],
    ['plain http (client-node refuses it without insecure-skip-tls-verify)', `{ server: 'http://localhost:8080' }`, '{}'],
    ['basic auth', `{ server: 'https://x' }`, '{ username: a, password: b }'],
  ])('%s', (_name, cluster, user) => {
    expect(plainConnection(write(`aside-${_name.replace(/\W+/g, '-')}.yaml`, config(cluster, user)), {})).toBeUndefined();
  });

  it('several files in KUBECONFIG (merged by client-node), a missing current context, a missing file', () => {
    const f = write('one.yaml', config(`{ server: 'https://x' }`, '{ token: t }'));
    expect(plainConnection(undefined, { KUBECONFIG: `${f}${path.delimiter}${f}` })).toBeUndefined();
    expect(plainConnection(undefined, { KUBECONFIG: f })).toMatchObject({ server: 'https://x' });
    expect(plainConnection(write('no-ctx.yaml', config(`{ server: 'https://x' }`, '{}').replace('current-context: here', 'current-context: gone')), {})).toBeUndefined();
    expect(plainConnection(path.join(dir, 'absent.yaml'), {})).toBeUndefined();
  });

  it('the in-cluster service account (as client-node: IPv6 in brackets; port 8080 means http, which client-node refuses), else nothing', () => {
    const sa = path.join(dir, 'sa');
    mkdirSync(sa);
    expect(plainConnection(undefined, { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, sa)).toBeUndefined(); // no token
    writeFileSync(path.join(sa, 'token'), 'sa-token');
    writeFileSync(path.join(sa, 'ca.crt'), 'SA CA');
    expect(plainConnection(undefined, { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, sa))
      .toEqual({ server: 'https://[fd00::1]:443', ca: Buffer.from('SA CA'), headers: { Authorization: 'Bearer sa-token' } });
    expect(plainConnection(undefined, { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '8080' }, sa)).toBeUndefined();
    expect(plainConnection(undefined, {}, sa)).toBeUndefined();
  });
});
