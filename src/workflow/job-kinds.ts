import { COST_COLLECTION_KIND } from './costs/collection-kind';
import { SWEEP_JOB_KIND } from './drift/sweep-kind';
import { VERIFICATION_KIND } from './drift/verification-kind';
import { CHANGE_KIND } from './lifecycle/change-kind';
import { CLOSURE_KIND } from './lifecycle/closure-kind';
import { REDEPLOY_KIND } from './lifecycle/redeploy-kind';
import { DELIVERY_KIND } from './notify/delivery-kind';
import { INDEX_REFRESH_KIND } from './org-index/refresh-kind';
import { requestKind } from './request-kind';
import { ROLLOUT_JOB_KIND } from './rollout/rollout-kind';
import type { JobKind } from './engine/kind';

/**
 * Every kind of durable job the worker runs, in one list. To add a kind:
 * 1. describe its state with a zod schema and write its step, `(state, ctx) => Outcome`, which
 *    changes the state in place and never sleeps (see lifecycle/closure-kind.ts);
 * 2. `export const MY_KIND = storedJobKind({ name: 'my-kind', schema, concurrency, leaseMs, step })`;
 * 3. create its jobs with `scheduleJob(deps, 'my-kind', id, state)` (engine/jobs.ts);
 * 4. list it below. Claims, leases, retries and saves are the engine's.
 */
export function jobKinds(options: { leaseMs?: number; batchSize?: number } = {}): Array<JobKind<unknown>> {
  return [
    requestKind(options),
    CLOSURE_KIND,
    CHANGE_KIND,
    REDEPLOY_KIND,
    VERIFICATION_KIND,
    COST_COLLECTION_KIND,
    ROLLOUT_JOB_KIND,
    SWEEP_JOB_KIND,
    DELIVERY_KIND,
    INDEX_REFRESH_KIND,
  ];
}
