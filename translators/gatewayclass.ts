// GatewayClass acceptance: parametersRef → MeshGatewayConfig (cluster-scoped, kuma.io), the
// SupportedVersion check against the installed CRDs' bundle-version, and supportedFeatures.
import type { GatewayClass } from './api/gateway-api';
import type { MeshGatewayConfig } from './api/kuma';
import { KUMA_GROUP } from './api/kuma';
import { copiedFieldProblem } from './config-validation';
import type { Condition } from './api/meta';
import type { CRDInfo } from './input';
import { condition, ok, Reason, Type } from './status/conditions';

/** Exactly what meshgate implements; the conformance suite picks tests from this list. */
export const SUPPORTED_FEATURES = [
  'Gateway',
  'GatewayInfrastructurePropagation',
  'GatewayPort8080',
  'GRPCRoute',
  'HTTPRoute',
  'HTTPRouteDestinationPortMatching',
  'HTTPRouteHostRewrite',
  'HTTPRouteMethodMatching',
  'HTTPRouteParentRefPort',
  'HTTPRoutePathRedirect',
  'HTTPRoutePathRewrite',
  'HTTPRoutePortRedirect',
  'HTTPRouteQueryParamMatching',
  'HTTPRouteRequestMirror',
  'HTTPRouteRequestMultipleMirrors',
  'HTTPRouteRequestPercentageMirror',
  'HTTPRouteResponseHeaderModification',
  'HTTPRouteSchemeRedirect',
  'Mesh',
  'MeshHTTPRouteRewritePath',
  'MeshHTTPRouteSchemeRedirect',
  'MeshHTTPRouteRedirectPath',
  'MeshHTTPRouteRedirectPort',
  'ReferenceGrant',
  'TLSRoute',
].sort();

/** Gateway API bundle versions meshgate was built and tested against. */
const SUPPORTED_BUNDLE = /^v1\.([3-9]|\d{2,})\.\d+$/;

export interface ClassResult {
  accepted: boolean;
  config?: MeshGatewayConfig;
  conditions: Condition[];
}

export function evaluateGatewayClass(
  gc: GatewayClass,
  findConfig: (name: string) => MeshGatewayConfig | undefined,
  crds: CRDInfo[] | undefined,
): ClassResult {
  const version = supportedVersion(crds);
  const ref = gc.spec?.parametersRef;
  if (!ref) return { accepted: true, conditions: [ok.accepted(), version] };
  const invalid = (message: string): ClassResult => ({
    accepted: false,
    conditions: [condition(Type.Accepted, 'False', Reason.InvalidParameters, message), version],
  });
  if (ref.group !== KUMA_GROUP || ref.kind !== 'MeshGatewayConfig') {
    return invalid(`parametersRef must point to a MeshGatewayConfig.kuma.io, not ${ref.kind}.${ref.group || 'core'}`);
  }
  if (ref.namespace) return invalid('parametersRef must not set a namespace: MeshGatewayConfig is cluster-scoped');
  const config = findConfig(ref.name);
  if (!config) return invalid(`parametersRef: MeshGatewayConfig "${ref.name}" not found`);
  const problem = configProblem(config);
  if (problem) return invalid(`MeshGatewayConfig "${ref.name}": ${problem}`);
  return { accepted: true, config, conditions: [ok.accepted(), version] };
}

/** Data the CRD schema would reject, caught again here for configs read from files. */
export function configProblem(config: MeshGatewayConfig): string | undefined {
  const s = config.spec ?? {};
  if (s.replicas !== undefined && (!Number.isInteger(s.replicas) || s.replicas < 1)) return `spec.replicas must be an integer >= 1, got ${JSON.stringify(s.replicas)}`;
  if (s.serviceType !== undefined && !['LoadBalancer', 'ClusterIP', 'NodePort'].includes(s.serviceType)) {
    return `spec.serviceType must be LoadBalancer, ClusterIP or NodePort, got ${JSON.stringify(s.serviceType)}`;
  }
  if (s.tags && typeof s.tags === 'object' && 'kuma.io/service' in s.tags && !s.tags['kuma.io/service']) return 'spec.tags["kuma.io/service"] must not be empty';
  return copiedFieldProblem(config);
}

function supportedVersion(crds: CRDInfo[] | undefined): Condition {
  if (!crds) return condition(Type.SupportedVersion, 'True', Reason.SupportedVersion, 'Gateway API CRD versions not checked (no cluster)');
  const bad = crds.filter((c) => !c.bundleVersion || !SUPPORTED_BUNDLE.test(c.bundleVersion));
  if (bad.length === 0) return condition(Type.SupportedVersion, 'True', Reason.SupportedVersion, 'Gateway API CRDs are a supported version');
  const list = bad.map((c) => `${c.name}=${c.bundleVersion ?? 'missing'}`).sort().join(', ');
  return condition(Type.SupportedVersion, 'False', Reason.UnsupportedVersion, `unsupported Gateway API bundle-version: ${list}; meshgate supports v1.3 and later (best effort)`);
}
