// "What to change": the hint of the condition's catalogue entry (translators/status/catalogue.ts),
// made specific with the object's own spec (which namespace needs a ReferenceGrant, which
// hostnames fail to intersect, ...). The GUI keeps no hint table of its own.
import type { HintContext, Scope } from '../../translators/status/catalogue';
import { hintOf } from '../../translators/status/catalogue';

export type { HintContext, Scope };

export function hintFor(scope: Scope, ctx: HintContext & { status: string }): string {
  const hint = hintOf(scope, ctx);
  if (hint) return hint;
  return ctx.message ? `See the message: ${ctx.message}` : 'No hint available for this reason.';
}
