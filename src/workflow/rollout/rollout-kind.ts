import { z } from 'zod';
import { durationShare, pollDelayMs } from '../backoff';
import { readDocument, updateDocument } from '../coordination/document';
import { ensureJob } from '../engine/jobs';
import { done, fail, proceed, wait, type Outcome } from '../engine/outcome';
import { storedJobKind, type JobContext } from '../engine/stored-job-kind';
import { addToOutbox, flushOutbox, OUTBOX_RETRY_MS, type FactoryEvent } from '../events';
import type { WorkflowDeps } from '../step';
import { stepRollout } from './advance-rollout';
import { ROLLOUT_JOB, ROLLOUT_KIND, type Rollout } from './rollout-document';
import { storedRollouts } from './rollouts';

/** The document is the rollout's state: the job holds nothing of its own. */
const RolloutJobSchema = z.object({});
type RolloutJob = z.infer<typeof RolloutJobSchema>;

/** A job whose rollout document never appeared (its start died between the two writes). */
const ORPHAN_AFTER_MS = 5 * 60_000;

/**
 * Writes the step's copy back and its events into the outbox in the same write. A halt by the API
 * during the step wins over the step's RUNNING. Undefined when the document is gone.
 */
function saveStep(deps: WorkflowDeps, stepped: Rollout, events: FactoryEvent[]) {
  return updateDocument(
    deps.store,
    ROLLOUT_KIND,
    stepped.id,
    () => deps.clock.now(),
    (body) => {
      if (!body) return { write: false, result: undefined };
      const haltedMeanwhile = body.status === 'HALTED' && stepped.status === 'RUNNING';
      const pending = body.outbox;
      Object.assign(body, stepped, haltedMeanwhile ? { status: 'HALTED', haltReason: body.haltReason } : {});
      body.outbox = pending;
      if (!pending) delete body.outbox;
      addToOutbox(deps, body, events);
      return { write: true, result: structuredClone(body) };
    },
  );
}

const operationRunning = (r: Rollout): boolean =>
  [...(r.stackSetUpdates ?? []), ...r.waves.flatMap((w) => w.operations)].some(
    (op) => op.status === 'RUNNING',
  );

function progressOf(r: Rollout): string {
  const wave = r.waves.find((w) => w.status === 'PENDING' || w.status === 'RUNNING');
  if (!r.stackSetUpdates || !wave) return `rollout ${r.id}: updating StackSets`;
  const judged = Object.keys(wave.results).length;
  return `rollout ${r.id}: wave ${wave.index} (${wave.label}), ${judged} of ${wave.accounts.length} account(s) judged`;
}

/** No document: wait a little for it, then end the job with the reason. */
function orphaned(ctx: JobContext<RolloutJob>): Outcome {
  if (ctx.now.getTime() - Date.parse(ctx.job.createdAt) < ORPHAN_AFTER_MS)
    return wait(`waiting for rollout ${ctx.job.id} to be stored`, 5_000);
  return fail('ROLLOUT_NOT_FOUND', `rollout ${ctx.job.id} has no document: its start never completed`);
}

/**
 * One step of a rollout's job: flush the events a failed publish left behind, step the rollout on
 * a copy (the document is written back even when the step threw: operations it started are on
 * it), save it with its events, and publish them. Done once the rollout is SUCCEEDED or HALTED
 * and its events are out; waits on the vend's StackSet poll cadence while an operation runs.
 */
async function step(_state: RolloutJob, ctx: JobContext<RolloutJob>): Promise<Outcome> {
  const { deps, job } = ctx;
  const { body: stored } = await readDocument(deps.store, ROLLOUT_KIND, job.id);
  if (!stored) return orphaned(ctx);
  await flushOutbox(deps, ROLLOUT_KIND, job.id, stored.outbox);
  let rollout: Rollout | undefined = stored;
  if (stored.status === 'RUNNING') {
    const stepped = structuredClone(stored);
    delete stepped.outbox;
    let events: FactoryEvent[] = [];
    try {
      events = await stepRollout(deps, stepped);
    } finally {
      rollout = await saveStep(deps, stepped, events);
    }
  }
  if (!rollout) return done(`rollout ${job.id} is gone`);
  const published = await flushOutbox(deps, ROLLOUT_KIND, job.id, rollout.outbox);
  if (rollout.status !== 'RUNNING') {
    return published
      ? done(`rollout ${rollout.status}`)
      : wait(`rollout ${rollout.status}; its events are not published yet`, OUTBOX_RETRY_MS);
  }
  if (operationRunning(rollout))
    return wait(
      `${progressOf(rollout)}; StackSet operation running`,
      pollDelayMs('baseline', job.attempts, deps.random, durationShare(deps.config.config.worker)),
    );
  return proceed(progressOf(rollout));
}

/** Running rollouts stored before rollouts were jobs (or whose job ended early) get their job. */
async function ensureRolloutJobs(deps: WorkflowDeps): Promise<void> {
  for await (const rollout of storedRollouts(deps.store)) {
    if (rollout.status === 'RUNNING') await ensureJob(deps, ROLLOUT_JOB, rollout.id, {});
  }
}

/**
 * Rollouts as jobs: one per rollout (created with it, rollouts.ts), one step at a time under the
 * engine's lease, so two workers never drive one rollout at once; a crashed worker's step is
 * repeated once its lease runs out. Errors never end the job (the rollout must end or be halted):
 * they wait and retry, with the error in the job's `detail`.
 */
export const ROLLOUT_JOB_KIND = storedJobKind({
  name: ROLLOUT_JOB,
  schema: RolloutJobSchema,
  concurrency: 1,
  leaseMs: 60_000,
  retryAll: true,
  ensure: ensureRolloutJobs,
  step,
});
