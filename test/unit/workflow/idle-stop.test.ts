import { jobKinds } from '../../../src/workflow/job-kinds';
import { Worker } from '../../../src/workflow/worker';
import { tickUntilStopped } from '../../../src/workflow/worker-loop';
import { harness, submit, type Harness } from './harness';

const MINUTE = 60_000;

/** A worker of every kind, as the Lambda function runs it, on the harness's store and clock. */
const lambdaWorker = (h: Harness) =>
  new Worker(h.deps, { id: 'lambda', leaseMs: 30_000, kinds: jobKinds({ leaseMs: 30_000 }) });

/**
 * The loop as the Lambda function runs it, its pauses taken on the harness's clock, until it stops
 * by itself or has ticked `maxTicks` times (far beyond any wait of a vend).
 */
async function invocation(
  h: Harness,
  worker: Worker,
  options: { idleStop?: boolean; maxTicks?: number } = {},
) {
  let ticks = 0;
  const errors: unknown[] = [];
  const maxTicks = options.maxTicks ?? 20_000;
  const ran = await tickUntilStopped(worker, {
    idleMs: 2_000,
    ...(options.idleStop === false ? {} : { stopWhenIdleForMs: MINUTE }),
    stopped: () => ticks >= maxTicks,
    onTick: () => void (ticks += 1),
    onError: (e) => void errors.push(e),
    sleep: (ms) => {
      h.clock.advance(ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  });
  return { ticks: ran, errors };
}

describe('a worker loop that stops when idle (the Lambda worker)', () => {
  it('runs what is due and stops once nothing falls due within the minute', async () => {
    const h = await harness();
    const worker = lambdaWorker(h);
    const request = await submit(h, { team: 'search' });

    const { ticks, errors } = await invocation(h, worker);

    expect(errors).toEqual([]);
    expect(ticks).toBeLessThan(20_000); // it stopped by itself
    const record = (await h.store.get(request.id))!;
    expect(record.status).not.toBe('QUEUED');
    expect(
      record.status === 'READY' || Date.parse(record.nextCheckAt) > h.clock.now().getTime() + MINUTE,
    ).toBe(true);
    // nothing of any kind is due within the minute: the standing jobs come later
    const inAMinute = new Date(h.clock.now().getTime() + MINUTE);
    expect(await worker.idleFor(MINUTE)).toBe(true);
    expect(await h.store.anyDue(inAMinute)).toBe(false);
    const stored = jobKinds()
      .filter((k) => k.inJobStore)
      .map((k) => k.name);
    expect(stored.length).toBeGreaterThan(5);
    expect(await h.store.jobs.dueKinds(stored, inAMinute)).toEqual(new Set());
  });

  it('stops only while the request waits more than a minute; the next invocations finish it', async () => {
    const h = await harness();
    const worker = lambdaWorker(h);
    await invocation(h, worker); // the standing jobs done: idle
    expect(await worker.idleFor(MINUTE)).toBe(true);

    const in30s = new Date(h.clock.now().getTime() + 30_000).toISOString();
    const request = await submit(h, { team: 'search', nextCheckAt: in30s });
    expect(await worker.idleFor(MINUTE)).toBe(false);
    expect(await worker.idleFor(29_000)).toBe(true);

    // a look at the store that fails counts as work to do: the loop goes on
    const look = jest.spyOn(h.store, 'anyDue').mockRejectedValueOnce(new Error('store unreachable'));
    const first = await invocation(h, worker);
    expect(look).toHaveBeenCalled();
    expect(first.errors).toEqual([new Error('store unreachable')]);

    // the schedule's invocations, a minute apart, until the request settles
    let record = await h.store.get(request.id);
    for (let i = 0; i < 30 && record?.status !== 'READY'; i++) {
      // each stop leaves the request waiting beyond the next invocation
      expect(Date.parse(record!.nextCheckAt)).toBeGreaterThan(h.clock.now().getTime() + MINUTE);
      h.clock.advance(MINUTE);
      const { errors } = await invocation(h, worker);
      expect(errors).toEqual([]);
      record = await h.store.get(request.id);
    }
    expect(record?.status).toBe('READY');
  });

  it('never stops by itself without the option (avf worker, avf serve)', async () => {
    const h = await harness();
    const worker = lambdaWorker(h);
    await invocation(h, worker);
    expect(await worker.idleFor(MINUTE)).toBe(true);
    expect((await invocation(h, worker, { idleStop: false, maxTicks: 50 })).ticks).toBe(50);
  });
});
