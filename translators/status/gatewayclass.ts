// GatewayClass conditions (Accepted, SupportedVersion) and the class status object.
import type { GatewayClass } from '../api/gateway-api';
import type { Condition } from '../api/meta';
import type { GatewayClassStatusUpdate } from '../result';
import type { Hint } from './hint-context';
import { entry, finalizeConditions, Reason, Type } from './conditions';

const invalidParametersHint: Hint = (ctx) => {
  const ref = (ctx.object as GatewayClass | undefined)?.spec?.parametersRef;
  return `parametersRef${ref ? ` ${ref.group}/${ref.kind} ${ref.name}` : ''} must name an existing, valid MeshGatewayConfig (group kuma.io, kind MeshGatewayConfig, no namespace): create it, fix the fields the message names, or fix the reference.`;
};

const E = {
  accepted: entry('GatewayClass', Type.Accepted, 'True', Reason.Accepted),
  invalidParameters: entry('GatewayClass', Type.Accepted, 'False', Reason.InvalidParameters, invalidParametersHint),
  supportedVersion: entry('GatewayClass', Type.SupportedVersion, 'True', Reason.SupportedVersion),
  unsupportedVersion: entry('GatewayClass', Type.SupportedVersion, 'False', Reason.UnsupportedVersion, () =>
    'Install the Gateway API CRDs of release v1.3 or later (standard or experimental channel, as published: with the gateway.networking.k8s.io/bundle-version annotation).'),
};
export const GATEWAYCLASS_ENTRIES = Object.values(E);

export const classAccepted = () => E.accepted.make('Accepted');
export const classParametersWrongKind = (kind: string, group: string) =>
  E.invalidParameters.make(`parametersRef must point to a MeshGatewayConfig.kuma.io, not ${kind}.${group || 'core'}`);
export const classParametersNamespaced = () =>
  E.invalidParameters.make('parametersRef must not set a namespace: MeshGatewayConfig is cluster-scoped');
export const classParametersNotFound = (name: string) => E.invalidParameters.make(`parametersRef: MeshGatewayConfig "${name}" not found`);
export const classParametersInvalid = (name: string, problem: string) => E.invalidParameters.make(`MeshGatewayConfig "${name}": ${problem}`);
export const classVersionNotChecked = () => E.supportedVersion.make('Gateway API CRD versions not checked (no cluster)');
export const classVersionSupported = () => E.supportedVersion.make('Gateway API CRDs are a supported version');
/** `list`: the offending CRDs as `name=bundle-version`. */
export const classVersionUnsupported = (list: string) =>
  E.unsupportedVersion.make(`unsupported Gateway API bundle-version: ${list}; meshgate supports v1.3 and later (best effort)`);

export function gatewayClassStatus(gc: GatewayClass, conditions: Condition[], features: readonly string[]): GatewayClassStatusUpdate {
  const generation = gc.metadata.generation ?? 1;
  return {
    target: { apiVersion: gc.apiVersion, kind: 'GatewayClass', name: gc.metadata.name, uid: gc.metadata.uid },
    generation,
    conditions: finalizeConditions(conditions, generation),
    supportedFeatures: features.map((n) => ({ name: n })),
  };
}
