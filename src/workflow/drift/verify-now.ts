import type { Verification } from '../../domain/compliance';
import { checkAndRecord } from './check-account';
import type { Principal } from '../../domain/principal';
import type { LifecycleDeps } from '../lifecycle/deps';
import { loadAccountFor } from '../lifecycle/managed-account';

/**
 * Verifies an account now, every control read-only. Where the config allows (`drift.remediate`),
 * the account-settings ensures of the controls that FAIL are re-applied and the account verified
 * again; the result names what was re-applied. The verification is stored as the account's last
 * one (re-read and written again if another writer came first). Platform only; on READY or FAILED accounts (not while the reconciler works on them).
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError (409)
 */
export async function verifyAccountNow(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
): Promise<Verification> {
  const record = await loadAccountFor(deps.store, principal, accountId, {
    roles: ['platform'],
    describe: 'verify accounts',
    statuses: ['READY', 'FAILED'],
  });
  // The drift sweep's verify-then-remediate, on demand (src/workflow/drift/check-account.ts): each
  // FAILed control is a `Drift Finding` event on the account, as in a sweep.
  const { verification } = await checkAndRecord(deps, record, { requestedBy: principal.name });
  return verification;
}
