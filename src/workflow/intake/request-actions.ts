import type { RequestRecord } from '../../domain/account-request';
import { ConflictError } from '../../domain/errors';
import { saveRequest } from '../request-writes';
import type { IntakeDeps } from './deps';
import { loadVisibleRequest, requireRole, type Principal } from './principal';

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
    steps: record.steps.map((step) => (step.name === phase ? { name: step.name, status: 'PENDING' } : step)),
  });
}
