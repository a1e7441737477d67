// The token bucket on a ManualClock: a burst, then one token per 1/qps, FIFO among waiters.
import { ManualClock } from '../testing/manual-clock';
import { TokenBucket } from './rate-limit';

it('grants the burst at once, then one token per 1/qps in arrival order', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket(10, 2, clock);
  const got: [number, number][] = [];
  for (let i = 0; i < 5; i++) void bucket.acquire().then(() => got.push([i, clock.now()]));
  await clock.advance(0);
  const t0 = clock.now();
  expect(got).toEqual([[0, t0], [1, t0]]);
  await clock.advance(250);
  expect(got.map(([i, t]) => [i, t - t0])).toEqual([[0, 0], [1, 0], [2, 100], [3, 200]]);
  await clock.advance(50);
  expect(got.map(([i, t]) => [i, t - t0])).toEqual([[0, 0], [1, 0], [2, 100], [3, 200], [4, 300]]);
  expect(clock.pending).toBe(0);
});

it('tokens refill while idle, up to the burst', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket(10, 3, clock);
  for (let i = 0; i < 3; i++) await bucket.acquire();
  await clock.advance(10_000);
  let granted = 0;
  for (let i = 0; i < 4; i++) void bucket.acquire().then(() => granted++);
  await clock.advance(0);
  expect(granted).toBe(3);
});
