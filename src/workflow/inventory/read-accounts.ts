import type { RequestRecord } from '../../domain/account-request';
import { NotFoundError } from '../../domain/errors';
import type { RequestStore } from '../../domain/ports/request-store';
import { canSeeTeam, type Principal } from '../../domain/principal';

/**
 * The request that vended an account, if the principal may see it. Another team's account is
 * reported as not found, as for requests.
 */
export async function loadVisibleAccount(
  store: RequestStore,
  principal: Principal,
  accountId: string,
): Promise<RequestRecord & { accountId: string }> {
  const record = await store.findByAccountId(accountId);
  if (!record?.accountId || !canSeeTeam(principal, record.team)) {
    throw new NotFoundError(
      `account ${accountId} (not vended by this factory, or not visible to this token)`,
    );
  }
  return { ...record, accountId: record.accountId };
}
