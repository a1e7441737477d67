// Gateway conditions (Accepted, Programmed, ResolvedRefs), one named constructor per message,
// and the Gateway status object with its listener entries.
import type { Gateway, GatewayStatusAddress, ListenerStatus } from '../api/gateway-api';
import type { Condition } from '../api/meta';
import type { ListenerResult } from '../listener';
import type { GatewayStatusUpdate } from '../result';
import type { Hint } from './hint-context';
import { invalidMeshHint } from './hint-context';
import { entry, finalizeConditions, ok, Reason, Type } from './conditions';

/** Programmed=False/Pending: the message says which of proxy and address is missing. */
const proxyPendingHint: Hint = (ctx) => {
  const gw = ctx.object;
  const ns = gw?.metadata.namespace ?? '';
  const steps: string[] = [];
  if (/annotation gateways\.meshgate\.io\/proxy-service/.test(ctx.message)) {
    return 'This Gateway runs on a proxy you manage (annotation gateways.meshgate.io/proxy-service): create the Service it names in the Gateway\'s namespace (a ClusterIP Service, or a LoadBalancer one once it has an external address), or fix the annotation; meshgate creates no Deployment or Service for it.';
  }
  if (/does not exist yet/.test(ctx.message)) steps.push('the generated objects are not in the cluster yet (in a bundle read from files nothing runs, so this is expected offline; in a cluster, check the controller logs for write errors)');
  if (/no available replica/.test(ctx.message)) steps.push(`no proxy pod is ready: kubectl -n ${ns} get pods -l app=${gw?.metadata.name ?? '<gateway>'} and describe them (image pull, scheduling, kuma-dp unable to reach the control plane at KUMA_CONTROL_PLANE_URL or to verify its CA)`);
  if (/load-balancer address/.test(ctx.message)) steps.push('the LoadBalancer Service has no external address: the cluster needs a load-balancer implementation (cloud, MetalLB, ...); without one, use a MeshGatewayConfig with serviceType ClusterIP or NodePort');
  if (/no cluster IP/.test(ctx.message)) steps.push('the Service has no cluster IP yet: it should get one as soon as the API server stores it');
  return steps.length ? `The Gateway is Programmed once its proxy runs and is reachable: ${steps.join('; ')}.` : 'The gateway proxy is not running yet: see the message.';
};

const noResourcesHint: Hint = (ctx) => {
  const gw = ctx.object;
  const where = gw ? ` (kubectl -n ${gw.metadata.namespace} describe deployment ${gw.metadata.name})` : '';
  return /scaled to 0/.test(ctx.message)
    ? 'The gateway Deployment is scaled to 0 replicas: set replicas in the MeshGatewayConfig (or stop scaling it down) so a proxy runs.'
    : `The gateway Deployment cannot create its pods${where}: check quotas, limits and admission errors in its ReplicaFailure condition.`;
};

const programmedInvalidHint: Hint = (ctx) => {
  if (/not managed by meshgate/.test(ctx.message)) return 'An object meshgate did not create has the name of one it generates for this Gateway: rename or delete that object (see the message), or rename the Gateway.';
  if (/no listener can be programmed/.test(ctx.message)) return 'No listener is valid: see the listener problems and fix them.';
  return 'The Gateway is not accepted: fix what its Accepted condition says and it will be programmed.';
};

