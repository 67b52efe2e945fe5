import { z } from 'zod';
import type { LoadedConfig } from '../../config/load';
import type { RequestRecord } from '../../domain/account-request';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { RequestStore } from '../../domain/ports/request-store';
import type { Clock } from '../clock';
import { updateDocument, type DocumentKind } from '../coordination/document';
import { lastSeq } from './request-events';

/**
 * The transactional outbox of request events. An event is written on the request record in the
 * same save as the change it reports, so it exists exactly when the change does. Before that save,
 * the request is marked due (a `notify-due` document); the deliverer (deliver.ts) lists the marks,
 * delivers the record's undelivered events in order and removes the mark once caught up. A crash
 * between marking and saving leaves a mark with nothing new to deliver, which the deliverer
 * removes; nothing is lost and nothing is delivered twice on that account.
 */
export const DueSchema = z.object({
  /** The first event this mark is for (events before it were delivered or never had a target). */
  from: z.number().int().min(0),
  markedAt: z.string(),
  /** Set while a target is failing: when to try again. */
  retryAt: z.string().optional(),
});
export type Due = z.infer<typeof DueSchema>;
export const DUE: DocumentKind<Due> = {
  kind: 'notify-due',
  schema: DueSchema,
  empty: () => ({ from: 0, markedAt: '' }),
};

export interface OutboxDeps {
  store: RequestStore & DocumentStore;
  config: LoadedConfig;
  clock: Clock;
}

/** Whether the record's events go anywhere: a bus in the config or the request's own webhook. */
export function hasTargets(config: LoadedConfig, record: Pick<RequestRecord, 'webhook'>): boolean {
  return config.config.events.busName !== undefined || record.webhook !== undefined;
}

/** Marks a request due for delivery from event `from` on; call it before the save adding the events. */
export async function markDue(deps: OutboxDeps, requestId: string, from: number): Promise<void> {
  const now = () => deps.clock.now();
  await updateDocument(deps.store, DUE, requestId, now, (due) => {
    due.from = due.markedAt === '' ? from : Math.min(due.from, from);
    due.markedAt = now().toISOString();
    return { write: true, result: undefined };
  });
}

/**
 * Persists `record` with `write` after marking it due when it gained events since `seqBefore`
 * (the newest event's seq when it was read).
 */
export async function persistWithEvents<T>(
  deps: OutboxDeps,
  record: RequestRecord,
  seqBefore: number,
  write: () => Promise<T>,
): Promise<T> {
  if (lastSeq(record) > seqBefore && hasTargets(deps.config, record)) {
    await markDue(deps, record.id, seqBefore + 1);
  }
  return write();
}
