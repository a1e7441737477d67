// A small Kubernetes REST client: client-node's KubeConfig supplies credentials (re-resolved every
// 10 minutes and on a 401); requests go through a token bucket, retry 429/5xx/network errors with
// backoff (honouring Retry-After), and every call is reported to an observer (metrics, write
// counting). Watches stream JSON lines.
import https from 'node:https';
import tls from 'node:tls';
import http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Connection } from './kubeconfig';
import { backoffDelay, TokenBucket } from './rate-limit';
import type { Clock } from '../clock';

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  /** Retries for 429/5xx/network errors; 0 disables. */
  retries?: number;
  signal?: AbortSignal;
}

export interface RequestObserver {
  (e: { method: string; path: string; status: number; durationMs: number }): void;
}

export class KubeError extends Error {
  constructor(public readonly status: number, public readonly method: string, public readonly path: string, public readonly body: unknown) {
    super(`${method} ${path}: HTTP ${status}${typeof body === 'object' && body && 'message' in body ? `: ${(body as { message: string }).message}` : ''}`);
  }
}

export class KubeClient {
  private agent: https.Agent | http.Agent;
  private readonly limiter: TokenBucket;
  private readonly observers: RequestObserver[] = [];
  /**
   * The API server does API Priority and Fairness (it answers with X-Kubernetes-PF-* headers):
   * it queues and sheds load itself, so the client-side token bucket (client-go's open-loop
   * QPS/burst) only slows bursts down; it is bypassed, as Flux does. 429s are still retried.
   */
  serverFairness = false;

  /** Watches hold their connection for minutes: their own pool, so they never queue requests. */
  private watchAgent: https.Agent | http.Agent;

  private agentFor(base: https.RequestOptions, maxSockets: number): https.Agent | http.Agent {
    const agentOpts = { keepAlive: true, maxSockets };
    if (this.server.protocol !== 'https:') return new http.Agent(agentOpts);
    // One TLS context for every socket: given ca/cert/key instead, each new connection parses them
    // again (a fresh process's ~70 connections: 10% of its CPU in a 1,000-route burst).
    const secureContext = tls.createSecureContext({ ca: base.ca, cert: base.cert, key: base.key });
    return new https.Agent({ ...agentOpts, secureContext, rejectUnauthorized: base.rejectUnauthorized });
  }

