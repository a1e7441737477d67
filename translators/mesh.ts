// Which Kuma mesh an object belongs to: label, then (deprecated) annotation, on the object, then
// on its Namespace; otherwise `default`. Same order as Kuma 2.14.
import type { KubeObject, Namespace } from './api/meta';
import { MESH_LABEL } from './naming';

export function meshOf(obj: KubeObject, ns: Namespace | undefined): string {
  return (
    obj.metadata.labels?.[MESH_LABEL] ||
    obj.metadata.annotations?.[MESH_LABEL] ||
    ns?.metadata.labels?.[MESH_LABEL] ||
    ns?.metadata.annotations?.[MESH_LABEL] ||
    'default'
  );
}

const MESH_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why `mesh` cannot be a Kuma mesh name, or undefined. A Mesh is a Kubernetes object (DNS-1123
 * subdomain) whose name is also written as the `kuma.io/mesh` label value (at most 63).
 */
export function meshNameProblem(mesh: string): string | undefined {
  if (mesh.length <= 63 && MESH_NAME.test(mesh)) return undefined;
  return `kuma.io/mesh ${JSON.stringify(mesh)} is not a valid mesh name (lower-case alphanumerics, '-' and '.', at most 63 characters); nothing is generated until it is fixed`;
}
