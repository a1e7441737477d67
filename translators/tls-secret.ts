// certificateRef resolution, PEM/SAN checks and the Secret copies in the system namespace.
// The only place (besides the writer) that reads Secret data. Never puts data in messages.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { SecretObjectReference } from './api/gateway-api';
import { GATEWAY_GROUP } from './api/gateway-api';
import type { Secret } from './api/meta';
import type { GrantFrom } from './reference-grant';
import { generatedLabels, secretCopyName } from './naming';
import type { NsName } from './keys';
import { nsName } from './keys';

export const TLS_SECRET_TYPE = 'kubernetes.io/tls';
export const KUMA_SECRET_TYPE = 'system.kuma.io/secret';
/** On a Secret copy: the source Secret (a keys.ts NsName), for Events about the copy. */
export const SOURCE_ANNOTATION = 'meshgate.io/source';
export const copySource = (copy: Secret): NsName | undefined => copy.metadata.annotations?.[SOURCE_ANNOTATION] as NsName | undefined;

export interface CertInfo {
  dnsNames: string[];
  notAfter: string;
  notBefore: string;
  subject: string;
}

export type CertResolution =
  | { ok: true; secret: Secret; info: CertInfo }
  | { ok: false; reason: 'RefNotPermitted' | 'InvalidCertificateRef'; message: string };

export interface CertLookup {
  findSecret(namespace: string, name: string): Secret | undefined;
  isPermitted(toNamespace: string, from: GrantFrom, to: { group: string; kind: string; name: string }): boolean;
  /** Namespaces meshgate may read Secrets from; undefined = all. */
  secretNamespaces?: string[];
}

/** Resolve one certificateRef of a Gateway listener (or spec.tls.backend.clientCertificateRef). */
export function resolveCertificateRef(
  lookup: CertLookup,
  gatewayNamespace: string,
  ref: SecretObjectReference,
  /** The kind holding the reference (a ListenerSet's listeners: GEP-1713, grants are per kind). */
  fromKind = 'Gateway',
): CertResolution {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Secret';
  const ns = ref.namespace || gatewayNamespace;
  const display = `"${ns}/${ref.name}"`;
  if (ns !== gatewayNamespace) {
    const from = { group: GATEWAY_GROUP, kind: fromKind, namespace: gatewayNamespace };
    if (!lookup.isPermitted(ns, from, { group, kind, name: ref.name })) {
      return { ok: false, reason: 'RefNotPermitted', message: `reference to ${kind} ${display} not permitted by any ReferenceGrant` };
    }
  }
  if (group !== '' || kind !== 'Secret') {
    return { ok: false, reason: 'InvalidCertificateRef', message: `unsupported certificateRef ${group || 'core'}/${kind}: only core Secrets are supported` };
  }
  if (lookup.secretNamespaces && !lookup.secretNamespaces.includes(ns)) {
    return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${display} is in a namespace meshgate may not read (allowed: ${lookup.secretNamespaces.join(', ')})` };
  }
  const secret = lookup.findSecret(ns, ref.name);
  if (!secret) return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${display} does not exist` };
  if (secret.type !== TLS_SECRET_TYPE) {
    return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${display} has type "${secret.type ?? 'Opaque'}"; only "${TLS_SECRET_TYPE}" is supported` };
  }
  const parsed = parseTLSSecret(secret);
  if (!parsed.ok) return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${display}: ${parsed.message}` };
  return { ok: true, secret, info: parsed.info };
}

const parseCache = new WeakMap<Secret, { ok: true; info: CertInfo } | { ok: false; message: string }>();

/** Parse tls.crt and tls.key; memoised per Secret object (parsing is deterministic). */
export function parseTLSSecret(secret: Secret): { ok: true; info: CertInfo } | { ok: false; message: string } {
  const cached = parseCache.get(secret);
  if (cached) return cached;
  const result = parseUncached(secret);
  parseCache.set(secret, result);
  return result;
}

function secretBytes(secret: Secret, key: string): Buffer | undefined {
  const b64 = secret.data?.[key];
  if (typeof b64 === 'string') return Buffer.from(b64, 'base64');
  const plain = secret.stringData?.[key];
  return typeof plain === 'string' ? Buffer.from(plain, 'utf8') : undefined;
}

