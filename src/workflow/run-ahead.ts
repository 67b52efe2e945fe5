import type { Phase } from '../domain/account-request';
import { StaleRecordError } from '../domain/errors';
import { durationShare, pollDelayMs } from './backoff';
import type { StepContext } from './step';
import { STEPS } from './steps';
import { phasesAhead, phasesAlongside } from './ahead-phases';
import { verifyAhead } from './verify-ahead';

/** What one phase run out of its turn came to: finished, or how soon it asked for another look. */
interface AheadResult {
  done: boolean;
  afterMs?: number;
}

/**
 * Runs `phase`'s step out of its turn, `how` the request's own phase ("while waiting in baseline").
 * A phase done so is recorded as it happened (its step SUCCEEDED, with its own start — its first
 * run out of turn — and end) and skipped in its turn. One that does not finish now stays PENDING
 * for its turn (with the start of what it began), where its outcome is judged as always; what it
 * started is in the record's handles (an assignment request id), so its turn or the next look
 * carries on from there. An error is left to its turn too. One that AWS failed (an assignment
 * FAILED) is not tried again: it fails with that reason in its turn, after the phases before it,
 * so the request reports it as it would have.
 */
async function runOutOfTurn(ctx: StepContext, phase: Phase, how: string): Promise<AheadResult> {
  const step = ctx.record.steps.find((s) => s.name === phase);
  if (step?.status === 'SUCCEEDED') return { done: true };
  if (step?.status !== 'PENDING' || ctx.record.handles.failedAhead?.phase === phase) return { done: false };
  const startedAt = ctx.deps.clock.now();
  try {
    const outcome = await STEPS[phase]({ ...ctx, now: startedAt });
    if (outcome.kind === 'failed') {
      // AWS's answer stands: the phase fails with it in its turn (the request still waits here)
      ctx.record.handles.failedAhead = { phase, code: outcome.code, reason: outcome.reason };
      step.detail = `failed ${how}: ${outcome.reason}`;
      return { done: false };
    }
    if (outcome.kind === 'wait' && outcome.transient) return { done: false };
    // when it first ran: what it started then may take several looks
    step.startedAt ??= startedAt.toISOString();
    if (outcome.kind === 'wait') {
      step.detail = `started ${how}: ${outcome.detail ?? 'in progress'}`;
      const worker = ctx.deps.config.config.worker;
      const afterMs =
        outcome.afterMs ?? pollDelayMs(phase, 0, ctx.deps.random ?? Math.random, durationShare(worker));
      return { done: false, afterMs };
    }
    if (outcome.kind !== 'done') return { done: false };
    step.status = 'SUCCEEDED';
    step.finishedAt = ctx.deps.clock.now().toISOString();
    step.detail = `done ${how}: ${outcome.detail ?? 'done'}`;
    return { done: true };
  } catch (e) {
    if (e instanceof StaleRecordError) throw e;
    return { done: false };
  }
}

/**
 * While the request waits in its phase, does the phases that may run ahead of it and have not
 * run yet (ahead-phases.ts), then checks the controls they settle (verify-ahead.ts). Returns how soon a phase waiting ahead asked to be looked at again
 * (ms, on AWS's clock), so the request comes back for it (an assignment is done in seconds; the
 * StackSets take minutes).
 */
export async function runAhead(ctx: StepContext): Promise<number | undefined> {
  let soonest: number | undefined;
  for (const phase of phasesAhead(ctx.record.phase, ctx.deps.config.config)) {
    const { afterMs } = await runOutOfTurn(ctx, phase, `while waiting in ${ctx.record.phase}`);
    if (afterMs !== undefined) soonest = Math.min(soonest ?? Infinity, afterMs);
  }
  await verifyAhead(ctx);
  return soonest;
}

/**
 * Beside the phase's own step, does the phases that may run alongside it, in order, as far as
 * they get now: each needs the one before it, so the first that does not finish ends the run and
 * it and those after it go in their turn.
 */
export async function runAlongside(ctx: StepContext): Promise<void> {
  const phase = ctx.record.phase;
  for (const next of phasesAlongside(phase)) {
    if (!(await runOutOfTurn(ctx, next, `alongside ${phase}`)).done) return;
    // kept, and the lease renewed, before the next one's calls
    await ctx.checkpoint();
  }
}
