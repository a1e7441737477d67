// Validation of command-line values as Kubernetes would validate them, and the exit codes of every command.
// Each check returns the reason a value is refused (for the usage error), or undefined when it is valid.

/** Exit codes of `meshgate` (also in `meshgate --help` and docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** An unexpected error, or the controller failing at run time. */
  failure: 1,
  /** Unknown command or flag, a missing or invalid value: stderr says which and why. */
  usage: 2,
  /** `translate`: a file that cannot be read or YAML that does not parse (file:line). */
  input: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  unexpected error, or the controller failed at run time
  2  usage error: unknown command or flag, missing or invalid value (the message says which and why)
  3  invalid input (translate): a file that cannot be read, YAML that does not parse (file:line)
`;

export class UsageError extends Error {}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Gateway API's GatewayController type (GatewayClass spec.controllerName): domain/path, at most 253 characters.
const CONTROLLER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** A namespace name: a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters). */
export function namespaceProblem(v: string): string | undefined {
  if (v.length > 63) return `"${v}" is longer than 63 characters (a namespace name is a DNS-1123 label)`;
  if (!DNS1123_LABEL.test(v)) return `"${v}" is not a valid namespace name: a DNS-1123 label has lower-case letters, digits and '-', and starts and ends with a letter or digit`;
  return undefined;
}

/** An object name such as a Lease's: a DNS-1123 subdomain (at most 253 characters). */
export function subdomainProblem(v: string): string | undefined {
  if (v.length > 253 || !DNS1123_SUBDOMAIN.test(v)) return `"${v}" is not a valid name: a DNS-1123 subdomain has lower-case letters, digits, '-' and '.', at most 253 characters`;
  return undefined;
}

/** A Gateway API controllerName: `domain/path`, e.g. gateways.kuma.io/controller. */
export function controllerNameProblem(v: string): string | undefined {
  if (v.length > 253 || !CONTROLLER_NAME.test(v)) return `"${v}" is not a valid controller name: Gateway API wants a domain-prefixed path such as gateways.kuma.io/controller (at most 253 characters)`;
  return undefined;
}

export function portProblem(v: string): string | undefined {
  if (!/^\d+$/.test(v) || Number(v) > 65535) return `"${v}" is not a port number (0-65535)`;
  return undefined;
}

/** host:port, [v6]:port or :port. */
export function addressProblem(v: string): string | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d+)$/.exec(v);
  if (!m || Number(m[2]) > 65535) return `"${v}" is not an address: host:port, [IPv6]:port or :port`;
  return undefined;
}

/** Throws a UsageError naming the flag when `problem` finds one. */
export function check(flag: string, v: string, problem: (v: string) => string | undefined): string {
  const p = problem(v);
  if (p) throw new UsageError(`--${flag}: ${p}`);
  return v;
}