const E = {
  accepted: entry('Gateway', Type.Accepted, 'True', Reason.Accepted),
  someListenersInvalid: entry('Gateway', Type.Accepted, 'True', Reason.ListenersNotValid, () =>
    'Some listeners are invalid and not served: see the listener problems below and fix them.'),
  listenersNotValid: entry('Gateway', Type.Accepted, 'False', Reason.ListenersNotValid, (ctx) =>
    /no listeners/.test(ctx.message) ? 'Add at least one listener to spec.listeners.' : 'No listener is valid: see the listener problems below and fix them.'),
  classNotAccepted: entry('Gateway', Type.Accepted, 'False', Reason.Invalid, (ctx) =>
    `GatewayClass "${(ctx.object as Gateway | undefined)?.spec?.gatewayClassName ?? '?'}" is not accepted: fix its parametersRef (see the class's problems), or use another gatewayClassName.`),
  invalidParameters: entry('Gateway', Type.Accepted, 'False', Reason.InvalidParameters, (ctx) =>
    /gateways\.meshgate\.io\/proxy-service/.test(ctx.message)
      ? 'Annotation gateways.meshgate.io/proxy-service must be the name of a Service in the Gateway\'s namespace (or <namespace>/<name> with that namespace), and gateways.meshgate.io/proxy-service-tag, if set, <name>_<gateway namespace>_svc (letters, digits, . - _ : in the name): fix the value the message names, or remove the annotation to let meshgate run the proxy.'
      : 'spec.infrastructure.parametersRef must name an existing, valid MeshGatewayConfig (group kuma.io, kind MeshGatewayConfig): create it, fix the fields the message names, or remove the reference.'),
  invalidMesh: entry('Gateway', Type.Accepted, 'False', Reason.InvalidMesh, invalidMeshHint),
  unsupportedAddress: entry('Gateway', Type.Accepted, 'False', Reason.UnsupportedAddress, () =>
    'meshgate takes the Gateway\'s addresses from its generated Service and supports no spec.addresses: remove spec.addresses (set the Service type with a MeshGatewayConfig instead).'),
  programmed: entry('Gateway', Type.Programmed, 'True', Reason.Programmed),
  programmedInvalid: entry('Gateway', Type.Programmed, 'False', Reason.Invalid, programmedInvalidHint),
  pending: entry('Gateway', Type.Programmed, 'False', Reason.Pending, proxyPendingHint),
  noResources: entry('Gateway', Type.Programmed, 'False', Reason.NoResources, noResourcesHint),
  resolvedRefs: entry('Gateway', Type.ResolvedRefs, 'True', Reason.ResolvedRefs),
  clientCertNotPermitted: entry('Gateway', Type.ResolvedRefs, 'False', Reason.RefNotPermitted, (ctx) => {
    const ref = (ctx.object as Gateway | undefined)?.spec?.tls?.backend?.clientCertificateRef;
    const ns = ctx.object?.metadata.namespace ?? '';
    return `Add a ReferenceGrant in namespace "${ref?.namespace ?? '?'}" with from {group: gateway.networking.k8s.io, kind: Gateway, namespace: ${ns}} and to {group: "", kind: Secret, name: ${ref?.name ?? '?'}} — or copy the Secret into namespace "${ns}".`;
  }),
  invalidClientCert: entry('Gateway', Type.ResolvedRefs, 'False', Reason.InvalidClientCertificateRef, () =>
    'spec.tls.backend.clientCertificateRef must name an existing core Secret of type kubernetes.io/tls with a PEM certificate and key, in a namespace meshgate may read.'),
  listenersNotResolved: entry('Gateway', Type.ResolvedRefs, 'False', Reason.ListenersNotResolved, () =>
    'A listener has unresolved references (certificates, route kinds): see the listener problems.'),
};
export const GATEWAY_ENTRIES = Object.values(E);

export const gatewayClassNotAccepted = (className: string, classMessage: string | undefined) =>
  E.classNotAccepted.make(`GatewayClass "${className}" is not accepted: ${classMessage}`);
export const gatewayParametersWrongKind = (kind: string, group: string) =>
  E.invalidParameters.make(`spec.infrastructure.parametersRef must point to a MeshGatewayConfig.kuma.io, not ${kind}.${group || 'core'}`);
export const gatewayParametersNotFound = (name: string) => E.invalidParameters.make(`spec.infrastructure.parametersRef: MeshGatewayConfig "${name}" not found`);
export const gatewayParametersInvalid = (name: string, problem: string) => E.invalidParameters.make(`MeshGatewayConfig "${name}": ${problem}`);
export const gatewayInvalidMesh = (problem: string) => E.invalidMesh.make(problem);
export const gatewayAddressesUnsupported = () =>
  E.unsupportedAddress.make('spec.addresses is not supported: meshgate takes addresses from the generated Service; remove spec.addresses');
