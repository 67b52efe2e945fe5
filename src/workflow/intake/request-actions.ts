import type { RequestRecord } from '../../domain/account-request';
import { ConflictError } from '../../domain/errors';
import { saveRequest } from '../request-writes';
import type { IntakeDeps } from './deps';
import { loadVisibleRequest, requireRole, type Principal } from '../../domain/principal';

type ActionDeps = Pick<IntakeDeps, 'store' | 'clock' | 'config'>;

function wrongStatus(
  record: RequestRecord,
  code: string,
  expected: RequestRecord['status'],
  action: string,
): ConflictError {
  return new ConflictError(
    code,
    `request ${record.id} is ${record.status}; only a ${expected} request can be ${action}`,
  );
}

/**
 * Releases a request into an OU that requires approval to the reconciler (PENDING_APPROVAL →
 * QUEUED). Platform only.
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError `NOT_PENDING_APPROVAL` or
 *   StaleRecordError (409)
 */
export async function approveAccountRequest(
  deps: ActionDeps,
  principal: Principal,
  id: string,
): Promise<RequestRecord> {
  requireRole(principal, ['platform'], 'approve requests');
  const record = await loadVisibleRequest(deps.store, principal, id);
  if (record.status !== 'PENDING_APPROVAL')
    throw wrongStatus(record, 'NOT_PENDING_APPROVAL', 'PENDING_APPROVAL', 'approved');
  const now = deps.clock.now().toISOString();
  return saveRequest(deps, record, { ...record, status: 'QUEUED', nextCheckAt: now, updatedAt: now });
}

/**
 * Resumes a FAILED request at the phase that failed: the error is cleared, the attempts reset and
 * the failed step set back to PENDING, due now. Steps that succeeded are not repeated.
 *
 * @throws ForbiddenError (403); NotFoundError (404, also for another team's request); ConflictError
 *   `NOT_FAILED` or StaleRecordError (409)
 */
export async function retryAccountRequest(
  deps: ActionDeps,
  principal: Principal,
  id: string,
): Promise<RequestRecord> {
  requireRole(principal, ['requester', 'platform'], 'retry requests');
  const record = await loadVisibleRequest(deps.store, principal, id);
  if (record.status !== 'FAILED') throw wrongStatus(record, 'NOT_FAILED', 'FAILED', 'retried');
  if (record.error && ENDED_BY_A_PERSON.has(record.error.code))
    throw new ConflictError(
      'NOT_RETRYABLE',
      `request ${record.id} was ${record.error.message}; submit a new one`,
    );
  const phase = record.error?.phase ?? record.phase;
  const now = deps.clock.now().toISOString();
  return saveRequest(deps, record, {
    ...record,
    status: 'IN_PROGRESS',
    phase,
    error: undefined,
    attempts: 0,
    nextCheckAt: now,
    updatedAt: now,
    // a phase that failed while run ahead is tried afresh too, and every control is read afresh
    handles: { ...record.handles, failedAhead: undefined, verifiedAheadAt: undefined },
    steps: record.steps.map((step) => (step.name === phase ? { name: step.name, status: 'PENDING' } : step)),
  });
}

/** The error codes of a request a person ended: final, never retried (its email stays its own). */
export const ENDED_BY_A_PERSON = new Set(['REJECTED', 'CANCELLED']);

/** Ends a request that has not touched AWS yet: FAILED with the code and who ended it, and why. */
function endRequest(
  deps: ActionDeps,
  record: RequestRecord,
  code: string,
  message: string,
): Promise<RequestRecord> {
  const now = deps.clock.now().toISOString();
  return saveRequest(deps, record, {
    ...record,
    status: 'FAILED',
    error: { code, message, phase: record.phase },
    queue: undefined,
    updatedAt: now,
  });
}

/**
 * Refuses a PENDING_APPROVAL request (platform only): it ends FAILED with code `REJECTED` and the
 * reason, and is never retried.
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError `NOT_PENDING_APPROVAL` or
 *   StaleRecordError (409)
 */
export async function rejectAccountRequest(
  deps: ActionDeps,
  principal: Principal,
  id: string,
  reason: string,
): Promise<RequestRecord> {
  requireRole(principal, ['platform'], 'reject requests');
  const record = await loadVisibleRequest(deps.store, principal, id);
  if (record.status !== 'PENDING_APPROVAL')
    throw wrongStatus(record, 'NOT_PENDING_APPROVAL', 'PENDING_APPROVAL', 'rejected');
  return endRequest(deps, record, 'REJECTED', `rejected by ${principal.name}: ${reason}`);
}

/**
 * Withdraws a request before anything exists in AWS (PENDING_APPROVAL, or QUEUED before its
 * CreateAccount): it ends FAILED with code `CANCELLED`. Its team's requester or platform. A
 * request whose account is being created is past cancelling: close the account once READY.
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError `NOT_CANCELLABLE` or
 *   StaleRecordError (409, also when a worker moved it on meanwhile)
 */
export async function cancelAccountRequest(
  deps: ActionDeps,
  principal: Principal,
  id: string,
  reason?: string,
): Promise<RequestRecord> {
  requireRole(principal, ['requester', 'platform'], 'cancel requests');
  const record = await loadVisibleRequest(deps.store, principal, id);
  const untouched =
    record.status === 'PENDING_APPROVAL' ||
    (record.status === 'QUEUED' && record.handles.createAccountIntentAt === undefined);
  if (!untouched) {
    throw new ConflictError(
      'NOT_CANCELLABLE',
      `request ${record.id} is ${record.status}${record.accountId ? ` with account ${record.accountId}` : ''}; only a request whose account creation has not started can be cancelled (a READY account is closed with POST /v1/accounts/{accountId}/close)`,
    );
  }
  return endRequest(
    deps,
    record,
    'CANCELLED',
    `cancelled by ${principal.name}${reason ? `: ${reason}` : ''}`,
  );
}
