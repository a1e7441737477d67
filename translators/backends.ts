// Backend resolution: a Gateway API backendRef → a Kuma MeshBackendRef, or a failure as data.
// Pure: lookups come in through the context; nothing here throws on user input.
import type { BackendRef } from './api/gateway-api';
import type { MeshBackendRef } from './api/kuma';
import type { Service, ServicePort } from './api/meta';
import { Reason } from './status/conditions';
import type { RouteKind } from './keys';

export interface BackendContext {
  routeKind: RouteKind;
  routeNamespace: string;
  /** Service parents (GAMMA) skip ReferenceGrant for cross-namespace backends (GEP-1294). */
  mesh: boolean;
  zone?: string;
  findService(namespace: string, name: string): Service | undefined;
  /** true if a ReferenceGrant in `toNamespace` permits routeKind@routeNamespace → group/kind/name. */
  isPermitted(toNamespace: string, to: { group: string; kind: string; name: string }): boolean;
}

export type BackendFailureReason = 'BackendNotFound' | 'InvalidKind' | 'RefNotPermitted' | 'UnsupportedProtocol';

export type BackendResolution =
  | { ok: true; ref: MeshBackendRef; service: Service }
  | {
      ok: false;
      reason: BackendFailureReason;
      message: string;
      /** The unresolved target, weight kept, so that share of traffic gets a 500. */
      ref: MeshBackendRef;
    };

/** Kuma's convention for a backend that does not resolve: Envoy answers 500 for it. */
export const UNRESOLVED_BACKEND = 'kuma.io/unresolved-backend';

/** Kuma's legacy `kuma.io/service` tag of a Kubernetes Service port: `<svc>_<ns>_svc_<port>`. */
export function kumaServiceName(namespace: string, name: string, port: number): string {
  return [name, namespace, 'svc', port].join('_'); // flat, not a concatenation tree: kept in every backendRef
}

/** appProtocol values Kuma can serve behind an HTTPRoute; anything else is UnsupportedProtocol. */
const HTTP_APP_PROTOCOLS: ReadonlySet<string> = new Set([
  'http',
  'https',
  'kubernetes.io/h2c',
  'kubernetes.io/ws',
  'kubernetes.io/wss',
  'tcp',
  'grpc',
]);

/**
 * appProtocol values a GRPCRoute backend may have: gRPC needs HTTP/2 to the backend, which Kuma
 * uses for `grpc` and `http2` (and h2c); unset is allowed (the port's kuma.io/protocol annotation
 * may say grpc). http, tcp and the rest would send HTTP/1.1 and break every call.
 */
const GRPC_APP_PROTOCOLS: ReadonlySet<string> = new Set(['grpc', 'http2', 'h2c', 'kubernetes.io/h2c']);

export function resolveBackend(ctx: BackendContext, ref: BackendRef): BackendResolution {
  const r: Partial<Record<keyof BackendRef, unknown>> = isObject(ref) ? ref : {};
  const group = typeof r.group === 'string' ? r.group : '';
  const kind = typeof r.kind === 'string' ? r.kind : 'Service';
  const name = typeof r.name === 'string' ? r.name : '';
  const namespace = typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : ctx.routeNamespace;
  // CRD default weight is 1; 0 is valid and means "no traffic".
  const weight = typeof r.weight === 'number' && Number.isInteger(r.weight) && r.weight >= 0 ? r.weight : 1;
  // Kind first: an unknown kind never needs a grant check (conformance InvalidKind cases).
  if (group !== '' || kind !== 'Service') {
    return failed(weight,
      Reason.InvalidKind,
      `backend reference kind ${groupKind(group, kind)} is not supported: only core Service is ` +
        `(Kuma's ExternalService is not supported by meshgate)`,
    );
  }
  if (!ctx.mesh && namespace !== ctx.routeNamespace && !ctx.isPermitted(namespace, { group: '', kind: 'Service', name })) {
    return failed(weight, Reason.RefNotPermitted, `reference to Service "${namespace}/${name}" not permitted by any ReferenceGrant`);
  }
  // Missing port: Envoy Gateway says ResolvedRefs=False/PortNotSpecified and Istio
  // InvalidDestination/UnsupportedValue; neither is a ResolvedRefs reason in the spec, so we
  // use the spec's BackendNotFound (no backend can be found without a port).
  if (r.port === undefined || r.port === null) {
    return failed(weight,
      Reason.BackendNotFound,
      `backend reference to Service "${namespace}/${name}" has no port: port is required when the referent is a Kubernetes Service`,
    );
  }
  const service = ctx.findService(namespace, name);
  if (!service) {
    return failed(weight, Reason.BackendNotFound, `backend reference references a non-existent Service "${namespace}/${name}"`);
  }
  const port = isPort(r.port) ? findPort(service, r.port) : undefined;
  if (!port) {
    return failed(weight, Reason.BackendNotFound, `Service "${namespace}/${name}" does not expose port ${describe(r.port)}`);
  }
  if (ctx.routeKind === 'HTTPRoute' && !servesHTTP(port.appProtocol)) {
    return failed(weight,
      Reason.UnsupportedProtocol_,
      `Service "${namespace}/${name}" port ${port.port} has appProtocol ${describe(port.appProtocol)}, which Kuma cannot serve for an HTTPRoute`,
    );
  }
  if (ctx.routeKind === 'GRPCRoute' && !servesGRPC(port.appProtocol)) {
    return failed(weight,
      Reason.UnsupportedProtocol_,
      `Service "${namespace}/${name}" port ${port.port} has appProtocol ${describe(port.appProtocol)}; a GRPCRoute backend needs grpc, http2 or kubernetes.io/h2c (or none)`,
    );
  }
  return { ok: true, ref: serviceRef(ctx, namespace, name, port.port, weight), service };
}

/** Not a closure per call: resolveBackend runs for every backendRef of every route. */
function failed(weight: number, reason: BackendFailureReason, message: string): BackendResolution {
  return { ok: false, reason, message, ref: { kind: 'MeshService', name: UNRESOLVED_BACKEND, weight } };
}

function serviceRef(ctx: BackendContext, namespace: string, name: string, port: number, weight: number): MeshBackendRef {
  const svc = kumaServiceName(namespace, name, port);
  // Kuma pins Service backends to the local zone when it knows it (REL behaviour).
  if (ctx.zone) return { kind: 'MeshServiceSubset', name: svc, tags: { 'kuma.io/zone': ctx.zone }, weight };
  return { kind: 'MeshService', name: svc, weight };
}

function findPort(service: Service, port: number): ServicePort | undefined {
  const ports: unknown = service.spec?.ports;
  if (!Array.isArray(ports)) return undefined;
  for (const p of ports) if (isObject(p) && p.port === port) return p as unknown as ServicePort;
  return undefined;
}

function servesHTTP(appProtocol: unknown): boolean {
  if (appProtocol === undefined || appProtocol === null || appProtocol === '') return true;
  // IANA service names are case-insensitive; the prefixed kubernetes.io names are lower-case.
  return typeof appProtocol === 'string' && HTTP_APP_PROTOCOLS.has(appProtocol.toLowerCase());
}

function servesGRPC(appProtocol: unknown): boolean {
  if (appProtocol === undefined || appProtocol === null || appProtocol === '') return true;
  return typeof appProtocol === 'string' && GRPC_APP_PROTOCOLS.has(appProtocol.toLowerCase());
}

export function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

function groupKind(group: string, kind: string): string {
  return JSON.stringify(group === '' ? kind : `${kind}.${group}`);
}

/** Renders a user value for a message without ever throwing. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  return `<${typeof v}>`;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
