// The live state of the conformance namespaces, shaped like a TranslationResult/TranslationInput so
// that the harness's assertions (translators/conformance/harness.ts) apply to it.
import type { Gateway, GatewayClass, HTTPRoute, RouteParentStatus, TLSRoute } from '../../translators/api/gateway-api';
import type { Condition, KubeObject } from '../../translators/api/meta';
import { emptyInput, type TranslationInput } from '../../translators/input';
import type { GatewayClassStatusUpdate, GatewayStatusUpdate, RouteStatusUpdate, StatusUpdate, TranslationResult } from '../../translators/result';
import { CONTROLLER } from '../../translators/conformance/harness';

/** The live state, shaped like a TranslationResult/TranslationInput so the harness assertions apply. */
export interface Live {
  result: TranslationResult;
  input: TranslationInput;
  objects: KubeObject[];
}

export type WithStatus = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

/**
 * Our GatewayClasses and Gateways (by controllerName / class) and every route, with status as
 * written on the server. Route statuses keep only the parent entries of our controllerName
 * (what a RouteStatusUpdate holds), relabelled with the harness's CONTROLLER, the name its
 * assertions compare with; a route without any is "no status" (undefined), as in the harness.
 */
export function toLive(items: WithStatus[], controllerName: string): Live {
  const classes = items.filter((o): o is GatewayClass & WithStatus => o.kind === 'GatewayClass' && o.spec?.controllerName === controllerName);
  const ours = new Set(classes.map((c) => c.metadata.name));
  const gateways = items.filter((o): o is Gateway & WithStatus => o.kind === 'Gateway' && ours.has(String(o.spec?.gatewayClassName)));
  const routes = items.filter((o): o is (HTTPRoute | TLSRoute) & WithStatus => o.kind === 'HTTPRoute' || o.kind === 'TLSRoute');
  const target = (o: KubeObject) => ({ namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid });
  const generation = (o: KubeObject) => o.metadata.generation ?? 0;
  const statuses: StatusUpdate[] = [];
  for (const c of classes) {
    statuses.push({
      target: { kind: 'GatewayClass', ...target(c) }, generation: generation(c),
      conditions: (c.status?.conditions as Condition[]) ?? [], supportedFeatures: (c.status?.supportedFeatures as { name: string }[]) ?? [],
    } as GatewayClassStatusUpdate);
  }
  for (const g of gateways) {
    statuses.push({
      target: { kind: 'Gateway', ...target(g) }, generation: generation(g),
      conditions: (g.status?.conditions as Condition[]) ?? [], listeners: (g.status?.listeners as GatewayStatusUpdate['listeners']) ?? [],
      addresses: (g.status?.addresses as GatewayStatusUpdate['addresses']) ?? [],
    } as GatewayStatusUpdate);
  }
  for (const r of routes) {
    const parents = ((r.status?.parents as RouteParentStatus[]) ?? []).filter((p) => p.controllerName === controllerName).map((p) => ({ ...p, controllerName: CONTROLLER }));
    if (parents.length) statuses.push({ target: { kind: r.kind, ...target(r) }, generation: generation(r), parents } as RouteStatusUpdate);
  }
  const input: TranslationInput = {
    ...emptyInput(),
    gatewayClasses: classes,
    gateways,
    httpRoutes: routes.filter((r): r is HTTPRoute & WithStatus => r.kind === 'HTTPRoute'),
    tlsRoutes: routes.filter((r): r is TLSRoute & WithStatus => r.kind === 'TLSRoute'),
  };
  return { result: { objects: [], statuses, diagnostics: [] }, input, objects: items };
}
