import { statusTransitions } from './events';

const c = (type: string, status: string, reason = 'R', message = 'm') => ({ type, status, reason, message });
const CTL = 'gateways.kuma.io/controller';
const parent = (name: string, conditions: object[], controllerName = CTL) => ({ parentRef: { name }, controllerName, conditions });

describe('statusTransitions', () => {
  it.each([
    ['gateway programmed True→False', 'Gateway', { conditions: [c('Programmed', 'True')] }, { conditions: [c('Programmed', 'False', 'Invalid', 'x')] }, ['GatewayNotProgrammed']],
    ['new gateway waiting for an address: no event', 'Gateway', undefined, { conditions: [c('Programmed', 'False', 'AddressNotAssigned')] }, []],
    ['new gateway waiting for its proxy (CRD default Unknown before): no event', 'Gateway', { conditions: [c('Programmed', 'Unknown', 'Pending')] }, { conditions: [c('Programmed', 'False', 'Pending')] }, []],
    ['programmed gateway whose replicas went away (True→Pending): event', 'Gateway', { conditions: [c('Programmed', 'True')] }, { conditions: [c('Programmed', 'False', 'Pending')] }, ['GatewayNotProgrammed']],
    ['gateway stays False: no event', 'Gateway', { conditions: [c('Programmed', 'False')] }, { conditions: [c('Programmed', 'False')] }, []],
    ['first status already False', 'Gateway', undefined, { conditions: [c('Accepted', 'False')] }, ['GatewayNotAccepted']],
    ['listener unprogrammed', 'Gateway', { listeners: [{ name: 'a', conditions: [c('Programmed', 'True')] }] }, { listeners: [{ name: 'a', conditions: [c('Programmed', 'False')] }] }, ['ListenerNotProgrammed']],
    ['listener stays programmed', 'Gateway', { listeners: [{ name: 'a', conditions: [c('Programmed', 'True')] }] }, { listeners: [{ name: 'a', conditions: [c('Programmed', 'True')] }] }, []],
    ['route loses a conflict', 'TLSRoute', { parents: [parent('gw', [c('Accepted', 'True')])] }, { parents: [parent('gw', [c('Accepted', 'False', 'HostnameConflict')])] }, ['RouteNotAccepted']],
    ['route refs break', 'HTTPRoute', { parents: [parent('gw', [c('ResolvedRefs', 'True')])] }, { parents: [parent('gw', [c('ResolvedRefs', 'False')])] }, ['RouteRefsNotResolved']],
    ['other controllers are ignored', 'HTTPRoute', { parents: [] }, { parents: [parent('gw', [c('Accepted', 'False')], 'other/ctl')] }, []],
    ['recovery is not an event', 'HTTPRoute', { parents: [parent('gw', [c('Accepted', 'False')])] }, { parents: [parent('gw', [c('Accepted', 'True')])] }, []],
  ])('%s', (_name, kind, before, after, reasons) => {
    expect(statusTransitions(kind, before as never, after as never, CTL).map((e) => e.reason)).toEqual(reasons);
  });
});
