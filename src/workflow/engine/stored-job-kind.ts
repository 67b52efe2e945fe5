import type { z } from 'zod';
import { keepLease, renewedLeaseUntil } from '../lease-keeper';
import { StaleRecordError } from '../../domain/errors';
import type { JobRecord } from '../../domain/ports/job-store';
import { errorDelayMs } from '../backoff';
import type { WorkflowDeps } from '../step';
import type { JobKind } from './kind';
import { fail, outcomeOfError, type Outcome } from './outcome';

/** What a stored job's step gets: the deps, the job as leased (envelope only to read), the time. */
export interface JobContext<S> {
  deps: WorkflowDeps;
  job: Readonly<JobRecord<S>>;
  now: Date;
}

/** A kind whose records are jobs in the store's JobStore: its step and its schedule. */
export interface StoredJobDefinition<S> {
  name: string;
  /** The state's shape; a stored state that does not match fails the job visibly. */
  schema: z.ZodType<S>;
  /** Jobs of this kind one worker advances at once. */
  concurrency: number | ((deps: WorkflowDeps) => number);
  /** Jobs of one group one worker advances at once. */
  perGroup?: number | ((deps: WorkflowDeps) => number);
  /** How long a claim holds a job; renewed while its step runs (lease-keeper.ts), so a slow step keeps it. */
  leaseMs: number | ((deps: WorkflowDeps) => number);
  detached?: boolean;
  /** A job that is only there while it has work (deliveries): `done` deletes it. */
  deleteWhenDone?: boolean;
  /** A job that must not give up: errors wait and retry, with the error in `detail`. */
  retryAll?: boolean;
  /** One short step on a copy of the state, which it changes in place; nothing here sleeps. */
  step(state: S, ctx: JobContext<S>): Promise<Outcome>;
  /** Delay of a `wait` without `afterMs` (default: the transient-error backoff). */
  backoffMs?(job: JobRecord<S>, deps: WorkflowDeps): number;
  ensure?(deps: WorkflowDeps): Promise<void>;
}

const value = (v: number | ((deps: WorkflowDeps) => number), deps: WorkflowDeps) =>
  typeof v === 'number' ? v : v(deps);

/**
 * After a step's save lost to another writer (e.g. a scheduler making the job due again while it
 * ran), the other writer's job stands but still carries this step's lease: release it, so the
 * job is claimable at once rather than when the lease runs out. Another lease, or another change
 * meanwhile, is left alone.
 */
async function releaseLease(deps: WorkflowDeps, leased: JobRecord): Promise<void> {
  const current = await deps.store.jobs.getJob(leased.kind, leased.id);
  if (!current || current.leaseOwner !== leased.leaseOwner || current.leaseUntil !== leased.leaseUntil)
    return;
  const released = { ...current, updatedAt: deps.clock.now().toISOString() };
  delete released.leaseOwner;
  delete released.leaseUntil;
  try {
    await deps.store.jobs.saveJob(released);
  } catch (e) {
    if (!(e instanceof StaleRecordError)) throw e;
  }
}

/** The job after an outcome: scheduled again (or not), the lease released. */
export function settle<S>(
  deps: WorkflowDeps,
  job: JobRecord<S>,
  outcome: Outcome,
  backoffMs: () => number,
): JobRecord<S> {
  const now = deps.clock.now();
  const next: JobRecord<S> = { ...job, updatedAt: now.toISOString() };
  delete next.leaseOwner;
  delete next.leaseUntil;
  switch (outcome.kind) {
    case 'continue':
      next.attempts = 0;
      next.nextCheckAt = now.toISOString();
      next.detail = outcome.detail ?? next.detail;
      break;
    case 'wait': {
      const delay = (outcome.afterMs ?? backoffMs()) * deps.config.config.worker.timeScale;
      next.attempts = job.attempts + 1;
      next.nextCheckAt = new Date(now.getTime() + Math.round(delay)).toISOString();
      next.detail = outcome.detail ?? next.detail;
      break;
    }
    case 'done':
      delete next.nextCheckAt;
      next.attempts = 0;
      next.detail = outcome.detail ?? next.detail;
      next.ended = { outcome: 'done', at: now.toISOString() };
      break;
    case 'failed':
      delete next.nextCheckAt;
      next.detail = outcome.reason;
      next.ended = { outcome: 'failed', at: now.toISOString(), code: outcome.code, reason: outcome.reason };
      break;
  }
  return next;
}

/**
 * Builds the worker's view of a stored kind: claims through the JobStore, runs `step` on a copy
 * of the state (an error becomes an outcome), and saves state and schedule in one conditional
 * write that releases the lease.
 */
export function storedJobKind<S>(def: StoredJobDefinition<S>): JobKind<JobRecord<S>> {
  return {
    name: def.name,
    concurrency: (deps) => value(def.concurrency, deps),
    ...(def.perGroup === undefined ? {} : { perGroup: (deps) => value(def.perGroup!, deps) }),
    leaseMs: (deps) => value(def.leaseMs, deps),
    ...(def.detached ? { detached: true } : {}),
    inJobStore: true,
    ...(def.ensure ? { ensure: (deps: WorkflowDeps) => def.ensure!(deps) } : {}),
    claim: (deps, c) => deps.store.jobs.claimJobs({ kind: def.name, ...c }) as Promise<Array<JobRecord<S>>>,
    groupOf: (job) => job.group,
    idOf: (job) => job.id,
    release: releaseLease,
    async advance(deps, claimed) {
      const job = structuredClone(claimed);
      // the job as last saved: the claim, then each renewal of its lease while the step runs
      let leased = claimed;
      const leaseMs = value(def.leaseMs, deps);
      const lease = keepLease(deps.clock, leased.leaseOwner === undefined ? 0 : leaseMs, async () => {
        leased = await deps.store.jobs.saveJob({
          ...leased,
          leaseUntil: renewedLeaseUntil(deps.clock.now(), leaseMs, leased.leaseUntil),
        });
      });
      const parsed = def.schema.safeParse(job.state);
      let outcome: Outcome;
      if (!parsed.success) {
        outcome = fail('JOB_STATE_INVALID', `stored state does not match: ${parsed.error.message}`);
      } else {
        job.state = parsed.data;
        try {
          outcome = await def.step(job.state, { deps, job: leased, now: deps.clock.now() });
        } catch (e) {
          if (e instanceof StaleRecordError) {
            await lease.stop();
            await releaseLease(deps, leased);
            return undefined;
          }
          outcome = outcomeOfError(e, def.retryAll);
        }
      }
      await lease.stop();
      job.version = leased.version;
      if (leased.leaseUntil !== undefined) job.leaseUntil = leased.leaseUntil;
      const backoff = () => def.backoffMs?.(job, deps) ?? errorDelayMs(job.attempts, deps.random);
      try {
        if (!def.deleteWhenDone || outcome.kind !== 'done')
          return await deps.store.jobs.saveJob(settle(deps, job, outcome, backoff));
        await deps.store.jobs.deleteJob(job.kind, job.id, leased.version);
        return job;
      } catch (e) {
        if (!(e instanceof StaleRecordError)) throw e;
        await releaseLease(deps, leased);
        return undefined;
      }
    },
  };
}
