import { z } from 'zod';
import type { LoadedConfig } from '../../config/load';
import type { RequestRecord } from '../../domain/account-request';
import { AvfError } from '../../domain/errors';
import type { HasJobs } from '../../domain/ports/job-store';
import type { RequestStore } from '../../domain/ports/request-store';
import type { Clock } from '../clock';
import { scheduleJob, updateJob } from '../engine/jobs';
import { lastSeq } from './request-events';

/**
 * The transactional outbox of request events. An event is written on the request record in the
 * same save as the change it reports, so it exists exactly when the change does. Before that save,
 * the request's delivery job is made due (delivery-kind.ts); its step delivers the record's
 * undelivered events in order, and the job is deleted once caught up. A crash between making it
 * due and saving leaves a due job with nothing new to deliver, which the step ends once that save
 * is overdue (a step that comes before the save lands waits for it rather than ending); nothing is
 * lost and nothing is delivered twice on that account.
 */
export const DELIVERY_JOB = 'delivery';

export const DeliveryJobSchema = z.object({
  /** The first event the job is for (events before it were delivered or never had a target). */
  from: z.number().int().min(0),
  /**
   * The newest event a save in flight brings, and when it was announced: a step that finds the
   * record older leaves the job open for a while rather than ending before the save lands.
   */
  upTo: z.number().int().min(0).optional(),
  markedAt: z.string().optional(),
});
export type DeliveryJob = z.infer<typeof DeliveryJobSchema>;

export interface OutboxDeps {
  store: RequestStore & HasJobs;
  config: LoadedConfig;
  clock: Clock;
}

/** Whether the record's events go anywhere: a bus in the config or the request's own webhook. */
export function hasTargets(config: LoadedConfig, record: Pick<RequestRecord, 'webhook'>): boolean {
  return config.config.events.busName !== undefined || record.webhook !== undefined;
}

/** Tries of make-due against steps and schedulers that delete or create the job meanwhile. */
const TRIES = 10;

/**
 * Makes the request's delivery job due for its events from `from` on; call it before the save
 * adding the events. A job waiting on a failing target's retry time keeps it; a job in a step
 * has its save lost, so the step runs again at once and sees the new events. `upTo` is the newest
 * event of the save that follows; `at` is when a new job is first due (default now).
 */
export async function markDue(
  deps: OutboxDeps,
  record: Pick<RequestRecord, 'id' | 'team'>,
  from: number,
  options: { at?: Date; upTo?: number } = {},
): Promise<void> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const now = deps.clock.now();
    const saving = options.upTo === undefined ? {} : { upTo: options.upTo, markedAt: now.toISOString() };
    const updated = await updateJob<DeliveryJob>(deps, DELIVERY_JOB, record.id, (job) => {
      const waiting = job.nextCheckAt !== undefined && Date.parse(job.nextCheckAt) > now.getTime();
      const upTo = Math.max(job.state.upTo ?? 0, options.upTo ?? 0);
      job.state = {
        ...job.state,
        ...saving,
        ...(upTo > 0 ? { upTo } : {}),
        from: job.ended ? from : Math.min(job.state.from, from),
      };
      if (!waiting || job.ended) job.nextCheckAt = now.toISOString();
      delete job.ended;
      return true;
    });
    if (updated) return;
    try {
      await scheduleJob<DeliveryJob>(
        deps,
        DELIVERY_JOB,
        record.id,
        { from, ...saving },
        { group: record.team, ...(options.at ? { at: options.at } : {}) },
      );
      return;
    } catch (e) {
      // created (or deleted) by another writer meanwhile: make that job due instead
      if (!(e instanceof AvfError) || (e.code !== 'JOB_EXISTS' && e.code !== 'JOB_RUNNING')) throw e;
    }
  }
  throw new AvfError('STORE_BUSY', `delivery job ${record.id}: other writers kept winning`, {
    retryable: true,
  });
}

/**
 * Persists `record` with `write` after making its delivery job due when it gained events since
 * `seqBefore` (the newest event's seq when it was read).
 */
export async function persistWithEvents<T>(
  deps: OutboxDeps,
  record: RequestRecord,
  seqBefore: number,
  write: () => Promise<T>,
): Promise<T> {
  if (lastSeq(record) > seqBefore && hasTargets(deps.config, record)) {
    await markDue(deps, record, seqBefore + 1, { upTo: lastSeq(record) });
  }
  return write();
}
