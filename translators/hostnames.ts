// Hostname intersection between listeners and routes (GEP-2643, HTTPRouteSpec.Hostnames).
// `*.example.com` matches one or more labels in front of `example.com`, never `example.com`.

export function isWildcard(h: string): boolean {
  return h.startsWith('*.');
}

/** Does wildcard `*.sfx` cover `host` (exact or a more specific wildcard)? */
function wildcardCovers(wild: string, host: string): boolean {
  const suffix = wild.slice(1); // ".sfx"
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * The hostname both sides accept, or undefined. An absent/empty listener hostname accepts
 * everything; of two overlapping names the more specific one is the result.
 */
export function intersectHostname(listener: string | undefined, route: string): string | undefined {
  if (!listener || listener === '*') return route;
  if (route === '*') return listener;
  if (listener === route) return route;
  if (isWildcard(listener) && wildcardCovers(listener, route)) return route;
  if (isWildcard(route) && wildcardCovers(route, listener)) return listener;
  return undefined;
}

/**
 * Effective hostnames of a route on one listener: the intersections, de-duplicated and sorted.
 * A route without hostnames takes the listener's (or `*`). Empty result = no intersection.
 */
export function effectiveHostnames(listener: string | undefined, routeHostnames: string[] | undefined): string[] {
  if (!routeHostnames || routeHostnames.length === 0) return [listener || '*'];
  if (routeHostnames.length === 1) {
    // The usual case: one hostname, no Set and no sort.
    const h = routeHostnames[0];
    const i = typeof h === 'string' ? intersectHostname(listener, h) : undefined;
    return i === undefined ? [] : i === h ? routeHostnames : [i];
  }
  const out = new Set<string>();
  for (const h of routeHostnames) {
    if (typeof h !== 'string') continue;
    const i = intersectHostname(listener, h);
    if (i !== undefined) out.add(i);
  }
  const sorted = [...out].sort();
  // Usually the route's own list: return it, so the outputs share it instead of retaining a copy.
  return sorted.length === routeHostnames.length && sorted.every((h, i) => h === routeHostnames[i]) ? routeHostnames : sorted;
}

const LABEL = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';
const HOSTNAME_RE = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*$`);
const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6_RE = /^\[?[0-9A-Fa-f:.]+\]?$/;

/** Why a hostname is unusable, or undefined when it is fine (the CRD pattern plus "no IPs"). */
export function hostnameProblem(h: unknown): string | undefined {
  if (typeof h !== 'string' || h.length === 0) return 'hostname must be a non-empty string';
  if (h.length > 253) return `hostname ${JSON.stringify(h.slice(0, 40) + '…')} is longer than 253 characters`;
  // JSON quoting: a CR, LF or NUL in user input is shown escaped, never written raw into a status.
  if (IPV4_RE.test(h) || (h.includes(':') && IPV6_RE.test(h))) return `hostname ${JSON.stringify(h)} is an IP address; hostnames must be DNS names`;
  if (h !== h.toLowerCase()) return `hostname ${JSON.stringify(h)} must be lower case`;
  if (!HOSTNAME_RE.test(h)) return `hostname ${JSON.stringify(h)} is not a valid DNS name (RFC 1123, optional leading "*.")`;
  return undefined;
}

/** Specificity for ordering: exact beats wildcard beats empty; longer wildcards first. */
export function hostnameSpecificity(h: string | undefined): number {
  if (!h || h === '*') return 0;
  if (isWildcard(h)) return 1 + h.split('.').length;
  return 1000 + h.length;
}
