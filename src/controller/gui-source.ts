// The GUI's view of a running controller: the engine's snapshot and desired state, rebuilt
// lazily (only when the GUI asks after a change), so page views cost no API calls.
import type { GuiSnapshot, GuiSource } from '../gui/types';
import type { TranslationEngine } from '../../translators/engine';

export interface EngineSource extends GuiSource {
  changed(): void;
}

export function engineSource(engine: TranslationEngine): EngineSource {
  let version = 1;
  let built: GuiSnapshot | undefined;
  const subs = new Set<() => void>();
  return {
    current() {
      if (!built || built.version !== version) built = { input: engine.input(), result: engine.result(), mode: 'cluster', version };
      return built;
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    changed() {
      version++;
      for (const fn of subs) fn();
    },
  };
}
