import { advanceDriftSweep } from './drift/advance-sweep';
import { deliverNotifications } from './notify/deliver';
import { advanceRollouts } from './rollout/advance-rollout';
import type { WorkflowDeps } from './step';

/**
 * The work a worker does beside the requests, after each tick: a step of the running rollout, a
 * step of the drift sweep and a pass of the event deliverer. One failing does not keep the other from running; the first error is
 * thrown afterwards for the loop to log. True when either advanced something.
 */
export function backgroundWork(deps: WorkflowDeps, owner: string): () => Promise<boolean> {
  const jobs = [
    () => advanceRollouts(deps, owner),
    () => advanceDriftSweep(deps, owner),
    () => deliverNotifications(deps, owner),
  ];
  return async () => {
    const results = await Promise.allSettled(jobs.map((job) => job()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results.some((r) => r.status === 'fulfilled' && r.value);
  };
}
