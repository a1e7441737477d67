// An independent checker of what a Kuma 2.14.3 control plane admits, written for the tests from
// the rules of Kuma's validators (MeshGateway's gateway_validator.go and validators.go, the
// MeshHTTPRoute and MeshTCPRoute validators, the Secret webhook, the gateway's server-secret
// parser and the zone resource-admission checker), plus what the gateway's xDS generation refuses
// for shapes those validators admit (dataPlane below). It shares no code with the translators on
// purpose: a translator bug must not be able to hide itself here. Test-only; never shipped.
import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';

type Obj = Record<string, unknown>;
export interface AdmissionOptions {
  systemNamespace: string;
  /** Set when meshgate runs against a zone control plane (`--zone`). */
  zone?: string;
}

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DOMAIN = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`);
const NAME_CHARS = /^[0-9a-z.\-_]*$/;
const TAG_NAME = /^[a-zA-Z0-9.\-_:/]*$/;
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]*$/;
const SELECTOR_VALUE = /^([a-zA-Z0-9.\-_:/]*|\*)$/;
const UNRESOLVED = 'kuma.io/unresolved-backend';
const DATAPLANE_TAGS = ['kuma.io/external-service-name', 'kuma.io/protocol', 'kuma.io/service', 'kuma.io/zone'];

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const dict = (v: unknown): Record<string, string> => obj(v) as Record<string, string>;

/** Every reason Kuma would refuse `o` (empty: admitted). Unknown kinds are not checked. */
export function kumaAdmissionViolations(o: unknown, opts: AdmissionOptions): string[] {
  const r = obj(o);
  const meta = obj(r.metadata);
  const out: string[] = [];
  switch (r.kind) {
    case 'MeshGateway': meshGateway(r, out); break;
    case 'MeshHTTPRoute': meshHTTPRoute(r, out); zoneOrigin(meta, opts, out); break;
    case 'MeshTCPRoute': meshTCPRoute(r, out); zoneOrigin(meta, opts, out); break;
    case 'Secret': if (meta.namespace === opts.systemNamespace) meshSecret(r, out); break;
    default: return out;
  }
  const mesh = r.kind === 'MeshGateway' ? str(r.mesh) : dict(meta.labels)['kuma.io/mesh'] ?? 'default';
  if (mesh.length > 63 || !DOMAIN.test(mesh)) out.push(`mesh ${JSON.stringify(mesh)}: not a valid mesh name`);
  return out;
}

// ---- MeshGateway -------------------------------------------------------------------------

function tags(path: string, t: Record<string, string>, out: string[], o: { selector: boolean; forbid?: string[]; atLeastOne?: boolean; service?: boolean }): void {
  const keys = Object.keys(t).sort();
  if (o.atLeastOne && keys.length === 0) out.push(`${path}: must have at least one tag`);
  for (const k of keys) {
    const v = t[k];
    if (k === '' || !TAG_NAME.test(k)) out.push(`${path}[${k}]: invalid tag name`);
    if (o.forbid?.includes(k)) out.push(`${path}[${k}]: tag name must not be ${JSON.stringify(k)}`);
    if (typeof v !== 'string' || v === '') out.push(`${path}[${k}]: tag value must be non-empty`);
    else if (!(o.selector ? SELECTOR_VALUE : TAG_VALUE).test(v)) out.push(`${path}[${k}]: invalid tag value ${JSON.stringify(v)}`);
  }
  if (o.service && !('kuma.io/service' in t)) out.push(`${path}: mandatory tag "kuma.io/service" is missing`);
}

function hostname(path: string, h: string, out: string[]): void {
  if (h === '*') return;
  if (h.length > 253) out.push(`${path}: must be at most 253 characters`);
  const domain = h.startsWith('*.') ? h.slice(2) : h;
  if (!DOMAIN.test(domain)) out.push(`${path}: invalid hostname ${JSON.stringify(h)}`);
}

function meshGateway(r: Obj, out: string[]): void {
  const spec = obj(r.spec);
  const listeners = arr(obj(spec.conf).listeners).map(obj);
  const crossMesh = listeners.some((l) => l.crossMesh === true);
  const selectors = arr(spec.selectors);
  if (selectors.length === 0) out.push('spec.selectors: must have at least one element');
  if (crossMesh && selectors.length > 1) out.push('spec.selectors: there can be at most one selector with crossMesh');
  selectors.forEach((s, i) => tags(`spec.selectors[${i}].match`, dict(obj(s).match), out, { selector: true, atLeastOne: true, service: true }));
  tags('spec.tags', dict(spec.tags), out, { selector: true, forbid: DATAPLANE_TAGS });
  if (spec.conf === undefined) { out.push('spec.conf: cannot be empty'); return; }
  if (listeners.length === 0) out.push('spec.conf.listeners: cannot be empty');
  const protocolsByPort = new Map<number, Set<string>>();
  const hostsByPort = new Map<string, number>();
  listeners.forEach((l, i) => {
    const p = `spec.conf.listeners[${i}]`;
    const host = str(l.hostname);
    if (host !== '') hostname(`${p}.hostname`, host, out);
    const port = l.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) out.push(`${p}.port: port must be in the range [1, 65535]`);
    const protocol = str(l.protocol);
    if (!['HTTP', 'HTTPS', 'TCP', 'TLS'].includes(protocol)) out.push(`${p}.protocol: cannot be empty or ${JSON.stringify(protocol)}`);
    const tls = l.tls === undefined ? undefined : obj(l.tls);
    if (protocol === 'HTTPS') {
      if (l.crossMesh === true) out.push(`${p}.protocol: HTTPS is not supported with crossMesh`);
      else if (!tls) out.push(`${p}.tls: cannot be empty`);
      else if (tls.mode === 'PASSTHROUGH') out.push(`${p}.tls.mode: PASSTHROUGH is not supported on HTTPS listeners`);
    }
    if (tls && l.crossMesh !== true) {
      if (tls.mode !== 'TERMINATE' && tls.mode !== 'PASSTHROUGH') out.push(`${p}.tls.mode: cannot be empty`);
      const certs = arr(tls.certificates);
      if (tls.mode === 'TERMINATE' && certs.length === 0) out.push(`${p}.tls.certificates: cannot be empty in TLS termination mode`);
      if (tls.mode === 'TERMINATE' && certs.length > 2) out.push(`${p}.tls.certificates: cannot have more than 2 certificates`);
      certs.forEach((c, j) => { if (str(obj(c).secret) === '') out.push(`${p}.tls.certificates[${j}].secret: cannot be empty`); });
    }
    if (tls && l.crossMesh === true && (tls.mode !== undefined || arr(tls.certificates).length > 0)) out.push(`${p}.tls: must be empty with crossMesh`);
    tags(`${p}.tags`, dict(l.tags), out, { selector: true, forbid: DATAPLANE_TAGS });
    const portKey = typeof port === 'number' ? port : 0;
    const protocols = protocolsByPort.get(portKey) ?? new Set();
    protocols.add(protocol);
    protocolsByPort.set(portKey, protocols);
    const hk = `${portKey}|${host || '*'}`;
    hostsByPort.set(hk, (hostsByPort.get(hk) ?? 0) + 1);
  });
  for (const [port, protocols] of protocolsByPort) if (protocols.size > 1) out.push(`spec.conf.listeners: protocols ${[...protocols].sort().join(', ')} conflict on port ${port}`);
  dataPlane(listeners, out);
  for (const [hk, n] of hostsByPort) if (n > 1) out.push(`spec.conf.listeners: ${n} listeners for hostname ${hk.split('|')[1]} on port ${hk.split('|')[0]}`);
}

/**
 * What the MeshGateway validator admits but the gateway's xDS generation refuses
 * (pkg/plugins/runtime/gateway/filter_chain_generator.go), which breaks the whole proxy:
 * a TLS listener without a TLS mode (configureTLS: "unsupported TLS mode" unless crossMesh), a
 * certificate listed twice on one listener ("duplicate TLS certificate"), and two TCP listeners
 * on one port (TCPFilterChainGenerator builds one match-less filter chain per listener, and Envoy
 * refuses identical filter chain matches).
 */
function dataPlane(listeners: Obj[], out: string[]): void {
  const tcpPorts = new Map<unknown, number>();
  listeners.forEach((l, i) => {
    const p = `spec.conf.listeners[${i}]`;
    const tls = l.tls === undefined ? undefined : obj(l.tls);
    if (l.protocol === 'TLS' && l.crossMesh !== true && (tls?.mode !== 'TERMINATE' && tls?.mode !== 'PASSTHROUGH')) out.push(`${p}.tls: a TLS listener needs mode TERMINATE or PASSTHROUGH (gateway: unsupported TLS mode)`);
    const secrets = arr(tls?.certificates).map((c) => str(obj(c).secret));
    if (new Set(secrets).size !== secrets.length) out.push(`${p}.tls.certificates: duplicate TLS certificate`);
    if (l.protocol === 'TCP') tcpPorts.set(l.port, (tcpPorts.get(l.port) ?? 0) + 1);
  });
  for (const [port, n] of tcpPorts) if (n > 1) out.push(`spec.conf.listeners: ${n} TCP listeners on port ${String(port)} (Envoy refuses identical filter chain matches)`);
}

// ---- targetRefs ----------------------------------------------------------------------------

interface RefOpts { kinds: string[]; listenerTags?: boolean; allowUnresolved?: boolean }

function targetRef(path: string, ref: Obj, o: RefOpts, out: string[]): void {
  const kind = str(ref.kind);
  if (!kind) { out.push(`${path}.kind: must be defined`); return; }
  if (!o.kinds.includes(kind)) { out.push(`${path}.kind: value '${kind}' is not supported`); return; }
  const set = (f: string) => ref[f] !== undefined && ref[f] !== '' && !(typeof ref[f] === 'object' && Object.keys(obj(ref[f])).length === 0 && !Array.isArray(ref[f]));
  const forbid = (...fields: string[]) => { for (const f of fields) if (set(f)) out.push(`${path}.${f}: must not be set with kind ${kind}`); };
  const name = str(ref.name);
  const validName = () => { if (!(o.allowUnresolved && name === UNRESOLVED) && !NAME_CHARS.test(name)) out.push(`${path}.name: invalid characters in ${JSON.stringify(name)}`); };
  switch (kind) {
    case 'Mesh': forbid('name', 'mesh', 'tags', 'labels', 'namespace', 'sectionName'); break;
    case 'MeshSubset': forbid('name', 'mesh', 'labels', 'namespace', 'sectionName'); tags(`${path}.tags`, dict(ref.tags), out, { selector: false }); break;
    case 'MeshService': case 'MeshExternalService': case 'MeshMultiZoneService':
      validName(); forbid('mesh', 'tags', 'proxyTypes');
      if (!name && !set('labels')) out.push(`${path}: name or labels must be set when kind is ${kind}`);
      if (kind === 'MeshMultiZoneService' && ref.port === undefined) out.push(`${path}.port: must be defined with kind MeshMultiZoneService`);
      break;
    case 'MeshServiceSubset': case 'MeshGateway':
      if (!name) out.push(`${path}.name: must be set when kind is ${kind}`);
      validName(); forbid('mesh', 'proxyTypes', 'labels', 'namespace', 'sectionName');
      tags(`${path}.tags`, dict(ref.tags), out, { selector: true });
      if (kind === 'MeshGateway' && !o.listenerTags) forbid('tags');
      break;
    case 'Dataplane': forbid('tags', 'mesh', 'proxyTypes'); break;
  }
}

const TOP_SYSTEM = ['Mesh', 'MeshGateway', 'MeshSubset', 'MeshService', 'MeshServiceSubset', 'Dataplane'];
const TOP_OTHER = ['Mesh', 'MeshSubset', 'MeshService', 'MeshServiceSubset', 'Dataplane'];
const BACKENDS = ['MeshService', 'MeshServiceSubset', 'MeshExternalService', 'MeshMultiZoneService'];

/** The top targetRef, `to[].targetRef` and the effective top kind (absent = Mesh). */
function routeFrame(r: Obj, out: string[], eachTo: (to: Obj, path: string, top: string) => void): void {
  const spec = obj(r.spec);
  const system = (dict(obj(r.metadata).labels)['kuma.io/policy-role'] ?? 'system') === 'system';
  const top = spec.targetRef === undefined ? 'Mesh' : str(obj(spec.targetRef).kind);
  if (spec.targetRef !== undefined) targetRef('spec.targetRef', obj(spec.targetRef), { kinds: system ? TOP_SYSTEM : TOP_OTHER, listenerTags: true }, out);
  arr(spec.to).forEach((t, i) => {
    const to = obj(t);
    const path = `spec.to[${i}]`;
    targetRef(`${path}.targetRef`, obj(to.targetRef), { kinds: top === 'MeshGateway' ? ['Mesh'] : ['MeshService', 'MeshExternalService', 'MeshMultiZoneService'] }, out);
    eachTo(to, path, top);
  });
}

function backendRefs(path: string, refs: unknown[], allowUnresolved: boolean, out: string[]): void {
  refs.forEach((b, i) => targetRef(`${path}[${i}]`, obj(b), { kinds: BACKENDS, allowUnresolved }, out));
}

// ---- MeshHTTPRoute -----------------------------------------------------------------------

function meshHTTPRoute(r: Obj, out: string[]): void {
  routeFrame(r, out, (to, path, top) => {
    if (top !== 'MeshGateway' && arr(to.hostnames).length > 0) out.push(`${path}.hostnames: must not be defined`);
    arr(to.rules).forEach((x, i) => {
      const rule = obj(x);
      const p = `${path}.rules[${i}]`;
      const matches = arr(rule.matches).map(obj);
      matches.forEach((m, j) => match(`${p}.matches[${j}]`, m, out));
      const def = obj(rule.default);
      const filters = arr(def.filters).map(obj);
      filters.forEach((f, j) => filter(`${p}.default.filters[${j}]`, f, matches, top, out));
      const refs = arr(def.backendRefs);
      if (refs.length === 0 && top === 'MeshGateway' && !filters.some((f) => f.type === 'RequestRedirect')) out.push(`${p}.default.backendRefs: must not be empty`);
      backendRefs(`${p}.default.backendRefs`, refs, true, out);
    });
  });
}

function match(p: string, m: Obj, out: string[]): void {
  const path = m.path === undefined ? undefined : obj(m.path);
  const v = str(path?.value);
  if (path?.type === 'PathPrefix' && v !== '/') {
    if (v.endsWith('/')) out.push(`${p}.path.value: does not need a trailing slash`);
    if (!v.startsWith('/')) out.push(`${p}.path.value: must be an absolute path`);
  }
  if (path?.type === 'Exact' && !v.startsWith('/')) out.push(`${p}.path.value: must be an absolute path`);
  arr(m.headers).map(obj).forEach((h, i) => {
    if ((h.type === 'Present' || h.type === 'Absent') && str(h.value) !== '') out.push(`${p}.headers[${i}].value: must not be defined`);
  });
  const seen = new Set<string>();
  arr(m.queryParams).map(obj).forEach((q, i) => {
    if (seen.has(str(q.name))) out.push(`${p}.queryParams[${i}].name: multiple entries for name ${str(q.name)}`);
    seen.add(str(q.name));
  });
}

function filter(p: string, f: Obj, matches: Obj[], top: string, out: string[]): void {
  const nonPrefix = matches.some((m) => m.path === undefined || obj(m.path).type !== 'PathPrefix');
  switch (f.type) {
    case 'RequestHeaderModifier': case 'ResponseHeaderModifier': {
      const field = f.type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier';
      if (f[field] === undefined) { out.push(`${p}.${field}: must be defined`); return; }
      const m = obj(f[field]);
      if (m.set === undefined && m.add === undefined && m.remove === undefined) out.push(`${p}.${field}: must have at least one of set, add, remove`);
      const names = [...arr(m.set).map((h) => str(obj(h).name)), ...arr(m.add).map((h) => str(obj(h).name)), ...arr(m.remove).map(str)];
      if (new Set(names).size !== names.length) out.push(`${p}.${field}: duplicate header name`);
      return;
    }
    case 'RequestRedirect': case 'URLRewrite': {
      const field = f.type === 'RequestRedirect' ? 'requestRedirect' : 'urlRewrite';
      if (f[field] === undefined) { out.push(`${p}.${field}: must be defined`); return; }
      const x = obj(f[field]);
      if (x.path !== undefined && obj(x.path).replacePrefixMatch !== undefined && nonPrefix) out.push(`${p}.${field}.path.replacePrefixMatch: can only appear if all matches match a path prefix`);
      if (x.hostname !== undefined) {
        const h = str(x.hostname);
        if (isIP(h)) out.push(`${p}.${field}.hostname: cannot be an IP address`);
        else if (h.length > 253 || !DOMAIN.test(h)) out.push(`${p}.${field}.hostname: not a DNS-1123 subdomain`);
      }
      if (x.hostToBackendHostname === true && (top !== 'MeshGateway' || x.hostname !== undefined)) out.push(`${p}.${field}.hostToBackendHostname: not allowed here`);
      return;
    }
    case 'RequestMirror': {
      if (f.requestMirror === undefined) { out.push(`${p}.requestMirror: must be defined`); return; }
      targetRef(`${p}.requestMirror.backendRef`, obj(obj(f.requestMirror).backendRef), { kinds: ['MeshService', 'MeshServiceSubset'] }, out);
      return;
    }
  }
}

// ---- MeshTCPRoute ------------------------------------------------------------------------

function meshTCPRoute(r: Obj, out: string[]): void {
  routeFrame(r, out, (to, path) => {
    arr(to.rules).forEach((x, i) => {
      const refs = arr(obj(obj(x).default).backendRefs);
      if (refs.length === 0) out.push(`${path}.rules[${i}].default.backendRefs: must be defined`);
      backendRefs(`${path}.rules[${i}].default.backendRefs`, refs, false, out);
    });
  });
}

// ---- zone admission ----------------------------------------------------------------------

/** Kuma's resource admission checker on a zone: system-namespace policies must say they come from this zone. */
function zoneOrigin(meta: Obj, opts: AdmissionOptions, out: string[]): void {
  if (!opts.zone || meta.namespace !== opts.systemNamespace) return;
  const labels = dict(meta.labels);
  if (labels['kuma.io/origin'] !== 'zone') out.push(`metadata.labels[kuma.io/origin]: must be "zone" in the system namespace of a zone control plane`);
  else if ('kuma.io/zone' in labels && labels['kuma.io/zone'] !== opts.zone) out.push(`metadata.labels[kuma.io/zone]: should be ${JSON.stringify(opts.zone)}, got ${JSON.stringify(labels['kuma.io/zone'])}`);
}

// ---- Secret (mesh-scoped Kuma secret) ------------------------------------------------------

function meshSecret(r: Obj, out: string[]): void {
  if (r.type !== 'system.kuma.io/secret') { out.push(`type: ${JSON.stringify(r.type)} is not system.kuma.io/secret`); return; }
  const value = str(obj(r.data).value);
  if (value === '') { out.push('data.value: cannot be empty'); return; }
  serverSecret(Buffer.from(value, 'base64').toString('latin1'), out);
}

/** What the gateway's server-secret parser accepts: PEM blocks, one RSA/ECDSA key, ≥1 certificate. */
function serverSecret(text: string, out: string[]): void {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  let keys = 0;
  let certs = 0;
  blocks.forEach((b, i) => {
    const type = b[1];
    if (type.endsWith('PRIVATE KEY')) {
      keys++;
      try {
        const t = createPrivateKey(b[0]).asymmetricKeyType;
        if (t !== 'rsa' && t !== 'ec') out.push(`data.value: block ${i}: unsupported private key type ${t}`);
      } catch { out.push(`data.value: block ${i}: private key does not parse`); }
    } else if (type.endsWith('CERTIFICATE')) certs++;
    else out.push(`data.value: block ${i}: unsupported PEM block ${JSON.stringify(type)}`);
  });
  if (keys > 1) out.push('data.value: secret contains multiple private keys');
  if (certs === 0) out.push('data.value: missing server certificate');
  if (keys === 0) out.push('data.value: missing private key');
}

/** All violations of a list of generated objects, each prefixed with the object it is about. */
export function admissionReport(objects: readonly unknown[], opts: AdmissionOptions): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const m = obj(obj(o).metadata);
    for (const v of kumaAdmissionViolations(o, opts)) out.push(`${str(obj(o).kind)} ${m.namespace ? `${str(m.namespace)}/` : ''}${str(m.name)}: ${v}`);
  }
  return out;
}
