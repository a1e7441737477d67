// Issue 10 items 4 and 5: generated names are injective and Kuma's where Kuma's are unambiguous;
// TLS Secrets must be a PEM chain and one matching PEM key.
import { X509Certificate } from 'node:crypto';
import type { Secret } from './api/meta';
import { parentScopedRouteName, secretCopyName, serviceScopedRouteName } from './naming';
import { isServiceParent } from './snapshot';
import { pem } from './testdata/certs';
import { parseTLSSecret } from './tls-secret';

// Pieces whose '-'-joins coincide: (c, a-b) and (c-a, b) make the same Kuma name.
const PIECES = ['a', 'b', 'c', 'a-b', 'b-c', 'c-a', 'a-b-c', 'x.y'];
const NAMESPACES = PIECES.filter((p) => !p.includes('.'));

function expectInjective(label: string, pairs: [string, string][]): void {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const [source, name] of pairs) {
    const other = seen.get(name);
    if (other !== undefined && other !== source) clashes.push(`${label}: ${other} and ${source} -> ${name}`);
    seen.set(name, source);
  }
  expect(clashes).toEqual([]);
}

describe('generated names', () => {
  it('Secret copies: Kuma name for a dash-free namespace in mesh default, injective over meshes, namespaces and names', () => {
    expect(secretCopyName('default', 'c', 'a-b')).toBe('gapi-c-a-b');
    expect(secretCopyName('default', 'c-a', 'b')).toMatch(/^gapi-c-a-b-[0-9a-f]{8}$/);
    const pairs: [string, string][] = [];
    for (const mesh of ['default', 'm1', 'm-1']) for (const ns of NAMESPACES) for (const n of PIECES) pairs.push([`${mesh}:${ns}/${n}`, secretCopyName(mesh, ns, n)]);
    expectInjective('secret copies', pairs);
  });

  it("Gateway routes: Kuma's name with an 8-digit hash (leading zeros kept), injective over route namespaces and names", () => {
    const parent = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'app', name: 'gw', sectionName: 'http' };
    // FNV-1 of this parentRef is 0x0000a5d2: Go's %x of the 4-byte digest prints 0000a5d2.
    expect(parentScopedRouteName('app', 'empty', parent)).toBe('empty-app-0000a5d2');
    expect(parentScopedRouteName('c', 'a-b', parent)).toBe('a-b-c-0000a5d2');
    expect(parentScopedRouteName('b-c', 'a', parent)).toMatch(/^a-b-c-[0-9a-f]{8}-0000a5d2$/);
    const pairs: [string, string][] = [];
    for (const ns of NAMESPACES) for (const n of PIECES) pairs.push([`${ns}/${n}`, parentScopedRouteName(ns, n, parent)]);
    expectInjective('gateway routes', pairs);
  });

  it('GAMMA routes: Kuma name kept when unambiguous, injective over route and Service namespaces and names', () => {
    expect(serviceScopedRouteName('c', 'a-b', 'c', 'web')).toBe('a-b-c-web.c');
    expect(serviceScopedRouteName('b-c', 'a', 'c', 'web')).toMatch(/^a-b-c-web\.c-[0-9a-f]{8}$/);
    const pairs: [string, string][] = [];
    for (const ns of NAMESPACES) for (const n of PIECES) for (const sns of ['c', 'c-a']) for (const svc of ['web', 'a-b', 'b']) {
      pairs.push([`${ns}/${n} -> ${sns}/${svc}`, serviceScopedRouteName(ns, n, sns, svc)]);
    }
    expectInjective('GAMMA routes', pairs);
  });

  it('a Service parent may have group "" or gateway.networking.k8s.io (Kuma 2.14), not another group', () => {
    expect(isServiceParent({ name: 's', kind: 'Service', group: '' })).toBe(true);
    expect(isServiceParent({ name: 's', kind: 'Service', group: 'gateway.networking.k8s.io' })).toBe(true);
    expect(isServiceParent({ name: 's', kind: 'Service', group: 'example.com' })).toBe(false);
  });
});

const secret = (crt: string | Buffer, key: string): Secret => ({
  apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 's', namespace: 'app' },
  data: { 'tls.crt': Buffer.from(crt).toString('base64'), 'tls.key': Buffer.from(key).toString('base64') },
});

describe('TLS Secrets must be a PEM chain and one matching PEM key', () => {
  const crt = pem('valid.crt');
  const key = pem('valid.key');
  const cases: [string, Secret, RegExp][] = [
    ['DER certificate', secret(new X509Certificate(crt).raw, key), /tls\.crt is not PEM-encoded/],
    ['text before the certificate', secret(`junk\n${crt}`, key), /tls\.crt is not PEM-encoded/],
    ['text between two certificates', secret(`${crt}junk\n${crt}`, key), /tls\.crt has data that is not PEM after block 1/],
    ['text after the certificate', secret(`${crt}trailing`, key), /tls\.crt has data that is not PEM after block 1/],
    ['a key in tls.crt', secret(`${crt}${key}`, key), /tls\.crt holds a PRIVATE KEY block/],
    ['two keys in tls.key', secret(crt, `${key}${pem('mismatched.key')}`), /exactly one PEM private key/],
    ['a key of another certificate', secret(crt, pem('mismatched.key')), /does not match/],
    ['no PEM block in tls.key', secret(crt, 'not a key'), /tls\.key is not PEM-encoded/],
  ];
  it.each(cases)('%s is InvalidCertificateRef material', (_name, s, expected) => {
    const r = parseTLSSecret(s);
    expect(r.ok ? 'accepted' : r.message).toMatch(expected);
  });

  it('a PEM chain (two certificates, whitespace around blocks) with its key is accepted; text around the key block is tolerated, as Kuma does', () => {
    expect(parseTLSSecret(secret(`\n${crt}\n\n${crt}\n`, `${key}\n`)).ok).toBe(true);
    expect(parseTLSSecret(secret(crt, `comment\n${key}trailer\n`)).ok).toBe(true);
  });
});
