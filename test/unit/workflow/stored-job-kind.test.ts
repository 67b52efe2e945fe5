import { z } from 'zod';
import { scheduleJob, updateJob } from '../../../src/workflow/engine/jobs';
import { proceed, wait, type Outcome } from '../../../src/workflow/engine/outcome';
import { storedJobKind, type JobContext } from '../../../src/workflow/engine/stored-job-kind';
import { Worker } from '../../../src/workflow/worker';
import { harness } from './harness';

const CountSchema = z.object({ steps: z.number() });
type Count = z.infer<typeof CountSchema>;

/** A kind whose step counts its runs, then does what the test says. */
const counterKind = (step: (state: Count, ctx: JobContext<Count>) => Promise<Outcome>) =>
  storedJobKind({ name: 'counter', schema: CountSchema, concurrency: 1, leaseMs: 60_000, step });

describe('a stored job whose save loses to another writer', () => {
  it("keeps the other writer's job and releases its own lease, so the job is due at once", async () => {
    const h = await harness();
    let writeDuringStep = true;
    const kind = counterKind(async (state, { deps, job }) => {
      state.steps += 1;
      if (writeDuringStep) {
        writeDuringStep = false;
        // a scheduler makes the job due again while the step runs
        await updateJob(deps, 'counter', job.id, (j) => {
          j.nextCheckAt = deps.clock.now().toISOString();
          j.detail = 'made due by the scheduler';
          return true;
        });
      }
      return wait('polling', 10 * 60_000);
    });
    const worker = new Worker(h.deps, { id: 'w1', kinds: [kind] });
    await scheduleJob(h.deps, 'counter', 'c1', { steps: 0 });

    const first = await worker.tick();
    expect(first.jobs.counter).toBe(0);
    const after = await h.store.jobs.getJob('counter', 'c1');
    expect(after?.detail).toBe('made due by the scheduler');
    expect(after?.leaseOwner).toBeUndefined();
    expect(after?.leaseUntil).toBeUndefined();
    expect(after?.state).toEqual({ steps: 0 });

    // no lease to wait out: another worker takes it on the next tick, with the clock unmoved
    const other = new Worker(h.deps, { id: 'w2', kinds: [kind] });
    const second = await other.tick();
    expect(second.jobs.counter).toBe(1);
    const saved = await h.store.jobs.getJob('counter', 'c1');
    expect(saved?.state).toEqual({ steps: 1 });
    expect(saved?.detail).toBe('polling');
  });

  it("leaves another worker's lease alone", async () => {
    const h = await harness();
    const kind = counterKind(async (state, { deps, job }) => {
      state.steps += 1;
      // meanwhile the lease ran out and another worker took the job
      await updateJob(deps, 'counter', job.id, (j) => {
        j.leaseOwner = 'w-other';
        j.leaseUntil = new Date(deps.clock.now().getTime() + 60_000).toISOString();
        return true;
      });
      return proceed();
    });
    await scheduleJob(h.deps, 'counter', 'c1', { steps: 0 });
    await new Worker(h.deps, { id: 'w1', kinds: [kind] }).tick();
    const after = await h.store.jobs.getJob('counter', 'c1');
    expect(after?.leaseOwner).toBe('w-other');
    expect(after?.state).toEqual({ steps: 0 });
  });
});

describe('an idle tick', () => {
  it('asks the store once which job kinds have work, and claims only for those', async () => {
    const h = await harness();
    const step = (state: Count): Promise<Outcome> => {
      state.steps += 1;
      return Promise.resolve(wait('again in ten minutes', 10 * 60_000));
    };
    const kinds = ['a', 'b', 'c'].map((name) =>
      storedJobKind({ name, schema: CountSchema, concurrency: 1, leaseMs: 60_000, step }),
    );
    const worker = new Worker(h.deps, { id: 'w1', kinds });
    const claims: string[] = [];
    const looks: string[][] = [];
    const jobs = h.store.jobs;
    const claimJobs = jobs.claimJobs.bind(jobs);
    const dueKinds = jobs.dueKinds.bind(jobs);
    jest.spyOn(jobs, 'claimJobs').mockImplementation((claim) => {
      claims.push(claim.kind);
      return claimJobs(claim);
    });
    jest.spyOn(jobs, 'dueKinds').mockImplementation((asked, now) => {
      looks.push([...asked]);
      return dueKinds(asked, now);
    });

    // the first tick claims for every kind (each kind's first claim runs its ensure)
    await worker.tick();
    expect(claims).toEqual(['a', 'b', 'c']);
    expect(looks).toEqual([]);

    claims.length = 0;
    await scheduleJob(h.deps, 'b', 'b1', { steps: 0 });
    const second = await worker.tick();
    expect(looks).toEqual([['a', 'b', 'c']]);
    expect(claims).toEqual(['b']);
    expect(second.jobs).toEqual({ a: 0, b: 1, c: 0 });
    expect((await jobs.getJob('b', 'b1'))?.state).toEqual({ steps: 1 });

    // nothing due: one look, no claim
    claims.length = 0;
    looks.length = 0;
    const third = await worker.tick();
    expect(looks).toHaveLength(1);
    expect(claims).toEqual([]);
    expect(third.jobs).toEqual({ a: 0, b: 0, c: 0 });
  });
});
