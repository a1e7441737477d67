import { Cache } from './cache';

const obj = (rv: string, uid = 'u1') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'n', uid, resourceVersion: rv, managedFields: [{}] } });

describe('Cache', () => {
  it.each([
    ['newer watch event replaces', '10', '11', '11'],
    ['older watch event does not roll back a write response', '12', '11', '12'],
    ['same version is kept', '12', '12', '12'],
    ['longer number is newer', '99', '100', '100'],
    ['non-numeric versions: newest arrival wins', 'abc', 'abd', 'abd'],
  ])('%s', (_n, first, second, expected) => {
    const c = new Cache();
    c.apply({ type: 'upsert', object: obj(first) as never });
    c.apply({ type: 'upsert', object: obj(second) as never });
    expect(c.get('n', 'a')?.metadata.resourceVersion).toBe(expected);
  });

  it('a recreated object (new uid) always replaces', () => {
    const c = new Cache();
    c.apply({ type: 'upsert', object: obj('50', 'old') as never });
    c.apply({ type: 'upsert', object: obj('40', 'new') as never });
    expect(c.get('n', 'a')?.metadata.uid).toBe('new');
  });

  it('drops managedFields and honours deletes', () => {
    const c = new Cache();
    c.upsertIfNotOlder(obj('1') as never);
    expect((c.get('n', 'a')?.metadata as unknown as Record<string, unknown>).managedFields).toBeUndefined();
    c.apply({ type: 'delete', object: obj('2') as never });
    expect(c.get('n', 'a')).toBeUndefined();
  });
});
