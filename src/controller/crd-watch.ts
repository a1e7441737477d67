// Which Gateway API and kuma.io kinds the API server serves right now, and at which version.
// Lets the controller start without the CRDs and begin translating when they are installed.
import type { KubeObject } from '../../translators/api/meta';
import type { KubeClient } from '../kube/client';
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
  return preferredVersion(r, (c.spec?.versions ?? []).filter((v) => v.served).map((v) => v.name));
}

/** The version meshgate uses for `r` among those the server serves. */
export function preferredVersion(r: ResourceType, served: readonly string[]): string | undefined {
  const prefs = PREFERRED_VERSIONS[r.plural] ?? [r.version];
  return prefs.find((v) => served.includes(v)) ?? (served.includes(r.version) ? r.version : undefined);
}

/** The discovery documents (`/apis/<group>/<version>`) that can list an optional kind, sorted. */
export function discoveryGroupVersions(): string[] {
  const gvs = new Set<string>();
  for (const r of OPTIONAL_KINDS) for (const v of PREFERRED_VERSIONS[r.plural] ?? [r.version]) gvs.add(`${r.group}/${v}`);
  return [...gvs].sort();
}

/**
 * The version of each optional kind that discovery shows served (`resources`: group/version → the
 * resource names of its discovery document; subresources such as `httproutes/status` are ignored).
 * The API server lists a CRD's resource only once the CRD is Established.
 */
export function versionsFromDiscovery(resources: ReadonlyMap<string, readonly string[]>): Map<ResourceType, string> {
  const out = new Map<ResourceType, string>();
  for (const r of OPTIONAL_KINDS) {
    const served = [...resources].filter(([gv, names]) => gv.startsWith(`${r.group}/`) && names.includes(r.plural)).map(([gv]) => gv.slice(r.group.length + 1));
    const v = preferredVersion(r, served);
    if (v) out.set(r, v);
  }
  return out;
}

export function crdKey(r: ResourceType): string {
  return crdName(r);
}

export function bundleVersion(crd: KubeObject): string | undefined {
  return crd.metadata.annotations?.['gateway.networking.k8s.io/bundle-version'];
}

/** Reads the discovery documents (in parallel) and returns the optional kinds served, at the version to use. A failed request only leaves its group/version out. */
export async function discoverServedKinds(client: Pick<KubeClient, 'request'>, onError: (groupVersion: string, e: Error) => void): Promise<Map<ResourceType, string>> {
  const resources = new Map<string, string[]>();
  await Promise.all(discoveryGroupVersions().map(async (gv) => {
    try {
      const res = await client.request<{ resources?: { name?: string }[] }>('GET', `/apis/${gv}`, { retries: 1, timeoutMs: 10_000 });
      if (res.status === 200) resources.set(gv, (res.body?.resources ?? []).map((x) => x.name ?? '').filter((n) => !n.includes('/')));
    } catch (e) {
      onError(gv, e as Error);
    }
  }));
  return versionsFromDiscovery(resources);
}
