import type { EventType } from '../notify/request-events';
import { appendEvent } from '../notify/request-events';
import { updateAccountRecord } from '../request-writes';
import type { WorkflowDeps } from '../step';
import type { ManagedAccount } from './inventory';

/**
 * A cost event on the account's request record, written with the record (the outbox delivers it
 * to EventBridge and the request's webhook). Written before the cost document records what it
 * reports, so a crash between the two repeats the event rather than losing it.
 */
export async function recordCostEvent(
  deps: WorkflowDeps,
  account: Pick<ManagedAccount, 'id'>,
  type: EventType,
  detail: Record<string, unknown>,
): Promise<void> {
  const now = deps.clock.now();
  await updateAccountRecord(deps, account.id, (r) => {
    appendEvent(r, type, detail, now);
    r.updatedAt = now.toISOString();
  });
}
