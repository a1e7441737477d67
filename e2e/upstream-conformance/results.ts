// Reading what the upstream suite did: `go test -json` events per subtest, the suite's test list
// (conformance_test.go writes it) and the ConformanceReport; and the checks CI makes of them.
export interface TestInfo { name: string; features: string[]; provisional?: boolean; statusOnly: boolean }
export type Outcome = 'passed' | 'failed' | 'not run: needs a data plane' | 'not run: feature not claimed';
export interface TestOutcome extends TestInfo { outcome: Outcome; missing?: string[] }

interface GoEvent { Action: string; Test?: string; Output?: string }

const PARENT = 'TestUpstreamConformance/';

/** Each subtest's final action (pass, fail, skip) and its output, from `go test -json` lines. */
export function parseGoTestJson(text: string): Map<string, { action: string; output: string }> {
  const out = new Map<string, { action: string; output: string }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let e: GoEvent;
    try { e = JSON.parse(line) as GoEvent; } catch { continue; }
    if (!e.Test?.startsWith(PARENT)) continue;
    const name = e.Test.slice(PARENT.length).split('/')[0];
    const cur = out.get(name) ?? { action: 'run', output: '' };
    // Only the test's own pass/fail/skip counts, not that of its sub-subtests.
    if (e.Test === PARENT + name && ['pass', 'fail', 'skip'].includes(e.Action)) cur.action = e.Action;
    if (e.Action === 'output' && e.Output) cur.output += e.Output;
    out.set(name, cur);
  }
  return out;
}

/** Each of the suite's tests with what happened to it and, if not run for lack of a claim, the features missing. */
export function outcomes(tests: TestInfo[], events: Map<string, { action: string; output: string }>, claimed: Set<string>): TestOutcome[] {
  return tests.map((t): TestOutcome => {
    const ev = events.get(t.name);
    const missing = t.features.filter((f) => !claimed.has(f));
    if (ev?.action === 'pass') return { ...t, outcome: 'passed' };
    if (ev?.action === 'fail') return { ...t, outcome: 'failed' };
    if (missing.length > 0) return { ...t, outcome: 'not run: feature not claimed', missing };
    if (!ev) return { ...t, outcome: 'failed' }; // claimed, yet the suite did not run it
    if (/test explicitly skipped/.test(ev.output) && !t.statusOnly) return { ...t, outcome: 'not run: needs a data plane' };
    return { ...t, outcome: 'failed' }; // skipped for a reason this file does not know: not a pass
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * What CI fails on: a test that ran and failed, and a claimed feature that no passing test
 * exercised (a claim must rest on a pass; the suite's profiles count core features as claimed).
 */
export function problems(results: TestOutcome[], claimed: Set<string>): string[] {
  const out: string[] = [];
  for (const r of results) if (r.outcome === 'failed') out.push(`${r.name} failed`);
  for (const f of [...claimed].sort()) {
    if (!results.some((r) => r.outcome === 'passed' && r.features.includes(f))) out.push(`feature ${f} is claimed but no test that exercises it passed`);
  }
  return out;
}
