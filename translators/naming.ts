// Generated names and ownership labels. Names are stable (same input → same name) and always
// valid for their kind: long inputs are truncated and suffixed with a hash of the full value.

/**
 * meshgate's owner label: Kuma's value format under meshgate's own key. Not Kuma's key: Kuma 2.x's
 * HTTPRoute controller deletes every MeshHTTPRoute with its key and a route's value that it did
 * not generate, so next to a running Kuma 2.x it would delete meshgate's (docs/migrating-from-kuma.md).
 */
export const OWNER_LABEL = 'meshgate.io/owner';
/** The owner label of what Kuma's own Gateway API controllers write; read only, when taking over. */
export const KUMA_OWNER_LABEL = 'gateways.kuma.io/gateway.networking.k8s.io-owner';
export const OWNER_KIND_LABEL = 'meshgate.io/owner-kind';
export const CONTROLLER_LABEL = 'meshgate.io/controller';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshgate';
export const MESH_LABEL = 'kuma.io/mesh';
export const LISTENER_NAME_TAG = 'gateways.kuma.io/listener-name';
export const LISTENER_PORT_TAG = 'gateways.kuma.io/listener-port';
export const SNI_TAG = 'gateways.kuma.io/sni';
export const SERVICE_TAG = 'kuma.io/service';
export const ORIGIN_LABEL = 'kuma.io/origin';
export const ZONE_TAG = 'kuma.io/zone';
/** Gateway API's label on what a Gateway generates (GEP-1762); its conformance suite finds pods by it. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/**
 * The gateway-name label, when the Gateway's name is a valid label value: a name over 63
 * characters is not, and the API server would refuse the whole object for it.
 */
export function gatewayNameLabel(gatewayName: string): Record<string, string> {
  return LABEL_VALUE.test(gatewayName) ? { [GATEWAY_NAME_LABEL]: gatewayName } : {};
}

/**
 * On a zone control plane Kuma's admission refuses policies in the system namespace unless they
 * say they originate in this zone (`kuma.io/origin: zone`, and `kuma.io/zone` if set must be the
 * zone's name). Everything meshgate writes there carries both when `--zone` is set.
 */
export function zoneOriginLabels(zone: string | undefined): Record<string, string> {
  return zone ? { [ORIGIN_LABEL]: 'zone', [ZONE_TAG]: zone } : {};
}

/** FNV-1 (not FNV-1a), 32 bit, as Go's hash/fnv New32 computes it. */
export function fnv1(...parts: string[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    // ASCII (every Kubernetes name) hashes its char codes directly; anything else its UTF-8
    // bytes. Same result either way, without allocating a Buffer per call in the hot path.
    const start = h;
    let ascii = true;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c > 0x7f) { ascii = false; break; }
      h = (Math.imul(h, 0x01000193) ^ c) >>> 0;
    }
    if (ascii) continue;
    h = start;
    for (const b of Buffer.from(part, 'utf8')) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  }
  return h >>> 0;
}

export function fnv1Hex(...parts: string[]): string {
  return fnv1(...parts).toString(16);
}

/** Go's `%x` of the 4-byte digest: zero-padded to 8 hex digits. */
export function fnv1Digest(...parts: string[]): string {
  return hex8(fnv1(...parts));
}

const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/**
 * `h.toString(16).padStart(8, '0')` for a uint32, five times faster: most digests exceed the
 * small-integer range, and toString(16) of a heap number takes V8's slow radix path (50,000
 * digests per full translation of 10,000 routes: ~40 ms → ~8 ms).
 */
function hex8(h: number): string {
  const d = (shift: number) => HEX_DIGITS[(h >>> shift) & 15];
  return String.fromCharCode(d(28), d(24), d(20), d(16), d(12), d(8), d(4), d(0));
}

/**
 * Keep `name` if it fits in `max` characters; otherwise cut it and append `-<hash>` of the
 * whole, so distinct long names stay distinct. The cut never ends in '-' or '.'.
 */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const suffix = fnv1Digest(name);
  let head = name.slice(0, max - suffix.length - 1);
  head = head.replace(/[-.]+$/, '');
  return `${head}-${suffix}`;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE_CHARS = /^[A-Za-z0-9_.-]*$/;
const ALNUM_START = /^[A-Za-z0-9]/;

/**
 * boundedName for object names (DNS-1123 subdomains). A valid name is kept or cut exactly as
 * boundedName does (Kuma's names). Names from a cluster always are valid; one from an unchecked
 * file (upper case, '_', unicode) is lower-cased label by label, other characters become '-', and
 * the hash of the original is appended, so distinct names stay distinct.
 */
export function subdomainName(name: string, max: number): string {
  const bounded = boundedName(name, max);
  if (DNS1123_SUBDOMAIN.test(bounded)) return bounded;
  const suffix = fnv1Digest(name);
  const labels = name.toLowerCase().split('.').map((l) => l.replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '')).filter(Boolean);
  const head = labels.join('.').slice(0, max - suffix.length - 1).replace(/[-.]+$/, '');
  return head ? `${head}-${suffix}` : suffix;
}

