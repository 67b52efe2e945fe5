import { driftStatus } from '../../src/workflow/drift/drift-status';
import { SWEEP_JOB_KIND } from '../../src/workflow/drift/sweep-kind';
import type { WorkflowDeps } from '../../src/workflow/step';
import { Worker } from '../../src/workflow/worker';

const PLATFORM = { role: 'platform' as const, name: 'bench' };

/**
 * Runs `workers` workers on the sweep's job only, each ticking as `avf worker` does (at once after
 * a busy tick, else after `idleMs` on `sleep`: the wall clock or the simulator's), until the sweep
 * has finished or `sample` accounts are checked.
 */
export async function sweepWithWorkers(
  deps: WorkflowDeps,
  o: { workers: number; sample?: number; idleMs: number; sleep: (ms: number) => Promise<void> },
): Promise<void> {
  let done = false;
  const worker = async (owner: string) => {
    const ticking = new Worker(deps, { id: owner, kinds: [SWEEP_JOB_KIND] });
    while (!done) {
      const { busy } = await ticking.tick();
      const sweep = (await driftStatus(deps, PLATFORM)).sweep;
      done ||= Boolean(sweep?.finishedAt) || (sweep?.accountsChecked ?? 0) >= (o.sample ?? Infinity);
      if (!busy && !done) await o.sleep(o.idleMs);
    }
  };
  await Promise.all(Array.from({ length: o.workers }, (_, i) => worker(`bench-${i + 1}`)));
}
