import { ConflictError } from '../../domain/errors';
import type { JobRecord } from '../../domain/ports/job-store';
import { updateJob } from '../engine/jobs';
import { requireRole, type Principal } from '../../domain/principal';
import { accountJobFor, errorOfJob } from '../engine/account-jobs';
import type { WorkflowDeps } from '../step';
import { CHANGE_JOB, changeOf, type Change } from './account-changes';

/** A change as callers see it: its state, the job's last detail, and how it ended. */
export type ChangeView = Change & { detail?: string; error?: { code: string; reason: string } };

function viewOf(job: JobRecord): ChangeView | undefined {
  const change = changeOf(job);
  return change && { ...change, ...errorOfJob(job) };
}

/**
 * One change of an account, for anyone who may see the account (404 otherwise, and for a change
 * of another account).
 *
 * @throws NotFoundError (404)
 */
export function getAccountChange(
  deps: Pick<WorkflowDeps, 'store'>,
  principal: Principal,
  accountId: string,
  changeId: string,
): Promise<ChangeView> {
  return accountJobFor(deps, CHANGE_JOB, changeId, principal, accountId, viewOf, 'change');
}

/** Decides a PENDING_APPROVAL change: approved → due now; rejected → ended with the reason. */
async function decide(
  deps: WorkflowDeps,
  principal: Principal,
  accountId: string,
  changeId: string,
  outcome: 'APPROVED' | 'REJECTED',
  reason?: string,
): Promise<ChangeView> {
  requireRole(principal, ['platform'], outcome === 'APPROVED' ? 'approve changes' : 'reject changes');
  const before = await getAccountChange(deps, principal, accountId, changeId);
  if (before.stage !== 'PENDING_APPROVAL') {
    throw new ConflictError(
      'NOT_PENDING_APPROVAL',
      `change ${changeId} is ${before.stage}; only a PENDING_APPROVAL change can be ${outcome.toLowerCase()}`,
    );
  }
  const now = deps.clock.now().toISOString();
  let decided = false;
  const job = await updateJob<Change>(deps, CHANGE_JOB, changeId, (j) => {
    // checked again on the version written: of two decisions at once, one wins
    if (j.state.stage !== 'PENDING_APPROVAL' || j.ended) return (decided = false);
    const decision = { outcome, by: principal.name, at: now, ...(reason ? { reason } : {}) };
    j.state.decision = decision;
    j.state.events.push({
      at: now,
      type: outcome,
      by: principal.name,
      ...(reason ? { detail: reason } : {}),
    });
    if (outcome === 'APPROVED') {
      j.state.stage = 'QUEUED';
      j.nextCheckAt = now;
      j.detail = `approved by ${principal.name}; queued`;
    } else {
      j.state.stage = 'REJECTED';
      j.state.finishedAt = now;
      const why = `rejected by ${principal.name}: ${reason ?? ''}`;
      j.detail = why;
      j.ended = { outcome: 'failed', at: now, code: 'REJECTED', reason: why };
    }
    return (decided = true);
  });
  if (!job || !decided) {
    throw new ConflictError(
      'NOT_PENDING_APPROVAL',
      `change ${changeId} was decided by someone else meanwhile`,
    );
  }
  return viewOf(job)!;
}

/**
 * Releases a change waiting for approval to the workers (platform only); the approver is recorded
 * on the change and, once applied, in the account's `Account Changed` event.
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError `NOT_PENDING_APPROVAL` (409)
 */
export function approveAccountChange(
  deps: WorkflowDeps,
  principal: Principal,
  accountId: string,
  changeId: string,
): Promise<ChangeView> {
  return decide(deps, principal, accountId, changeId, 'APPROVED');
}

/**
 * Refuses a change waiting for approval (platform only): it ends REJECTED with the reason and who
 * rejected it; nothing is applied.
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError `NOT_PENDING_APPROVAL` (409)
 */
export function rejectAccountChange(
  deps: WorkflowDeps,
  principal: Principal,
  accountId: string,
  changeId: string,
  reason: string,
): Promise<ChangeView> {
  return decide(deps, principal, accountId, changeId, 'REJECTED', reason);
}
