import { exponentialDelayMs } from '../backoff';
import { storedJobKind } from '../engine/stored-job-kind';
import { done, proceed, wait } from '../engine/outcome';
import type { WorkflowDeps } from '../step';
import { deliverRecord, EVENTS_PER_STEP, type Checkpoint } from './deliver-record';
import { DELIVERY, TARGETS, type DeliveryState } from './delivery-state';
import { migrateOldMarks } from './old-marks';
import { DELIVERY_JOB, DeliveryJobSchema, type DeliveryJob } from './outbox';
import { lastSeq } from './request-events';

/** Delivery jobs one worker runs at once (each holds one request's deliveries). */
const CONCURRENCY = 25;

/** The wait before a failing target is tried again: the one retry schedule (settle scales it). */
function retryDelayMs(deps: WorkflowDeps, state: DeliveryState): number {
  const { firstRetrySeconds, maxRetrySeconds } = deps.config.config.events.webhooks;
  const attempts = Math.max(...TARGETS.map((t) => state[t].attempts));
  return exponentialDelayMs(attempts - 1, firstRetrySeconds * 1000, maxRetrySeconds * 1000, deps.random);
}

/** How long a save announced by markDue may take to land before its job ends without it. */
const SAVE_GRACE_MS = 30_000;

/**
 * Whether the save that made the job due has not landed yet (the record is older than it said):
 * ending now would leave its events without a job. One that never lands (its writer died, or
 * lost to another writer that announces its own) is given up after SAVE_GRACE_MS.
 */
function savePending(job: DeliveryJob, newest: number, now: Date): boolean {
  if (job.upTo === undefined || newest >= job.upTo || job.markedAt === undefined) return false;
  return now.getTime() - Date.parse(job.markedAt) < SAVE_GRACE_MS;
}

/**
 * The request's delivery state, and a checkpoint that writes it conditionally on the version the
 * step last read or wrote: a writer that came between (a redelivery's rewind, a worker that took
 * over an expired lease) wins, and this step stops with StaleRecordError.
 */
async function openState(
  deps: WorkflowDeps,
  id: string,
): Promise<{ state: DeliveryState; checkpoint: Checkpoint }> {
  const doc = await deps.store.getDocument(DELIVERY.kind, id);
  const state = doc ? DELIVERY.schema.parse(doc.body) : DELIVERY.empty();
  let version = doc?.version ?? 0;
  let saving = Promise.resolve();
  const checkpoint = () =>
    (saving = saving.then(async () => {
      const body = DELIVERY.schema.parse(state);
      version = (await deps.store.putDocument(DELIVERY.kind, id, body, version, deps.clock.now())).version;
    }));
  // the state exists from the first step on, so a delivery in flight can be seen
  if (!doc) await checkpoint();
  return { state, checkpoint };
}

/**
 * Event deliveries: one job per request with targets (id = the request id, group = its team),
 * created or made due by the outbox (outbox.ts) before the save that adds events. A step delivers
 * what is new to each target and checkpoints the delivery state after every event; caught up, the
 * job is deleted; a failing target makes it wait for its retry time. Detached (the tick never
 * waits on other parties' endpoints), at most `events.webhooks.perTeam` per team per worker, and
 * leased for longer than the step's posts can take (each has a total deadline).
 */
export const DELIVERY_KIND = storedJobKind({
  name: DELIVERY_JOB,
  schema: DeliveryJobSchema,
  concurrency: CONCURRENCY,
  perGroup: (deps) => deps.config.config.events.webhooks.perTeam,
  leaseMs: (deps) => (EVENTS_PER_STEP * deps.config.config.events.webhooks.timeoutSeconds + 60) * 1000,
  detached: true,
  deleteWhenDone: true,
  retryAll: true,
  ensure: migrateOldMarks,
  async step(job, { deps, job: leased, now }) {
    const record = await deps.store.get(leased.id);
    if (!record) return done('the request is gone');
    const { state, checkpoint } = await openState(deps, record.id);
    await deliverRecord(deps, record, job.from, state, checkpoint);
    await checkpoint();
    const newest = lastSeq(record);
    if (TARGETS.every((t) => state[t].through >= newest)) {
      if (savePending(job, newest, now)) return wait('waiting for the save that brings new events', 1_000);
      return done(`delivered through event ${newest}`);
    }
    if (TARGETS.some((t) => state[t].attempts > 0)) {
      return wait('a target is failing: waiting for its retry time', retryDelayMs(deps, state));
    }
    return proceed(`delivered up to ${EVENTS_PER_STEP} events per target; more to come`);
  },
});
