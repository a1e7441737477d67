// Building blocks shared by the HTTPRoute rule and filter converters.
import type { BackendContext } from './backends';
import type { ConvertedRules, RuleProblem } from './httproute-rules';

export type Severity = RuleProblem['severity'];
/** What every rule-level step writes to: the context and the result being built. */
export interface Sink {
  /** `spec.rules[i]`: prefixes backend-failure fields and fatal messages, not problem fields. */
  base: string;
  ctx: BackendContext;
  out: ConvertedRules;
  problem(field: string, message: string, severity: Severity): void;
}
/** A converted part, or why it had to be dropped. */
export type Part<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

export const ok = <T>(value: T): Part<T> => ({ ok: true, value });
export const bad = <T>(field: string, message: string): Part<T> => ({ ok: false, field, message });
export const present = (v: unknown): boolean => v !== undefined && v !== null;
/** HTTPHeaderName (RFC 7230 token), the CRD pattern for header and query parameter names. */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
