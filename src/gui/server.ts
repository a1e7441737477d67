// The GUI's HTTP server: static front end, read-only JSON API over the in-memory snapshot, and
// Server-Sent Events announcing new snapshot versions. Node `http` only.
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import { readFileSync } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { buildGraph } from './graph';
import { indexOf, type Index } from './model';
import { defaultAssetsDir } from './paths';
import { redactSnapshot } from './redact';
import type { GuiServer, GuiServerOptions, GuiSnapshot } from './types';
import { DEFAULT_BASE_PATH, DEFAULT_HOST, DEFAULT_PORT } from './types';
import type { Origin, Ref } from './view';
import { list, objectView, overview, type ListKind } from './views';
import { liveUpdates } from './live';

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const COOKIE = 'meshgate_gui';
const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

interface Asset {
  type: string;
  body: Buffer;
  gz: Buffer;
  etag: string;
}

function loadAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const [name, type] of Object.entries(ASSETS)) {
    try {
      const body = readFileSync(path.join(dir, name));
      out.set(name, { type, body, gz: gzipSync(body), etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"` });
    } catch {
      /* reported as 503 below */
    }
  }
  return out;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export async function startGuiServer(opts: GuiServerOptions): Promise<GuiServer> {
  const host = opts.host || DEFAULT_HOST;
  const base = (opts.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, '');
  const log = opts.log ?? (() => undefined);
  const assets = loadAssets(opts.assetsDir ?? defaultAssetsDir());
  if (!assets.has('index.html')) log('gui: front end not built (run npm run build:gui); serving the API only');
  const session = opts.token ? createHmac('sha256', opts.token).update('meshgate-gui-session').digest('hex') : '';
  const debounce = opts.debounceMs ?? 100;

  // ---- snapshot: redacted once per version; every response is computed from this ----
  let cached: { version: number; raw: GuiSnapshot; ix: Index } | undefined;
  const responses = new Map<string, { body: Buffer; gz?: Buffer }>();
  function current(): Index {
    const raw = opts.source.current();
    if (!cached || cached.version !== raw.version || (cached.raw !== raw && cached.raw.input !== raw.input)) {
      cached = { version: raw.version, raw, ix: indexOf(redactSnapshot(raw)) };
      responses.clear();
    }
    return cached.ix;
  }

  const live = liveUpdates(opts.source, () => current().version, debounce, log, opts.clock);

  // ---- request handling ----
  function send(req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, body: Buffer | string, extra: Record<string, string> = {}, gz?: Buffer) {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    const useGz = gz && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Cache-Control': 'no-store',
      Vary: 'Accept-Encoding',
      ...(useGz ? { 'Content-Encoding': 'gzip' } : {}),
      'Content-Length': String((useGz ? gz : buf).length),
      ...extra,
    });
    res.end(req.method === 'HEAD' ? undefined : useGz ? gz : buf);
  }
  const text = (req: http.IncomingMessage, res: http.ServerResponse, status: number, msg: string, extra: Record<string, string> = {}) =>
    send(req, res, status, 'text/plain; charset=utf-8', `${msg}\n`, extra);

  function json(req: http.IncomingMessage, res: http.ServerResponse, cacheKey: string, make: () => unknown) {
    let hit = responses.get(cacheKey);
    if (!hit) {
      const value = make();
      if (value === undefined) return text(req, res, 404, 'not found');
      const body = Buffer.from(JSON.stringify(value));
      hit = { body, ...(body.length > 2048 ? { gz: gzipSync(body) } : {}) };
      if (responses.size > 256) responses.clear();
      responses.set(cacheKey, hit);
    }
    send(req, res, 200, 'application/json; charset=utf-8', hit.body, {}, hit.gz);
  }

  function authorized(req: http.IncomingMessage): boolean {
    if (!opts.token) return true;
    const auth = String(req.headers.authorization ?? '');
    if (auth.startsWith('Bearer ') && safeEqual(auth.slice(7).trim(), opts.token)) return true;
    for (const part of String(req.headers.cookie ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === COOKIE && safeEqual(v.join('='), session)) return true;
    }
    return false;
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(req, res, 405, 'method not allowed: the GUI is read-only', { Allow: 'GET, HEAD' });
    const hostHeader = String(req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (isLoopback(host) && !(opts.allowedHosts ?? ['localhost', '127.0.0.1', '::1']).includes(hostHeader)) {
      return text(req, res, 421, 'unexpected Host header');
    }
    const url = new URL(req.url ?? '/', 'http://gui.invalid');
    const tok = url.searchParams.get('token');
    if (opts.token && tok !== null) {
      if (!safeEqual(tok, opts.token)) return text(req, res, 401, 'invalid token', { 'WWW-Authenticate': 'Bearer' });
      url.searchParams.delete('token');
      const cookie = `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=${base || '/'}`;
      return text(req, res, 303, 'see other', { 'Set-Cookie': cookie, Location: `${url.pathname}${url.search}` });
    }
    if (!authorized(req)) {
      return text(req, res, 401, `unauthorized: send "Authorization: Bearer <token>", or open ${base}/?token=<token> once in the browser`, { 'WWW-Authenticate': 'Bearer' });
    }
    const p = url.pathname;
    if (p === base || p === '') return text(req, res, 301, 'moved', { Location: `${base}/${url.search}` });
    if (!p.startsWith(`${base}/`)) return text(req, res, 404, 'not found');
    const rest = p.slice(base.length + 1);
    if (rest === '' || rest === 'index.html' || rest === 'app.js' || rest === 'style.css') {
      const a = assets.get(rest || 'index.html');
      if (!a) return text(req, res, 503, 'GUI front end not built: run `npm run build:gui`');
      if (req.headers['if-none-match'] === a.etag) return send(req, res, 304, a.type, '', { ETag: a.etag });
      return send(req, res, 200, a.type, a.body, { ETag: a.etag, 'Cache-Control': 'no-cache' }, a.gz);
    }
    if (!rest.startsWith('api/')) return text(req, res, 404, 'not found');
    const api = rest.slice(4);
    const q = (k: string) => url.searchParams.get(k) ?? undefined;
    let ix: Index;
    try {
      ix = current();
    } catch (err) {
      log('gui: snapshot failed', { error: String(err) });
      return text(req, res, 503, 'snapshot unavailable');
    }
    const ck = `${api}?${url.searchParams.toString()}`;
    switch (api) {
      case 'version':
        return json(req, res, ck, () => ({ version: ix.version, mode: ix.mode }));
      case 'snapshot':
        return json(req, res, ck, () => ({ version: ix.version, mode: ix.mode, input: ix.snap.input, result: ix.snap.result }));
      case 'overview':
        return json(req, res, ck, () => overview(ix));
      case 'list': {
        const kind = q('kind') as ListKind | undefined;
        if (kind !== 'routes' && kind !== 'generated' && kind !== 'other') return text(req, res, 400, 'kind must be routes, generated or other');
        return json(req, res, ck, () => list(ix, kind));
      }
      case 'object': {
        const origin = q('origin') as Origin | undefined;
        const kind = q('kind');
        const name = q('name');
        if ((origin !== 'source' && origin !== 'generated') || !kind || !name) return text(req, res, 400, 'origin, kind and name are required');
        const ref: Ref = { origin, kind, name, ...(q('namespace') ? { namespace: q('namespace') } : {}) };
        return json(req, res, ck, () => objectView(ix, ref));
      }
      case 'graph':
        return json(req, res, ck, () =>
          buildGraph(ix, { ...(q('namespace') ? { namespace: q('namespace') } : {}), ...(q('mesh') ? { mesh: q('mesh') } : {}), ...(q('q') ? { q: q('q') } : {}), ...(q('gateway') ? { gateway: q('gateway') } : {}) }),
        );
      case 'events': {
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
        if (req.method === 'HEAD') return res.end();
        res.write(`retry: 2000\nevent: version\ndata: ${JSON.stringify({ version: ix.version })}\n\n`);
        live.add(req, res);
        return;
      }
      default:
        return text(req, res, 404, 'not found');
    }
  }

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      log('gui: request failed', { url: req.url, error: String(err) });
      if (!res.headersSent) text(req, res, 500, 'internal error');
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number.isFinite(opts.port) ? opts.port : DEFAULT_PORT, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${h}:${addr.port}${base}/`;
  log('gui: listening', { url });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
