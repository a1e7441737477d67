// Which unit each generated object comes from, named in the result so that readers (the GUI)
// need not rebuild ownership from label hashes.
import type { KubeObject, Secret } from './api/meta';
import type { ObjectKey, UnitKey } from './keys';
import { memoisedKey, parseNsName, SECRET_COPIES_UNIT, unitSubject } from './keys';
import type { OwnerRef } from './result';
import { copySource } from './tls-secret';

/** By object key, in the order of `objects`: its Gateway or GAMMA route, or a copy's source Secret. */
export function ownersOf(objects: KubeObject[], unitOf: (k: ObjectKey) => UnitKey | undefined): Record<string, OwnerRef> {
  const out: Record<string, OwnerRef> = {};
  const subjects = new Map<UnitKey, OwnerRef | undefined>();
  for (const o of objects) {
    const k = memoisedKey(o);
    const u = unitOf(k);
    if (u === undefined) continue;
    let owner: OwnerRef | undefined;
    if (u === SECRET_COPIES_UNIT) {
      const src = copySource(o as Secret);
      owner = src && { kind: 'Secret', ...parseNsName(src) };
    } else {
      if (!subjects.has(u)) subjects.set(u, unitSubject(u));
      owner = subjects.get(u);
    }
    if (owner) out[k] = owner;
  }
  return out;
}
