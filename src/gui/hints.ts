// "What to change": one hint per condition reason, made specific with the object's own spec
// (which namespace needs a ReferenceGrant, which hostnames fail to intersect, ...).
import type { BackendRef, Gateway, GatewayClass, Listener, ParentReference, Route } from '../../translators/api/gateway-api';
import type { KubeObject } from '../../translators/api/meta';

export interface HintContext {
  reason: string;
  type: string;
  message: string;
  object: KubeObject | undefined;
  /** The listener a listener condition is about. */
  listener?: Listener;
  /** The Gateway a route parent condition is about, and the parentRef. */
  parentGateway?: Gateway;
  parentRef?: ParentReference;
  serviceExists(namespace: string, name: string): boolean;
  grantExists(toNamespace: string, from: { group: string; kind: string; namespace: string }, toKind: string, name: string): boolean;
}

const list = (xs: string[]) => (xs.length ? xs.map((x) => `"${x}"`).join(', ') : '(none)');

function backends(route: Route | undefined): BackendRef[] {
  const out: BackendRef[] = [];
  for (const rule of route?.spec?.rules ?? []) for (const b of rule.backendRefs ?? []) if (b) out.push(b);
  return out;
}

function listenersOf(ctx: HintContext): Listener[] {
  const all = ctx.parentGateway?.spec?.listeners ?? [];
  const p = ctx.parentRef;
  return all.filter((l) => (!p?.sectionName || l.name === p.sectionName) && (!p?.port || l.port === p.port));
}

function refNotPermitted(ctx: HintContext): string {
  const o = ctx.object;
  const ns = o?.metadata.namespace ?? '';
  if (o?.kind === 'Gateway') {
    const refs = (ctx.listener ? [ctx.listener] : (o as Gateway).spec?.listeners ?? [])
      .flatMap((l) => l.tls?.certificateRefs ?? [])
      .filter((r) => r.namespace && r.namespace !== ns);
    const missing = refs.filter((r) => !ctx.grantExists(r.namespace!, { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: ns }, 'Secret', r.name));
    const target = missing[0] ?? refs[0];
    if (target) {
      return `Add a ReferenceGrant in namespace "${target.namespace}" with from {group: gateway.networking.k8s.io, kind: Gateway, namespace: ${ns}} and to {group: "", kind: Secret, name: ${target.name}} — or copy the Secret into namespace "${ns}".`;
    }
    return `Add a ReferenceGrant in the Secret's namespace allowing kind Gateway from namespace "${ns}".`;
  }
  if (o?.kind === 'HTTPRoute' || o?.kind === 'GRPCRoute' || o?.kind === 'TLSRoute') {
    const cross = backends(o as Route).filter((b) => b.namespace && b.namespace !== ns);
    const missing = cross.filter((b) => !ctx.grantExists(b.namespace!, { group: 'gateway.networking.k8s.io', kind: o.kind, namespace: ns }, b.kind ?? 'Service', b.name));
    const t = missing[0] ?? cross[0];
    if (t) {
      return `Add a ReferenceGrant in namespace "${t.namespace}" with from {group: gateway.networking.k8s.io, kind: ${o.kind}, namespace: ${ns}} and to {group: "", kind: ${t.kind ?? 'Service'}, name: ${t.name}}.`;
    }
  }
  return 'Add a ReferenceGrant in the referenced object\'s namespace that lists this object\'s kind and namespace in "from".';
}

function noMatchingHostname(ctx: HintContext): string {
  const route = ctx.object as Route | undefined;
  const hosts = route?.spec?.hostnames ?? [];
  const lh = listenersOf(ctx).map((l) => l.hostname ?? '*');
  return `Route hostnames ${list(hosts)} do not intersect listener hostnames ${list(lh)}${ctx.parentGateway ? ` of Gateway ${ctx.parentGateway.metadata.namespace}/${ctx.parentGateway.metadata.name}` : ''}: add a matching hostname to the route (or to spec.hostnames of the listener), or remove the route's hostnames.`;
}

function notAllowed(ctx: HintContext): string {
  // An HTTPRoute and a GRPCRoute sharing a hostname on one listener (translators/grpcroute.ts).
  if (/an HTTPRoute and a GRPCRoute cannot share a hostname/.test(ctx.message)) {
    return 'An HTTPRoute and a GRPCRoute serve an intersecting hostname on this listener; only the older route is accepted. Give the two routes disjoint hostnames, or attach one of them to another listener (sectionName).';
  }
  const ls = listenersOf(ctx);
  const gwNs = ctx.parentGateway?.metadata.namespace ?? '?';
  const parts = ls.map((l) => `${l.name} (${l.protocol}, from: ${l.allowedRoutes?.namespaces?.from ?? 'Same'}${l.allowedRoutes?.kinds?.length ? `, kinds: ${l.allowedRoutes.kinds.map((k) => k.kind).join('/')}` : ''})`);
  return `No listener admits a ${ctx.object?.kind ?? 'route'} from namespace "${ctx.object?.metadata.namespace ?? '?'}". Listeners: ${parts.join('; ') || '(none)'}. Set allowedRoutes.namespaces.from to All (or a Selector matching this namespace), move the route into "${gwNs}", or attach it to a listener whose protocol serves this route kind (HTTP/HTTPS for HTTPRoute and GRPCRoute, TLS for TLSRoute).`;
}

