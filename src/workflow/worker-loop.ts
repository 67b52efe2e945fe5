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
  /**
   * Rest this long instead of `idleMs` after a tick that found nothing to do while no step runs
   * and nothing falls due within it (`Worker.idleFor`); `woken` or a step ending cuts the rest
   * short. For `avf serve` and `avf worker`: an idle worker looks at its store a tenth as often.
   */
  restMs?: number;
  /** Resolves when the loop is woken (work was just stored): ends a rest at once. */
  woken?(): Promise<void>;
}

/** A pause that can be called off: its timer cleared (one given by `options.sleep` runs out). */
function pauseFor(ms: number, options: TickLoopOptions): { done: Promise<void>; cancel(): void } {
  if (options.sleep) return { done: options.sleep(ms), cancel: () => undefined };
  let handle: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, ms);
  });
  return { done, cancel: () => clearTimeout(handle) };
}

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
  const report = (result: TickResult) => {
    options.onTick?.(result);
    for (const failure of result.failures) options.onError?.(failure);
  };
  /** The kinds the next tick claims for (all, unless woken by their steps ending). */
  let kinds: ReadonlySet<string> | undefined;
  /** Set an idle pause after the last tick that claimed for every kind: the next one does. */
  let everyKindDue = false;
  let everyKindTimer: ReturnType<typeof pauseFor> | undefined;
  while (!options.stopped()) {
    ticks++;
    let busy = false;
    if (!kinds) {
      everyKindDue = false;
      if (!everyKindTimer) {
        const timer = pauseFor(options.idleMs, options);
        everyKindTimer = timer;
        void timer.done.then(() => {
          everyKindDue = true;
          everyKindTimer = undefined;
        });
      }
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
    if (
      options.stopWhenIdleForMs !== undefined &&
      (await idleFor(worker, options.stopWhenIdleForMs, options))
    )
      break;
    const rest = options.restMs !== undefined && (await idleFor(worker, options.restMs, options));
    const pause = pauseFor(rest ? (options.restMs ?? 0) : options.idleMs, options);
    const idle = pause.done.then(() => 'idle' as const);
    const ending = worker.oneEnds()?.then(() => 'ended' as const);
    const woken = rest ? options.woken?.().then(() => 'woken' as const) : undefined;
    // woken by steps ending: only their kinds have slots freed and records due at once, unless
    // the others have not been looked at for an idle pause (steps ending all the time)
    const woke = await Promise.race([idle, ...(ending ? [ending] : []), ...(woken ? [woken] : [])]);
    pause.cancel(); // a rest cut short leaves no timer behind to hold the process
    if (woke === 'ended' && !everyKindDue) kinds = worker.endedKinds();
  }
  everyKindTimer?.cancel();
  report(await worker.drain());
  return ticks;
}

/**
 * Whether nothing falls due within `ms` and no step runs (to stop early, or rest); a failed look
 * counts as work to do.
 */
async function idleFor(worker: Worker, ms: number, options: TickLoopOptions): Promise<boolean> {
  try {
    return await worker.idleFor(ms);
  } catch (e) {
    options.onError?.(e);
    return false;
  }
}

/**
 * A wake-up that is never lost: one that comes while nobody waits ends the next wait at once
 * (costing at most one look too many).
 */
function wakeSignal(): { wake(): void; next(): Promise<void> } {
  let pending = false;
  let waiting: (() => void) | undefined;
  return {
    wake() {
      pending = true;
      waiting?.();
      waiting = undefined;
    },
    next() {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        waiting = resolve;
      });
    },
  };
}

/** How many idle pauses an idle worker rests (`TickLoopOptions.restMs`): 5 s for the usual 500 ms. */
const REST_PAUSES = 10;

/**
 * Runs the loop in the background until `stop()`; for `avf serve` and `avf worker`. It ticks every
 * `intervalMs` (500) while work falls due within ten of those, and otherwise rests ten of them;
 * `wake()` (`avf serve`'s API after each change it stores) ends a rest at once. Work another
 * process stores is found within the rest.
 */
export function startWorkerLoop(
  worker: Worker,
  options: { intervalMs?: number; log?: { error(obj: object, msg: string): void } } = {},
): { stop(): Promise<void>; wake(): void } {
  let stopped = false;
  const signal = wakeSignal();
  const idleMs = options.intervalMs ?? 500;
  const running = tickUntilStopped(worker, {
    idleMs,
    restMs: idleMs * REST_PAUSES,
    woken: () => signal.next(),
    stopped: () => stopped,
    onError: (err) => options.log?.error({ err }, 'worker tick failed'),
  });
  return {
    async stop() {
      stopped = true;
      signal.wake();
      await running;
    },
    wake: () => signal.wake(),
  };
}
