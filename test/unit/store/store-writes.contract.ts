import type { DocumentStore } from '../../../src/domain/ports/document-store';
import type { RequestStore } from '../../../src/domain/ports/request-store';
import type { StoreWrite, StoreWrites } from '../../../src/domain/ports/store-writes';
import { makeRequestRecord } from '../../support/fixtures';

export type WritesStore = RequestStore & DocumentStore & StoreWrites;

const now = new Date('2026-12-04T10:00:00.000Z');

/**
 * The StoreWrites contract every adapter passes: each write of a request (save, a claim's lease)
 * or a document is told to the listeners by the time its promise settles, refused writes too.
 */
export function describeStoreWritesContract(name: string, open: () => Promise<WritesStore>): void {
  describe(`${name} (StoreWrites contract)`, () => {
    let store: WritesStore;
    let told: StoreWrite[];
    let stop: () => void;
    beforeEach(async () => {
      store = await open();
      told = [];
      stop = store.onWrite((write) => told.push(write));
    });
    afterEach(async () => {
      await store.close();
    });

    it('tells a saved request, and a save refused as stale', async () => {
      const created = await store.create(makeRequestRecord());
      await store.save(created);
      expect(told).toEqual([{ request: created.id }]);
      await expect(store.save(created)).rejects.toMatchObject({ code: 'STALE_RECORD' });
      expect(told).toEqual([{ request: created.id }, { request: created.id }]);
    });

    it('tells each request a claim leased', async () => {
      const due = await store.create(makeRequestRecord({ nextCheckAt: '2026-01-01T00:00:00.000Z' }));
      const claimed = await store.claimDue({ now, owner: 'w', leaseMs: 60_000, limit: 5 });
      expect(claimed.map((r) => r.id)).toEqual([due.id]);
      expect(told).toEqual([{ request: due.id }]);
    });

    it('tells a document put and deleted', async () => {
      const doc = await store.putDocument('notify', 'req-1', { n: 1 }, 0, now);
      await store.deleteDocument('notify', 'req-1', doc.version);
      expect(told).toEqual([
        { documentKind: 'notify', id: 'req-1' },
        { documentKind: 'notify', id: 'req-1' },
      ]);
    });

    it('stops telling a listener once stopped', async () => {
      stop();
      await store.save(await store.create(makeRequestRecord()));
      expect(told).toEqual([]);
    });
  });
}
