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
  /**
   * Stop as well once a tick found nothing to do, no step runs, and nothing falls due within this
   * long (`Worker.idleFor`): for a worker invoked again within that time (the Lambda function).
   */
  stopWhenIdleForMs?: number;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Ticks the worker until stopped, the one loop of `avf serve`, `avf worker` and the Lambda worker.
 * Waiting between ticks is the scheduler's, not a step's: steps never sleep. Ticks overlap: a tick
 * starts the steps it claims and the next one comes as soon as one of them ends (at the latest
 * after the idle pause), so a record whose step is done is taken up again at once instead of
 * waiting for the slowest step claimed with it; such a tick claims only for the kinds whose steps
 * ended, and every kind is looked at each idle pause. A busy tick is followed at once by the next.
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
  /** The kinds the next tick claims for (all, unless woken by their steps ending). */
  let kinds: ReadonlySet<string> | undefined;
  /** Set an idle pause after the last tick that claimed for every kind: the next one does. */
  let everyKindDue = false;
  let everyKindTimer: Promise<void> | undefined;
  while (!options.stopped()) {
    ticks++;
    let busy = false;
    if (!kinds) {
      everyKindDue = false;
      everyKindTimer ??= sleep(options.idleMs).then(() => {
        everyKindDue = true;
        everyKindTimer = undefined;
      });
    }
    try {
      const result = await worker.tick({ overlap: true, ...(kinds ? { kinds } : {}) });
      report(result);
      busy = result.busy;
    } catch (e) {
      options.onError?.(e);
    }
    kinds = undefined;
    if (busy || options.stopped()) continue;
    if (options.stopWhenIdleForMs !== undefined && (await idleFor(worker, options))) break;
    const idle = sleep(options.idleMs).then(() => 'idle' as const);
    const ending = worker.oneEnds()?.then(() => 'ended' as const);
    // woken by steps ending: only their kinds have slots freed and records due at once, unless
    // the others have not been looked at for an idle pause (steps ending all the time)
    const woke = await (ending ? Promise.race([ending, idle]) : idle);
    if (woke === 'ended' && !everyKindDue) kinds = worker.endedKinds();
  }
  report(await worker.drain());
  return ticks;
}

/** Whether the loop may stop early (`stopWhenIdleForMs`); a failed look counts as work to do. */
async function idleFor(worker: Worker, options: TickLoopOptions): Promise<boolean> {
  try {
    return await worker.idleFor(options.stopWhenIdleForMs ?? 0);
  } catch (e) {
    options.onError?.(e);
    return false;
  }
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
