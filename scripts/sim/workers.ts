import type { WorkflowDeps } from '../../src/workflow/step';
import { Worker } from '../../src/workflow/worker';
import { tickUntilStopped } from '../../src/workflow/worker-loop';
import type { VirtualTime } from './virtual-time';

/** A request that reached READY or FAILED, with when (virtual ms). */
export interface Settled {
  id: string;
  status: 'READY' | 'FAILED';
  createdAt: number;
  at: number;
  reason?: string;
  message?: string;
  /** The AWS calls the request's own steps made (every attempt, every page). */
  awsCalls: number;
  /** Each phase's start and end (virtual ms). */
  steps: Array<{ name: string; startedAt?: number; finishedAt?: number }>;
}

/** The pause of `avf worker` after a tick that found nothing to do (src/workflow/worker-loop.ts). */
const IDLE_MS = 500;
const HOUR_MS = 3_600_000;

/**
 * Runs `workers` workers with the loop `avf worker` runs — the one tick over every job kind, a
 * pause when idle — on the virtual clock, until every request has settled or the deadline passes.
 * Returns the settled requests.
 */
export async function runWorkers(
  deps: WorkflowDeps,
  time: VirtualTime,
  options: { accounts: number; workers: number; deadline: number; onHour?: (settled: number) => void },
): Promise<Settled[]> {
  const settled = new Map<string, Settled>();
  let nextHour = time.ms() + HOUR_MS;
  const stopped = () => settled.size >= options.accounts || time.ms() >= options.deadline;
  const loop = (id: string) =>
    tickUntilStopped(new Worker(deps, { id }), {
      idleMs: IDLE_MS,
      stopped,
      sleep: (ms) => time.sleep(ms),
      onTick: (result) => {
        if (time.ms() >= nextHour) {
          nextHour += HOUR_MS * Math.ceil((time.ms() - nextHour + 1) / HOUR_MS);
          options.onHour?.(settled.size);
        }
        for (const r of result.advanced) {
          if (r.status !== 'READY' && r.status !== 'FAILED') continue;
          const ends = r.steps.filter((s) => s.finishedAt).map((s) => Date.parse(s.finishedAt ?? ''));
          settled.set(r.id, {
            id: r.id,
            status: r.status,
            createdAt: Date.parse(r.createdAt),
            at: Math.max(time.ms(), ...ends),
            awsCalls: r.awsCalls ?? 0,
            ...(r.error ? { reason: `${r.phase}: ${r.error.code}`, message: r.error.message } : {}),
            steps: r.steps.map((st) => ({
              name: st.name,
              ...(st.startedAt ? { startedAt: Date.parse(st.startedAt) } : {}),
              ...(st.finishedAt ? { finishedAt: Date.parse(st.finishedAt) } : {}),
            })),
          });
        }
      },
      onError: (e) => {
        throw e;
      },
    });
  await time.run(Promise.all(Array.from({ length: options.workers }, (_, i) => loop(`sim-worker-${i + 1}`))));
  return [...settled.values()];
}
