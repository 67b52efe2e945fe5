import { startSweepNow } from '../../../src/workflow/drift/start-sweep';
import { SWEEP_JOB, SWEEP_JOB_ID } from '../../../src/workflow/drift/sweep-document';
import { harness } from '../workflow/harness';
import { platform, runSweep, stepSweep, sweepOf, vendAccounts, withDrift } from './drift-harness';

describe('the drift sweep as a standing job', () => {
  it('is created once when two workers start at once; the second adopts it', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, {});
    const stepped = await Promise.all([stepSweep(h, 'w1'), stepSweep(h, 'w2')]);
    expect(stepped.filter(Boolean)).toHaveLength(1);
    const jobs = await h.store.jobs.listJobs(SWEEP_JOB, { limit: 10 });
    expect(jobs.items.map((j) => j.id)).toEqual([SWEEP_JOB_ID]);
    expect((await sweepOf(h)).accountsChecked).toBe(1);
  });

  it('waits until the next sweep is due, and POST /v1/drift/sweeps makes it run at once', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, { sweepIntervalMinutes: 1440 });
    const first = await runSweep(h);
    const waiting = await h.store.jobs.getJob(SWEEP_JOB, SWEEP_JOB_ID);
    expect(waiting?.nextCheckAt).toBe(new Date(Date.parse(first.startedAt) + 1440 * 60_000).toISOString());
    expect(waiting?.detail).toMatch(new RegExp(`^sweep ${first.id} finished; the next is due `));
    h.clock.advance(60_000);
    expect(await stepSweep(h)).toBe(false);

    const started = await startSweepNow(h.deps, platform);
    expect((await h.store.jobs.getJob(SWEEP_JOB, SWEEP_JOB_ID))?.nextCheckAt).toBe(
      h.clock.now().toISOString(),
    );
    // the clock has not moved: the job runs at the next tick
    expect(await stepSweep(h)).toBe(true);
    expect(await sweepOf(h)).toEqual(expect.objectContaining({ id: started.id, accountsChecked: 1 }));
  });

  it('is created by POST /v1/drift/sweeps when no worker has made it yet', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, {});
    const started = await startSweepNow(h.deps, platform);
    expect((await h.store.jobs.getJob(SWEEP_JOB, SWEEP_JOB_ID))?.nextCheckAt).toBe(
      h.clock.now().toISOString(),
    );
    expect(await stepSweep(h)).toBe(true);
    expect((await sweepOf(h)).id).toBe(started.id);
  });
});
