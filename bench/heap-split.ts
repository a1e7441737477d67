// Where the heap of case (2) goes: snapshot only, then the engine's translated state.
import { TranslationEngine } from '../translators';
import { Snapshot } from '../translators/snapshot';
import { cluster } from './translate';
const gc = (globalThis as { gc?: () => void }).gc!;
const mb = () => { gc(); gc(); return process.memoryUsage().heapUsed / 1048576; };
const base = mb();
const input = cluster(1000, 10000, true);
const withInput = mb();
const snap = Snapshot.fromInput(input);
const withSnap = mb();
const engine = TranslationEngine.fromInput(input);
const withEngine = mb();
console.log(`input ${(withInput - base).toFixed(1)} MB, snapshot ${(withSnap - withInput).toFixed(1)} MB, engine (own snapshot + units + desired) ${(withEngine - withSnap).toFixed(1)} MB`);
void snap; void engine;
const r = engine.result();
const byKind = new Map<string, [number, number]>();
for (const o of r.objects) { const e = byKind.get(o.kind) ?? [0, 0]; e[0]++; e[1] += JSON.stringify(o).length; byKind.set(o.kind, e); }
for (const s of r.statuses) { const k = `status ${s.target.kind}`; const e = byKind.get(k) ?? [0, 0]; e[0]++; e[1] += JSON.stringify(s).length; byKind.set(k, e); }
for (const [k, [n, b]] of byKind) console.log(`${k}: ${n} × ${(b / n).toFixed(0)} B JSON = ${(b / 1048576).toFixed(1)} MB`);
console.log(JSON.stringify(r.objects.find((o) => o.kind === 'MeshHTTPRoute')));
console.log(JSON.stringify(r.statuses.find((o) => o.target.kind === 'HTTPRoute')));
