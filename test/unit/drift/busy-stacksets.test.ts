import { STACKSET_BATCHES } from '../../../src/workflow/coordination/baseline-batch-document';
import { updateDocument } from '../../../src/workflow/coordination/document';
import { busyStackSets } from '../../../src/workflow/drift/busy-stacksets';
import { RedeploySchema, REDEPLOY_JOB, scheduleRedeploy } from '../../../src/workflow/lifecycle/redeploys';
import { updateJob } from '../../../src/workflow/engine/jobs';
import { BUSY_RETRY_MS } from '../../../src/workflow/drift/stackset-drift';
import { getSweep } from '../../../src/workflow/drift/sweep-history';
import { ROLLOUT_KIND, RolloutSchema } from '../../../src/workflow/rollout/rollout-document';
import { harness, submit, type Harness } from '../workflow/harness';
import { auditor, runSweep, stepSweep, sweepOf, vendAccounts, withDrift } from './drift-harness';

const BASELINE = 'avf-baseline';
const CONFIG_RULES = 'avf-config-rules';
const BATCH = 'avf-avf-baseline-v1-batch-99';

/** A baseline batch of the factory's own in flight on the StackSet (or, with `end`, ended). */
async function batchOn(h: Harness, stackSet: string, end = false): Promise<void> {
  await updateDocument(
    h.store,
    STACKSET_BATCHES,
    stackSet,
    () => h.clock.now(),
    (body) => {
      body.batches = body.batches.filter((b) => b.id !== BATCH);
      const at = h.clock.now().toISOString();
      body.batches.push({
        id: BATCH,
        members: [],
        regions: ['us-east-1'],
        state: end ? 'DONE' : 'RUNNING',
        createdAt: at,
        ...(end ? { finishedAt: at, status: 'SUCCEEDED' } : {}),
      });
      return { write: true, result: undefined };
    },
  );
}

async function rolloutRunning(h: Harness): Promise<void> {
  const rollout = RolloutSchema.parse({
    schemaVersion: 1,
    id: 'ro-busy',
    toVersion: 'b-000000000002',
    fromVersions: {},
    createdAt: h.clock.now().toISOString(),
    createdBy: 'platform-engineer',
    status: 'RUNNING',
    failureThresholdPercent: 0,
    waves: [],
  });
  await h.store.putDocument(ROLLOUT_KIND.kind, rollout.id, rollout, 0, h.clock.now());
}

const checkOf = async (h: Harness, stackSet: string) =>
  (await sweepOf(h)).stackSets.find((c) => c.stackSet === stackSet);

