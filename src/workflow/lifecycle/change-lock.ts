import { z } from 'zod';
import { readDocument, updateDocument, type DocumentKind } from '../coordination/document';
import type { WorkflowDeps } from '../step';
import { CHANGE_JOB } from './account-changes';

const LockSchema = z.object({ holder: z.string().optional() });
type Lock = z.infer<typeof LockSchema>;

/** One change of an account applies at a time, whichever worker runs it: the account's lock. */
const CHANGE_LOCK: DocumentKind<Lock> = { kind: 'change-lock', schema: LockSchema, empty: () => ({}) };

/** A holder whose change has ended (or vanished) holds nothing: a crash never leaks the lock. */
async function holding(deps: WorkflowDeps, holder: string | undefined): Promise<boolean> {
  if (holder === undefined) return false;
  const job = await deps.store.jobs.getJob(CHANGE_JOB, holder);
  return job !== undefined && !job.ended;
}

const updateLock = <R>(
  deps: WorkflowDeps,
  accountId: string,
  change: (lock: Lock) => { write: boolean; result: R },
) => updateDocument(deps.store, CHANGE_LOCK, accountId, () => deps.clock.now(), change);

/**
 * Takes the account's change lock for `changeId` (a holder keeps it); false while another change
 * of the account is being applied. Conditional write: of two workers at once, one wins.
 */
export async function takeChangeLock(
  deps: WorkflowDeps,
  accountId: string,
  changeId: string,
): Promise<boolean> {
  const { body } = await readDocument(deps.store, CHANGE_LOCK, accountId);
  const held = body.holder !== changeId && (await holding(deps, body.holder));
  if (held) return false;
  return updateLock(deps, accountId, (lock) => {
    if (lock.holder === changeId) return { write: false, result: true };
    // another worker took it since the read: it wins
    if (lock.holder !== body.holder) return { write: false, result: false };
    lock.holder = changeId;
    return { write: true, result: true };
  });
}

/** Frees the lock when `changeId` holds it. */
export function releaseChangeLock(deps: WorkflowDeps, accountId: string, changeId: string): Promise<void> {
  return updateLock(deps, accountId, (lock) => {
    if (lock.holder !== changeId) return { write: false, result: undefined };
    delete lock.holder;
    return { write: true, result: undefined };
  });
}
