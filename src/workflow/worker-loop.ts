import type { Worker } from './worker';

/**
 * Ticks the worker until stopped. Waiting between ticks is the scheduler's, not a step's: steps
 * never sleep. A tick that advanced something is followed at once by the next.
 */
export function startWorkerLoop(
  worker: Worker,
  options: {
    intervalMs?: number;
    log?: { error(obj: object, msg: string): void };
    /** Work beside the requests (rollouts), run after each tick; true when it advanced something. */
    background?: () => Promise<boolean>;
  } = {},
): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const loop = () => {
    if (stopped) return;
    running = worker
      .tick()
      .then((r) => r.claimed)
      .catch((e: unknown) => {
        options.log?.error({ err: e }, 'worker tick failed');
        return 0;
      })
      .then(async (claimed) => {
        const busy = await (options.background?.() ?? Promise.resolve(false)).catch((e: unknown) => {
          options.log?.error({ err: e }, 'background work failed');
          return false;
        });
        return busy ? claimed + 1 : claimed;
      })
      .then((claimed) => {
        if (!stopped) timer = setTimeout(loop, claimed > 0 ? 0 : intervalMs);
      });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
