// ListenerSet conditions (GEP-1713: Accepted and Programmed, with the reasons NotAllowed,
// ParentNotAccepted and ListenersNotValid), one named constructor per message, and the
// ListenerSet status object. Its listener entries use the listener catalogue (status/listener.ts).
import type { ListenerSet, ListenerStatus } from '../api/gateway-api';
import type { Condition } from '../api/meta';
import type { ListenerSetStatusUpdate } from '../result';
import type { Hint } from './hint-context';
import { entry, finalizeConditions, Reason, Type } from './conditions';

const notAllowedHint: Hint = (ctx) => {
  const ref = (ctx.object as ListenerSet | undefined)?.spec?.parentRef;
  const gw = ref ? `${ref.namespace ?? ctx.object?.metadata.namespace ?? '?'}/${ref.name}` : 'the parent Gateway';
  return `Gateway ${gw} does not let this ListenerSet attach: its owner must set spec.allowedListeners.namespaces.from (Same, All, or Selector with a selector matching this namespace); the default is None.`;
};
const parentNotAcceptedHint: Hint = () => 'The parent Gateway is not accepted: fix what its Accepted condition says; the ListenerSet attaches once it is.';
const listenersNotValidHint: Hint = () => 'No listener of this ListenerSet is valid (conflicts with listeners of higher precedence, unresolved certificates, unsupported protocols…): see the listener problems below.';

const E = {
  accepted: entry('ListenerSet', Type.Accepted, 'True', Reason.Accepted),
  someListenersInvalid: entry('ListenerSet', Type.Accepted, 'True', Reason.ListenersNotValid, () =>
    'Some listeners of this ListenerSet are invalid and not served: see the listener problems below.'),
  notAllowed: entry('ListenerSet', Type.Accepted, 'False', Reason.NotAllowed, notAllowedHint),
  parentNotAccepted: entry('ListenerSet', Type.Accepted, 'False', Reason.ParentNotAccepted, parentNotAcceptedHint),
  listenersNotValid: entry('ListenerSet', Type.Accepted, 'False', Reason.ListenersNotValid, listenersNotValidHint),
  programmed: entry('ListenerSet', Type.Programmed, 'True', Reason.Programmed),
  programmedNotAllowed: entry('ListenerSet', Type.Programmed, 'False', Reason.NotAllowed, notAllowedHint),
  programmedParentNotAccepted: entry('ListenerSet', Type.Programmed, 'False', Reason.ParentNotAccepted, parentNotAcceptedHint),
  programmedListenersNotValid: entry('ListenerSet', Type.Programmed, 'False', Reason.ListenersNotValid, listenersNotValidHint),
  pending: entry('ListenerSet', Type.Programmed, 'False', Reason.Pending, () =>
    'The parent Gateway is not programmed yet (its proxy is not running or has no address): see the Gateway\'s Programmed condition.'),
  invalid: entry('ListenerSet', Type.Programmed, 'False', Reason.Invalid, () =>
    'The parent Gateway cannot be programmed: see the Gateway\'s Programmed condition.'),
};
export const LISTENERSET_ENTRIES = Object.values(E);

/** `from`: the Gateway's allowedListeners.namespaces.from (None when unset). */
export function listenerSetNotAllowed(gateway: string, from: string): Condition[] {
  const m = from === 'None'
    ? `Gateway ${gateway} allows no ListenerSets (spec.allowedListeners.namespaces.from is None or unset)`
    : `Gateway ${gateway} allows ListenerSets from ${from === 'Same' ? 'its own namespace only' : from === 'Selector' ? 'the namespaces its selector matches' : `namespaces by ${from}`}, not from this one`;
  return [E.notAllowed.make(m), E.programmedNotAllowed.make(m)];
}

export function listenerSetParentNotAccepted(gateway: string, why: string): Condition[] {
  const m = `Gateway ${gateway} is not accepted: ${why}`;
  return [E.parentNotAccepted.make(m), E.programmedParentNotAccepted.make(m)];
}

/**
 * An attached ListenerSet: Accepted summarises its own listeners (valid = programmable);
 * Programmed follows the Gateway's (`gatewayProgrammed`) once one of them is valid.
 */
export function listenerSetConditions(listeners: { name: string; valid: boolean }[], gatewayProgrammed: Condition): Condition[] {
  const valid = listeners.filter((l) => l.valid);
  if (valid.length === 0) {
    const m = listeners.length === 0 ? 'the ListenerSet has no listeners' : `no valid listener: ${listeners.map((l) => l.name).join(', ')}`;
    return [E.listenersNotValid.make(m), E.programmedListenersNotValid.make(m)];
  }
  const accepted = valid.length === listeners.length
    ? E.accepted.make('Accepted')
    : E.someListenersInvalid.make(`some listeners are not valid: ${listeners.filter((l) => !l.valid).map((l) => l.name).join(', ')}`);
  if (gatewayProgrammed.status === 'True') return [accepted, E.programmed.make('Programmed')];
  const m = `the parent Gateway is not programmed: ${gatewayProgrammed.message}`;
  return [accepted, (gatewayProgrammed.reason === Reason.Pending || gatewayProgrammed.reason === Reason.NoResources ? E.pending : E.invalid).make(m)];
}

export function listenerSetStatus(ls: ListenerSet, conditions: Condition[], listeners: ListenerStatus[]): ListenerSetStatusUpdate {
  const generation = ls.metadata.generation ?? 1;
  return {
    target: { apiVersion: ls.apiVersion, kind: 'ListenerSet' as const, namespace: ls.metadata.namespace, name: ls.metadata.name, uid: ls.metadata.uid },
    generation,
    conditions: finalizeConditions(conditions, generation),
    listeners,
  };
}