/** What `missing` lists decides the reason: a Deployment scaled to 0 or failing is NoResources, anything else Pending. */
export const gatewayProxyNotReady = (noResources: boolean, missing: string[]) =>
  (noResources ? E.noResources : E.pending).make(`waiting for the gateway proxy: ${missing.join('; ')}`);
// ---- unmanaged Gateways (unmanaged.ts) ----
/** `annotation`: which annotation is wrong; `problem` says what is wrong with its value. */
export const gatewayProxyServiceInvalid = (annotation: string, problem: string) => E.invalidParameters.make(`annotation ${annotation}: ${problem}`);
/** The proxy Service an unmanaged Gateway names is missing or has no address; `what` says which. */
export const gatewayProxyServiceNotReady = (service: string, what: string) =>
  E.pending.make(`waiting for the proxy Service ${service} (annotation gateways.meshgate.io/proxy-service): ${what}`);

/** `taken`: generated objects (`Kind ns/name`) held by objects meshgate did not create, sorted. */
export const gatewayNamesTaken = (taken: string[]) =>
  E.programmedInvalid.make(taken.length === 1
    ? `${taken[0]} exists and is not managed by meshgate; rename or delete it`
    : `${taken.join(', ')} exist and are not managed by meshgate; rename or delete them`);
export const gatewayClientCertFailed = (reason: 'RefNotPermitted' | 'InvalidCertificateRef', message: string) =>
  (reason === 'RefNotPermitted' ? E.clientCertNotPermitted : E.invalidClientCert).make(`spec.tls.backend.clientCertificateRef: ${message}`);
export const gatewayListenersNotResolved = (names: string[]) =>
  E.listenersNotResolved.make(`listeners with unresolved references: ${names.join(', ')}`);

/** A Gateway that is not accepted as a whole: the rejection, and Programmed=False saying the same. */
export function blockedGatewayConditions(blocked: Condition): Condition[] {
  return [blocked, E.programmedInvalid.make(blocked.message)];
}

/**
 * Accepted summarises the listeners; Programmed is Invalid when nothing can be programmed or a
 * generated name is taken, else what the proxy says (`programmed`, computed only then).
 */
export function gatewayConditions(listeners: ListenerResult[], programmed: () => Condition, taken: string[], resolvedRefs: Condition): Condition[] {
  const accepted = listeners.filter((l) => l.accepted);
  const out: Condition[] = [];
  if (accepted.length === listeners.length && listeners.length > 0) out.push(ok.accepted());
  else if (accepted.length > 0) out.push(E.someListenersInvalid.make(`some listeners are not valid: ${invalidNames(listeners)}`));
  else out.push(E.listenersNotValid.make(listeners.length ? `no valid listener: ${invalidNames(listeners)}` : 'the Gateway has no listeners'));
  if (accepted.length === 0) out.push(E.programmedInvalid.make('no listener can be programmed'));
  else if (taken.length > 0) out.push(gatewayNamesTaken(taken));
  else out.push(programmed());
  out.push(resolvedRefs);
  return out;
}

function invalidNames(listeners: ListenerResult[]): string {
  return listeners.filter((l) => !l.accepted).map((l) => l.listener.name).join(', ');
}

/** `attached`: listener name → the routes attached to it. */
export function listenerStatuses(listeners: ListenerResult[], attached: ReadonlyMap<string, ReadonlySet<unknown>>, generation: number): ListenerStatus[] {
  return listeners.map((l) => ({
    name: l.name,
    supportedKinds: l.supportedKinds,
    attachedRoutes: attached.get(l.listener.name)?.size ?? 0,
    conditions: finalizeConditions(l.conditions, generation),
  }));
}

export function gatewayStatus(gw: Gateway, generation: number, conditions: Condition[], listeners: ListenerStatus[], addresses: GatewayStatusAddress[]): GatewayStatusUpdate {
  return {
    target: { apiVersion: gw.apiVersion, kind: 'Gateway' as const, namespace: gw.metadata.namespace, name: gw.metadata.name, uid: gw.metadata.uid },
    generation,
    conditions: finalizeConditions(conditions, generation),
    listeners,
    addresses,
  };
}