/**
 * Kuma's owner label value: `%.54s-%x` of `<ns>_<name>` and FNV-1 of ns+name (fits 63). Characters
 * a label value cannot hold (only in unchecked files) become '_'; it starts alphanumeric.
 */
export function ownerLabelValue(namespace: string, name: string): string {
  // The regular expressions run only where they change something (one value per generated route).
  let head = [namespace, name].join('_');
  if (head.length > 54) head = head.slice(0, 54);
  if (!LABEL_VALUE_CHARS.test(head)) head = head.replace(/[^A-Za-z0-9_.-]/g, '_');
  const v = [head, fnv1Digest(namespace, name)].join('-');
  return ALNUM_START.test(v) ? v : v.replace(/^[^A-Za-z0-9]+/, '');
}

/** Label values: ≤63 characters, alphanumeric at both ends; other characters hashed in as for names. */
export function labelValue(value: string): string {
  const clean = LABEL_VALUE_CHARS.test(value) ? value : `${value.replace(/[^A-Za-z0-9_.-]/g, '_')}-${fnv1Digest(value)}`;
  const v = boundedName(clean, 63);
  return v.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

export function ownerLabels(
  ownerKind: string,
  ownerNamespace: string,
  ownerName: string,
  controllerName: string,
): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [CONTROLLER_LABEL]: controllerDigest(controllerName),
    [OWNER_KIND_LABEL]: ownerKind,
    [OWNER_LABEL]: ownerLabelValue(ownerNamespace, ownerName),
  };
}

// One controller name per translation: its digest is computed once, not once per generated object.
let lastController: string | undefined;
let lastDigest = '';
function controllerDigest(controllerName: string): string {
  if (controllerName !== lastController) { lastDigest = fnv1Digest(controllerName); lastController = controllerName; }
  return lastDigest;
}

/**
 * The labels of a generated object, in this order: owner labels, mesh, zone origin (with --zone), and the
 * Gateway's name (where one Gateway uses the object). Built in place: spreading four small objects per
 * route was a twentieth of translating 10,000 routes.
 */
export function generatedLabels(
  owner: { kind: string; namespace: string; name: string },
  controllerName: string,
  mesh: string,
  zone: string | undefined,
  gatewayName: string | undefined,
): Record<string, string> {
  const labels = ownerLabels(owner.kind, owner.namespace, owner.name, controllerName);
  labels[MESH_LABEL] = mesh;
  if (zone) { labels[ORIGIN_LABEL] = 'zone'; labels[ZONE_TAG] = zone; }
  if (gatewayName !== undefined && LABEL_VALUE.test(gatewayName)) labels[GATEWAY_NAME_LABEL] = gatewayName;
  return labels;
}

/** MeshGateway name, Kuma's `<gateway>.<namespace>`; cluster-scoped, DNS subdomain (≤253). */
export function meshGatewayName(gwNamespace: string, gwName: string): string {
  return subdomainName(`${gwName}.${gwNamespace}`, 253);
}

/** The `kuma.io/service` tag that binds gateway pods to their MeshGateway. */
export function gatewayServiceTag(gwNamespace: string, gwName: string): string {
  return `${gwName}_${gwNamespace}_svc`;
}

/**
 * A DNS-1035 label (what Service names must be): lower-case alphanumerics and '-', starting with
 * a letter, at most `max` characters. A name that already is one is kept (Kuma's names); any
 * other gets a hash of the original appended, so that "a.b" and "a-b" stay distinct.
 */
