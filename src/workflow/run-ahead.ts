import type { Phase } from '../domain/account-request';
import { StaleRecordError } from '../domain/errors';
import type { StepContext } from './step';
import { STEPS } from './steps';

/**
 * Phases that need nothing of the phase named before them, done while a request waits in it: the
 * budget needs only the account, so it is created while the StackSets deploy instead of after the
 * access is granted (where many accounts of one batch would meet Budgets' 5 calls a second at once).
 */
const AHEAD: Partial<Record<Phase, readonly Phase[]>> = {
  baseline: ['budget'],
};

/**
 * While the request waits in its phase, does the phases that may run ahead of it and have not
 * run yet. A phase done ahead is recorded as it happened (its step SUCCEEDED, with its own start
 * and end) and skipped in its turn; one that does not finish now (an error, a wait) is left
 * PENDING, untouched, for its turn, where its outcome is judged as always.
 */
export async function runAhead(ctx: StepContext): Promise<void> {
  for (const phase of AHEAD[ctx.record.phase] ?? []) {
    const step = ctx.record.steps.find((s) => s.name === phase);
    if (step?.status !== 'PENDING') continue;
    const startedAt = ctx.deps.clock.now();
    try {
      const outcome = await STEPS[phase]({ ...ctx, now: startedAt });
      if (outcome.kind !== 'done') continue;
      step.status = 'SUCCEEDED';
      step.startedAt = startedAt.toISOString();
      step.finishedAt = ctx.deps.clock.now().toISOString();
      step.detail = `done while waiting in ${ctx.record.phase}: ${outcome.detail ?? 'done'}`;
    } catch (e) {
      if (e instanceof StaleRecordError) throw e;
    }
  }
}
