import { StaleRecordError } from '../domain/errors';
import { durationShare, pollDelayMs } from './backoff';
import type { StepContext } from './step';
import { STEPS } from './steps';
import { phasesAhead } from './ahead-phases';

/**
 * While the request waits in its phase, does the phases that may run ahead of it and have not
 * run yet. A phase done ahead is recorded as it happened (its step SUCCEEDED, with its own start
 * — its first look ahead — and end) and skipped in its turn. One that does not finish now stays
 * PENDING for its turn (with the start of what it began), where
 * its outcome is judged as always; what it started is in the record's handles (an assignment
 * request id), so its turn or the next look ahead carries on from there. An error is left to its
 * turn too. One that AWS failed (an assignment FAILED) is not tried again: it fails with that
 * reason in its turn, after the phases before it, so the request reports it as it would have.
 *
 * Returns how soon a phase waiting ahead asked to be looked at again (ms, on AWS's clock), so the
 * request comes back for it (an assignment is done in seconds; the StackSets take minutes).
 */
export async function runAhead(ctx: StepContext): Promise<number | undefined> {
  let soonest: number | undefined;
  for (const phase of phasesAhead(ctx.record.phase, ctx.deps.config.config)) {
    const step = ctx.record.steps.find((s) => s.name === phase);
    if (step?.status !== 'PENDING' || ctx.record.handles.failedAhead?.phase === phase) continue;
    const startedAt = ctx.deps.clock.now();
    try {
      const outcome = await STEPS[phase]({ ...ctx, now: startedAt });
      if (outcome.kind === 'failed') {
        // AWS's answer stands: the phase fails with it in its turn (the request still waits here)
        ctx.record.handles.failedAhead = { phase, code: outcome.code, reason: outcome.reason };
        step.detail = `failed while waiting in ${ctx.record.phase}: ${outcome.reason}`;
        continue;
      }
      if (outcome.kind === 'wait' && outcome.transient) continue;
      // when it first ran ahead: what it started then may take several looks
      step.startedAt ??= startedAt.toISOString();
      if (outcome.kind === 'wait') {
        step.detail = `started while waiting in ${ctx.record.phase}: ${outcome.detail ?? 'in progress'}`;
        const worker = ctx.deps.config.config.worker;
        const afterMs =
          outcome.afterMs ?? pollDelayMs(phase, 0, ctx.deps.random ?? Math.random, durationShare(worker));
        soonest = Math.min(soonest ?? Infinity, afterMs);
      }
      if (outcome.kind !== 'done') continue;
      step.status = 'SUCCEEDED';
      step.finishedAt = ctx.deps.clock.now().toISOString();
      step.detail = `done while waiting in ${ctx.record.phase}: ${outcome.detail ?? 'done'}`;
    } catch (e) {
      if (e instanceof StaleRecordError) throw e;
    }
  }
  return soonest;
}
