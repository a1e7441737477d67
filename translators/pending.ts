// Routes whose Gateway exists and is meshgate's, but is not accepted (class rejected, bad
// infrastructure parameters): they get Accepted=Unknown/Pending naming the reason, so users
// are pointed at the Gateway instead of seeing no status at all.
import type { Gateway } from './api/gateway-api';
import { parentsToGateway } from './httproute';
import { parentStatus } from './route-status';
import type { Snapshot } from './snapshot';
import { routeGatewayNotAccepted } from './status/route';
import type { UnitOutput } from './unit';
import { addRouteParent } from './unit';

/** `why`: what the Gateway's Accepted condition says. */
export function pendingRouteParents(snap: Snapshot, unit: UnitOutput, gw: Gateway, why: string): void {
  const gwKey = `${gw.metadata.namespace}/${gw.metadata.name}`;
  for (const rk of snap.routesOfGateway(gwKey)) {
    const route = snap.route(rk);
    if (!route) continue;
    for (const ref of parentsToGateway(route, gw.metadata.namespace ?? '', gw.metadata.name)) {
      addRouteParent(unit, rk, parentStatus(ref, snap.options.controllerName, route.metadata.generation ?? 1, {
        accepted: routeGatewayNotAccepted(gwKey, why),
        backendFailures: [],
      }));
    }
  }
}
