import { startWorkerLoop, tickUntilStopped } from '../../../src/workflow/worker-loop';
import { harness, submit, type Harness } from './harness';

const IDLE_MS = 500;
const REST_MS = 5_000;

/**
 * The loop as `avf worker` runs it (a rest when idle), every wait taken on the harness's clock and
 * recorded, until `done` says so.
 */
async function waitsUntil(
  h: Harness,
  done: (waits: number[], advanced: string[]) => boolean,
): Promise<number[]> {
  const waits: number[] = [];
  const advanced: string[] = [];
  await tickUntilStopped(h.worker, {
    idleMs: IDLE_MS,
    restMs: REST_MS,
    stopped: () => done(waits, advanced) || waits.length > 1_000,
    onTick: (result) => advanced.push(...result.advanced.map((r) => r.id)),
    onError: (e) => {
      throw e;
    },
    sleep: (ms) => {
      waits.push(ms);
      h.clock.advance(ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  });
  return waits;
}

describe('an idle worker rests (avf worker, avf serve)', () => {
  it('rests ten pauses while nothing falls due within them, and pauses briefly while something does', async () => {
    const h = await harness();
    await h.worker.tick(); // the standing jobs ensured: idle
    const idle = await waitsUntil(h, (waits) => waits.filter((ms) => ms === REST_MS).length >= 3);
    expect(idle.filter((ms) => ms === REST_MS)).toHaveLength(3);

    // a request due in 3 s: no rest until it is taken up
    const due = new Date(h.clock.now().getTime() + 3_000);
    const request = await submit(h, { nextCheckAt: due.toISOString() });
    const busy = await waitsUntil(h, (_, advanced) => advanced.includes(request.id));
    expect(busy).not.toContain(REST_MS);
    expect(busy.length).toBeGreaterThanOrEqual(3_000 / IDLE_MS);
    expect(h.clock.now().getTime()).toBeLessThan(due.getTime() + REST_MS);
  });

  it('a wake ends the rest at once, and stopping does not wait for it to run out', async () => {
    const h = await harness();
    await h.worker.tick();
    // a rest of a minute: only a wake gets the stored request taken up within the test
    const loop = startWorkerLoop(h.worker, { intervalMs: 6_000 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the loop ticked and rests
    const request = await submit(h);
    loop.wake();
    let record = await h.store.get(request.id);
    for (let i = 0; i < 200 && record?.status === 'QUEUED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      record = await h.store.get(request.id);
    }
    expect(record?.status).toBe('IN_PROGRESS');
    await loop.stop();
  });
});
