import { ConflictError, StaleRecordError } from '../../../src/domain/errors';
import type { HasJobs, JobRecord } from '../../../src/domain/ports/job-store';

type ContractStore = HasJobs & { close(): Promise<void> };

const T0 = new Date('2025-03-01T12:00:00.000Z');
const at = (offsetMs: number): string => new Date(T0.getTime() + offsetMs).toISOString();
const claimAt = (offsetMs: number, owner = 'worker-a', limit = 10, excludeGroups?: string[]) => ({
  kind: 'closure',
  now: new Date(T0.getTime() + offsetMs),
  owner,
  leaseMs: 60_000,
  limit,
  ...(excludeGroups ? { excludeGroups } : {}),
});

function job(id: string, overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    kind: 'closure',
    id,
    version: 0,
    nextCheckAt: at(0),
    attempts: 0,
    state: { stage: 'SCHEDULED', deletions: [] },
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

/** The behaviour every JobStore adapter must have (memory, SQLite, DynamoDB). */
export function describeJobStoreContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`${name} (JobStore contract)`, () => {
    let store: ContractStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates a job at version 1 and reads it back whole', async () => {
      const created = await store.jobs.createJob(job('a', { group: 'payments', detail: 'new' }));
      expect(created.version).toBe(1);
      expect(await store.jobs.getJob('closure', 'a')).toEqual(created);
      expect(await store.jobs.getJob('closure', 'b')).toBeUndefined();
      expect(await store.jobs.getJob('rollout', 'a')).toBeUndefined();
    });

    it('refuses a second job with the same kind and id', async () => {
      await store.jobs.createJob(job('a'));
      await expect(store.jobs.createJob(job('a'))).rejects.toBeInstanceOf(ConflictError);
      await expect(store.jobs.createJob({ ...job('a'), kind: 'rollout' })).resolves.toMatchObject({
        version: 1,
      });
    });

    it('saves only on the version read, and deletes only on it', async () => {
      const created = await store.jobs.createJob(job('a'));
      const saved = await store.jobs.saveJob({ ...created, detail: 'moved on' });
      expect(saved.version).toBe(2);
      await expect(store.jobs.saveJob({ ...created, detail: 'late' })).rejects.toBeInstanceOf(
        StaleRecordError,
      );
      await expect(store.jobs.deleteJob('closure', 'a', 1)).rejects.toBeInstanceOf(StaleRecordError);
      await store.jobs.deleteJob('closure', 'a', 2);
      expect(await store.jobs.getJob('closure', 'a')).toBeUndefined();
    });

    it('claims due, unleased jobs of the kind, oldest first, with a conditional lease', async () => {
      await store.jobs.createJob(job('late', { nextCheckAt: at(2_000) }));
      await store.jobs.createJob(job('early', { nextCheckAt: at(1_000) }));
      await store.jobs.createJob(job('future', { nextCheckAt: at(60_000) }));
      await store.jobs.createJob(job('ended', { nextCheckAt: undefined }));
      await store.jobs.createJob({ ...job('other-kind'), kind: 'rollout' });
      const claimed = await store.jobs.claimJobs(claimAt(5_000));
      expect(claimed.map((j) => j.id)).toEqual(['early', 'late']);
      expect(claimed[0]).toMatchObject({ leaseOwner: 'worker-a', leaseUntil: at(65_000), version: 2 });
      // leased: another worker gets nothing until the lease expires
      expect(await store.jobs.claimJobs(claimAt(6_000, 'worker-b'))).toEqual([]);
      const again = await store.jobs.claimJobs(claimAt(70_000, 'worker-b'));
      expect(again.map((j) => j.id)).toEqual(['early', 'late', 'future']);
      // the first lease holder's save is stale now
      await expect(store.jobs.saveJob(claimed[0]!)).rejects.toBeInstanceOf(StaleRecordError);
    });

    it('gives each job to one of two workers claiming at once', async () => {
      for (let i = 0; i < 6; i++) await store.jobs.createJob(job(`j${i}`));
      const [a, b] = await Promise.all([
        store.jobs.claimJobs(claimAt(1_000, 'worker-a', 6)),
        store.jobs.claimJobs(claimAt(1_000, 'worker-b', 6)),
      ]);
      const ids = [...a, ...b].map((j) => j.id).sort();
      expect(ids).toEqual(['j0', 'j1', 'j2', 'j3', 'j4', 'j5']);
    });

    it('respects the limit and skips the groups held back', async () => {
      await store.jobs.createJob(job('a', { group: 'payments' }));
      await store.jobs.createJob(job('b', { group: 'search' }));
      await store.jobs.createJob(job('c'));
      const claimed = await store.jobs.claimJobs(claimAt(1_000, 'worker-a', 10, ['payments']));
      expect(claimed.map((j) => j.id)).toEqual(['b', 'c']);
      expect((await store.jobs.claimJobs(claimAt(1_000, 'worker-a', 1))).map((j) => j.id)).toEqual(['a']);
    });

    it('skips the jobs the claiming worker is still stepping, though their lease ran out', async () => {
      await store.jobs.createJob(job('a'));
      await store.jobs.createJob(job('b'));
      expect((await store.jobs.claimJobs(claimAt(1_000))).map((j) => j.id)).toEqual(['a', 'b']);
      // both leases have run out; 'a' is still being stepped by worker-a
      const again = await store.jobs.claimJobs({ ...claimAt(120_000), excludeIds: ['a'] });
      expect(again.map((j) => j.id)).toEqual(['b']);
    });

    it('names, in one look, the kinds that may have a job to claim', async () => {
      const now = new Date(T0.getTime() + 1_000);
      const kinds = ['closure', 'redeploy', 'rollout', 'delivery'];
      await store.jobs.createJob(job('due'));
      await store.jobs.createJob(job('later', { kind: 'redeploy', nextCheckAt: at(60_000) }));
      await store.jobs.createJob(job('paused', { kind: 'rollout', nextCheckAt: undefined }));
      await store.jobs.createJob(job('elsewhere', { kind: 'drift-sweep' }));
      expect(await store.jobs.dueKinds(kinds, now)).toEqual(new Set(['closure']));
      expect(await store.jobs.dueKinds([], now)).toEqual(new Set());
      // the redeploy comes due; every kind a claim would find a job of is named
      const later = new Date(T0.getTime() + 61_000);
      const due = await store.jobs.dueKinds(kinds, later);
      expect(due).toEqual(new Set(['closure', 'redeploy']));
      for (const kind of kinds) {
        const claimed = await store.jobs.claimJobs({ ...claimAt(61_000), kind });
        expect(claimed.length > 0).toBe(due.has(kind));
      }
    });

    it('lists a kind by id, page by page', async () => {
      for (const id of ['c', 'a', 'b']) await store.jobs.createJob(job(id));
      await store.jobs.createJob({ ...job('z'), kind: 'rollout' });
      const first = await store.jobs.listJobs('closure', { limit: 2 });
      expect(first.items.map((j) => j.id)).toEqual(['a', 'b']);
      const second = await store.jobs.listJobs('closure', { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((j) => j.id)).toEqual(['c']);
      expect(second.nextCursor).toBeUndefined();
    });
  });
}
