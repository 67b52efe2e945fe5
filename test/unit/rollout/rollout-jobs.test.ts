import { scheduleJob } from '../../../src/workflow/engine/jobs';
import { ROLLOUT_JOB, ROLLOUT_KIND, RolloutSchema } from '../../../src/workflow/rollout/rollout-document';
import { ROLLOUT_JOB_KIND } from '../../../src/workflow/rollout/rollout-kind';
import { startRollout } from '../../../src/workflow/rollout/rollouts';
import { Worker } from '../../../src/workflow/worker';
import { stepKind } from '../../support/job-steps';
import { harness, vendAccounts, type Harness } from '../workflow/harness';
import { platform, runRollout, version2 } from './rollout-harness';

/** A harness with two READY accounts and a config that describes version 2. */
async function withTwoAccounts(): Promise<Harness> {
  const h = await harness();
  await vendAccounts(h, 2);
  h.deps.config = version2();
  return h;
}

/** Makes the next DescribeStackSet (a rollout's first step) hang until `release` is called. */
function holdFirstStep(h: Harness): { entered: Promise<void>; release(): void } {
  let release = () => {};
  let entered = () => {};
  const enteredP = new Promise<void>((r) => (entered = r));
  const describe = h.aws.stackSets.describeStackSet.bind(h.aws.stackSets);
  jest.spyOn(h.aws.stackSets, 'describeStackSet').mockImplementationOnce(async (name) => {
    entered();
    await new Promise<void>((r) => (release = r));
    return describe(name);
  });
  return { entered: enteredP, release: () => release() };
}

describe('rollouts as jobs', () => {
  it('is driven by one worker at a time: the engine lease keeps a second off while a step runs', async () => {
    const h = await withTwoAccounts();
    const started = await startRollout(h.deps, platform, {});
    const held = holdFirstStep(h);
    const first = stepKind(h.deps, ROLLOUT_JOB_KIND, 'w1');
    await held.entered;
    // w1's step is in flight: w2 finds the job leased and steps nothing
    expect(await stepKind(h.deps, ROLLOUT_JOB_KIND, 'w2')).toBe(0);
    expect((await h.store.jobs.getJob(ROLLOUT_JOB, started.id))?.leaseOwner).toBe('w1');
    held.release();
    expect(await first).toBe(1);
    expect(h.aws.calls.describeStackSet).toBe(version2().config.stackSets.length);
    expect((await h.store.jobs.getJob(ROLLOUT_JOB, started.id))?.leaseOwner).toBeUndefined();
  });

  it('resumes after a worker died mid-step, once its lease has run out', async () => {
    const h = await withTwoAccounts();
    const started = await startRollout(h.deps, platform, {});
    const held = holdFirstStep(h);
    void stepKind(h.deps, ROLLOUT_JOB_KIND, 'dies'); // its step never ends
    await held.entered;
    expect(await stepKind(h.deps, ROLLOUT_JOB_KIND, 'w2')).toBe(0);
    h.clock.advance(ROLLOUT_JOB_KIND.leaseMs(h.deps) + 1);
    expect(await stepKind(h.deps, ROLLOUT_JOB_KIND, 'w2')).toBe(1);
    expect((await runRollout(h, started.id)).status).toBe('SUCCEEDED');
    expect((await h.store.jobs.getJob(ROLLOUT_JOB, started.id))?.ended?.outcome).toBe('done');
  });

  it('gives a RUNNING rollout stored without a job (before rollouts were jobs) its job, once per worker', async () => {
    const h = await withTwoAccounts();
    // as an older factory stored it: no job, and a lease of its own in the document
    const legacy = await startRollout(h.deps, platform, {});
    const job = await h.store.jobs.getJob(ROLLOUT_JOB, legacy.id);
    await h.store.jobs.deleteJob(ROLLOUT_JOB, legacy.id, job?.version ?? 0);
    const doc = await h.store.getDocument(ROLLOUT_KIND.kind, legacy.id);
    const lease = { owner: 'old-worker', until: h.clock.now().toISOString() };
    await h.store.putDocument(
      ROLLOUT_KIND.kind,
      legacy.id,
      { ...legacy, lease },
      doc?.version ?? 0,
      h.clock.now(),
    );

    const lists = jest.spyOn(h.store, 'listDocuments');
    const worker = new Worker(h.deps, { id: 'w1', kinds: [ROLLOUT_JOB_KIND] });
    expect((await worker.tick()).jobs[ROLLOUT_JOB]).toBe(1);
    expect(await h.store.jobs.getJob(ROLLOUT_JOB, legacy.id)).toBeDefined();
    const stored = async () => (await h.store.getDocument(ROLLOUT_KIND.kind, legacy.id))?.body;
    for (let i = 0; i < 60 && RolloutSchema.parse(await stored()).status === 'RUNNING'; i++) {
      h.clock.advance(30_000);
      await worker.tick();
    }
    expect(RolloutSchema.parse(await stored()).status).toBe('SUCCEEDED');
    expect(await stored()).not.toHaveProperty('lease');
    // the stored rollouts were listed by the first tick's ensure only
    expect(lists.mock.calls.filter(([kind]) => kind === ROLLOUT_KIND.kind)).toHaveLength(1);
  });

  it('ends a job whose rollout document never appeared, with the reason', async () => {
    const h = await harness();
    await scheduleJob(h.deps, ROLLOUT_JOB, 'ro-orphan', {});
    expect(await stepKind(h.deps, ROLLOUT_JOB_KIND)).toBe(1);
    const waiting = await h.store.jobs.getJob(ROLLOUT_JOB, 'ro-orphan');
    expect(waiting?.ended).toBeUndefined();
    expect(waiting?.detail).toBe('waiting for rollout ro-orphan to be stored');
    h.clock.advance(5 * 60_000);
    expect(await stepKind(h.deps, ROLLOUT_JOB_KIND)).toBe(1);
    expect((await h.store.jobs.getJob(ROLLOUT_JOB, 'ro-orphan'))?.ended).toEqual(
      expect.objectContaining({
        outcome: 'failed',
        code: 'ROLLOUT_NOT_FOUND',
        reason: 'rollout ro-orphan has no document: its start never completed',
      }),
    );
  });
});
