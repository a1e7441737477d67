// GatewayClass acceptance: parametersRef → MeshGatewayConfig (cluster-scoped, kuma.io), the
// SupportedVersion check against the installed CRDs' bundle-version, and supportedFeatures.
import type { GatewayClass } from './api/gateway-api';
import type { MeshGatewayConfig } from './api/kuma';
import { KUMA_GROUP } from './api/kuma';
import { copiedFieldProblem } from './config-validation';
import type { Condition } from './api/meta';
import type { CRDInfo } from './input';
import { classAccepted, classParametersInvalid, classParametersNamespaced, classParametersNotFound, classParametersWrongKind, classVersionNotChecked, classVersionSupported, classVersionUnsupported } from './status/gatewayclass';

/**
 * Exactly the features whose upstream conformance tests pass here (docs/conformance.md, ADR 0044):
 * the suite picks its tests from this list. Features implemented but tested upstream only by
 * sending traffic (redirects, rewrites, mirrors, method and query matching, and GRPCRoute: every
 * upstream GRPCRoute test sends gRPC calls) are not claimed until CI has a data plane; Mesh features
 * belong on an XMesh, not a GatewayClass.
 */
export const SUPPORTED_FEATURES = [
  'Gateway',
  'GatewayInfrastructurePropagation',
  'GatewayPort8080',
  'HTTPRoute',
  'HTTPRouteDestinationPortMatching',
  'HTTPRouteParentRefPort',
  'ReferenceGrant',
  'ListenerSet',
  'TCPRoute',
  'TLSRoute',
  'TLSRouteModeTerminate',
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
  if (!ref) return { accepted: true, conditions: [classAccepted(), version] };
  const invalid = (accepted: Condition): ClassResult => ({ accepted: false, conditions: [accepted, version] });
  if (ref.group !== KUMA_GROUP || ref.kind !== 'MeshGatewayConfig') {
    return invalid(classParametersWrongKind(ref.kind, ref.group));
  }
  if (ref.namespace) return invalid(classParametersNamespaced());
  const config = findConfig(ref.name);
  if (!config) return invalid(classParametersNotFound(ref.name));
  const problem = configProblem(config);
  if (problem) return invalid(classParametersInvalid(ref.name, problem));
  return { accepted: true, config, conditions: [classAccepted(), version] };
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
  if (!crds) return classVersionNotChecked();
  const bad = crds.filter((c) => !c.bundleVersion || !SUPPORTED_BUNDLE.test(c.bundleVersion));
  if (bad.length === 0) return classVersionSupported();
  const list = bad.map((c) => `${c.name}=${c.bundleVersion ?? 'missing'}`).sort().join(', ');
  return classVersionUnsupported(list);
}
