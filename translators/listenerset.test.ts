// Table tests of the ListenerSet helpers (GEP-1713): merged listener names, which ListenerSets a
// Gateway admits and in which order, and conflicts resolved by precedence.
import type { Gateway, Listener, ListenerSet } from './api/gateway-api';
import type { KubeObject } from './api/meta';
import { TranslationEngine } from './engine';
import { translate } from './index';
import { defaultListener, DEFAULT_OPTIONS, emptyInput } from './input';
import type { ListenerContext, ListenerGroup } from './listener';
import { validateListeners } from './listener';
import { listenerSetListenerName, listenerSetsOf } from './listenerset';
import { Snapshot } from './snapshot';

const ctx: ListenerContext = { gatewayNamespace: 'gw', crossMesh: false, frontendValidation: false, certs: { findSecret: () => undefined, isPermitted: () => false } };
const listener = (l: Partial<Listener>): Listener => defaultListener({ name: 'l', port: 80, protocol: 'HTTP', ...l } as Listener);
const group = (name: string, listeners: Listener[], namespace = 'gw'): ListenerGroup => ({ namespace, name, listeners, key: (l) => listenerSetListenerName(namespace, name, l) });
const cond = (conds: { type: string; status: string; reason: string }[], type: string) => conds.find((c) => c.type === type);

describe('listenerSetListenerName', () => {
  it.each([
    ['app', 'team', 'web', 'app_team_web'],
    // The same listener name in two sets, or in a set and the Gateway, stays distinct.
    ['app', 'other', 'web', 'app_other_web'],
    ['a-b', 'c.d', 'e', 'a-b_c.d_e'],
  ])('%s/%s listener %s → %s', (ns, set, l, want) => {
    expect(listenerSetListenerName(ns, set, l)).toBe(want);
  });

  it('is injective: `_` occurs in no namespace, object or listener name', () => {
    expect(listenerSetListenerName('a', 'b-c', 'd')).not.toBe(listenerSetListenerName('a-b', 'c', 'd'));
  });
});

describe('validateListeners with ListenerSets (precedence: Gateway, then sets in the order given)', () => {
  it.each<[string, Listener[], ListenerGroup[], Record<string, string>]>([
    ['same hostname and port as the Gateway: the set loses', [listener({ name: 'a', hostname: 'x.example.com' })], [group('s1', [listener({ name: 'a', hostname: 'x.example.com' })])],
      { a: 'ok', gw_s1_a: 'HostnameConflict' }],
    ['other hostname on the same port: both served', [listener({ name: 'a', hostname: 'x.example.com' })], [group('s1', [listener({ name: 'a', hostname: 'y.example.com' })])],
      { a: 'ok', gw_s1_a: 'ok' }],
    ['other protocol on the same port: the set loses', [listener({ name: 'a' })], [group('s1', [listener({ name: 'b', protocol: 'TCP' })])],
      { a: 'ok', gw_s1_b: 'ProtocolConflict' }],
    ['two sets: the first given (older) wins', [listener({ name: 'a', port: 81 })], [group('s1', [listener({ name: 'x', hostname: 'h.example.com' })]), group('s2', [listener({ name: 'x', hostname: 'h.example.com' })])],
      { a: 'ok', gw_s1_x: 'ok', gw_s2_x: 'HostnameConflict' }],
    ['TCP shares no port with a listener of higher precedence', [listener({ name: 'db', port: 5432, protocol: 'TCP' })], [group('s1', [listener({ name: 'db', port: 5432, protocol: 'TCP' })])],
      { db: 'ok', gw_s1_db: 'HostnameConflict' }],
    ['within the Gateway nothing changes: both conflicting listeners lose', [listener({ name: 'a' }), listener({ name: 'b' })], [group('s1', [listener({ name: 'c', port: 8080 })])],
      { a: 'HostnameConflict', b: 'HostnameConflict', gw_s1_c: 'ok' }],
    ['a listener that lost within the Gateway does not block a set', [listener({ name: 'a' }), listener({ name: 'b' })], [group('s1', [listener({ name: 'c', hostname: 'c.example.com' })])],
      { a: 'HostnameConflict', b: 'HostnameConflict', gw_s1_c: 'ok' }],
    // Upstream ListenerSetProtocolConflict: the TCP listener loses to the Gateway first, so it conflicts with nothing in its set.
    ['a listener lost to the Gateway does not take down the rest of its set', [listener({ name: 'g', hostname: 'g.example.com' })],
      [group('s1', [listener({ name: 'a', hostname: 'a.example.com' }), listener({ name: 'tcp', protocol: 'TCP' }), listener({ name: 'b', hostname: 'b.example.com' })])],
      { g: 'ok', gw_s1_a: 'ok', gw_s1_tcp: 'ProtocolConflict', gw_s1_b: 'ok' }],
    ['within a set, conflicts keep the no-winner rule', [listener({ name: 'g', port: 81 })], [group('s1', [listener({ name: 'a' }), listener({ name: 'b' })])],
      { g: 'ok', gw_s1_a: 'HostnameConflict', gw_s1_b: 'HostnameConflict' }],
    ['names repeat across objects, not within one', [listener({ name: 'a' })], [group('s1', [listener({ name: 'a', port: 81 }), listener({ name: 'a', port: 82 })])],
      { a: 'ok', gw_s1_a: 'UnsupportedValue' }],
  ])('%s', (_n, own, sets, want) => {
    const got: Record<string, string> = {};
    for (const l of validateListeners(own, ctx, sets)) {
      const c = cond(l.conditions, 'Conflicted');
      got[l.listener.name] = l.accepted ? 'ok' : c?.status === 'True' ? c.reason : cond(l.conditions, 'Accepted')!.reason;
    }
    expect(got).toEqual(want);
  });

  it('keeps the written name and the owner beside the unique one; a loser is Accepted, Programmed False and Conflicted', () => {
    const [, l] = validateListeners([listener({ name: 'a' })], ctx, [group('s1', [listener({ name: 'a' })], 'team')]);
    expect({ name: l.name, key: l.listener.name, owner: l.owner }).toEqual({ name: 'a', key: 'team_s1_a', owner: { namespace: 'team', name: 's1' } });
    expect(['Accepted', 'Programmed', 'Conflicted'].map((t) => [t, cond(l.conditions, t)?.status, cond(l.conditions, t)?.reason]))
      .toEqual([['Accepted', 'False', 'HostnameConflict'], ['Programmed', 'False', 'HostnameConflict'], ['Conflicted', 'True', 'HostnameConflict']]);
    // The message names no other object (ListenerSets may belong to other users).
    expect(cond(l.conditions, 'Conflicted') as { message?: string }).toEqual(expect.objectContaining({ message: expect.not.stringContaining('s1') }));
  });
});

