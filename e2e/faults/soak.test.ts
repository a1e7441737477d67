// Soak (bench/soak.ts) in CI: seeded random churn over every input kind at ≤ 10 ops/s for
// MESHGATE_SOAK_MS (default 60 s; `npm run bench:soak` runs 10 minutes). Afterwards the cluster
// equals a fresh translation of the final inputs, controller RSS has not grown more than 20% past
// its value after the first 20% of the run (first minute on long runs), and no route ever listed
// more of meshgate's status.parents than it has parentRefs.
import { formatReport, runSoak, soakProblems } from '../../bench/soak';

const durationMs = Number(process.env.MESHGATE_SOAK_MS ?? 60_000);
jest.setTimeout(durationMs + 240_000);

test(`soak: ${Math.round(durationMs / 1000)} s of seeded random churn converges, RSS bounded, route parents bounded`, async () => {
  const report = await runSoak({
    durationMs,
    seed: process.env.MESHGATE_SOAK_SEED ? Number(process.env.MESHGATE_SOAK_SEED) : undefined,
    log: (l) => console.log(l),
  });
  console.log(formatReport(report));
  expect(report.ops).toBeGreaterThan(durationMs / 1000); // ≥ 1 op/s really happened
  expect(report.failedOps).toBeLessThanOrEqual(report.ops * 0.02);
  expect(report.diffs).toEqual([]);
  expect(report.parentOverflows).toEqual([]);
  expect(soakProblems(report)).toEqual([]);
});
