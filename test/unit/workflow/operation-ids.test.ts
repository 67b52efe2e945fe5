import { MemoryStore } from '../../../src/store/memory-store';
import { Worker } from '../../../src/workflow/worker';
import { batchOperationId } from '../../../src/workflow/coordination/baseline-batches';
import { storeTag } from '../../../src/workflow/coordination/store-identity';
import { testKinds } from '../../support/job-kinds';
import { EXAMPLE_CONFIG, harness, submit, type Harness } from './harness';

const now = new Date('2026-12-03T10:00:00.000Z');

async function runUntilEnded(h: Harness, worker: Worker, store: MemoryStore, id: string) {
  for (let i = 0; i < 300; i++) {
    const record = await store.get(id);
    if (record?.status === 'READY' || record?.status === 'FAILED') return record;
    await worker.tick();
    h.clock.advance(60_000);
  }
  throw new Error(`request ${id} did not finish`);
}

describe('OperationIds are unique to their store', () => {
  it('a store keeps one tag: it is created once, concurrent first uses agree on it', async () => {
    const store = new MemoryStore();
    const tags = await Promise.all([1, 2, 3, 4].map(() => storeTag(store, now)));
    expect(tags[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(tags).size).toBe(1);
    expect(await storeTag(store, now)).toBe(tags[0]);
    expect(await storeTag(new MemoryStore(), now)).not.toBe(tags[0]);
  });

  it('two stores against one organisation send different OperationIds, and both deploy', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    const first = await submit(h, { spec: { accountName: 'first', email: 'aws+first@example.com' } });
    expect((await h.runToEnd(first.id)).status).toBe('READY');

    // A second factory (or the store rebuilt) against the same organisation: its batch counter
    // starts at 1 again, as the first store's did.
    const other = new MemoryStore();
    const deps = { ...h.deps, store: other, storeTag: await storeTag(other, h.clock.now()) };
    expect(deps.storeTag).not.toBe(h.deps.storeTag);
    const worker = new Worker(deps, { id: 'w2', leaseMs: 30_000, kinds: testKinds({ leaseMs: 30_000 }) });
    const second = await submit(
      { ...h, store: other },
      {
        spec: { accountName: 'second', email: 'aws+second@example.com' },
      },
    );
    const done = await runUntilEnded(h, worker, other, second.id);
    expect(done.status).toBe('READY');

    for (const set of EXAMPLE_CONFIG.config.stackSets) {
      const ids = [...(h.aws.stackSets.stackSets.get(set.name)?.operations.keys() ?? [])];
      const ours = batchOperationId(h.deps.storeTag, set, 1);
      const theirs = batchOperationId(deps.storeTag, set, 1);
      expect(ours).not.toBe(theirs);
      expect(ids).toEqual(expect.arrayContaining([ours, theirs]));
      expect(ids.every((id) => id.length <= 128 && /^[A-Za-z0-9-]+$/.test(id))).toBe(true);
      const instances = await h.aws.stackSets.listStackInstances(set.name, done.accountId);
      expect(instances.map((i) => i.status)).toEqual(instances.map(() => 'CURRENT'));
      expect(instances.length).toBeGreaterThan(0);
    }
  });

  it('an operation under our id that is not ours is not adopted: the batch is refused OPERATION_ID_TAKEN', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    // Someone else's operation already holds the id our first batch will use, for another account.
    for (const set of EXAMPLE_CONFIG.config.stackSets)
      h.aws.stackSets.startOperationElsewhere(set.name, batchOperationId(h.deps.storeTag, set, 1), 0, {
        action: 'CREATE',
        accountIds: ['999999999999'],
        organizationalUnitIds: ['ou-elsewhere'],
      });
    const r = await submit(h);
    const done = await h.runToEnd(r.id);
    expect(done.status).toBe('FAILED');
    // The batch was refused, not adopted: its members are judged by their (missing) instances.
    expect(done.error?.code).toBe('STACK_INSTANCE_FAILED');
    expect(done.error?.message).toContain(
      `OPERATION_ID_TAKEN: StackSet ${EXAMPLE_CONFIG.config.stackSets[0]!.name} already has an operation`,
    );
    expect(done.error?.message).toContain('accounts 999999999999, not');
    const set = EXAMPLE_CONFIG.config.stackSets[0]!;
    expect(await h.aws.stackSets.listStackInstances(set.name, done.accountId)).toEqual([]);
  });
});
