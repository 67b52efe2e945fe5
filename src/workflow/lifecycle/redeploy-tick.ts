import { advanceQueue, type LeasedQueue } from '../coordination/leased-queue';
import type { LifecycleDeps } from './deps';
import { runRedeployStage } from './redeploy-stages';
import { isFinished, REDEPLOYS, REDEPLOYS_ID, type Redeploy, type Redeploys } from './redeploys';

const HOUR_MS = 60 * 60_000;
/** A finished redeploy stays in the inventory this long: a day when it succeeded, a month when not. */
const KEEP_SUCCEEDED_MS = 24 * HOUR_MS;
const KEEP_FAILED_MS = 30 * 24 * HOUR_MS;

/** The redeploys as the workers lease them: 10 per tick, 5 minutes' lease; finished ones only shown. */
const REDEPLOY_QUEUE: LeasedQueue<Redeploys, Redeploy> = {
  document: REDEPLOYS,
  id: REDEPLOYS_ID,
  entries: (body) => body.redeploys,
  batch: 10,
  leaseMs: 5 * 60_000,
  claimable: (r) => !isFinished(r),
  expired: (r, now) =>
    isFinished(r) &&
    now.getTime() - Date.parse(r.finishedAt ?? r.requestedAt) >
      (r.stage === 'SUCCEEDED' ? KEEP_SUCCEEDED_MS : KEEP_FAILED_MS),
};

/**
 * The worker's share of the baseline redeploys after moves: claims the due ones, advances each by
 * one stage (redeploy-stages.ts) and writes it back. Operation ids are in the document before
 * their operations start, so a crash resumes polling them. Returns how many were advanced.
 */
export function advanceRedeploys(deps: LifecycleDeps, owner: string): Promise<number> {
  return advanceQueue(deps, REDEPLOY_QUEUE, owner, (r, now) => runRedeployStage(deps, r, now));
}
