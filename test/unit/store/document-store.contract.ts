import type { DocumentStore } from '../../../src/domain/ports/document-store';
import { storeTag } from '../../../src/workflow/coordination/store-identity';

const now = new Date('2026-11-23T10:00:00.000Z');

/** The DocumentStore contract every adapter passes (memory, SQLite, DynamoDB on moto). */
export function describeDocumentStoreContract(name: string, open: () => Promise<DocumentStore>): void {
  describe(`${name} (DocumentStore contract)`, () => {
    let store: DocumentStore;
    beforeEach(async () => {
      store = await open();
    });

    it('creates a document at version 1 and reads it back', async () => {
      const created = await store.putDocument('limiter', 'create-account', { holders: ['a'] }, 0, now);
      expect(created).toEqual({
        kind: 'limiter',
        id: 'create-account',
        version: 1,
        body: { holders: ['a'] },
        updatedAt: now.toISOString(),
      });
      expect(await store.getDocument('limiter', 'create-account')).toEqual(created);
      expect(await store.getDocument('limiter', 'other')).toBeUndefined();
      expect(await store.getDocument('other-kind', 'create-account')).toBeUndefined();
    });

    it('writes only over the version it read', async () => {
      await store.putDocument('k', 'x', { n: 1 }, 0, now);
      await expect(store.putDocument('k', 'x', { n: 9 }, 0, now)).rejects.toMatchObject({
        code: 'STALE_RECORD',
      });
      const second = await store.putDocument('k', 'x', { n: 2 }, 1, now);
      expect(second.version).toBe(2);
      await expect(store.putDocument('k', 'x', { n: 9 }, 1, now)).rejects.toMatchObject({
        code: 'STALE_RECORD',
      });
      await expect(store.putDocument('k', 'missing', { n: 9 }, 3, now)).rejects.toMatchObject({
        code: 'STALE_RECORD',
      });
      expect((await store.getDocument('k', 'x'))?.body).toEqual({ n: 2 });
    });

    it('lets exactly one of two racing writers of the same version win', async () => {
      await store.putDocument('k', 'race', { by: 'none' }, 0, now);
      const results = await Promise.allSettled([
        store.putDocument('k', 'race', { by: 'a' }, 1, now),
        store.putDocument('k', 'race', { by: 'b' }, 1, now),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await store.getDocument('k', 'race'))?.version).toBe(2);
    });

    it('lists the documents of one kind by id, page by page', async () => {
      for (const id of ['c', 'a', 'e', 'b', 'd']) await store.putDocument('rollout', id, { id }, 0, now);
      await store.putDocument('limiter', 'zz', {}, 0, now);
      const first = await store.listDocuments('rollout', { limit: 2 });
      expect(first.items.map((d) => d.id)).toEqual(['a', 'b']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await store.listDocuments('rollout', { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((d) => d.id)).toEqual(['c', 'd']);
      const third = await store.listDocuments('rollout', { limit: 2, cursor: second.nextCursor });
      expect(third.items.map((d) => d.id)).toEqual(['e']);
      expect(third.nextCursor).toBeUndefined();
      expect(third.items[0]?.body).toEqual({ id: 'e' });
    });

    it('counts the documents of one kind, or those with an id before a given one', async () => {
      for (const id of ['c', 'a', 'e', 'b', 'd']) await store.putDocument('queue', id, { id }, 0, now);
      await store.putDocument('other', 'a', {}, 0, now);
      expect(await store.countDocuments('queue')).toBe(5);
      expect(await store.countDocuments('queue', { below: 'c' })).toBe(2);
      expect(await store.countDocuments('queue', { below: 'cc' })).toBe(3);
      expect(await store.countDocuments('queue', { below: 'a' })).toBe(0);
      expect(await store.countDocuments('nothing')).toBe(0);
      await store.deleteDocument('queue', 'a', 1);
      expect(await store.countDocuments('queue', { below: 'c' })).toBe(1);
    });

    it('stops counting at the limit asked for', async () => {
      for (const id of ['c', 'a', 'e', 'b', 'd']) await store.putDocument('queue', id, { id }, 0, now);
      expect(await store.countDocuments('queue', { limit: 3 })).toBe(3);
      expect(await store.countDocuments('queue', { limit: 5 })).toBe(5);
      expect(await store.countDocuments('queue', { limit: 100 })).toBe(5);
      expect(await store.countDocuments('queue', { limit: 0 })).toBe(0);
      expect(await store.countDocuments('queue', { below: 'd', limit: 2 })).toBe(2);
      expect(await store.countDocuments('queue', { below: 'b', limit: 2 })).toBe(1);
      expect(await store.countDocuments('nothing', { limit: 2 })).toBe(0);
    });

    it('deletes only the version it read, and a deleted document can be created again', async () => {
      await store.putDocument('due', 'r1', { n: 1 }, 0, now);
      await store.putDocument('due', 'r1', { n: 2 }, 1, now);
      await expect(store.deleteDocument('due', 'r1', 1)).rejects.toMatchObject({ code: 'STALE_RECORD' });
      expect((await store.getDocument('due', 'r1'))?.version).toBe(2);
      await store.deleteDocument('due', 'r1', 2);
      expect(await store.getDocument('due', 'r1')).toBeUndefined();
      expect((await store.listDocuments('due', { limit: 10 })).items).toEqual([]);
      await expect(store.deleteDocument('due', 'r1', 2)).rejects.toMatchObject({ code: 'STALE_RECORD' });
      expect((await store.putDocument('due', 'r1', { n: 3 }, 0, now)).version).toBe(1);
    });

    it('keeps one store identity: concurrent first uses agree, later ones read it', async () => {
      const tags = await Promise.all([1, 2, 3].map(() => storeTag(store, now)));
      expect(tags[0]).toMatch(/^[0-9a-f]{8}$/);
      expect(new Set(tags).size).toBe(1);
      expect(await storeTag(store, now)).toBe(tags[0]);
      expect((await store.getDocument('store-identity', 'store'))?.version).toBe(1);
    });

    it('refuses a cursor it did not hand out', async () => {
      await expect(store.listDocuments('rollout', { limit: 2, cursor: 'nonsense' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });
  });
}
