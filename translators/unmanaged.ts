// Unmanaged ("bring your own proxy") Gateways (ADR 0055, docs/unmanaged-gateways.md): the
// annotation gateways.meshgate.io/proxy-service names a Service in front of a kuma-dp gateway
// proxy the platform team runs. meshgate still generates the MeshGateway (selecting that proxy by
// its kuma.io/service tag) and the routes, but no Deployment or Service; the named Service decides
// which listener ports exist, the Gateway's addresses and Programmed.
import type { Gateway, GatewayStatusAddress } from './api/gateway-api';
import type { Condition, Service } from './api/meta';
import { nsName } from './keys';
import type { ListenerResult } from './listener';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './naming';
import { gatewayAddresses } from './readiness';
import { ok, Type } from './status/conditions';
import { gatewayProxyServiceInvalid, gatewayProxyServiceNotReady } from './status/gateway';
import { listenerNotAcceptedProgrammed, listenerPortUnavailable } from './status/listener';

/** `<name>` or `<namespace>/<name>` of the proxy's Service, in the Gateway's namespace. */
export const PROXY_SERVICE_ANNOTATION = 'gateways.meshgate.io/proxy-service';
/** The proxy's kuma.io/service tag, `<name>_<namespace>_svc`; default `<service>_<namespace>_svc` (what Kuma gives a MeshGatewayInstance's pods). */
export const PROXY_SERVICE_TAG_ANNOTATION = 'gateways.meshgate.io/proxy-service-tag';

export interface ProxyServiceRef {
  namespace: string;
  name: string;
  /** The kuma.io/service tag the MeshGateway selects. */
  serviceTag: string;
}

export type ParsedProxyService = { ref: ProxyServiceRef } | { problem: Condition } | undefined;

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Kuma's tag value character set (validators.go tagValueCharacterSet), non-empty: a selector value of '*' would select every gateway proxy.
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]+$/;

/** The default tag: Kuma's `<name>_<namespace>_svc` for a MeshGatewayInstance (k8s_util.ServiceTag). */
export function defaultProxyServiceTag(namespace: string, service: string): string {
  return `${service}_${namespace}_svc`;
}

/**
 * Reads the Gateway's annotations: undefined for a managed Gateway (no proxy-service annotation),
 * the reference, or a problem naming the annotation. Never throws on garbage.
 */
export function parseProxyService(gw: Gateway): ParsedProxyService {
  const annotations = gw.metadata?.annotations;
  const value = annotations?.[PROXY_SERVICE_ANNOTATION];
  if (value === undefined) return undefined;
  const ns = gw.metadata.namespace ?? '';
  const bad = (annotation: string, problem: string) => ({ problem: gatewayProxyServiceInvalid(annotation, problem) });
  if (typeof value !== 'string') return bad(PROXY_SERVICE_ANNOTATION, 'must be a string');
  const parts = value.split('/');
  if (parts.length > 2) return bad(PROXY_SERVICE_ANNOTATION, `"${clip(value)}" is not <name> or <namespace>/<name>`);
  const [refNs, name] = parts.length === 2 ? parts : [ns, parts[0]];
  if (parts.length === 2 && !DNS1123_LABEL.test(refNs)) return bad(PROXY_SERVICE_ANNOTATION, `"${clip(refNs)}" is not a namespace name`);
  if (refNs !== ns) return bad(PROXY_SERVICE_ANNOTATION, `the Service must be in the Gateway's namespace "${ns}", not "${clip(refNs)}" (a Gateway may select only a proxy of its own namespace)`);
  if (name.length > 63 || !DNS1035_LABEL.test(name)) return bad(PROXY_SERVICE_ANNOTATION, `"${clip(name)}" is not a Service name (a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, at most 63 characters)`);
  const tag = annotations?.[PROXY_SERVICE_TAG_ANNOTATION];
  if (tag !== undefined && (typeof tag !== 'string' || tag.length > 253 || !TAG_VALUE.test(tag))) {
    return bad(PROXY_SERVICE_TAG_ANNOTATION, `${typeof tag === 'string' ? `"${clip(tag)}"` : 'the value'} is not a Kuma tag value (letters, digits, '.', '-', '_', ':'; at most 253 characters)`);
  }
  // Kuma's <name>_<namespace>_svc convention, in the Gateway's namespace: a Gateway must not select
  // another namespace's proxy (every generated proxy's tag ends with its own namespace).
  const suffix = `_${ns}_svc`;
  if (typeof tag === 'string' && (!tag.endsWith(suffix) || tag.length === suffix.length)) {
    return bad(PROXY_SERVICE_TAG_ANNOTATION, `"${clip(tag)}" must be <name>${suffix} (Kuma's service-tag form, in the Gateway's namespace)`);
  }
  return { ref: { namespace: ns, name, serviceTag: typeof tag === 'string' ? tag : defaultProxyServiceTag(ns, name) } };
}

/** The Accepted=False condition of a Gateway whose annotations are invalid (it is then blocked). */
export function proxyServiceProblem(gw: Gateway): Condition | undefined {
  const p = parseProxyService(gw);
  return p && 'problem' in p ? p.problem : undefined;
}