function backendNotFound(ctx: HintContext): string {
  const o = ctx.object;
  const ns = o?.metadata.namespace ?? '';
  const missing = backends(o as Route)
    .filter((b) => (b.kind ?? 'Service') === 'Service' && !ctx.serviceExists(b.namespace || ns, b.name))
    .map((b) => `${b.namespace || ns}/${b.name}`);
  if (missing.length) return `Service ${list([...new Set(missing)])} does not exist: create it, or fix the backendRef name/namespace.`;
  return 'A backendRef names a Service or port that does not exist: check backendRefs name, namespace and port against the Service.';
}

function noMatchingParent(ctx: HintContext): string {
  const p = ctx.parentRef;
  const all = (ctx.parentGateway?.spec?.listeners ?? []).map((l) => `${l.name}:${l.port}`);
  return `parentRef ${p?.sectionName ? `sectionName "${p.sectionName}" ` : ''}${p?.port ? `port ${p.port} ` : ''}matches no listener; the Gateway's listeners are ${list(all)}. Fix sectionName/port or add the listener.`;
}

function invalidParameters(ctx: HintContext): string {
  if (ctx.object?.kind === 'GatewayClass') {
    const ref = (ctx.object as GatewayClass).spec?.parametersRef;
    return `parametersRef${ref ? ` ${ref.group}/${ref.kind} ${ref.name}` : ''} must name an existing MeshGatewayConfig (group kuma.io, kind MeshGatewayConfig, no namespace): create it or fix the reference.`;
  }
  return 'spec.infrastructure.parametersRef must name an existing, supported object: create it or remove the reference.';
}

/** Programmed=False/Pending on a Gateway: the message says which of proxy and address is missing. */
function proxyPending(ctx: HintContext): string {
  const gw = ctx.object;
  const ns = gw?.metadata.namespace ?? '';
  const steps: string[] = [];
  if (/does not exist yet/.test(ctx.message)) steps.push('the generated objects are not in the cluster yet (in a bundle read from files nothing runs, so this is expected offline; in a cluster, check the controller logs for write errors)');
  if (/no available replica/.test(ctx.message)) steps.push(`no proxy pod is ready: kubectl -n ${ns} get pods -l app=${gw?.metadata.name ?? '<gateway>'} and describe them (image pull, scheduling, kuma-dp unable to reach the control plane at KUMA_CONTROL_PLANE_URL or to verify its CA)`);
  if (/load-balancer address/.test(ctx.message)) steps.push('the LoadBalancer Service has no external address: the cluster needs a load-balancer implementation (cloud, MetalLB, ...); without one, use a MeshGatewayConfig with serviceType ClusterIP or NodePort');
  if (/no cluster IP/.test(ctx.message)) steps.push('the Service has no cluster IP yet: it should get one as soon as the API server stores it');
  return steps.length ? `The Gateway is Programmed once its proxy runs and is reachable: ${steps.join('; ')}.` : 'The gateway proxy is not running yet: see the message.';
}

type HintFn = (ctx: HintContext) => string;

