// The latest objects of one kind, fed by an informer stream; the reconciler's view of "live".
import type { KubeObject } from '../../translators/api/meta';
import type { InformerEvent } from './informer';

export class Cache {
  private readonly objects = new Map<string, KubeObject>();
  synced = false;

  apply(e: InformerEvent): void {
    if (e.type === 'synced') this.synced = true;
    else if (e.type === 'upsert') this.upsertIfNotOlder(e.object);
    else if (e.type === 'delete') this.objects.delete(Cache.key(e.object.metadata.namespace, e.object.metadata.name));
  }

  /**
   * The writer folds each write's response in, so the next write carries the new
   * resourceVersion instead of conflicting until the watch event arrives; a watch event older
   * than what a write already returned must then not roll it back. resourceVersions are etcd
   * revisions on every real API server; when either is not a number, the newest arrival wins.
   */
  upsertIfNotOlder(o: KubeObject): void {
    const k = Cache.key(o.metadata.namespace, o.metadata.name);
    const cur = this.objects.get(k);
    if (cur && cur.metadata.uid === o.metadata.uid && isOlder(o.metadata.resourceVersion, cur.metadata.resourceVersion)) return;
    const { managedFields: _m, ...metadata } = o.metadata as KubeObject['metadata'] & { managedFields?: unknown };
    this.objects.set(k, { ...o, metadata });
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(Cache.key(namespace, name));
  }

  values(): IterableIterator<KubeObject> {
    return this.objects.values();
  }

  get size(): number {
    return this.objects.size;
  }

  clear(): void {
    this.objects.clear();
    this.synced = false;
  }

  static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }
}

function isOlder(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length < b.length : a < b;
}
