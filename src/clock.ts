// Time as a dependency: code whose behaviour depends on time takes a Clock, so unit tests drive
// it with a ManualClock (src/testing/manual-clock.ts) instead of sleeping on the wall clock.
export interface Timer { cancel(): void }

export interface Clock {
  now(): number;
  /** Runs `f` after `ms`; a `weak` timer does not keep the process alive. */
  after(ms: number, f: () => void, weak?: boolean): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, f, weak = false) {
    const t = setTimeout(f, Math.max(0, ms));
    if (weak) t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