/** `ns/name` of the proxy Service a Gateway reads (dependencies.ts): none when managed or invalid. */
export function proxyServiceKeys(gw: Gateway): string[] {
  const p = parseProxyService(gw);
  return p && 'ref' in p ? [nsName(p.ref.namespace, p.ref.name)] : [];
}

/** An unmanaged Gateway's proxy as the bundle shows it. */
export interface UnmanagedProxy {
  ref: ProxyServiceRef;
  /** `ns/name`, for messages. */
  label: string;
  /** The Service, when it exists and meshgate did not generate it. */
  service?: Service;
  /** Why `service` is absent. */
  missing?: string;
}

/** undefined for a managed Gateway (invalid annotations block the Gateway before this is asked). */
export function unmanagedProxy(gw: Gateway, services: ReadonlyMap<string, Service>): UnmanagedProxy | undefined {
  const p = parseProxyService(gw);
  if (!p || !('ref' in p)) return undefined;
  const label = nsName(p.ref.namespace, p.ref.name);
  const svc = services.get(label);
  if (!svc) return { ref: p.ref, label, missing: 'it does not exist' };
  // meshgate's own Service is swept once the Gateway is unmanaged: it cannot be the proxy's.
  if (svc.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) return { ref: p.ref, label, missing: 'it is one meshgate generates (label app.kubernetes.io/managed-by: meshgate), not a proxy you run' };
  return { ref: p.ref, label, service: svc };
}

interface ServicePort { port?: unknown; targetPort?: unknown; protocol?: unknown }

/**
 * Why `port` is unavailable on the Service, or undefined when a TCP Service port equals it and
 * forwards to the same port (the proxy binds the listener port: a different numeric targetPort
 * would reach nothing). A named targetPort cannot be checked without the pods and is trusted.
 */
export function portProblem(svc: Service, port: number): string | undefined {
  const spec = (svc.spec ?? {}) as { ports?: unknown };
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter((p): p is ServicePort => typeof p === 'object' && p !== null)
    .filter((p) => p.protocol === undefined || p.protocol === 'TCP');
  const match = ports.find((p) => p.port === port);
  if (!match) {
    const exposed = [...new Set(ports.map((p) => p.port).filter((p): p is number => typeof p === 'number'))].sort((a, b) => a - b);
    return exposed.length ? `it exposes no TCP port ${port} (its TCP ports: ${exposed.join(', ')})` : 'it exposes no TCP port';
  }
  if (typeof match.targetPort === 'number' && match.targetPort !== port) {
    return `its port ${port} forwards to targetPort ${match.targetPort}, but the proxy listens on the listener port: targetPort must be ${port}`;
  }
  return undefined;
}

/**
 * Accepted listeners whose port the Service does not expose become Accepted=False/PortUnavailable
 * (not programmed, routes do not attach). Unchanged while the Service is missing: Programmed says so.
 */
export function rejectUnexposedPorts(listeners: ListenerResult[], proxy: UnmanagedProxy | undefined): ListenerResult[] {
  const svc = proxy?.service;
  if (!svc) return listeners;
  return listeners.map((l) => {
    if (!l.accepted) return l;
    const why = portProblem(svc, l.listener.port);
    if (!why) return l;
    const rejected = listenerPortUnavailable(l.listener.port, proxy.label, why);
    // The other findings (ResolvedRefs, Conflicted) stay; a certificate of an unserved listener is not reported.
    const rest = l.conditions.filter((c) => c.type !== Type.Accepted && c.type !== Type.Programmed && c.type !== Type.CertificateValid);
    return { ...l, accepted: false, attachable: false, programmed: false, conditions: [rejected, listenerNotAcceptedProgrammed(rejected), ...rest] };
  });
}

/** The Service's addresses, by the rules of a generated one (readiness.ts): ingress for LoadBalancer, else the ClusterIP. */
export function unmanagedAddresses(proxy: UnmanagedProxy): GatewayStatusAddress[] {
  return proxy.service ? gatewayAddresses({ service: proxy.service }, 'ClusterIP') : [];
}

/**
 * Programmed of an unmanaged Gateway: its Service exists and has an address. The proxy's pods are
 * not checked (meshgate watches only the Deployments it generates): see ADR 0055.
 */
export function unmanagedProgrammed(proxy: UnmanagedProxy, addresses: GatewayStatusAddress[]): Condition {
  if (!proxy.service) return gatewayProxyServiceNotReady(proxy.label, proxy.missing ?? 'it does not exist');
  if (addresses.length > 0) return ok.programmed();
  const type = (proxy.service.spec as { type?: unknown } | undefined)?.type;
  return gatewayProxyServiceNotReady(proxy.label, type === 'LoadBalancer'
    ? 'it has no load-balancer address yet (status.loadBalancer.ingress is empty)'
    : type === 'ExternalName' ? 'an ExternalName Service has no address of its own; use a ClusterIP or LoadBalancer Service' : 'it has no cluster IP (a headless Service has none; use a ClusterIP or LoadBalancer Service)');
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