export function dns1035Label(name: string, max = 63): string {
  if (name.length <= max && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) return name;
  let v = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (!/^[a-z]/.test(v)) v = `gw-${v}`;
  const suffix = fnv1Digest(name);
  return `${v.slice(0, max - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}

/**
 * Deployment name (DNS subdomain; at most 242 characters so that the ReplicaSet name
 * `<deployment>-<pod-template-hash>` still fits in 253) and Service name (DNS-1035 label, ≤63:
 * a Gateway name may contain dots or start with a digit, a Service name may not).
 */
export function gatewayWorkloadNames(gwName: string): { deployment: string; service: string; app: string } {
  const service = dns1035Label(gwName);
  return { deployment: subdomainName(gwName, 242), service, app: labelValue(gwName) };
}

/**
 * Whether a Kuma name built from `<a>-<ns>…` parts can be parsed back to one source: only if the
 * namespace has no '-' (names may, namespaces then delimit them). See docs/kuma-compatibility.md.
 */
function kumaNameIsUnambiguous(...dashFree: string[]): boolean {
  return dashFree.every((p) => !p.includes('-'));
}

/** 8 hex digits of FNV-1 over the parts, '/'-separated (no Kubernetes name contains '/'). */
function sourceHash(...parts: string[]): string {
  return fnv1Digest(parts.join('/'));
}

/**
 * The Secret copy in the system namespace: Kuma's `gapi-<ns>-<name>` in mesh `default` when the
 * namespace has no '-' (then no other Secret maps to it); otherwise, and in other meshes (Kuma
 * stores mesh-scoped secrets by object name), `-<hash of mesh, ns, name>` is appended. The hashed
 * form never equals a kept one except by an 8-hex-digit coincidence, which the translator reports.
 */
export function secretCopyName(mesh: string, srcNamespace: string, srcName: string): string {
  const base = `gapi-${srcNamespace}-${srcName}`;
  if (mesh === 'default' && kumaNameIsUnambiguous(srcNamespace) && base.length <= 253 && DNS1123_SUBDOMAIN.test(base)) return base;
  return subdomainName(`${base}-${sourceHash(mesh, srcNamespace, srcName)}`, 253);
}

/**
 * Kuma's MeshHTTPRoute name for a Gateway parent: `%.244s` of `<route>-<ns>`, then `-<hash>` of the
 * parentRef (always 8 hex digits, Go's `%x` of the 4-byte digest). Kept when the namespace has no
 * '-'; otherwise `-<hash of ns/route>` goes before the parent hash, so that `c/a-b` and `b-c/a`
 * (both `a-b-c-…` in Kuma) stay apart.
 */
export function parentScopedRouteName(
  routeNamespace: string,
  routeName: string,
  parent: { group: string; kind: string; namespace: string; name: string; sectionName?: string; port?: number },
): string {
  const hash = fnv1Digest(
    parent.port === undefined ? '0' : String(parent.port),
    parent.sectionName ?? '',
    parent.name,
    parent.namespace,
    parent.kind,
    parent.group,
  );
  const headLength = routeName.length + 1 + routeNamespace.length;
  if (kumaNameIsUnambiguous(routeNamespace) && headLength <= 244) return subdomainName([routeName, routeNamespace, hash].join('-'), 253); // flat: see objectKey in unit.ts
  // Kuma trims only '-'; a cut that ends in '.' would not be a DNS subdomain either.
  let cut = [routeName, routeNamespace].join('-');
  if (headLength > 235) cut = cut.slice(0, 235);
  if (/[-.]$/.test(cut)) cut = cut.replace(/[-.]+$/, '');
  // sourceHash(routeNamespace, routeName) without joining them first (FNV-1 reads the bytes in order).
  return subdomainName([cut, fnv1Digest(routeNamespace, '/', routeName), hash].join('-'), 253);
}

/**
 * Kuma's MeshHTTPRoute name for a Service parent (GAMMA): `<route>-<ns>-<svc>.<svcNs>`, kept when
 * neither the route's namespace nor the Service name has a '-' (Service namespaces cannot hold a
 * '.', so the last '.' delimits them); otherwise `-<hash of all four>` is appended.
 */
export function serviceScopedRouteName(routeNamespace: string, routeName: string, svcNamespace: string, svcName: string): string {
  const kuma = `${routeName}-${routeNamespace}-${svcName}.${svcNamespace}`;
  if (kumaNameIsUnambiguous(routeNamespace, svcName) && kuma.length <= 253 && DNS1123_SUBDOMAIN.test(kuma)) return kuma;
  return subdomainName(`${kuma}-${sourceHash(routeNamespace, routeName, svcNamespace, svcName)}`, 253);
}

// ---- GRPCRoute (grpc) ----------------------------------------------------------------------
// Kuma never translated GRPCRoutes, so there is no name to stay compatible with. A GRPCRoute's
// MeshHTTPRoute must never take the name of an HTTPRoute's: the part after the last '.' is
// `grpc-<hash of kind and source>`, a shape no HTTPRoute name has (theirs end in `<ns>-<hash>`,
// `<hash>-<hash>` or `<svcNs>[-<hash>]` after a dot, and namespaces hold no '.').

/** MeshHTTPRoute name of a GRPCRoute on a Gateway parent (one per parentRef and listener). */
export function grpcParentScopedRouteName(
  routeNamespace: string,
  routeName: string,
  parent: { group: string; kind: string; namespace: string; name: string; sectionName?: string; port?: number },
): string {
  const hash = fnv1Digest('GRPCRoute', routeNamespace, routeName, parent.group, parent.kind, parent.namespace, parent.name, parent.sectionName ?? '', String(parent.port ?? 0));
  return grpcName(`${routeName}-${routeNamespace}`, hash);
}

/** MeshHTTPRoute name of a GRPCRoute on a Service parent (GAMMA). */
export function grpcServiceScopedRouteName(routeNamespace: string, routeName: string, svcNamespace: string, svcName: string): string {
  const hash = fnv1Digest('GRPCRoute', routeNamespace, routeName, svcNamespace, svcName);
  return grpcName(`${routeName}-${routeNamespace}-${svcName}.${svcNamespace}`, hash);
}

function grpcName(head: string, hash: string): string {
  const tail = ['.grpc-', hash].join('');
  // Cut the head, never the tail that keeps the name apart from HTTPRoutes'.
  const cut = head.length + tail.length <= 253 ? head : head.slice(0, 253 - tail.length).replace(/[-.]+$/, '');
  return subdomainName([cut, tail].join(''), 253);
}
// ---- end GRPCRoute -------------------------------------------------------------------------
