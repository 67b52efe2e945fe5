import { ensureJob, updateJob } from '../engine/jobs';
import { waitUntil } from '../engine/outcome';
import { storedJobKind } from '../engine/stored-job-kind';
import type { WorkflowDeps } from '../step';
import { collectCostsStep } from './collect-step';
import { COLLECTION_ID, COLLECTION_JOB, CollectionSchema, type Collection } from './collection-state';

/** The collector's standing job, created by the first tick that finds none. */
async function ensureCollectionJob(deps: WorkflowDeps): Promise<void> {
  if (!deps.aws.costExplorer) return;
  await ensureJob(deps, COLLECTION_JOB, COLLECTION_ID, {}, 'first collection');
}

/**
 * The spend collector as a job kind: one job per organisation that never ends (errors wait and
 * retry, their reason in `detail`), one worker at a time. Each step reads one stage's worth of
 * Cost Explorer and Budgets and says when to step again: paced to `finance.collector.callsPerSecond`
 * within a run, `intervalMinutes` between runs.
 */
export const COST_COLLECTION_KIND = storedJobKind({
  name: COLLECTION_JOB,
  schema: CollectionSchema,
  concurrency: 1,
  leaseMs: 5 * 60_000,
  retryAll: true,
  ensure: ensureCollectionJob,
  step: async (state, { deps, now }) => {
    const { nextAt, detail } = await collectCostsStep(deps, state);
    // nextAt is scaled by worker.timeScale already
    return waitUntil(detail, nextAt, now, deps.config.config.worker.timeScale);
  },
});

/**
 * Starts a collection now (platform, `POST /v1/costs/collect`): the job is made due at once unless
 * a run is under way. Returns whether a new run was scheduled.
 */
export async function collectNow(deps: WorkflowDeps): Promise<boolean> {
  await ensureCollectionJob(deps);
  let scheduled = false;
  const now = deps.clock.now().toISOString();
  await updateJob<Collection>(deps, COLLECTION_JOB, COLLECTION_ID, (job) => {
    scheduled = job.state.run === undefined;
    if (!scheduled) return false;
    job.state.nextRunAt = now;
    job.nextCheckAt = now;
    return true;
  });
  return scheduled;
}
