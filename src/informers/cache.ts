// The latest objects of one kind, fed by an informer stream; the reconciler's view of "live".
import type { KubeObject } from '../../translators/api/meta';
import type { InformerEvent } from './informer';

export class Cache {
  private readonly objects = new Map<string, KubeObject>();
  synced = false;

  apply(e: InformerEvent): void {
    if (e.type === 'synced') this.synced = true;
    else if (e.type === 'upsert') this.objects.set(Cache.key(e.object.metadata.namespace, e.object.metadata.name), e.object);
    else if (e.type === 'delete') this.objects.delete(Cache.key(e.object.metadata.namespace, e.object.metadata.name));
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
