import { storedJobKind } from '../engine/stored-job-kind';
import { runRedeployStage } from './redeploy-stages';
import { REDEPLOY_JOB, RedeploySchema } from './redeploys';

/**
 * Baseline redeploys after moves: 10 at once per worker, 5 minutes' lease. Operation ids are in
 * the job before their operations start, so a crash resumes polling them; errors never end one
 * (a person reads `detail`).
 */
export const REDEPLOY_KIND = storedJobKind({
  name: REDEPLOY_JOB,
  schema: RedeploySchema,
  concurrency: 10,
  leaseMs: 5 * 60_000,
  retryAll: true,
  step: (redeploy, { deps, job, now }) => runRedeployStage(deps, redeploy, job, now),
});