/** Reason → hint. Reasons not listed fall back to the condition message. */
export const HINTS: Record<string, HintFn> = {
  RefNotPermitted: refNotPermitted,
  NoMatchingListenerHostname: noMatchingHostname,
  NotAllowedByListeners: notAllowed,
  BackendNotFound: backendNotFound,
  NoMatchingParent: noMatchingParent,
  InvalidParameters: invalidParameters,
  InvalidCertificateRef: (ctx) => {
    const refs = (ctx.listener?.tls?.certificateRefs ?? []).map((r) => `${r.namespace ?? ctx.object?.metadata.namespace}/${r.name}`);
    return `Check certificateRefs ${list(refs)}: each must be a core Secret (group "", kind Secret) that exists, of type kubernetes.io/tls, with a PEM certificate in tls.crt and its matching key in tls.key.`;
  },
  UnsupportedProtocol: (ctx) =>
    ctx.object?.kind === 'Gateway'
      ? `Listener protocol "${ctx.listener?.protocol ?? '?'}" is not supported: use HTTP, HTTPS or TLS.`
      : 'The backend Service port has an appProtocol Kuma cannot serve for this route kind: change appProtocol (http, https, kubernetes.io/h2c, grpc, tcp) or use another port.',
  HostnameConflict: (ctx) =>
    `Another listener on port ${ctx.listener?.port ?? '?'} uses hostname "${ctx.listener?.hostname ?? '*'}": give each listener on a port a distinct hostname, or use another port.`,
  ProtocolConflict: (ctx) =>
    `Listeners on port ${ctx.listener?.port ?? '?'} use incompatible protocols (or mixed TLS modes): move one to another port.`,
  PortUnavailable: (ctx) => `Port ${ctx.listener?.port ?? '?'} cannot be used: choose another listener port.`,
  InvalidRouteKinds: () => 'allowedRoutes.kinds lists a kind this listener cannot serve: use HTTPRoute or GRPCRoute on HTTP/HTTPS listeners and TLSRoute on TLS listeners.',
  UnsupportedValue: (ctx) =>
    ctx.object?.kind === 'Gateway'
      ? 'A listener field has a value meshgate does not support (e.g. TLS mode Terminate on a TLS listener): see the message and change the field.'
      : 'A rule uses a value meshgate does not support: see the message; the rule is dropped until it is changed.',
  IncompatibleFilters: () => 'A rule combines filters that cannot be used together (e.g. URLRewrite with RequestRedirect): keep only one of them.',
  InvalidKind: () => 'A backendRef has a group/kind meshgate cannot route to: use a core Service (group "", kind Service).',
  OverlappingHostnames: () => 'Two TLS listeners have overlapping hostnames (e.g. foo.example.com and *.example.com): clients may get the wrong certificate; make the hostnames disjoint.',
  OverlappingCertificates: () => 'Two listeners serve certificates that cover the same names: use one listener, or certificates for disjoint names.',
  CertificateHostnameMismatch: (ctx) => `The certificate does not cover the listener hostname "${ctx.listener?.hostname ?? '*'}": issue a certificate with that name in its SANs, or change the hostname.`,
  CertificateExpired: () => 'The certificate has expired: renew it (update tls.crt and tls.key in the Secret).',
  UnsupportedVersion: () => 'Install the Gateway API CRDs of a supported release (v1.x standard or experimental, with the bundle-version annotation).',
  ListenersNotValid: () => 'At least one listener is invalid: see the listener problems below and fix them.',
  ListenersNotResolved: () => 'A listener has unresolved references (certificates, route kinds): see the listener problems.',
  AddressNotAssigned: () => 'No address was assigned yet: check that the gateway Service got a ClusterIP or load-balancer address.',
  UnsupportedAddress: () => 'spec.addresses uses an address type meshgate does not support: remove it or use IPAddress/Hostname.',
  NoResources: (ctx) => {
    const gw = ctx.object;
    const where = gw ? ` (kubectl -n ${gw.metadata.namespace} describe deployment ${gw.metadata.name})` : '';
    return /scaled to 0/.test(ctx.message)
      ? 'The gateway Deployment is scaled to 0 replicas: set replicas in the MeshGatewayConfig (or stop scaling it down) so a proxy runs.'
      : `The gateway Deployment cannot create its pods${where}: check quotas, limits and admission errors in its ReplicaFailure condition.`;
  },
  InvalidClientCertificateRef: () => 'spec.tls.backend.clientCertificateRef must name an existing kubernetes.io/tls Secret (with a ReferenceGrant if in another namespace).',
  InvalidMesh: () => 'The kuma.io/mesh label or annotation (on this object or its namespace) is not a valid mesh name: use the name of an existing Kuma Mesh (lower-case alphanumerics, \'-\' and \'.\'), or remove it for mesh "default".',
  GeneratedNameConflict: () => 'Another object already generates a Kuma object of the same name, and it is older: rename this object (or its namespace), or delete the other one.',
  Pending: (ctx) => (ctx.object?.kind === 'Gateway' && ctx.type === 'Programmed' && !ctx.listener ? proxyPending(ctx) : 'Waiting for the controller: if this persists, check that the controller is running and the GatewayClass is accepted.'),
  Invalid: (ctx) =>
    ctx.listener
      ? `Listener "${ctx.listener.name}" is not programmed because of its other conditions: fix those (see the listener's other problems) and it will be.`
      : 'The object is invalid as a whole: see the message.',
};

export function hintFor(ctx: HintContext): string {
  const fn = HINTS[ctx.reason];
  if (fn) return fn(ctx);
  if (ctx.type === 'PartiallyInvalid') return 'Some rules are not served as written: the message names each rule field and why (dropped, or ignored where Kuma configures it with another policy); change that rule.';
  return ctx.message ? `See the message: ${ctx.message}` : 'No hint available for this reason.';
}
