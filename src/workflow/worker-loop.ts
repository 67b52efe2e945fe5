import type { TickResult, Worker } from './worker';

export interface TickLoopOptions {
  /** Pause after a tick that found nothing due. */
  idleMs: number;
  /** True once the loop should stop (checked before each tick). */
  stopped(): boolean;
  onTick?(result: TickResult): void;
  onError?(err: unknown): void;
  /** How the pause is taken (default: a timer); the simulator passes its virtual clock's. */
  sleep?(ms: number): Promise<void>;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Ticks the worker until stopped, the one loop of `avf serve`, `avf worker` and the Lambda worker.
 * Waiting between ticks is the scheduler's, not a step's: steps never sleep. Ticks overlap: a tick
 * starts the steps it claims and the next one comes as soon as one of them ends (at the latest
 * after the idle pause), so a record whose step is done is taken up again at once instead of
 * waiting for the slowest step claimed with it. A busy tick is followed at once by the next.
 * Before returning it waits for every step started, and the detached work (deliveries), so
 * nothing is cut off, and reports what ended.
 */
export async function tickUntilStopped(worker: Worker, options: TickLoopOptions): Promise<number> {
  let ticks = 0;
  const sleep = (ms: number) => (options.sleep ? options.sleep(ms) : timer(ms));
  const report = (result: TickResult) => {
    options.onTick?.(result);
    for (const failure of result.failures) options.onError?.(failure);
  };
  while (!options.stopped()) {
    ticks++;
    let busy = false;
    try {
      const result = await worker.tick({ overlap: true });
      report(result);
      busy = result.busy;
    } catch (e) {
      options.onError?.(e);
    }
    if (busy || options.stopped()) continue;
    const ending = worker.oneEnds();
    await (ending ? Promise.race([ending, sleep(options.idleMs)]) : sleep(options.idleMs));
  }
  report(await worker.drain());
  return ticks;
}

/** Runs the loop in the background until `stop()`; for `avf serve` and `avf worker`. */
export function startWorkerLoop(
  worker: Worker,
  options: { intervalMs?: number; log?: { error(obj: object, msg: string): void } } = {},
): { stop(): Promise<void> } {
  let stopped = false;
  const running = tickUntilStopped(worker, {
    idleMs: options.intervalMs ?? 500,
    stopped: () => stopped,
    onError: (err) => options.log?.error({ err }, 'worker tick failed'),
  });
  return {
    async stop() {
      stopped = true;
      await running;
    },
  };
}
