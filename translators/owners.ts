// Which unit each generated object comes from, named in the result so that readers (the GUI)
// need not rebuild ownership from label hashes.
import type { KubeObject, Secret } from './api/meta';
import type { ObjectKey, UnitKey } from './keys';
import { parseNsName, SECRET_COPIES_UNIT, unitSubject } from './keys';
import type { OwnerRef } from './result';
import { copySource } from './tls-secret';

/** By object key, in the order of `keys` (those of `objects`, owned by `units`): its Gateway or GAMMA route, or a copy's source Secret. */
export function ownersOf(keys: ObjectKey[], objects: KubeObject[], units: (UnitKey | undefined)[]): Record<string, OwnerRef> {
  const out: Record<string, OwnerRef> = {};
  const subjects = new Map<UnitKey, OwnerRef | undefined>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const u = units[i];
    if (u === undefined) continue;
    let owner: OwnerRef | undefined;
    if (u === SECRET_COPIES_UNIT) {
      const src = copySource(objects[i] as Secret);
      owner = src && { kind: 'Secret', ...parseNsName(src) };
    } else {
      owner = subjects.get(u);
      if (owner === undefined && !subjects.has(u)) subjects.set(u, (owner = unitSubject(u)));
    }
    if (owner) out[k] = owner;
  }
  return out;
}
