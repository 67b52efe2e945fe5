import { z } from 'zod';
import { StaleRecordError } from '../../domain/errors';
import type { WorkflowDeps } from '../step';
import { markDue } from './outbox';

/** Before deliveries were jobs, a request due for delivery was marked with one of these documents. */
const OLD_MARK = 'notify-due';
const OldMarkSchema = z.object({ from: z.number().int().min(0), retryAt: z.string().optional() });

/**
 * Moves the marks a store kept from before deliveries were jobs: each becomes its request's
 * delivery job (due at the mark's retry time), then the mark is deleted. The delivery kind's
 * `ensure`, so each worker runs it once; on a store without marks that is one empty listing.
 */
export async function migrateOldMarks(deps: WorkflowDeps): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await deps.store.listDocuments(OLD_MARK, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const mark of page.items) {
      const parsed = OldMarkSchema.safeParse(mark.body);
      const record = await deps.store.get(mark.id);
      if (record && parsed.success) {
        const { from, retryAt } = parsed.data;
        await markDue(deps, record, from, retryAt ? { at: new Date(retryAt) } : {});
      }
      try {
        await deps.store.deleteDocument(OLD_MARK, mark.id, mark.version);
      } catch (e) {
        if (!(e instanceof StaleRecordError)) throw e;
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
}
