// Kuma scenario "should manage Kuma Secret": a listener's certificateRef is copied into the
// system namespace as the mesh-scoped Secret Kuma reads (data.value = key PEM + cert PEM);
// rotating the source updates the copy; deleting the source removes the copy and the listener
// reports the broken reference.
import { X509Certificate } from 'node:crypto';
import { pem } from '../../translators/testdata/certs';
import {
  freshCertificate, gateway, gatewayClass, gatewayWhen, httpListener, httpsListener, kumaSecretValue, listenerCond, namespace, programmed,
  scenario, SYSTEM_NS, systemNamespace, tlsSecretFrom, waitFor, waitGone, type Obj,
} from './fixture';
import { secretCopyName } from '../../translators/naming';

const s = scenario('tls-secret');
const [ns] = s.namespaces;
const copyName = secretCopyName('default', ns, 'cert'); // the namespace has a '-': Kuma's name plus a hash
const original = { crt: pem('valid.crt'), key: pem('valid.key') };

afterAll(() => s.cleanup());

const copy = () => s.kube.get<Obj>('secret', copyName, SYSTEM_NS);
const httpsOf = (mgw: Obj | undefined) => (mgw?.spec.conf.listeners as { protocol: string; port: number; tls?: unknown }[] | undefined)?.find((l) => l.protocol === 'HTTPS');

test('the certificate is copied, a rotation updates the copy, a deletion removes it and breaks the listener', async () => {
  await s.kube.apply([
    systemNamespace(), namespace(ns), gatewayClass(s.className, s.controllerName),
    tlsSecretFrom(ns, 'cert', original),
    gateway(ns, 'edge', s.className, [httpListener(), httpsListener('https', 443, 'cert', { hostname: 'www.example.com' })]),
  ]);
  const ctl = await s.start();
  await gatewayWhen(s, ns, 'edge', (g) => programmed(g) && listenerCond(g, 'https', 'Programmed')?.status === 'True', 'Programmed with both listeners');

  // The copy: Kuma's name, type and mesh label; key then certificate.
  const first = await waitFor('Secret copy', copy);
  expect(first.type).toBe('system.kuma.io/secret');
  expect(first.metadata.labels?.['kuma.io/mesh']).toBe('default');
  expect(first.metadata.labels?.['meshgate.io/owner-kind']).toBe('Secret');
  expect(first.metadata.annotations?.['meshgate.io/source']).toBe(`${ns}/cert`);
  expect(first.data).toEqual({ value: kumaSecretValue(original) });
  const mgw = await s.kube.get<Obj>('meshgateway', `edge.${ns}`);
  expect(httpsOf(mgw)).toEqual(expect.objectContaining({ port: 443, tls: { mode: 'TERMINATE', certificates: [{ secret: copyName }] } }));

  // Rotation: a new certificate and key in the source Secret → the copy follows, in place.
  await ctl.idle();
  const rotated = freshCertificate('www.example.com', ['www.example.com']);
  await s.kube.apply([tlsSecretFrom(ns, 'cert', rotated)]);
  const second = await waitFor('rotated Secret copy', async () => { const c = await copy(); return c?.data?.value === kumaSecretValue(rotated) && c; }, 15_000);
  expect(second.metadata.uid).toBe(first.metadata.uid);
  expect(Buffer.from(second.data!.value, 'base64').toString()).toBe(rotated.key + rotated.crt);
  await ctl.idle();
  const g1 = await s.kube.get<Obj>('gateway', 'edge', ns);
  expect(listenerCond(g1, 'https', 'Programmed')?.status).toBe('True');
  // The listener's certificate status describes the new certificate (30 days, not 100 years).
  const notAfter = new Date(new X509Certificate(rotated.crt).validTo).toISOString();
  expect(listenerCond(g1, 'https', 'meshgate.io/CertificateValid')).toEqual(expect.objectContaining({ status: 'True', message: `certificate valid until ${notAfter}` }));

  // Deletion: the copy goes, the listener's ResolvedRefs and Programmed turn False, and the
  // MeshGateway keeps only the HTTP listener.
  await s.kube.remove([tlsSecretFrom(ns, 'cert', rotated)]);
  await waitGone(s, 'secret', copyName, SYSTEM_NS, 15_000);
  const g2 = await gatewayWhen(s, ns, 'edge', (g) => listenerCond(g, 'https', 'ResolvedRefs')?.status === 'False', 'https ResolvedRefs False', 15_000);
  expect(listenerCond(g2, 'https', 'ResolvedRefs')).toEqual(expect.objectContaining({ status: 'False', reason: 'InvalidCertificateRef', message: `Secret "${ns}/cert" does not exist` }));
  expect(listenerCond(g2, 'https', 'Programmed')).toEqual(expect.objectContaining({ status: 'False', reason: 'Invalid' }));
  expect(listenerCond(g2, 'http', 'Programmed')?.status).toBe('True');
  const mgw2 = await waitFor('MeshGateway without the HTTPS listener', async () => { const m = await s.kube.get<Obj>('meshgateway', `edge.${ns}`); return m && !httpsOf(m) && m; });
  expect(mgw2.spec.conf.listeners).toEqual([expect.objectContaining({ protocol: 'HTTP', port: 80 })]);
});
