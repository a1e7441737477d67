// Every condition meshgate writes, by scope, with what the user should do about each bad one.
// The GUI's hints come from here (src/gui/hints.ts keeps no table of its own); tests check that
// every entry can be emitted and every emitted condition has an entry (status/*.test.ts,
// src/status-catalogue.test.ts). How to add an entry: see status/conditions.ts.
import type { CatalogueEntry, Scope } from './conditions';
import { entryKey } from './conditions';
import { GATEWAY_ENTRIES } from './gateway';
import { GATEWAYCLASS_ENTRIES } from './gatewayclass';
import type { HintContext } from './hint-context';
import { LISTENER_ENTRIES } from './listener';
import { ROUTE_ENTRIES } from './route';

export const CATALOGUE: readonly CatalogueEntry[] = [...GATEWAYCLASS_ENTRIES, ...GATEWAY_ENTRIES, ...LISTENER_ENTRIES, ...ROUTE_ENTRIES];

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
