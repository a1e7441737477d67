import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import { tmpdir } from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { redactSnapshot } from './redact';
import { SECURITY_HEADERS, startGuiServer } from './server';
import { memorySource, type MemorySource } from './source';
import { fixture, secretValues } from './testdata/fixture';
import { fixtureResult } from './testdata/fixture-result';
import type { GuiServer } from './types';
import { ManualClock } from '../testing/manual-clock';

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(url: string, method = 'GET', headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let buf = Buffer.concat(chunks);
        if (res.headers['content-encoding'] === 'gzip') buf = gunzipSync(buf);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const TOKEN = 'unit-test-token-5b2c';
let assets: string;
let source: MemorySource;
let server: GuiServer;
let authed: GuiServer;
const bearer = { Authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  assets = mkdtempSync(path.join(tmpdir(), 'gui-assets-'));
  writeFileSync(path.join(assets, 'index.html'), '<!doctype html><title>t</title><script src="app.js"></script>');
  writeFileSync(path.join(assets, 'app.js'), 'console.log("app")');
  writeFileSync(path.join(assets, 'style.css'), 'body{}');
  const { input, result } = fixture();
  source = memorySource(input, fixtureResult, 'offline', result);
  server = await startGuiServer({ host: '127.0.0.1', port: 0, source, assetsDir: assets, debounceMs: 20 });
  authed = await startGuiServer({ host: '127.0.0.1', port: 0, source, assetsDir: assets, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
  await authed?.close();
  rmSync(assets, { recursive: true, force: true });
});

function expectSecurityHeaders(r: Res) {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers[k.toLowerCase()]).toBe(v);
}

describe('GUI server', () => {
  test('serves the front end and JSON with security headers on every response', async () => {
    for (const [p, status] of [['', 200], ['app.js', 200], ['style.css', 200], ['api/overview', 200], ['api/nope', 404], ['nope', 404]] as const) {
      const r = await request(`${server.url}${p}`);
      expect([p, r.status]).toEqual([p, status]);
      expectSecurityHeaders(r);
    }
    const redirect = await request(server.url.replace(/\/$/, ''));
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/gui/');
    expectSecurityHeaders(redirect);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toContain("script-src 'self'");
  });

  test('is read-only: anything but GET/HEAD is 405', async () => {
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const r = await request(`${server.url}api/overview`, m);
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
      expectSecurityHeaders(r);
    }
    const head = await request(`${server.url}api/overview`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  test('rejects foreign Host headers on loopback (DNS rebinding)', async () => {
    const r = await request(`${server.url}api/overview`, 'GET', { Host: 'evil.example:5681' });
    expect(r.status).toBe(421);
    expect((await request(`${server.url}api/version`, 'GET', { Host: 'localhost:5681' })).status).toBe(200);
  });

  test('token: bearer header, or ?token= once → HttpOnly SameSite=Strict cookie + redirect', async () => {
    expect((await request(`${authed.url}api/overview`)).status).toBe(401);
    expect((await request(`${authed.url}`)).status).toBe(401);
    expect((await request(`${authed.url}api/overview`, 'GET', { Authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await request(`${authed.url}api/overview`, 'GET', bearer);
    expect(ok.status).toBe(200);
    expectSecurityHeaders(ok);

    expect((await request(`${authed.url}?token=wrong`)).status).toBe(401);
    const login = await request(`${authed.url}?token=${TOKEN}&x=1`);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/gui/?x=1');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const pair = cookie.split(';')[0]!;
    expect((await request(`${authed.url}api/overview`, 'GET', { Cookie: pair })).status).toBe(200);
    expect((await request(`${authed.url}api/overview`, 'GET', { Cookie: `${pair}x` })).status).toBe(401);
    // Unauthenticated writes are still 405, never processed.
    expect((await request(`${authed.url}api/overview`, 'POST')).status).toBe(405);
  });

  test('API answers the object pages', async () => {
    const ov = JSON.parse((await request(`${server.url}api/overview`)).body);
    expect(ov.problems.map((p: { reason: string }) => p.reason)).toEqual(
      expect.arrayContaining(['InvalidParameters', 'RefNotPermitted', 'BackendNotFound', 'NoMatchingListenerHostname', 'NotAllowedByListeners']),
    );
    const ref = ov.problems.find((p: { reason: string }) => p.reason === 'RefNotPermitted');
    expect(ref.hint).toContain('ReferenceGrant in namespace "team-b"');
    const gw = JSON.parse((await request(`${server.url}api/object?origin=source&kind=Gateway&namespace=infra&name=web`)).body);
    expect(gw.generated.map((g: { ref: { kind: string } }) => g.ref.kind).sort()).toEqual(['Deployment', 'MeshGateway', 'Service']);
    const https = gw.gateway.listeners.find((l: { name: string }) => l.name === 'https');
    expect(https.certificates[0].copies[0].name).toBe('gapi-infra-web-cert');
    expect(https.certificateNotes.join(' ')).toContain('2126-10-29');
    expect(gw.gateway.detached.map((r: { ref: { name: string } }) => r.ref.name)).toEqual(['blog']);
    const route = JSON.parse((await request(`${server.url}api/object?origin=source&kind=HTTPRoute&namespace=apps&name=api`)).body);
    expect(route.route.rules[0].backends[0]).toMatchObject({ resolved: false, why: 'Service apps/api-v2 not found' });
    expect(route.route.generatedRules).toHaveLength(1);
    expect((await request(`${server.url}api/object?origin=source&kind=Gateway&namespace=x&name=y`)).status).toBe(404);
    expect((await request(`${server.url}api/list?kind=bogus`)).status).toBe(400);
  });

  test('no response body contains Secret data (base64 or decoded)', async () => {
    const snap = source.current();
    const urls = ['', 'app.js', 'api/version', 'api/snapshot', 'api/overview', 'api/graph', 'api/list?kind=routes', 'api/list?kind=generated', 'api/list?kind=other'];
    for (const o of [...snap.input.secrets, ...snap.input.gateways, ...snap.input.httpRoutes]) {
      urls.push(`api/object?origin=source&kind=${o.kind}&namespace=${o.metadata.namespace}&name=${o.metadata.name}`);
    }
    for (const o of snap.result.objects) {
      urls.push(`api/object?origin=generated&kind=${o.kind}&${o.metadata.namespace ? `namespace=${o.metadata.namespace}&` : ''}name=${o.metadata.name}`);
    }
    const values = secretValues();
    // The fixture really holds these values, so the check below is meaningful.
    expect(JSON.stringify(snap)).toContain(values[0]);
    expect(JSON.stringify(snap)).toContain('stringdata-canary-7f3a');
    for (const u of urls) {
      for (const accept of [{}, { 'Accept-Encoding': 'gzip' }] as Record<string, string>[]) {
        const r = await request(`${server.url}${u}`, 'GET', accept);
        expect([u, r.status]).toEqual([u, 200]);
        for (const v of values) if (r.body.includes(v)) throw new Error(`${u} leaks Secret data`);
      }
    }
    const secret = JSON.parse((await request(`${server.url}api/object?origin=source&kind=Secret&namespace=infra&name=web-cert`)).body);
    expect(secret.object.dataKeys).toEqual(['note', 'tls.crt', 'tls.key']);
    expect(secret.object.metadata.annotations).toEqual({});
  });

  test('redactSnapshot strips data from every Secret, source and generated, and leaves others alone', () => {
    const snap = source.current();
    const red = redactSnapshot(snap);
    const all = [...red.input.secrets, ...red.result.objects.filter((o) => o.kind === 'Secret')];
    expect(all.length).toBe(3);
    for (const s of all) {
      expect(s).not.toHaveProperty('data');
      expect(s).not.toHaveProperty('stringData');
    }
    expect(red.input.gateways).toEqual(snap.input.gateways);
    expect(snap.input.secrets[0]!.data).toBeDefined(); // the source is not mutated
  });

  test('SSE announces new versions, debouncing bursts', async () => {
    // Time is a ManualClock: the debounce fires when the test advances it, never by waiting.
    const clock = new ManualClock();
    const sse = await startGuiServer({ host: '127.0.0.1', port: 0, source, assetsDir: assets, debounceMs: 20, clock });
    const events: number[] = [];
    const waiters: (() => void)[] = [];
    const nextEvent = () => new Promise<void>((r) => waiters.push(r));
    const req = http.get(`${sse.url}api/events`);
    const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    expect(res.headers['content-security-policy']).toBe(SECURITY_HEADERS['Content-Security-Policy']);
    let buf = '';
    res.on('data', (c: Buffer) => {
      buf += c.toString();
      for (let i = buf.indexOf('\n\n'); i !== -1; i = buf.indexOf('\n\n')) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) { events.push(JSON.parse(data.slice(6)).version); waiters.splice(0).forEach((w) => w()); }
      }
    });
    if (events.length === 0) await nextEvent();
    const v0 = events[0]!;
    const { input } = fixture();
    source.update(input);
    await clock.advance(19);
    expect(events).toEqual([v0]); // still debouncing
    let arrived = nextEvent();
    await clock.advance(1);
    await arrived;
    expect(events).toEqual([v0, v0 + 1]);
    arrived = nextEvent();
    for (let i = 0; i < 10; i++) { source.update(input); await clock.advance(5); }
    await clock.advance(20);
    await arrived;
    expect(events).toEqual([v0, v0 + 1, v0 + 11]); // one event for the burst
    expect(clock.pending).toBe(0);
    req.destroy();
    await sse.close();
  });

  test('without built assets the page is 503 and the API still works', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'gui-empty-'));
    const s = await startGuiServer({ host: '127.0.0.1', port: 0, source, assetsDir: empty });
    try {
      expect((await request(s.url)).status).toBe(503);
      expect((await request(`${s.url}api/version`)).status).toBe(200);
    } finally {
      await s.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
