import type { JobRecord } from '../../src/domain/ports/job-store';
import { updateJob } from '../../src/workflow/engine/jobs';
import type { JobKind } from '../../src/workflow/engine/kind';
import type { WorkflowDeps } from '../../src/workflow/step';
import { Worker } from '../../src/workflow/worker';

/** One worker per deps, kind and owner, kept: a worker's `ensure` runs once, as in a process. */
const workers = new WeakMap<WorkflowDeps, Map<string, Worker>>();

/**
 * One tick of `owner`'s worker that runs only `kind` (as `avf worker` would, with just that kind);
 * returns how many of its jobs were stepped and saved.
 */
export async function stepKind(deps: WorkflowDeps, kind: JobKind<unknown>, owner = 'w1'): Promise<number> {
  let byOwner = workers.get(deps);
  if (!byOwner) workers.set(deps, (byOwner = new Map<string, Worker>()));
  const key = `${kind.name}/${owner}`;
  let worker = byOwner.get(key);
  if (!worker) byOwner.set(key, (worker = new Worker(deps, { id: owner, kinds: [kind] })));
  return (await worker.tick()).jobs[kind.name] ?? 0;
}

/**
 * A worker that claimed the job (made due for it) and died mid-step: the job stays leased to
 * `crashed` for the kind's lease.
 */
export async function crashHolding(
  deps: WorkflowDeps,
  kind: JobKind<unknown>,
  id: string,
): Promise<JobRecord> {
  const now = deps.clock.now();
  await updateJob(deps, kind.name, id, (job) => {
    job.nextCheckAt = now.toISOString();
    return true;
  });
  const [claimed] = await deps.store.jobs.claimJobs({
    kind: kind.name,
    now,
    owner: 'crashed',
    leaseMs: kind.leaseMs(deps),
    limit: 1,
  });
  if (claimed?.id !== id) throw new Error(`job ${kind.name}/${id} was not claimed`);
  return claimed;
}
