import { z } from 'zod';
import { ConflictError } from '../../domain/errors';
import type { WorkflowDeps } from '../step';
import { scheduleJob } from '../engine/jobs';
import { StaleRecordError } from '../../domain/errors';
import { requireRole, type Principal } from '../../domain/principal';
import { loadVisibleAccount } from '../inventory/read-accounts';
import { CLOSURE_JOB, ClosureSchema, type Closure } from './closures';
import type { LifecycleDeps } from './deps';
import { saveRequest } from '../request-writes';
import { accountStateOf, loadAccountFor, type ManagedAccount } from './managed-account';
import { parseInput } from './spec-rules';

const DAY_MS = 24 * 60 * 60_000;

export const CloseBodySchema = z
  .object({
    graceDays: z
      .number()
      .int()
      .min(0)
      .max(90)
      .optional()
      .describe('days before the decommission starts, cancellable meanwhile; 0 or absent: at once'),
  })
  .strict();

/**
 * Schedules an account's closure: after `graceDays` (at once when 0 or absent) the worker revokes
 * its Identity Center access, deletes its budget, moves it to the Suspended OU and closes it in
 * AWS, at most 3 closures in progress at once. Until the grace period ends nothing changes in AWS
 * (the team keeps its access to save what it needs) and the closure can be cancelled. Platform
 * only. The closure job is written before the record, so a crash in between leaves a job the
 * worker ends (its record is not CLOSING), never a CLOSING record nobody works on.
 *
 * @throws ValidationError (400); ForbiddenError (403); NotFoundError (404); ConflictError or
 *   StaleRecordError (409)
 */
export async function closeAccount(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
  input: unknown,
): Promise<ManagedAccount> {
  const record = await loadAccountFor(deps.store, principal, accountId, {
    roles: ['platform'],
    describe: 'close accounts',
    statuses: ['READY', 'FAILED'],
  });
  const { graceDays } = parseInput(CloseBodySchema, input ?? {});
  const now = deps.clock.now();
  const dueAt = new Date(now.getTime() + (graceDays ?? 0) * DAY_MS).toISOString();
  const closure: Closure = {
    accountId,
    requestId: record.id,
    requestedAt: now.toISOString(),
    dueAt,
    stage: 'SCHEDULED',
    deletions: [],
  };
  // An earlier closure of the account (ended, or cancelled meanwhile) is replaced.
  await scheduleJob(deps, CLOSURE_JOB, accountId, closure, { at: new Date(dueAt), replace: () => true });
  const saved = await saveRequest(deps, record, {
    ...record,
    lifecycle: {
      ...record.lifecycle,
      state: 'CLOSING',
      closeRequestedAt: now.toISOString(),
      closeRequestedBy: principal.name,
      closeAfter: dueAt,
    },
    updatedAt: now.toISOString(),
  });
  return { ...saved, accountId };
}

/**
 * Cancels a scheduled closure while its decommission has not started (nothing has changed in AWS
 * yet); the account is ACTIVE again. Platform only.
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError `NOT_CLOSING` or
 *   `CLOSE_IN_PROGRESS` (409)
 */
export async function cancelAccountClosure(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
): Promise<ManagedAccount> {
  requireRole(principal, ['platform'], 'cancel closures');
  const record = await loadVisibleAccount(deps.store, principal, accountId);
  const state = accountStateOf(record);
  if (state === 'SUSPENDED') {
    throw new ConflictError(
      'CLOSE_IN_PROGRESS',
      `account ${accountId} is already decommissioned; its closure can no longer be cancelled`,
    );
  }
  if (state !== 'CLOSING') {
    throw new ConflictError('NOT_CLOSING', `account ${accountId} is ${state}, not CLOSING`);
  }
  const now = deps.clock.now();
  const refusal = await dropScheduledClosure(deps, accountId, now);
  if (refusal) {
    throw new ConflictError(
      'CLOSE_IN_PROGRESS',
      `the closure of account ${accountId} can no longer be cancelled: ${refusal}`,
    );
  }
  const saved = await saveRequest(deps, record, {
    ...record,
    lifecycle: {
      state: 'ACTIVE',
      ...(record.lifecycle?.importedAt ? { importedAt: record.lifecycle.importedAt } : {}),
    },
    updatedAt: now.toISOString(),
  });
  return { ...saved, accountId };
}

/**
 * Deletes the account's closure job while it is still waiting out its grace period and no worker
 * holds it (the delete is conditional on the version read, which a claim bumps); otherwise says
 * why it cannot be cancelled.
 */
async function dropScheduledClosure(
  deps: WorkflowDeps,
  accountId: string,
  now: Date,
): Promise<string | undefined> {
  const job = await deps.store.jobs.getJob(CLOSURE_JOB, accountId);
  if (!job || job.ended) return undefined;
  const stage = ClosureSchema.parse(job.state).stage;
  const leased = job.leaseUntil !== undefined && Date.parse(job.leaseUntil) > now.getTime();
  if (stage !== 'SCHEDULED' || leased) return `its decommission has started (${stage})`;
  try {
    await deps.store.jobs.deleteJob(CLOSURE_JOB, accountId, job.version);
    return undefined;
  } catch (e) {
    if (e instanceof StaleRecordError) return 'its decommission has just started';
    throw e;
  }
}
