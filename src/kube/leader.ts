// Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics: a follower
// takes the lease only after it has seen the same holder/renewTime unchanged for a full lease
// duration (by its own clock, so clock skew cannot shorten it), and a leader that could not renew
// for `renewDeadline` (< leaseDuration) stops writing before anyone else may start.
import type { KubeClient } from './client';
import { sleep } from './client';
import { R, resourcePath } from './resources';

export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

export interface LeaderCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
  onError?(e: Error): void;
}

const microTime = (d: Date) => d.toISOString().replace('Z', '000Z');

export class LeaderElector {
  private lastRenew = 0; // local clock, ms, of our last successful acquire/renew
  private leading = false;
  private observed: { holder?: string; renewTime?: string; at: number } = { at: 0 };
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly client: KubeClient, private readonly cfg: LeaderElectionConfig, private readonly cb: LeaderCallbacks, private readonly now: () => number = Date.now) {
    if (cfg.renewDeadlineMs >= cfg.leaseDurationMs) throw new Error('renew deadline must be shorter than the lease duration');
  }

  /** True only while the lease is ours and was renewed within the renew deadline. */
  isLeader(): boolean {
    return this.leading && this.now() - this.lastRenew < this.cfg.renewDeadlineMs;
  }

  /** True once this replica knows whether it leads or follows (it has read or taken the lease). */
  known(): boolean {
    return this.leading || this.observed.at > 0;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Stops, and releases the lease if held so a successor need not wait for it to expire. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.leading) {
      this.setLeading(false);
      await this.release().catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const ok = await this.tryAcquireOrRenew();
        if (ok && !this.leading) this.setLeading(true);
      } catch (e) {
        this.cb.onError?.(e as Error);
      }
      if (this.leading && this.now() - this.lastRenew >= this.cfg.renewDeadlineMs) this.setLeading(false);
      await sleep(this.cfg.retryPeriodMs);
    }
  }

  private setLeading(v: boolean): void {
    if (this.leading === v) return;
    this.leading = v;
    if (v) this.cb.onStartedLeading();
    else this.cb.onStoppedLeading();
  }

  private path(name?: string): string {
    return resourcePath(R.leases, this.cfg.namespace, name);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const t = new Date(this.now());
    const res = await this.client.request<Lease>('GET', this.path(this.cfg.name), { retries: 0, timeoutMs: this.cfg.retryPeriodMs * 2 });
    const spec = { holderIdentity: this.cfg.identity, leaseDurationSeconds: Math.ceil(this.cfg.leaseDurationMs / 1000), renewTime: microTime(t) };
    if (res.status === 404) {
      const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.cfg.name, namespace: this.cfg.namespace }, spec: { ...spec, acquireTime: microTime(t), leaseTransitions: 0 } };
      const c = await this.client.request('POST', this.path(), { body: lease, contentType: 'application/json', retries: 0 });
      if (c.status >= 300) return false;
      this.lastRenew = this.now();
      return true;
    }
    if (res.status >= 300) throw new Error(`get lease: HTTP ${res.status}`);
    const lease = res.body;
    const holder = lease.spec.holderIdentity;
    if (holder !== this.observed.holder || lease.spec.renewTime !== this.observed.renewTime) {
      this.observed = { holder, renewTime: lease.spec.renewTime, at: this.now() };
      if (holder && holder !== this.cfg.identity) this.cb.onNewLeader?.(holder);
    }
    const expired = !holder || this.now() - this.observed.at > (lease.spec.leaseDurationSeconds ?? 15) * 1000;
    if (holder !== this.cfg.identity && !expired) return false;
    const next: Lease = {
      ...lease,
      spec: {
        ...lease.spec, ...spec,
        acquireTime: holder === this.cfg.identity ? lease.spec.acquireTime : microTime(t),
        leaseTransitions: (lease.spec.leaseTransitions ?? 0) + (holder === this.cfg.identity ? 0 : 1),
      },
    };
    const u = await this.client.request<Lease>('PUT', this.path(this.cfg.name), { body: next, contentType: 'application/json', retries: 0, timeoutMs: this.cfg.retryPeriodMs * 2 });
    if (u.status >= 300) return false; // 409: someone else renewed or took it first
    this.lastRenew = this.now();
    this.observed = { holder: this.cfg.identity, renewTime: u.body.spec.renewTime, at: this.now() };
    return true;
  }

  private async release(): Promise<void> {
    const res = await this.client.request<Lease>('GET', this.path(this.cfg.name), { retries: 0 });
    if (res.status >= 300 || res.body.spec.holderIdentity !== this.cfg.identity) return;
    const lease = res.body;
    await this.client.request('PUT', this.path(this.cfg.name), {
      body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 } }, contentType: 'application/json', retries: 0,
    });
  }
}
