// MeshGatewayConfig values meshgate copies into the proxy's Deployment and Service: checked here
// so that a bad value is reported as InvalidParameters naming the field, instead of the API
// server refusing the whole Deployment or Service (a MeshGatewayConfig's CRD schema does not
// check them). Pure; the first problem found is returned.
import { isIP } from 'node:net';
import type { MeshGatewayConfig } from './api/kuma';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// Kubernetes resource.Quantity: a decimal number with an optional binary, decimal or exponent suffix.
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(\d+(\.\d*)?|\.\d+)))?$/;
const TAG_NAME = /^[a-zA-Z0-9.\-_:/]+$/;
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]+$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A label or annotation key: `[prefix/]name`, prefix a DNS subdomain (≤253), name ≤63. */
function keyProblem(k: string): string | undefined {
  const slash = k.indexOf('/');
  const prefix = slash >= 0 ? k.slice(0, slash) : '';
  const name = slash >= 0 ? k.slice(slash + 1) : k;
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !SUBDOMAIN.test(prefix))) return `key ${JSON.stringify(k)} has an invalid prefix`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return `key ${JSON.stringify(k)} is not a valid qualified name`;
  return undefined;
}

function mapProblem(field: string, v: unknown, labels: boolean): string | undefined {
  if (v === undefined) return undefined;
  if (!isRecord(v)) return `${field} must be a map of strings`;
  for (const [k, x] of Object.entries(v)) {
    const bad = keyProblem(k);
    if (bad) return `${field}: ${bad}`;
    if (typeof x !== 'string') return `${field}[${JSON.stringify(k)}] must be a string`;
    if (labels && (x.length > 63 || !LABEL_VALUE.test(x))) return `${field}[${JSON.stringify(k)}]: ${JSON.stringify(x)} is not a valid label value`;
  }
  return undefined;
}

function resourcesProblem(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!isRecord(v)) return 'spec.resources must be an object';
  for (const part of ['limits', 'requests'] as const) {
    const m = v[part];
    if (m === undefined) continue;
    if (!isRecord(m)) return `spec.resources.${part} must be a map`;
    for (const [k, q] of Object.entries(m)) {
      if (keyProblem(k)) return `spec.resources.${part}: ${JSON.stringify(k)} is not a valid resource name`;
      if (!(typeof q === 'number' && Number.isFinite(q) && q >= 0) && !(typeof q === 'string' && QUANTITY.test(q))) return `spec.resources.${part}.${k}: ${JSON.stringify(q)} is not a Kubernetes quantity`;
    }
  }
  return undefined;
}

/** The first value of `config` that would make the generated Deployment or Service invalid. */
export function copiedFieldProblem(config: MeshGatewayConfig): string | undefined {
  const s = isRecord(config.spec) ? config.spec : {};
  const svc = isRecord(s.serviceTemplate) ? s.serviceTemplate : {};
  const pod = isRecord(s.podTemplate) ? s.podTemplate : {};
  const svcMeta = isRecord(svc.metadata) ? svc.metadata : {};
  const podMeta = isRecord(pod.metadata) ? pod.metadata : {};
  const podSpec = isRecord(pod.spec) ? pod.spec : {};
  const svcSpec = isRecord(svc.spec) ? svc.spec : {};
  const problem =
    mapProblem('spec.serviceTemplate.metadata.labels', svcMeta.labels, true) ??
    mapProblem('spec.serviceTemplate.metadata.annotations', svcMeta.annotations, false) ??
    mapProblem('spec.podTemplate.metadata.labels', podMeta.labels, true) ??
    mapProblem('spec.podTemplate.metadata.annotations', podMeta.annotations, false) ??
    resourcesProblem(s.resources);
  if (problem) return problem;
  const sa = podSpec.serviceAccountName;
  if (sa !== undefined && (typeof sa !== 'string' || sa.length > 253 || !SUBDOMAIN.test(sa))) return `spec.podTemplate.spec.serviceAccountName: ${JSON.stringify(sa)} is not a valid ServiceAccount name`;
  const ip = svcSpec.loadBalancerIP;
  if (ip !== undefined && (typeof ip !== 'string' || isIP(ip) === 0)) return `spec.serviceTemplate.spec.loadBalancerIP: ${JSON.stringify(ip)} is not an IP address`;
  if (s.tags !== undefined) {
    if (!isRecord(s.tags)) return 'spec.tags must be a map of strings';
    for (const [k, v] of Object.entries(s.tags)) {
      if (!TAG_NAME.test(k)) return `spec.tags: ${JSON.stringify(k)} is not a valid Kuma tag name`;
      if (typeof v !== 'string' || !TAG_VALUE.test(v)) return `spec.tags[${JSON.stringify(k)}]: ${JSON.stringify(v)} is not a valid Kuma tag value`;
    }
  }
  return undefined;
}
