// A Clock for unit tests: time moves only when the test advances it, and due timers then run in
// order of their due time. Nothing waits on the wall clock, so results do not depend on load.
import type { Clock, Timer } from '../clock';

export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; f: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  after(ms: number, f: () => void): Timer {
    const id = this.seq++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), f });
    return { cancel: () => { this.timers.delete(id); } };
  }

  get pending(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, running each timer when its time comes; `settle` runs between
   * steps so that promise chains a timer starts finish before the next one fires.
   */
  async advance(ms: number, settle: () => Promise<void> = flush): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      let next: [number, { at: number; f: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].f();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (a few turns of the microtask and immediate queues). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
