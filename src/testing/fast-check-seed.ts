// Property tests explore random inputs (fast-check picks a seed per run, and prints it on a failure so it
// can be replayed). With FC_SEED set, every property uses that seed: scripts/test.sh sets one, so CI runs
// the same inputs every time and a red build is never a dice roll; run without it to explore.
import fc from 'fast-check';

if (process.env.FC_SEED) fc.configureGlobal({ seed: Number(process.env.FC_SEED) });