describe('listenerSetsOf', () => {
  const gateway = (from?: string, selector?: object): Gateway => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' },
    spec: { gatewayClassName: 'kuma', listeners: [], ...(from ? { allowedListeners: { namespaces: { from, ...(selector ? { selector } : {}) } } } : {}) },
  } as Gateway);
  const set = (namespace: string, name: string, created?: string): ListenerSet => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ListenerSet', metadata: { name, namespace, ...(created ? { creationTimestamp: created } : {}) },
    spec: { parentRef: { name: 'gw', namespace: 'infra' }, listeners: [{ name: 'l', port: 80, protocol: 'HTTP' }] },
  });
  const snapOf = (...objs: KubeObject[]) => {
    const s = new Snapshot(DEFAULT_OPTIONS);
    for (const o of objs) s.upsert(o);
    return s;
  };
  const labelled: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { access: 'yes' } } };
  const sets = [set('infra', 'b', '2026-02-01T00:00:00Z'), set('infra', 'a', '2026-02-01T00:00:00Z'), set('infra', 'old', '2026-01-01T00:00:00Z'), set('team-a', 'x'), set('team-b', 'y')];

  it.each<[string, Gateway, string[]]>([
    ['unset: None', gateway(), []],
    ['None', gateway('None'), []],
    ['Same', gateway('Same'), ['infra/old', 'infra/a', 'infra/b']],
    ['All', gateway('All'), ['team-a/x', 'team-b/y', 'infra/old', 'infra/a', 'infra/b']],
    ['Selector', gateway('Selector', { matchLabels: { access: 'yes' } }), ['team-a/x']],
    ['Selector without a selector admits nothing', gateway('Selector'), []],
    ['a malformed selector admits nothing', gateway('Selector', { matchExpressions: [{ key: 'access', operator: 'In' }] }), []],
    ['an unknown value admits nothing', gateway('Everyone'), []],
  ])('%s', (_n, gw, want) => {
    const got = listenerSetsOf(snapOf(labelled, gw, ...sets), gw, 'infra/gw');
    // Precedence: oldest first (no timestamp sorts first), then namespace/name.
    expect(got.all.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['team-a/x', 'team-b/y', 'infra/old', 'infra/a', 'infra/b']);
    expect(got.allowed.map((g) => `${g.namespace}/${g.name}`)).toEqual(want);
    expect(got.notAllowed.size).toBe(5 - want.length);
  });
});

describe('incremental translation with ListenerSets', () => {
  const GWV = 'gateway.networking.k8s.io/v1';
  const cls = { apiVersion: GWV, kind: 'GatewayClass', metadata: { name: 'kuma', generation: 1 }, spec: { controllerName: DEFAULT_OPTIONS.controllerName } } as KubeObject;
  const gw = (allowedListeners?: object, generation = 1) => ({ apiVersion: GWV, kind: 'Gateway', metadata: { name: 'gw', namespace: 'app', generation }, spec: { gatewayClassName: 'kuma', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], ...(allowedListeners ? { allowedListeners } : {}) } } as KubeObject);
  const set = { apiVersion: GWV, kind: 'ListenerSet', metadata: { name: 'ls', namespace: 'app', generation: 1 }, spec: { parentRef: { name: 'gw' }, listeners: [{ name: 'x', port: 8080, protocol: 'HTTP' }] } } as KubeObject;
  const route = { apiVersion: GWV, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app', generation: 1 }, spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'ls' }], rules: [] } } as KubeObject;

  it('a route memo is not replayed when only why its ListenerSet is not attached changed', () => {
    const engine = new TranslationEngine(DEFAULT_OPTIONS);
    engine.apply({ upsert: [cls, gw(), set, route] });
    const next = gw({ namespaces: { from: 'Selector', selector: { matchLabels: { none: 'x' } } } }, 2);
    engine.apply({ upsert: [next] });
    const full = translate({ ...emptyInput(), gatewayClasses: [cls as never], gateways: [next as never], listenerSets: [set as never], httpRoutes: [route as never] });
    const msg = (r: ReturnType<typeof translate>) => JSON.stringify(r.statuses.find((s) => s.target.kind === 'HTTPRoute'));
    expect(msg(full)).toContain('selector');
    expect(msg(engine.result())).toBe(msg(full));
  });
});
