// Every condition meshgate writes, by scope, with what the user should do about each bad one.
// The GUI's hints come from here (src/gui/hints.ts keeps no table of its own); tests check that
// every entry can be emitted and every emitted condition has an entry (status/*.test.ts,
// src/status-catalogue.test.ts). How to add an entry: see status/conditions.ts.
import type { Condition } from '../api/meta';
import type { TranslationResult } from '../result';
import type { CatalogueEntry, Scope } from './conditions';
import { entryKey } from './conditions';
import { GATEWAY_ENTRIES } from './gateway';
import { GATEWAYCLASS_ENTRIES } from './gatewayclass';
import type { HintContext } from './hint-context';
import { LISTENER_ENTRIES } from './listener';
import { LISTENERSET_ENTRIES } from './listenerset';
import { ROUTE_ENTRIES } from './route';

export const CATALOGUE: readonly CatalogueEntry[] = [...GATEWAYCLASS_ENTRIES, ...GATEWAY_ENTRIES, ...LISTENERSET_ENTRIES, ...LISTENER_ENTRIES, ...ROUTE_ENTRIES];

const BY_KEY = new Map(CATALOGUE.map((e) => [entryKey(e.scope, e.type, e.status, e.reason), e]));

export function catalogueEntry(scope: Scope, c: { type: string; status: string; reason: string }): CatalogueEntry | undefined {
  return BY_KEY.get(entryKey(scope, c.type, c.status, c.reason));
}

/** The entry's hint for this condition, or undefined when the catalogue has none. */
export function hintOf(scope: Scope, ctx: HintContext & { status: string }): string | undefined {
  return catalogueEntry(scope, ctx)?.hint?.(ctx);
}

export type { CatalogueEntry, Scope } from './conditions';
export type { HintContext } from './hint-context';

export interface EmittedCondition {
  scope: Scope;
  /** `Kind ns/name`, plus the listener or parent the condition is on. */
  where: string;
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** Every condition in a translation result, with its scope: what the catalogue tests collect. */
export function conditionsOf(result: TranslationResult): EmittedCondition[] {
  const out: EmittedCondition[] = [];
  const add = (scope: Scope, where: string, cs: readonly Condition[]) => {
    for (const c of cs) out.push({ scope, where, type: c.type, status: c.status, reason: c.reason, message: c.message });
  };
  for (const st of result.statuses) {
    const t = st.target;
    const name = `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
    if ('supportedFeatures' in st) add('GatewayClass', name, st.conditions);
    else if ('listeners' in st) {
      add(t.kind === 'ListenerSet' ? 'ListenerSet' : 'Gateway', name, st.conditions);
      for (const l of st.listeners) add('Listener', `${name} listener ${l.name}`, l.conditions);
    } else for (const p of st.parents) add('Route', `${name} parent ${p.parentRef.namespace ?? ''}/${p.parentRef.name}`, p.conditions);
  }
  return out;
}
