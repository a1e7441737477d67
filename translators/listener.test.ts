import type { Listener } from './api/gateway-api';
import { attachToGateway, selectorMatches } from './attachment';
import { defaultListener } from './input';
import { namespaceSelectorProblem, validateListeners, type ListenerContext } from './listener';
import { capMessage, condition, listOf, MAX_MESSAGE } from './status/conditions';

const ctx: ListenerContext = { gatewayNamespace: 'gw', crossMesh: false, frontendValidation: false, certs: { findSecret: () => undefined, isPermitted: () => false } };
const listener = (l: Partial<Listener>): Listener => defaultListener({ name: 'l', port: 80, protocol: 'HTTP', ...l } as Listener);
const selector = (sel: unknown): Listener => listener({ allowedRoutes: { namespaces: { from: 'Selector', selector: sel as never } } });
const route = { kind: 'HTTPRoute' as const, namespace: 'team', hostnames: undefined, namespaceLabels: { team: 'a' } };
const cond = (conds: { type: string }[], type: string) => conds.find((c) => c.type === type);

describe('namespaceSelectorProblem', () => {
  it.each<[string, unknown, string | undefined]>([
    ['matchLabels', { matchLabels: { team: 'a' } }, undefined],
    ['empty selector (selects all)', {}, undefined],
    ['In with values', { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] }, undefined],
    ['Exists without values', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, undefined],
    ['missing', undefined, 'from: Selector needs a selector'],
    ['Exists with values', { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['a'] }] }, 'matchExpressions[0]: operator Exists takes no values'],
    ['In without values', { matchExpressions: [{ key: 'team', operator: 'In' }] }, 'matchExpressions[0]: operator In needs at least one value'],
    ['unknown operator', { matchExpressions: [{ key: 'team', operator: 'Like', values: ['a'] }] }, 'matchExpressions[0].operator "Like" is not one of In, NotIn, Exists, DoesNotExist'],
    ['values not a list', { matchExpressions: [{ key: 'team', operator: 'In', values: 'abc' }] }, 'matchExpressions[0].values must be a list of strings, got "abc"'],
    ['matchExpressions not a list', { matchExpressions: 5 }, 'matchExpressions must be a list, got 5'],
    ['matchLabels value not a string', { matchLabels: { team: 1 } }, 'matchLabels must map label keys to string values'],
    ['expression without key', { matchExpressions: [{ operator: 'Exists' }] }, 'matchExpressions[0] needs a non-empty string key'],
  ])('%s', (_n, sel, problem) => {
    expect(namespaceSelectorProblem(selector(sel))).toBe(problem);
  });

  it('an invalid selector leaves the listener accepted, not programmed, and admits no route', () => {
    const [l] = validateListeners([selector({ matchExpressions: [{ key: 'team', operator: 'In', values: 'a' }] })], ctx);
    expect([l.accepted, l.programmed, l.namespacesValid]).toEqual([true, false, false]);
    expect(cond(l.conditions, 'Programmed')).toEqual(expect.objectContaining({ status: 'False', reason: 'Invalid' }));
    const r = attachToGateway(route, { name: 'gw' }, 'gw', [l]);
    expect(r).toEqual({ ok: false, accepted: expect.objectContaining({ reason: 'NotAllowedByListeners', message: 'listener l has an invalid allowedRoutes namespace selector' }) });
  });

  it('malformed selectors never throw and match nothing (a string values never matches by substring)', () => {
    expect(selectorMatches({ matchExpressions: 5 } as never, { team: 'a' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'In', values: 'abc' }] } as never, { team: 'a' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [null] } as never, { team: 'a' })).toBe(false);
  });
});

describe('validateListeners', () => {
  it('an HTTPS listener without tls is accepted, not programmed: InvalidTLSConfig', () => {
    const [l] = validateListeners([listener({ protocol: 'HTTPS', port: 443 })], ctx);
    expect([l.accepted, l.programmed]).toEqual([true, false]);
    expect(cond(l.conditions, 'Accepted')).toEqual(expect.objectContaining({ status: 'True' }));
    expect(cond(l.conditions, 'Programmed')).toEqual(expect.objectContaining({ status: 'False', reason: 'InvalidTLSConfig' }));
  });

  it('routes attach to conflicted listeners and are counted there, but nothing is programmed on them', () => {
    const ls = validateListeners([listener({ name: 'a', hostname: 'x.example.com' }), listener({ name: 'b', hostname: 'x.example.com' })], ctx);
    expect(ls.map((l) => [l.accepted, l.attachable, l.programmed])).toEqual([[false, true, false], [false, true, false]]);
    const r = attachToGateway({ ...route, namespace: 'gw' }, { name: 'gw' }, 'gw', ls);
    expect(r.ok && r.attachments.map((a) => a.listener.listener.name)).toEqual(['a', 'b']);
  });

  it('a listener refused for another reason takes no routes', () => {
    const ls = validateListeners([listener({ name: 'a', port: 0 })], ctx);
    expect(ls.map((l) => l.attachable)).toEqual([false]);
  });
});

describe('messages stay within the CRD limit', () => {
  it('a condition message over 32,768 characters is cut, saying how much', () => {
    const c = condition('Accepted', 'False', 'X', 'x'.repeat(40_000));
    expect(c.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(c.message).toMatch(/ … \(7296 more characters\)$/);
    expect(condition('Accepted', 'True', 'X', 'short').message).toBe('short');
  });

  it('never cuts a surrogate pair in half', () => {
    const m = capMessage('a'.repeat(MAX_MESSAGE - 65) + '😀'.repeat(100));
    expect(m).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it.each<[string[], string]>([
    [[], ''],
    [['a', 'b'], 'a, b'],
    [Array.from({ length: 20 }, (_, i) => `n${i}`), 'n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11, n12, n13, n14, n15 … and 4 more'],
  ])('listOf %p', (items, text) => {
    expect(listOf(items)).toBe(text);
  });
});
