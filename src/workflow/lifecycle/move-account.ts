import { z } from 'zod';
import { AccountRequestBodySchema, type AccountSpec, type RequestRecord } from '../../domain/account-request';
import { ConflictError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { saveRequest } from '../request-writes';
import { appendEvent, EVENT_TYPES } from '../notify/request-events';
import { rolloutHoldingAccount } from '../rollout/rollouts';
import type { LifecycleDeps } from './deps';
import { loadAccountFor, type ManagedAccount } from './managed-account';
import { updateJob } from '../engine/jobs';
import { REDEPLOY_JOB, redeployOf, redeploysByAccount, scheduleRedeploy, type Redeploy } from './redeploys';
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

/** The redeploy is due this long after the API wrote it down: time for the API to move the account. */
const API_MOVE_MS = 60_000;

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
 * Moves an account to another OU of the config. The OU's SCPs (its guardrails) apply at once; the
 * baseline follows in the worker, since StackSet operations take minutes: the account's stack
 * instances are created under the new OU, deleted under the old one and the account verified
 * (redeploy-stages.ts). The redeploy is written down before the move, so a crash at any point
 * leaves one the workers finish. The OU must be one the account's team may use, as at intake (the
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
  if (unmoved && last?.stage !== 'FAILED')
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
  // Not due until the API has had time to move the account: a worker finishes the move only
  // when this call died before it did.
  await scheduleRedeploy(deps, redeploy, new Date(Date.parse(now) + API_MOVE_MS));
  try {
    if (parent !== target) await orgs.moveAccount(accountId, parent, target);
  } catch (e) {
    const written = await deps.store.jobs.getJob(REDEPLOY_JOB, accountId);
    if (written) await deps.store.jobs.deleteJob(REDEPLOY_JOB, accountId, written.version);
    throw e;
  }
  const saved = unmoved ? record : await saveRequest(deps, record, movedRecord(deps, record, spec, now));
  const started = await updateJob<Redeploy>(deps, REDEPLOY_JOB, accountId, (job) => {
    // A worker that took the move over (past its due time) finishes it, idempotently.
    if (job.state.id !== redeploy.id || job.state.stage !== 'MOVE' || job.leaseOwner || job.ended)
      return false;
    job.state.stage = 'CREATE';
    job.nextCheckAt = deps.clock.now().toISOString();
    job.detail = `moved to ${organizationalUnit}; its StackSet instances follow`;
    return true;
  });
  const view = started && redeployOf(started, deps.clock.now());
  return { account: { ...saved, accountId }, redeploy: view || redeploy, started: true };
}

/** The record after the move, with the `Account Moved` event its save delivers. */
function movedRecord(
  deps: LifecycleDeps,
  record: RequestRecord,
  spec: AccountSpec,
  now: string,
): RequestRecord {
  const moved = { ...record, spec, updatedAt: now };
  appendEvent(
    moved,
    EVENT_TYPES.moved,
    { previousOrganizationalUnit: record.spec.organizationalUnit },
    deps.clock.now(),
  );
  return moved;
}