describe('drift sweep: StackSet drift detection leaves busy StackSets alone', () => {
  it('defers detection while a baseline batch is in flight, verifies accounts meanwhile, and detects once it ends', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, {});
    await batchOn(h, BASELINE);
    const before = h.aws.calls.detectStackSetDrift ?? 0;

    await stepSweep(h, 'w1');
    expect(await checkOf(h, BASELINE)).toEqual(
      expect.objectContaining({
        status: 'PENDING',
        detail: `deferred: baseline batch ${BATCH} is running`,
        deferredSince: h.clock.now().toISOString(),
      }),
    );
    expect((await checkOf(h, CONFIG_RULES))?.status).toBe('RUNNING');
    expect((await sweepOf(h)).accountsChecked).toBe(1);
    expect((h.aws.calls.detectStackSetDrift ?? 0) - before).toBe(1); // the free StackSet only

    // not tried again before BUSY_RETRY_MS, and the sweep does not finish without it
    h.clock.advance(BUSY_RETRY_MS / 2);
    await stepSweep(h, 'w1');
    expect((h.aws.calls.detectStackSetDrift ?? 0) - before).toBe(1);
    expect((await sweepOf(h)).finishedAt).toBeUndefined();

    await batchOn(h, BASELINE, true);
    const sweep = await runSweep(h);
    expect(sweep.stackSets.find((c) => c.stackSet === BASELINE)).toEqual(
      expect.objectContaining({ status: 'IN_SYNC', deferredSince: expect.any(String) }),
    );
    expect((h.aws.calls.detectStackSetDrift ?? 0) - before).toBe(2);
  });

  it('defers every StackSet while a rollout runs (its waves update them all)', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, {});
    await rolloutRunning(h);
    const before = h.aws.calls.detectStackSetDrift ?? 0;

    await stepSweep(h, 'w1');
    const checks = (await sweepOf(h)).stackSets;
    expect(checks.map((c) => [c.status, c.detail])).toEqual([
      ['PENDING', 'deferred: rollout ro-busy is running'],
      ['PENDING', 'deferred: rollout ro-busy is running'],
    ]);
    expect((h.aws.calls.detectStackSetDrift ?? 0) - before).toBe(0);
  });

  it('treats OperationInProgressException as deferred, not failed, and starts once the StackSet is free', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, {});
    h.aws.stackSets.startOperationElsewhere(BASELINE, 'console-update');

    await stepSweep(h, 'w1');
    const check = await checkOf(h, BASELINE);
    expect(check?.status).toBe('PENDING');
    expect(check?.detail).toBe(`deferred: an operation is in progress on ${BASELINE}`);

    h.aws.stackSets.completePendingOperations();
    h.clock.advance(BUSY_RETRY_MS);
    const sweep = await runSweep(h);
    expect(sweep.stackSets.map((c) => c.status)).toEqual(['IN_SYNC', 'IN_SYNC']);
  });

  it('gives up after drift.busyStackSetWaitMinutes: SKIPPED_BUSY with the reason, and the sweep finishes', async () => {
    const h = await harness();
    await vendAccounts(h, 2);
    withDrift(h, { busyStackSetWaitMinutes: 5 });
    await rolloutRunning(h);

    const sweep = await runSweep(h);
    expect(sweep.accountsChecked).toBe(2);
    expect(sweep.stackSets.map((c) => c.status)).toEqual(['SKIPPED_BUSY', 'SKIPPED_BUSY']);
    expect(sweep.stackSets[0]?.detail).toBe(
      'skipped: the StackSet stayed busy for 5 min (rollout ro-busy is running)',
    );
    const waited = Date.parse(sweep.finishedAt ?? '') - Date.parse(sweep.startedAt);
    expect(waited).toBeGreaterThanOrEqual(5 * 60_000);
    expect(waited).toBeLessThan(6 * 60_000);
    // finished like any sweep: in the history
    expect((await getSweep(h.deps, auditor, sweep.id)).finishedAt).toBe(sweep.finishedAt);
  });
});

describe('busyStackSets', () => {
  it('counts the StackSets a moved account’s redeploy is creating or deleting instances of', async () => {
    const h = await harness();
    const at = h.clock.now().toISOString();
    const redeploy = RedeploySchema.parse({
      id: 'rd-111122223333-1',
      accountId: '111122223333',
      requestId: 'req-1',
      fromOrganizationalUnit: 'Workloads/NonProd',
      fromOuId: 'ou-a',
      toOrganizationalUnit: 'Sandbox',
      toOuId: 'ou-b',
      requestedAt: at,
      requestedBy: 'platform-engineer',
      stage: 'DELETE',
      operations: [
        {
          stackSet: BASELINE,
          action: 'CREATE',
          operationId: 'c',
          organizationalUnitIds: ['ou-b'],
          regions: [],
          generation: 0,
        },
        {
          stackSet: BASELINE,
          action: 'DELETE',
          operationId: 'd',
          organizationalUnitIds: ['ou-a'],
          regions: [],
          generation: 0,
        },
        {
          stackSet: CONFIG_RULES,
          action: 'CREATE',
          operationId: 'e',
          organizationalUnitIds: ['ou-b'],
          regions: [],
          generation: 0,
        },
      ],
    });
    await scheduleRedeploy(h.deps, redeploy);
    const busy = await busyStackSets(h.deps, [BASELINE, CONFIG_RULES]);
    expect([...busy]).toEqual([[BASELINE, 'the redeploy of moved account 111122223333 is at DELETE']]);

    await updateJob(h.deps, REDEPLOY_JOB, redeploy.accountId, (job) => {
      job.state = { ...redeploy, stage: 'SUCCEEDED', finishedAt: at };
      job.ended = { outcome: 'done', at };
      return true;
    });
    expect((await busyStackSets(h.deps, [BASELINE, CONFIG_RULES])).size).toBe(0);
  });

  it('counts requests queued for an account, before any holds a CreateAccount slot', async () => {
    const h = await harness();
    expect((await busyStackSets(h.deps, [BASELINE])).size).toBe(0);
    const queued = await submit(h, { status: 'QUEUED' });
    expect([...(await busyStackSets(h.deps, [BASELINE]))]).toEqual([
      [BASELINE, 'requests are queued for an account; their baselines come next'],
    ]);
    await h.store.save({ ...queued, status: 'FAILED' });
    expect((await busyStackSets(h.deps, [BASELINE])).size).toBe(0);
  });
});
