import { storedJobKind } from '../engine/stored-job-kind';
import { done, wait, type Outcome } from '../engine/outcome';
import type { WorkflowDeps } from '../step';
import { CLOSURE_JOB, ClosureSchema, type Closure } from './closures';
import { runStage } from './decommission';
import { accountStateOf } from './managed-account';

/** A closure whose record never became CLOSING (the close request died between its two writes). */
const ORPHAN_AFTER_MS = 5 * 60_000;

/** The record must be CLOSING before the decommission starts; an orphaned closure ends. */
async function orphanCheck(deps: WorkflowDeps, closure: Closure, now: Date): Promise<Outcome | undefined> {
  if (closure.stage !== 'SCHEDULED') return undefined;
  const record = await deps.store.get(closure.requestId);
  if (record && accountStateOf(record) === 'CLOSING') return undefined;
  if (now.getTime() - Date.parse(closure.requestedAt) > ORPHAN_AFTER_MS) {
    return done('dropped: the account is not closing');
  }
  return wait('waiting for the close request to be recorded', 5_000);
}

/**
 * Account closures: due once the grace period is over, 10 at once per worker, 5 minutes' lease.
 * A stage repeated after a crash is harmless (each one looks before it acts), and errors never
 * end a closure: it must end, and a person reads `detail` and fixes the cause.
 */
export const CLOSURE_KIND = storedJobKind({
  name: CLOSURE_JOB,
  schema: ClosureSchema,
  concurrency: 10,
  leaseMs: 5 * 60_000,
  retryAll: true,
  step: async (closure, { deps, now }) => (await orphanCheck(deps, closure, now)) ?? runStage(deps, closure),
});
