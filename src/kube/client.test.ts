// The client against a local HTTP server: credentials are re-resolved on a 401 and the request
// retried with the new ones; an explicit QPS keeps the token bucket even under APF. Over TLS: the
// server is verified and the client certificate presented.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { freshCertificate, type Pem } from '../../e2e/support/certs';
import { ManualClock } from '../testing/manual-clock';
import { KubeClient } from './client';

function server(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const s = http.createServer(handler);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }),
  })));
}

describe('KubeClient', () => {
  it('re-resolves credentials on a 401 and retries once with them', async () => {
    const seen: string[] = [];
    const srv = await server((req, res) => {
      seen.push(String(req.headers.authorization));
      const ok = req.headers.authorization === 'Bearer new';
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' }).end(JSON.stringify(ok ? { ok: true } : { message: 'Unauthorized' }));
    });
    let calls = 0;
    const client = KubeClient.fromConnection({ server: srv.url, headers: { Authorization: 'Bearer old' } }, { qps: 100, burst: 100 }, async () => {
      calls++;
      return { server: srv.url, headers: { Authorization: 'Bearer new' } };
    });
    const res = await client.request('GET', '/api/v1/namespaces');
    expect(res.status).toBe(200);
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(calls).toBe(1);
    client.close();
    await srv.close();
  });

  it('an explicit QPS is enforced even when the server does API Priority and Fairness', async () => {
    const srv = await server((_req, res) => res.writeHead(200, { 'X-Kubernetes-PF-PriorityLevel-UID': 'x', 'Content-Type': 'application/json' }).end('{}'));
    const clock = new ManualClock();
    const client = KubeClient.fromConnection({ server: srv.url }, { qps: 10, burst: 1, bypassWithServerFairness: false, clock });
    await client.request('GET', '/x'); // the burst of 1; the answer says the server does APF
    const done: number[] = [];
    const rest = [1, 2, 3].map((i) => client.request('GET', '/x').then(() => done.push(i)));
    await clock.advance(99);
    expect(done).toEqual([]); // no token yet, so nothing was sent
    for (const n of [1, 2, 3]) {
      const sent = rest[n - 1];
      await clock.advance(n === 1 ? 1 : 100); // one token per 100 ms
      await sent;
      expect(done).toEqual([1, 2, 3].slice(0, n));
    }
    expect(client.serverFairness).toBe(false);
    client.close();
    await srv.close();
  });
});

// The agents share one TLS context (built once from ca/cert/key): the server is still verified
// against the kubeconfig's CA, and the client certificate is still presented.
describe('KubeClient over TLS', () => {
  let srvCert: Pem;
  let clientCert: Pem;
  let otherCA: Pem;
  beforeAll(() => {
    srvCert = freshCertificate('server', ['127.0.0.1'], 'ec');
    clientCert = freshCertificate('client', ['client'], 'ec');
    otherCA = freshCertificate('other', ['127.0.0.1'], 'ec');
  });
  /** A kubeconfig's connection: the server, the CA to verify it with, and the client certificate. */
  const connection = (server: string, ca: Pem) => ({ server, ca: Buffer.from(ca.crt), cert: Buffer.from(clientCert.crt), key: Buffer.from(clientCert.key) });

  async function tlsServer() {
    const subjects: string[] = [];
    const s = https.createServer({ cert: srvCert.crt, key: srvCert.key, ca: clientCert.crt, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      subjects.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return { url: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, subjects, close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }) };
  }

  it('verifies the server with the given CA and presents the client certificate, on every connection', async () => {
    const srv = await tlsServer();
    const client = KubeClient.fromConnection(connection(srv.url, srvCert), { qps: 100, burst: 100 });
    try {
      const res = await Promise.all(Array.from({ length: 5 }, () => client.request('GET', '/api', { retries: 0, timeoutMs: 5000 }).then((r) => r.status, (e: Error) => e.message)));
      expect(res).toEqual([200, 200, 200, 200, 200]);
      expect(srv.subjects).toEqual(['client', 'client', 'client', 'client', 'client']);
    } finally {
      client.close();
      await srv.close();
    }
  });

  it('refuses a server its CA did not sign', async () => {
    const srv = await tlsServer();
    const client = KubeClient.fromConnection(connection(srv.url, otherCA), { qps: 100, burst: 100 });
    try {
      await expect(client.request('GET', '/api', { retries: 0, timeoutMs: 5000 })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
      expect(srv.subjects).toEqual([]);
    } finally {
      client.close();
      await srv.close();
    }
  });
});
