import { z } from 'zod';
import { ConflictError } from '../../domain/errors';
import { updateDocument } from '../coordination/document';
import { requireRole, type Principal } from '../intake/principal';
import { loadVisibleAccount } from '../inventory/read-accounts';
import { CLOSURES, CLOSURES_ID } from './closures';
import type { LifecycleDeps } from './deps';
import { saveRequest } from '../notify/outbox';
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
 * only. The queue entry is written before the record, so a crash in between leaves an entry the
 * worker drops (its record is not CLOSING), never a CLOSING record nobody works on.
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
  await updateDocument(
    deps.store,
    CLOSURES,
    CLOSURES_ID,
    () => deps.clock.now(),
    (body) => {
      body.closures = body.closures.filter((c) => c.accountId !== accountId);
      body.closures.push({
        accountId,
        requestId: record.id,
        requestedAt: now.toISOString(),
        dueAt,
        stage: 'SCHEDULED',
        nextCheckAt: dueAt,
        attempts: 0,
        deletions: [],
      });
      return { write: true, result: undefined };
    },
  );
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
  const refusal = await updateDocument(
    deps.store,
    CLOSURES,
    CLOSURES_ID,
    () => deps.clock.now(),
    (body) => {
      const entry = body.closures.find((c) => c.accountId === accountId);
      const leased = entry?.leaseUntil !== undefined && Date.parse(entry.leaseUntil) > now.getTime();
      if (entry && (entry.stage !== 'SCHEDULED' || leased)) {
        return { write: false, result: `its decommission has started (${entry.stage})` };
      }
      body.closures = body.closures.filter((c) => c.accountId !== accountId);
      return { write: entry !== undefined, result: undefined };
    },
  );
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
