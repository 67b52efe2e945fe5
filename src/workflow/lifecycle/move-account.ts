import { z } from 'zod';
import { AccountRequestBodySchema } from '../../domain/account-request';
import type { Principal } from '../intake/principal';
import type { LifecycleDeps } from './deps';
import { loadAccountFor, type ManagedAccount } from './managed-account';
import { assertNoProblems, parseInput, specProblems } from './spec-rules';

export const MoveBodySchema = z
  .object({ organizationalUnit: AccountRequestBodySchema.shape.organizationalUnit })
  .strict();

/**
 * Moves an account to another OU of the config; the OU's SCPs (its guardrails) apply from then
 * on. The OU must be one the account's team may use, as at intake (the Suspended OU is reached by
 * closing). Platform only; moving to the OU it is in changes nothing.
 *
 * @throws ValidationError (400); ForbiddenError (403); NotFoundError (404); ConflictError or
 *   StaleRecordError (409)
 */
export async function moveAccount(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
  input: unknown,
): Promise<ManagedAccount> {
  const record = await loadAccountFor(deps.store, principal, accountId, {
    roles: ['platform'],
    describe: 'move accounts',
  });
  const { organizationalUnit } = parseInput(MoveBodySchema, input);
  const spec = { ...record.spec, organizationalUnit };
  assertNoProblems(specProblems(spec, deps.config.config, ['organizationalUnit']));

  const orgs = deps.aws.organizations;
  const target = await deps.directory.ouId(spec.organizationalUnit);
  const parent = await orgs.getParentId(accountId);
  if (parent !== target) await orgs.moveAccount(accountId, parent, target);
  if (record.spec.organizationalUnit === spec.organizationalUnit) return record;
  const saved = await deps.store.save({ ...record, spec, updatedAt: deps.clock.now().toISOString() });
  return { ...saved, accountId };
}
