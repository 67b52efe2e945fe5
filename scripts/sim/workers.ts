import { backgroundWork } from '../../src/workflow/background';
import type { WorkflowDeps } from '../../src/workflow/step';
import { Worker } from '../../src/workflow/worker';
import type { VirtualTime } from './virtual-time';

/** A request that reached READY or FAILED, with when (virtual ms). */
export interface Settled {
  id: string;
  status: 'READY' | 'FAILED';
  createdAt: number;
  at: number;
  reason?: string;
  message?: string;
  /** Each phase's start and end (virtual ms). */
  steps: Array<{ name: string; startedAt?: number; finishedAt?: number }>;
}

/** The pause of `avf worker` after a tick that found nothing to do (src/workflow/worker-loop.ts). */
const IDLE_MS = 500;

/**
 * Runs `workers` worker loops as `avf worker` runs them — tick, background work, pause when idle —
 * on the virtual clock, until every request has settled or the deadline passes. Returns the
 * settled requests.
 */
export async function runWorkers(
  deps: WorkflowDeps,
  time: VirtualTime,
  options: { accounts: number; workers: number; deadline: number },
): Promise<Settled[]> {
  const settled = new Map<string, Settled>();
  const done = () => settled.size >= options.accounts || time.ms() >= options.deadline;

  async function loop(id: string): Promise<void> {
    const worker = new Worker(deps, { id });
    const background = backgroundWork(deps, worker.id);
    while (!done()) {
      const result = await worker.tick();
      for (const r of result.advanced) {
        if (r.status !== 'READY' && r.status !== 'FAILED') continue;
        const last = r.steps.filter((s) => s.finishedAt).map((s) => Date.parse(s.finishedAt ?? ''));
        settled.set(r.id, {
          id: r.id,
          status: r.status,
          createdAt: Date.parse(r.createdAt),
          at: Math.max(time.ms(), ...last),
          steps: r.steps.map((st) => ({
            name: st.name,
            ...(st.startedAt ? { startedAt: Date.parse(st.startedAt) } : {}),
            ...(st.finishedAt ? { finishedAt: Date.parse(st.finishedAt) } : {}),
          })),
          ...(r.error ? { reason: `${r.phase}: ${r.error.code}`, message: r.error.message } : {}),
        });
      }
      const busy = await background();
      if (result.claimed === 0 && !busy) await time.sleep(IDLE_MS);
    }
  }

  await time.run(Promise.all(Array.from({ length: options.workers }, (_, i) => loop(`sim-worker-${i + 1}`))));
  return [...settled.values()];
}
