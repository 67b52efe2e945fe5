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
 * Waiting between ticks is the scheduler's, not a step's: steps never sleep. A busy tick is
 * followed at once by the next. Before returning it waits for the detached work (deliveries) the
 * worker started, so nothing is cut off.
 */
export async function tickUntilStopped(worker: Worker, options: TickLoopOptions): Promise<number> {
  let ticks = 0;
  while (!options.stopped()) {
    ticks++;
    let busy = false;
    try {
      const result = await worker.tick();
      options.onTick?.(result);
      busy = result.busy;
    } catch (e) {
      options.onError?.(e);
    }
    if (!busy && !options.stopped()) await (options.sleep ?? timer)(options.idleMs);
  }
  await worker.settled();
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
