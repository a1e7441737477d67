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
