// Route parent status assembly moved to status/route.ts (the condition catalogue); these names stay
// importable from here for the route translators.
export { echoParentRef, parentStatus, sortParents } from './status/route';
export type { ParentOutcome } from './status/route';
