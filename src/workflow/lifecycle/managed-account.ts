import type { AccountState, RequestRecord, RequestStatus } from '../../domain/account-request';
import { ConflictError } from '../../domain/errors';
import type { RequestStore, Role } from '../../domain/ports/request-store';
import { requireRole, type Principal } from '../../domain/principal';
import { loadVisibleAccount } from '../inventory/read-accounts';

export type ManagedAccount = RequestRecord & { accountId: string };

/** The account's state after the vend (records without one are active). */
export function accountStateOf(record: RequestRecord): AccountState {
  return record.lifecycle?.state ?? 'ACTIVE';
}

/**
 * Loads an account for a lifecycle action: the role may act (403), the account is the factory's
 * and visible to the principal (404), the reconciler is not working on it (409) and it is not
 * being closed (409).
 */
export async function loadAccountFor(
  store: RequestStore,
  principal: Principal,
  accountId: string,
  action: { roles: readonly Role[]; describe: string; statuses?: readonly RequestStatus[] },
): Promise<ManagedAccount> {
  requireRole(principal, action.roles, action.describe);
  const record = await loadVisibleAccount(store, principal, accountId);
  const statuses = action.statuses ?? ['READY'];
  if (!statuses.includes(record.status)) {
    throw new ConflictError(
      'ACCOUNT_NOT_SETTLED',
      `account ${accountId} is ${record.status} (request ${record.id}); it can ${action.describe} only when ${statuses.join(' or ')}`,
    );
  }
  const state = accountStateOf(record);
  if (state !== 'ACTIVE') {
    throw new ConflictError(
      `ACCOUNT_${state}`,
      `account ${accountId} is ${state}; ${state === 'CLOSING' ? 'cancel the closure first (POST …/close/cancel)' : 'nothing more can be done with it'}`,
    );
  }
  return record;
}
