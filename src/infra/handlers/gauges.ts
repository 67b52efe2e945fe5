import type { RequestStatus } from '../../domain/account-request';
import type { HasJobs } from '../../domain/ports/job-store';
import type { RequestStore } from '../../domain/ports/request-store';
import { DELIVERY_JOB } from '../../workflow/notify/outbox';
import { emitMetric, METRICS } from './metrics';

/** Statuses a request waits in; READY and FAILED are counted as they happen (RequestsSettled). */
export const OPEN_STATUSES: readonly RequestStatus[] = ['PENDING_APPROVAL', 'QUEUED', 'IN_PROGRESS'];
/** A gauge counts at most this many (pages of 100): enough to see a backlog, cheap to read. */
export const GAUGE_CAP = 1_000;
const PAGE = 100;

/** Counts a paginated listing up to GAUGE_CAP. */
async function countUpTo(page: (cursor?: string) => Promise<{ items: unknown[]; nextCursor?: string }>) {
  let count = 0;
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    count += next.items.length;
    cursor = next.nextCursor;
  } while (cursor && count < GAUGE_CAP);
  return Math.min(count, GAUGE_CAP);
}

/**
 * Samples the gauges once per worker invocation: requests open in each status and requests whose
 * events wait for delivery (their delivery jobs, which exist only while events wait). Each is a
 * Query on one partition (the store lists nothing whole).
 */
export async function sampleGauges(store: RequestStore & HasJobs): Promise<void> {
  for (const status of OPEN_STATUSES) {
    const open = await countUpTo((cursor) =>
      store.list({ status, limit: PAGE, ...(cursor ? { cursor } : {}) }),
    );
    emitMetric(METRICS.openRequests, open, {}, { dimensions: { Status: status } });
  }
  const due = await countUpTo((cursor) =>
    store.jobs.listJobs(DELIVERY_JOB, { limit: PAGE, ...(cursor ? { cursor } : {}) }),
  );
  emitMetric(METRICS.deliveryBacklog, due);
}