function parseUncached(secret: Secret): { ok: true; info: CertInfo } | { ok: false; message: string } {
  const crt = secretBytes(secret, 'tls.crt');
  const key = secretBytes(secret, 'tls.key');
  if (!crt || crt.length === 0) return { ok: false, message: 'malformed secret: tls.crt is missing or empty' };
  if (!key || key.length === 0) return { ok: false, message: 'malformed secret: tls.key is missing or empty' };
  const chain = pemBlocks(crt.toString('latin1'));
  if (typeof chain === 'string') return { ok: false, message: `malformed secret: tls.crt ${chain}` };
  const notCert = chain.find((b) => b.type !== 'CERTIFICATE');
  if (notCert) return { ok: false, message: `malformed secret: tls.crt holds a ${notCert.type} block; it must hold only CERTIFICATE blocks` };
  // tls.key: one PEM private key block. Text around it is tolerated (Kuma's parser skips it).
  const keys = [...key.toString('latin1').matchAll(PEM_BLOCKS)].map((m) => ({ type: m[1], text: m[0] }));
  if (keys.length === 0) return { ok: false, message: 'malformed secret: tls.key is not PEM-encoded' };
  if (keys.length !== 1 || !keys[0].type.endsWith('PRIVATE KEY')) return { ok: false, message: 'malformed secret: tls.key must hold exactly one PEM private key block' };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(chain[0].text);
    for (const b of chain.slice(1)) new X509Certificate(b.text);
  } catch {
    return { ok: false, message: 'malformed secret: tls.crt is not a PEM-encoded X.509 certificate chain' };
  }
  try {
    const privateKey = createPrivateKey(keys[0].text);
    // Kuma's gateway accepts RSA and ECDSA keys only (NewServerSecret).
    if (privateKey.asymmetricKeyType !== 'rsa' && privateKey.asymmetricKeyType !== 'ec') {
      return { ok: false, message: `malformed secret: tls.key is a ${privateKey.asymmetricKeyType} key; Kuma supports RSA and ECDSA keys` };
    }
    if (!cert.checkPrivateKey(privateKey)) {
      return { ok: false, message: 'malformed secret: tls.key does not match the certificate in tls.crt' };
    }
  } catch {
    return { ok: false, message: 'malformed secret: tls.key is not a PEM-encoded private key' };
  }
  return {
    ok: true,
    info: {
      dnsNames: parseDnsNames(cert.subjectAltName),
      notAfter: new Date(cert.validTo).toISOString(),
      notBefore: new Date(cert.validFrom).toISOString(),
      subject: cert.subject.replace(/\n/g, ', '),
    },
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\s]*?-----END \1-----/y;
const PEM_BLOCKS = new RegExp(PEM_BLOCK.source, 'g');

/**
 * The PEM blocks of `text`, or what is wrong with it: only whitespace may surround or separate
 * blocks (DER, or text before, between or after the blocks, is refused), and there is at least one.
 */
function pemBlocks(text: string): { type: string; text: string }[] | string {
  const out: { type: string; text: string }[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    PEM_BLOCK.lastIndex = i;
    const m = PEM_BLOCK.exec(text);
    if (!m) return out.length === 0 ? 'is not PEM-encoded' : `has data that is not PEM after block ${out.length}`;
    out.push({ type: m[1], text: m[0] });
    i = PEM_BLOCK.lastIndex;
  }
  return out.length === 0 ? 'holds no PEM block' : out;
}

function parseDnsNames(san: string | undefined): string[] {
  if (!san) return [];
  return san
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase())
    .sort();
}

/** Certificate wildcards cover exactly one label (RFC 6125), unlike Gateway API hostnames. */
export function certificateCovers(dnsNames: string[], hostname: string): boolean {
  const host = hostname.toLowerCase();
  return dnsNames.some((san) => {
    if (san === host) return true;
    if (!san.startsWith('*.')) return false;
    const suffix = san.slice(1);
    if (!host.endsWith(suffix)) return false;
    const head = host.slice(0, host.length - suffix.length);
    return head.length > 0 && !head.includes('.');
  });
}

/**
 * The Kuma mesh-scoped Secret copy: tls.key then tls.crt, concatenated PEM, as Kuma expects.
 * `gatewayName`: the one Gateway using the copy, if only one does (the gateway-name label).
 */
export function buildSecretCopy(source: Secret, mesh: string, systemNamespace: string, controllerName: string, zone?: string, gatewayName?: string): Secret {
  const ns = source.metadata.namespace ?? '';
  let key = secretBytes(source, 'tls.key') ?? Buffer.alloc(0);
  const crt = secretBytes(source, 'tls.crt') ?? Buffer.alloc(0);
  if (key.length > 0 && key[key.length - 1] !== 0x0a) key = Buffer.concat([key, Buffer.from('\n')]);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secretCopyName(mesh, ns, source.metadata.name),
      namespace: systemNamespace,
      labels: generatedLabels({ kind: 'Secret', namespace: ns, name: source.metadata.name }, controllerName, mesh, zone, gatewayName || undefined),
      annotations: { [SOURCE_ANNOTATION]: nsName(ns, source.metadata.name) },
    },
    type: KUMA_SECRET_TYPE,
    data: { value: Buffer.concat([key, crt]).toString('base64') },
  };
}
