import type { RequestRecord } from '../domain/account-request';
import type { Verification } from '../domain/compliance';
import { AvfError, StaleRecordError } from '../domain/errors';
import { persistWithEvents, type OutboxDeps } from './notify/outbox';
import { lastSeq, noteChanges } from './notify/request-events';

/**
 * The one module that writes requests: creating them, saving them, and updating the account
 * record of a vended account from the other jobs (rollouts, drift, redeploys, closures). Every
 * write goes through the outbox, so the events it adds are delivered exactly when it is stored.
 */

/** Re-reads of a record another writer keeps changing before an update gives up (retryably). */
const TRIES = 5;

/** Creates a new request: its first status is its first event. */
export function createRequest<T>(
  deps: OutboxDeps,
  record: RequestRecord,
  create: () => Promise<T>,
): Promise<T> {
  noteChanges(undefined, record, deps.clock.now());
  return persistWithEvents(deps, record, 0, create);
}

/**
 * Saves a request that may have changed since `before` was read: a changed status or lifecycle
 * state becomes an event (`Account Request Status Changed`, `Account Lifecycle Changed`),
 * delivered through the outbox.
 */
export function saveRequest(
  deps: OutboxDeps,
  before: Pick<RequestRecord, 'status' | 'lifecycle' | 'events'>,
  record: RequestRecord,
): Promise<RequestRecord> {
  noteChanges(before, record, deps.clock.now());
  return persistWithEvents(deps, record, lastSeq(before), () => deps.store.save(record));
}

/** Writes onto the account's request record, re-reading when another writer came first. */
export async function updateAccountRecord(
  deps: OutboxDeps,
  requestId: string,
  change: (record: RequestRecord) => void,
): Promise<void> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const before = await deps.store.get(requestId);
    if (!before) return;
    const record = structuredClone(before);
    change(record);
    try {
      await saveRequest(deps, before, record);
      return;
    } catch (e) {
      if (!(e instanceof StaleRecordError)) throw e;
    }
  }
  // Never a silent loss: the step fails with a retryable error and the engine runs it again.
  throw new AvfError('STORE_BUSY', `request ${requestId}: other writers kept winning`, { retryable: true });
}

/**
 * Moves a waiting request's next check to now. Best effort: a request someone holds right now, or
 * one written in between, is left alone (it is being looked at anyway); a lost wake costs only
 * the wait until the request's own next check.
 */
export async function wakeRequest(
  deps: Pick<OutboxDeps, 'store' | 'clock'>,
  requestId: string,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const record = await deps.store.get(requestId);
  if (!record || record.nextCheckAt <= now || (record.leaseUntil !== undefined && record.leaseUntil > now))
    return;
  if (record.status !== 'QUEUED' && record.status !== 'IN_PROGRESS') return;
  try {
    await deps.store.save({ ...record, nextCheckAt: now });
  } catch (e) {
    if (!(e instanceof StaleRecordError)) throw e;
  }
}

export function recordVerification(record: RequestRecord, verification: Verification): void {
  record.lastVerification = verification;
  record.controls = verification.summary;
}
