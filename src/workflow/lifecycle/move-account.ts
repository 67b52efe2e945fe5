import { z } from 'zod';
import { AccountRequestBodySchema } from '../../domain/account-request';
import { ConflictError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { rolloutHoldingAccount } from '../rollout/rollouts';
import type { LifecycleDeps } from './deps';
import { loadAccountFor, type ManagedAccount } from './managed-account';
import { redeploysByAccount, scheduleRedeploy, type Redeploy } from './redeploys';
import { assertNoProblems, parseInput, specProblems } from './spec-rules';

export const MoveBodySchema = z
  .object({ organizationalUnit: AccountRequestBodySchema.shape.organizationalUnit })
  .strict();

/** The account after a move, and its latest baseline redeploy. */
export interface MovedAccount {
  account: ManagedAccount;
  redeploy?: Redeploy;
  /** This call moved the account (or restarted a FAILED redeploy): its redeploy has started. */
  started: boolean;
}

async function refuseWhileRolledOut(deps: LifecycleDeps, accountId: string, ou: string): Promise<void> {
  const rollout = await rolloutHoldingAccount(deps.store, accountId);
  if (rollout) {
    throw new ConflictError(
      'ROLLOUT_IN_PROGRESS',
      `rollout ${rollout.id} has yet to update account ${accountId} through its OU ${ou}; move it when the rollout has finished or been halted`,
    );
  }
}

/**
 * Moves an account to another OU of the config: a redeploy job (redeploy-stages.ts) the workers
 * start at once. Its first stage moves the account (the OU's SCPs, its guardrails, apply from
 * then), and the baseline follows, since StackSet operations take minutes: the account's stack
 * instances are created under the new OU, deleted under the old one and the account verified.
 * Nothing happens in AWS here, so the API holds no Organizations write. The OU must be one the account's team may use, as at intake (the
 * Suspended OU is reached by closing). Platform only. Moving to the OU it is in changes nothing,
 * except after a FAILED redeploy, which it starts again.
 *
 * @throws ValidationError (400); ForbiddenError (403); NotFoundError (404); ConflictError
 *   `BASELINE_REDEPLOY_IN_PROGRESS`, `ROLLOUT_IN_PROGRESS` or StaleRecordError (409)
 */
export async function moveAccount(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
  input: unknown,
): Promise<MovedAccount> {
  const record = await loadAccountFor(deps.store, principal, accountId, {
    roles: ['platform'],
    describe: 'move accounts',
  });
  const { organizationalUnit } = parseInput(MoveBodySchema, input);
  const spec = { ...record.spec, organizationalUnit };
  assertNoProblems(specProblems(spec, deps.config.config, ['organizationalUnit']));

  const orgs = deps.aws.organizations;
  const target = await deps.directory.ouId(organizationalUnit);
  const parent = await orgs.getParentId(accountId);
  const last = (await redeploysByAccount(deps)).get(accountId);
  const unmoved = parent === target && record.spec.organizationalUnit === organizationalUnit;
  // there already, and no move of it under way (one is refused below with a 409)
  if (unmoved && (last === undefined || last.stage === 'SUCCEEDED'))
    return { account: record, ...(last ? { redeploy: last } : {}), started: false };
  await refuseWhileRolledOut(deps, accountId, record.spec.organizationalUnit);

  const now = deps.clock.now().toISOString();
  const retry = unmoved && last !== undefined;
  const redeploy: Redeploy = {
    id: `rd-${accountId}-${now.replace(/[-:.]/g, '')}`,
    accountId,
    requestId: record.id,
    fromOrganizationalUnit: retry ? last.fromOrganizationalUnit : record.spec.organizationalUnit,
    fromOuId: retry ? last.fromOuId : parent,
    toOrganizationalUnit: organizationalUnit,
    toOuId: target,
    requestedAt: now,
    requestedBy: principal.name,
    stage: 'MOVE',
    generation: 0,
    operations: [],
  };
  // The worker moves the account (MoveAccount is not the API's), then redeploys its baseline.
  await scheduleRedeploy(deps, { ...redeploy, detail: `moving to ${organizationalUnit}` });
  return {
    account: record,
    redeploy: { ...redeploy, detail: `moving to ${organizationalUnit}` },
    started: true,
  };
}
