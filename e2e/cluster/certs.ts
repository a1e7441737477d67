// PKI for one test cluster, generated with the `openssl` CLI (OpenSSL 1.1.1+ / 3.x).
//
//   ca.crt/ca.key               self-signed CA: signs the serving cert and the admin client cert,
//                               and is the apiserver's --client-ca-file
//   apiserver.crt/.key          serving cert for 127.0.0.1 / localhost / kubernetes.default.svc...
//   admin.crt/.key              client cert CN=meshgate-admin, O=system:masters
//   sa.key/sa.pub               RSA key pair that signs/verifies ServiceAccount tokens
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runOk } from './util';

export interface ClusterPki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

const OPENSSL_CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP:127.0.0.1, IP:10.0.0.1
authorityKeyIdentifier = keyid
[v3_client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function generatePki(dir: string): Promise<ClusterPki> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string): string => path.join(dir, f);
  const pki: ClusterPki = {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    servingCert: p('apiserver.crt'),
    servingKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
  const cnf = p('openssl.cnf');
  fs.writeFileSync(cnf, OPENSSL_CNF);
  const env = { ...process.env, OPENSSL_CONF: cnf };
  const openssl = (args: string[]): Promise<string> => runOk('openssl', args, { env });
  const serial = (): string => '0x' + crypto.randomBytes(8).toString('hex');

  const signed = async (name: string, subj: string, ext: string, cert: string, key: string): Promise<void> => {
    const csr = p(`${name}.csr`);
    await openssl(['req', '-new', '-config', cnf, ...EC, '-keyout', key, '-out', csr, '-subj', subj]);
    await openssl([
      'x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-set_serial', serial(),
      '-days', '3650', '-extfile', cnf, '-extensions', ext, '-out', cert,
    ]);
    fs.rmSync(csr, { force: true });
  };

  await Promise.all([
    openssl([
      'req', '-x509', '-new', '-config', cnf, '-extensions', 'v3_ca', ...EC, '-keyout', pki.caKey, '-out', pki.caCert,
      '-days', '3650', '-subj', '/CN=meshgate-e2e-ca', '-set_serial', serial(),
    ]).then(() =>
      Promise.all([
        signed('apiserver', '/CN=kube-apiserver', 'v3_server', pki.servingCert, pki.servingKey),
        signed('admin', '/O=system:masters/CN=meshgate-admin', 'v3_client', pki.adminCert, pki.adminKey),
      ]),
    ),
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pki.saKey]).then(() =>
      openssl(['pkey', '-in', pki.saKey, '-pubout', '-out', pki.saPub]),
    ),
  ]);
  return pki;
}
