// The informer's memory of what it has seen: a relist after 410 Gone emits deletes for objects that
// vanished meanwhile, carrying only their identity (the informer keeps no object data, Secret
// data included). The client is a fake that answers a list, then a watch ending in 410 Gone.
import type { KubeObject } from '../../translators/api/meta';
import type { KubeClient } from '../kube/client';
import { R } from '../kube/resources';
import { flush } from '../testing/manual-clock';
import type { InformerEvent } from './informer';
import { informer } from './informer';

const secret = (name: string, rv: string) =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'app', uid: `u-${name}`, resourceVersion: rv }, type: 'Opaque', data: { password: 'c2VjcmV0' } }) as KubeObject;

it('a relist emits deletes for vanished objects with their identity only, and no upsert for unchanged ones', async () => {
  const lists = [[secret('a', '1'), secret('b', '2')], [secret('a', '1')]];
  let watches = 0;
  const client = {
    call: async () => ({ metadata: { resourceVersion: '10' }, items: lists.shift() ?? [] }),
    watch: async (_p: string, _q: unknown, onEvent: (e: { type: string; object: unknown }) => void, signal: AbortSignal, onActivity: () => void) => {
      onActivity();
      if (watches++ === 0) { onEvent({ type: 'ERROR', object: { code: 410 } }); return; }
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    },
  } as unknown as KubeClient;
  const events: InformerEvent[] = [];
  const sub = informer(client, R.secrets, { stallMs: 60_000 }).subscribe((e) => events.push(e));
  for (let i = 0; i < 20 && watches < 2; i++) await flush();
  sub.unsubscribe();
  const summary = events.map((e) => (e.type === 'upsert' || e.type === 'delete' ? `${e.type} ${e.object.metadata.name}` : e.type));
  expect(summary).toEqual(['upsert a', 'upsert b', 'synced', 'delete b']);
  const deleted = events[3] as Extract<InformerEvent, { type: 'delete' }>;
  expect(deleted.object).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'app', uid: 'u-b', resourceVersion: '2' } });
});
