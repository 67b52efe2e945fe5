import type { Handles, Phase } from '../domain/account-request';
import { ControlResultSchema, type ControlResult } from '../domain/compliance';
import { phasesAhead } from './ahead-phases';
import { accountIdOf, type StepContext } from './step';

/**
 * While the request waits in baseline, once the phases run ahead of it are done: reads, once, the
 * controls those and the phases before them settle (`Control.settledBy`), and keeps the ones that
 * passed for the verify step, which reads them no more. The StackSet operation's minutes cover
 * these reads, so when a batch's operation ends its accounts' verifications read only what the
 * baseline sets, instead of all meeting Budgets' 5 calls a second and Organizations' rate at once
 * (the last minutes of a burst). A control that did not pass now is read again by the verify step.
 */
export async function verifyAhead(ctx: StepContext): Promise<void> {
  const { record, deps } = ctx;
  if (record.phase !== 'baseline' || record.handles.verifiedAhead || record.handles.failedAhead) return;
  const succeeded = (phase: Phase) => record.steps.find((s) => s.name === phase)?.status === 'SUCCEEDED';
  if (!phasesAhead('baseline', deps.config.config).every(succeeded)) return;
  const done = new Set(record.steps.filter((s) => s.status === 'SUCCEEDED').map((s) => s.name));
  const passed = await deps.verifier.verifyAhead(
    { accountId: accountIdOf(record), spec: record.spec, vending: true },
    deps.clock.now(),
    done,
  );
  record.handles.verifiedAhead = JSON.stringify(passed);
}

/** The results `verifyAhead` kept on the request (none if it has not run). */
export function verifiedAheadResults(handles: Handles): ControlResult[] {
  return handles.verifiedAhead === undefined
    ? []
    : ControlResultSchema.array().parse(JSON.parse(handles.verifiedAhead));
}
