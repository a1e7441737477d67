// mergeStatus for ListenerSets and for the Gateway's attachedListenerSets (GEP-1713).
import type { GatewayStatusUpdate, ListenerSetStatusUpdate } from '../../translators/result';
import { jsonEqual, mergeStatus } from './status-merge';

const CTL = 'gateways.kuma.io/controller';
const T0 = '2025-01-01T00:00:00Z';
const NOW = '2026-01-01T00:00:00Z';
const c = (type: string, status: 'True' | 'False', reason = type) => ({ type, status, reason, message: reason, observedGeneration: 1 });
const gw = (attachedListenerSets?: number): GatewayStatusUpdate => ({
  target: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'app', name: 'edge' }, generation: 1,
  conditions: [c('Accepted', 'True')], listeners: [], addresses: [], ...(attachedListenerSets !== undefined ? { attachedListenerSets } : {}),
});
const ls: ListenerSetStatusUpdate = {
  target: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ListenerSet', namespace: 'app', name: 'team' }, generation: 1,
  conditions: [c('Accepted', 'True'), c('Programmed', 'False', 'Pending')],
  listeners: [{ name: 'web', supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], attachedRoutes: 1, conditions: [c('Accepted', 'True')] }],
};

describe('mergeStatus (ListenerSets)', () => {
  it.each<[string, Record<string, unknown> | undefined, number | undefined, unknown]>([
    ['set where the Gateway has ListenerSets', undefined, 2, 2],
    ['left unset elsewhere', undefined, undefined, undefined],
    ['a stale count is removed (null in the merge patch)', { attachedListenerSets: 1 }, undefined, null],
    ['updated', { attachedListenerSets: 1 }, 0, 0],
  ])('Gateway attachedListenerSets: %s', (_n, live, desired, want) => {
    expect(mergeStatus(live, gw(desired), CTL, NOW).attachedListenerSets).toBe(want);
  });

  it('a ListenerSet gets its conditions and listeners, keeping transition times and others\' condition types, and no addresses', () => {
    const live = { conditions: [{ ...c('Accepted', 'True'), lastTransitionTime: T0 }, { ...c('example.com/Audited', 'True'), lastTransitionTime: T0 }], listeners: [{ name: 'web', conditions: [{ ...c('Accepted', 'True'), lastTransitionTime: T0 }] }] };
    const out = mergeStatus(live, ls, CTL, NOW);
    expect(out).toEqual({
      conditions: [{ ...c('Accepted', 'True'), lastTransitionTime: T0 }, { ...c('Programmed', 'False', 'Pending'), lastTransitionTime: NOW }, { ...c('example.com/Audited', 'True'), lastTransitionTime: T0 }],
      listeners: [{ ...ls.listeners[0], conditions: [{ ...c('Accepted', 'True'), lastTransitionTime: T0 }] }],
    });
    // Merging the result again changes nothing: the writer sees no news and writes nothing.
    expect(jsonEqual(mergeStatus(out, ls, CTL, NOW), out)).toBe(true);
  });
});
