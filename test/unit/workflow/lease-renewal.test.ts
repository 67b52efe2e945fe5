import { z } from 'zod';
import { scheduleJob } from '../../../src/workflow/engine/jobs';
import { done } from '../../../src/workflow/engine/outcome';
import { storedJobKind } from '../../../src/workflow/engine/stored-job-kind';
import { MAX_LEASES_RENEWED } from '../../../src/workflow/lease-keeper';
import { Worker } from '../../../src/workflow/worker';
import { testKinds } from '../../support/job-kinds';
import { FakeClock, harness, submit, type Harness } from './harness';

/** A hand-moved clock whose `sleep` timers fire as it is moved past them. */
class TimerClock extends FakeClock {
  private timers: Array<{ at: number; fire(): void }> = [];
  sleep(ms: number): Promise<void> {
    return new Promise((fire) => this.timers.push({ at: this.now().getTime() + ms, fire }));
  }
  /** Moves the clock on in 1 s steps, letting what each timer starts run before the next step. */
  async pass(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= 1_000) {
      this.advance(Math.min(1_000, left));
      const due = this.timers.filter((t) => t.at <= this.now().getTime());
      this.timers = this.timers.filter((t) => t.at > this.now().getTime());
      for (const t of due) t.fire();
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    }
  }
}

/** CreateAccount answers only when the test says so: a step far slower than its lease. */
function holdCreateAccount(h: Harness): () => void {
  const organizations = h.aws.organizations;
  const original = organizations.startCreateAccount.bind(organizations);
  let answer!: () => void;
  const held = new Promise<void>((r) => (answer = r));
  organizations.startCreateAccount = async (input) => {
    await held;
    return original(input);
  };
  return answer;
}

/** A second worker (another process) on the same store. */
const otherWorker = (h: Harness) =>
  new Worker(h.deps, { id: 'w2', leaseMs: 30_000, kinds: testKinds({ leaseMs: 30_000 }) });

describe('a step slower than its lease', () => {
  it('keeps its record: the lease is renewed while the step runs, so another worker does not take it and its save lands', async () => {
    const clock = new TimerClock();
    const h = await harness(undefined, clock);
    const answer = holdCreateAccount(h);
    const req = await submit(h);

    await h.worker.tick({ overlap: true });
    // five minutes: ten times the 30 s the claim leased it for
    await clock.pass(300_000);
    const held = (await h.store.get(req.id))!;
    expect(held.leaseOwner).toBe('w1');
    expect(Date.parse(held.leaseUntil!)).toBeGreaterThan(clock.now().getTime());
    const other = otherWorker(h);
    expect((await other.tick()).claimed).toBe(0);

    answer();
    await h.worker.drain();
    const after = (await h.store.get(req.id))!;
    expect(after.handles.createAccountRequestId).toBeDefined();
    expect(after.leaseOwner).toBeUndefined();
    expect(h.aws.calls.startCreateAccount).toBe(1);
  });

  it('without renewals (a clock that cannot wait) the record goes to another worker once the lease ends, and the slow step’s save is lost', async () => {
    const h = await harness();
    const answer = holdCreateAccount(h);
    const req = await submit(h);

    await h.worker.tick({ overlap: true });
    h.clock.advance(31_000);
    const other = otherWorker(h);
    const taken = other.tick({ overlap: true });
    expect((await taken).claimed).toBe(1);

    answer();
    const [first, second] = await Promise.all([h.worker.drain(), other.drain()]);
    // the first worker's step did the work, but its save was refused as stale: only the second's landed
    expect(first.advanced).toEqual([]);
    expect(second.advanced.map((r) => r.id)).toEqual([req.id]);
    expect((await h.store.get(req.id))!.handles.createAccountIntentAt).toBeDefined();
  });
});

describe('a stored job whose step is slower than its lease', () => {
  it('keeps the job: the lease is renewed while the step runs and the step’s save lands', async () => {
    const clock = new TimerClock();
    const h = await harness(undefined, clock);
    let answer!: () => void;
    const held = new Promise<void>((r) => (answer = r));
    const slow = storedJobKind<{ runs: number }>({
      name: 'slow-job',
      schema: z.object({ runs: z.number() }),
      concurrency: 1,
      leaseMs: 30_000,
      async step(state) {
        await held;
        state.runs += 1;
        return done('ran');
      },
    });
    await scheduleJob(h.deps, 'slow-job', 'one', { runs: 0 });
    const first = new Worker(h.deps, { id: 'w1', kinds: [slow] });
    const second = new Worker(h.deps, { id: 'w2', kinds: [slow] });

    await first.tick({ overlap: true });
    await clock.pass(300_000);
    await second.tick({ overlap: true });
    expect((await h.store.jobs.getJob('slow-job', 'one'))?.leaseOwner).toBe('w1');

    answer();
    const [ended] = await Promise.all([first.drain(), second.drain()]);
    expect(ended.jobs['slow-job']).toBe(1);
    const job = await h.store.jobs.getJob('slow-job', 'one');
    expect(job?.state).toEqual({ runs: 1 });
    expect(job?.leaseOwner).toBeUndefined();
  });
});

describe('a step that never ends', () => {
  it('keeps its record for ten leases at most: then the lease lapses and another worker takes it up', async () => {
    const clock = new TimerClock();
    const h = await harness(undefined, clock);
    holdCreateAccount(h);
    const req = await submit(h);
    await h.worker.tick({ overlap: true });
    const leaseMs = h.deps.config.config.worker.leaseSeconds * 1000;
    // ten leases of renewals, then the last renewed lease runs out
    await clock.pass(MAX_LEASES_RENEWED * leaseMs + leaseMs + 1_000);
    const other = otherWorker(h);
    expect((await other.tick({ overlap: true })).claimed).toBe(1);
    expect((await h.store.get(req.id))?.leaseOwner).toBe('w2');
  });
});
