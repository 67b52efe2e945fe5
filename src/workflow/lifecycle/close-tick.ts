import { advanceQueue, type LeasedQueue } from '../coordination/leased-queue';
import {
  CLOSURES,
  CLOSURES_ID,
  closuresInProgress,
  MAX_CLOSURES_IN_PROGRESS,
  type Closure,
  type Closures,
} from './closures';
import { runStage, type StageOutcome } from './decommission';
import type { LifecycleDeps } from './deps';
import { accountStateOf } from './managed-account';

/** An entry whose record never became CLOSING (the close request died between its two writes). */
const ORPHAN_AFTER_MS = 5 * 60_000;

/**
 * The closures as the workers lease them: 10 per tick, 5 minutes' lease. A closure is due once its
 * grace period is over; one about to call CloseAccount is claimed only while fewer than 3 hold one
 * of AWS's slots, counting the ones leased for it by other workers.
 */
const CLOSURE_QUEUE: LeasedQueue<Closures, Closure> = {
  document: CLOSURES,
  id: CLOSURES_ID,
  entries: (body) => body.closures,
  batch: 10,
  leaseMs: 5 * 60_000,
  claimable: (closure, body, now) =>
    Date.parse(closure.dueAt) <= now.getTime() &&
    (closure.stage !== 'CLOSE' || closuresInProgress(body, now) < MAX_CLOSURES_IN_PROGRESS),
};

/** The record must be CLOSING before the decommission starts; an orphaned entry is dropped. */
async function orphanCheck(
  deps: LifecycleDeps,
  closure: Closure,
  now: Date,
): Promise<StageOutcome | undefined> {
  if (closure.stage !== 'SCHEDULED') return undefined;
  const record = await deps.store.get(closure.requestId);
  if (record && accountStateOf(record) === 'CLOSING') return undefined;
  if (now.getTime() - Date.parse(closure.requestedAt) > ORPHAN_AFTER_MS) {
    return { kind: 'finished', detail: 'dropped: the account is not closing' };
  }
  return { kind: 'wait', detail: 'waiting for the close request to be recorded', afterMs: 5_000 };
}

/**
 * The worker's share of the closures: claims the due ones, advances each by one stage and writes
 * it back. State lives in the store document only, so a crash loses nothing; a stage repeated
 * after a crash is harmless (each one looks before it acts). Not fatal either way: a closure must
 * end, and a person reads `detail` and fixes the cause. Returns how many were advanced.
 */
export function advanceClosures(deps: LifecycleDeps, owner: string): Promise<number> {
  return advanceQueue(
    deps,
    CLOSURE_QUEUE,
    owner,
    async (closure, now) => (await orphanCheck(deps, closure, now)) ?? runStage(deps, closure),
  );
}