  private lastRefresh = 0;
  private refreshTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly server: URL,
    private base: https.RequestOptions,
    qps: number,
    burst: number,
    private readonly bypassWithServerFairness = true,
    private readonly refresher?: () => Promise<Connection>,
    clock?: Clock,
  ) {
    this.limiter = new TokenBucket(qps, burst, clock);
    this.agent = this.agentFor(base, 64);
    this.watchAgent = this.agentFor(base, Infinity);
    // Bound ServiceAccount tokens rotate (~1 h) and exec-plugin tokens expire: re-resolve the
    // credentials periodically, and at once on a 401.
    if (refresher) this.refreshTimer = setInterval(() => void this.refreshCredentials(), 10 * 60_000).unref();
  }

  /** Re-resolves credentials (at most every 10 s); true if they were replaced. */
  async refreshCredentials(): Promise<boolean> {
    if (!this.refresher || Date.now() - this.lastRefresh < 10_000) return false;
    this.lastRefresh = Date.now();
    try {
      const c = await this.refresher();
      const next: https.RequestOptions = { ca: c.ca, cert: c.cert, key: c.key, rejectUnauthorized: c.rejectUnauthorized, headers: c.headers };
      const tlsChanged = !sameBuf(next.ca, this.base.ca) || !sameBuf(next.cert, this.base.cert) || !sameBuf(next.key, this.base.key);
      this.base = next;
      if (tlsChanged) {
        const old = [this.agent, this.watchAgent];
        this.agent = this.agentFor(next, 64);
        this.watchAgent = this.agentFor(next, Infinity);
        for (const a of old) a.destroy();
      }
      return true;
    } catch {
      return false; // keep the old credentials; the next 401 or tick tries again
    }
  }

  static async create(kc: KubeConfig, opts: { qps: number; burst: number; bypassWithServerFairness?: boolean }): Promise<KubeClient> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const base: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(base);
    return new KubeClient(new URL(cluster.server), base, opts.qps, opts.burst, opts.bypassWithServerFairness ?? true);
  }

  /** From a resolved connection (see resolveConnection): no client-node in this process. */
  static fromConnection(c: Connection, opts: { qps: number; burst: number; bypassWithServerFairness?: boolean; clock?: Clock }, refresher?: () => Promise<Connection>): KubeClient {
    const base: https.RequestOptions = { ca: c.ca, cert: c.cert, key: c.key, rejectUnauthorized: c.rejectUnauthorized, headers: c.headers };
    return new KubeClient(new URL(c.server), base, opts.qps, opts.burst, opts.bypassWithServerFairness ?? true, refresher, opts.clock);
  }

  observe(o: RequestObserver): void {
    this.observers.push(o);
  }

  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<KubeResponse<T>> {
    const retries = opts.retries ?? 5;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (!this.serverFairness) await this.limiter.acquire();
      let res: KubeResponse<T> | undefined;
      let netErr: Error | undefined;
      try {
        res = await this.once<T>(method, path, opts);
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        netErr = e as Error;
      }
      // Expired credentials: re-resolve once and retry the request with the new ones.
      if (res?.status === 401 && !refreshed && (await this.refreshCredentials())) { refreshed = true; attempt--; continue; }
      const retriable = netErr !== undefined || (res !== undefined && (res.status === 429 || res.status >= 500));
      if (!retriable || attempt >= retries) {
        if (netErr) throw netErr;
        return res!;
      }
      await sleep(retryAfterMs(res?.headers) ?? backoffDelay(attempt), opts.signal);
    }
  }

  /** Like request, but a non-2xx answer throws KubeError. */
  async call<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request<T>(method, path, opts);
    if (res.status < 200 || res.status >= 300) throw new KubeError(res.status, method, path, res.body);
    return res.body;
  }

  private once<T>(method: string, path: string, opts: RequestOptions): Promise<KubeResponse<T>> {
    const started = Date.now();
    // An explicit Content-Length: Node does not chunk DELETE bodies, and without a length the
    // server ignores the body (preconditions!) and reads it as the next request on the socket.
    const payload = opts.body === undefined ? undefined : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    return new Promise((resolve, reject) => {
      const req = this.raw(method, path, opts.query, opts.contentType, payload?.length, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try { body = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
          const status = res.statusCode ?? 0;
          if (res.headers['x-kubernetes-pf-prioritylevel-uid'] && this.bypassWithServerFairness) this.serverFairness = true;
          for (const o of this.observers) o({ method, path, status, durationMs: Date.now() - started });
          resolve({ status, body: body as T, headers: res.headers });
        });
        res.on('error', reject);
      });
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (opts.signal) {
        // Removed when the request is over: the informers pass one long-lived signal to every list.
        const onAbort = () => req.destroy(new Error('aborted'));
        opts.signal.addEventListener('abort', onAbort, { once: true });
        req.once('close', () => opts.signal!.removeEventListener('abort', onAbort));
      }
      if (payload) req.write(payload);
      req.end();
    });
  }

  private raw(method: string, path: string, query: RequestOptions['query'], contentType: string | undefined, contentLength: number | undefined, onResponse: (res: http.IncomingMessage) => void, agent = this.agent): http.ClientRequest {
    const url = new URL(path, this.server);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: http.OutgoingHttpHeaders = { ...(this.base.headers as http.OutgoingHttpHeaders | undefined), Accept: 'application/json', 'User-Agent': 'meshgate' };
    if (contentType) headers['Content-Type'] = contentType;
    if (contentLength !== undefined) headers['Content-Length'] = contentLength;
    const mod = url.protocol === 'https:' ? https : http;
    return mod.request(url, { method, headers, agent }, onResponse);
  }

  /**
   * Streams a watch: calls onEvent per JSON line until the server closes the stream (resolve) or
   * an error happens (reject). `signal` aborts it; `onActivity` fires when the server accepts the
   * watch (2xx headers) and on every received byte.
   */
  async watch(path: string, query: RequestOptions['query'], onEvent: (e: { type: string; object: unknown }) => void, signal: AbortSignal, onActivity: () => void = () => {}): Promise<void> {
    if (!this.serverFairness) await this.limiter.acquire();
    await new Promise<void>((resolve, reject) => {
      const req = this.raw('GET', path, { ...query, watch: true }, undefined, undefined, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let body: unknown;
            try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { body = undefined; }
            // The informer retries the watch; make sure that retry carries fresh credentials.
            if (res.statusCode === 401) void this.refreshCredentials();
            reject(new KubeError(res.statusCode ?? 0, 'WATCH', path, body));
          });
          return;
        }
        onActivity();
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          onActivity();
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            try { onEvent(JSON.parse(line)); } catch (e) { req.destroy(e as Error); return; }
          }
        });
        res.on('end', () => resolve());
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('watch aborted by server')));
      }, this.watchAgent);
      req.on('error', reject);
      signal.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      req.end();
    });
  }

  close(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

function sameBuf(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return Buffer.from(a as Buffer).equals(Buffer.from(b as Buffer));
}

function retryAfterMs(headers: http.IncomingHttpHeaders | undefined): number | undefined {
  const v = headers?.['retry-after'];
  if (typeof v !== 'string') return undefined;
  const s = Number(v);
  return Number.isFinite(s) ? Math.min(s, 60) * 1000 : undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
