// Which Gateway API and kuma.io kinds the API server serves right now, and at which version.
// Lets the controller start without the CRDs and begin translating when they are installed.
import type { KubeObject } from '../../translators/api/meta';
import type { ResourceType } from '../kube/resources';
import { crdName, R } from '../kube/resources';

export const OPTIONAL_KINDS: ResourceType[] = [
  R.gatewayClasses, R.gateways, R.listenerSets, R.httpRoutes, R.tlsRoutes, R.grpcRoutes, R.tcpRoutes, R.udpRoutes, R.referenceGrants,
  R.meshGatewayConfigs, R.meshGateways, R.meshHTTPRoutes, R.meshTCPRoutes,
];

const PREFERRED_VERSIONS: Record<string, string[]> = {
  tlsroutes: ['v1', 'v1alpha3', 'v1alpha2'],
  // Gateway API v1.6.1 serves v1 (both channels) and v1alpha2 (experimental only).
  tcproutes: ['v1', 'v1alpha2'],
  udproutes: ['v1', 'v1alpha2'],
  referencegrants: ['v1', 'v1beta1'],
};

interface CRDObject extends KubeObject {
  spec?: { versions?: { name: string; served?: boolean }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** The served, established version meshgate should use for `r`, or undefined. */
export function servedVersion(r: ResourceType, crd: KubeObject | undefined): string | undefined {
  const c = crd as CRDObject | undefined;
  if (!c || c.metadata.deletionTimestamp) return undefined;
  if (!c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')) return undefined;
  const served = (c.spec?.versions ?? []).filter((v) => v.served).map((v) => v.name);
  const prefs = PREFERRED_VERSIONS[r.plural] ?? [r.version];
  return prefs.find((v) => served.includes(v)) ?? (served.includes(r.version) ? r.version : undefined);
}

export function crdKey(r: ResourceType): string {
  return crdName(r);
}

export function bundleVersion(crd: KubeObject): string | undefined {
  return crd.metadata.annotations?.['gateway.networking.k8s.io/bundle-version'];
}
