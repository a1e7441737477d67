// ReferenceGrant: a cross-namespace reference is allowed only when a grant in the *target*
// namespace lists the referrer in `from` and the referent in `to` (empty `to.name` = all).
import type { ReferenceGrant } from './api/gateway-api';

export interface GrantFrom {
  group: string;
  kind: string;
  namespace: string;
}

export interface GrantTo {
  group: string;
  kind: string;
  name: string;
}

export function isReferencePermitted(grantsInTargetNs: ReferenceGrant[], from: GrantFrom, to: GrantTo): boolean {
  return grantsInTargetNs.some((g) => grantPermits(g, from, to));
}

function grantPermits(g: ReferenceGrant, from: GrantFrom, to: GrantTo): boolean {
  const froms = Array.isArray(g.spec?.from) ? g.spec.from : [];
  const tos = Array.isArray(g.spec?.to) ? g.spec.to : [];
  const fromOk = froms.some(
    (f) => (f?.group ?? '') === from.group && f?.kind === from.kind && f?.namespace === from.namespace,
  );
  if (!fromOk) return false;
  return tos.some((t) => (t?.group ?? '') === to.group && t?.kind === to.kind && (!t.name || t.name === to.name));
}
