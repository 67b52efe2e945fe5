import { PHASES, type RequestRecord, type Step as StepRecord } from '../domain/account-request';
import { StaleRecordError } from '../domain/errors';
import { PHASE_DEADLINE_MS, durationShare, errorDelayMs, pollDelayMs } from './backoff';
import type { StepContext, WorkflowDeps } from './step';
import { fail, outcomeOfError, type Outcome } from './engine/outcome';
import { STEPS } from './steps';
import { countAwsCalls, recordReady } from '../metrics/registry';
import { releaseCreateAccountSlot } from './coordination/create-account-slots';
import { releaseAssignmentSlots } from './coordination/identity-center-quota';
import { announceToBatches } from './coordination/baseline-batches';
import { saveRequest } from './request-writes';
import { runAhead, runAlongside } from './run-ahead';
import { sideBySide } from './side-by-side';
import { phasesRunning } from './ahead-phases';
import { keepLease, renewedLeaseUntil } from './lease-keeper';
import { forgetVerifiedAhead } from './verify-ahead';

const iso = (d: Date) => d.toISOString();

function stepOf(record: RequestRecord): StepRecord {
  const step = record.steps.find((s) => s.name === record.phase);
  if (!step) throw new Error(`request ${record.id} has no step for phase ${record.phase}`);
  return step;
}

/**
 * Advances a leased record by one short step and persists the result, releasing the lease.
 * Never sleeps: a step that must wait sets `nextCheckAt` and returns. Returns the saved record,
 * or undefined when another writer changed it first (the other writer's state wins).
 */
export async function advance(deps: WorkflowDeps, leased: RequestRecord): Promise<RequestRecord | undefined> {
  const now = deps.clock.now();
  const record = structuredClone(leased);
  const step = stepOf(record);
  if (step.status !== 'RUNNING') {
    step.status = 'RUNNING';
    step.startedAt = iso(now);
    delete step.finishedAt;
  }
  record.status = 'IN_PROGRESS';
  record.updatedAt = iso(now);

  const leaseMs = deps.config.config.worker.leaseSeconds * 1000;
  // What the next save's events are judged against: the record as leased, then as last checkpointed.
  let before: RequestRecord = leased;
  // Parts of a step that run side by side checkpoint one after the other (each saves on the last's version).
  let saving: Promise<void> = Promise.resolve();
  const save = async () => {
    // a checkpoint renews the lease: work that takes several calls (a step and those beside it)
    // stays this worker's while it makes progress; a lease another worker took since fails the save
    // (never shortened: a worker may have claimed it for longer than `worker.leaseSeconds`)
    if (record.leaseOwner !== undefined)
      record.leaseUntil = renewedLeaseUntil(deps.clock.now(), leaseMs, record.leaseUntil);
    const saved = await saveRequest(deps, before, record);
    record.version = saved.version;
    before = structuredClone(record);
  };
  /** Runs a write after the ones before it (checkpoints and renewals save on each other's versions). */
  const inTurn = (write: () => Promise<void>) => {
    const next = saving.then(write);
    saving = next.catch(() => undefined);
    return next;
  };
  // the lease renewed while the step runs: the record as last saved, with only its lease moved on
  const lease = keepLease(deps.clock, record.leaseOwner === undefined ? 0 : leaseMs, () =>
    inTurn(async () => {
      const renewed = renewedLeaseUntil(deps.clock.now(), leaseMs, before.leaseUntil);
      const saved = await saveRequest(deps, before, { ...structuredClone(before), leaseUntil: renewed });
      record.version = saved.version;
      record.leaseUntil = renewed;
      before = structuredClone(saved);
    }),
  );
  const ctx: StepContext = { deps, record, now, checkpoint: () => inTurn(save) };

  /** When the phase's own step answered: its wait counts from then, not from the end of work done ahead. */
  let answeredAt: Date | undefined;
  /** How soon a phase run ahead wants another look (AWS's clock), if sooner than the phase's own. */
  let aheadAfterMs: number | undefined;
  const counted = await countAwsCalls(async (): Promise<Outcome | undefined> => {
    try {
      const [outcome] = await sideBySide([
        runStep(ctx, step, now).finally(() => (answeredAt = deps.clock.now())),
        runAlongside(ctx),
      ]);
      if (outcome.kind === 'wait' && !outcome.transient) aheadAfterMs = await runAhead(ctx);
      return outcome;
    } catch (e) {
      if (e instanceof StaleRecordError) return undefined;
      return outcomeOfError(e);
    }
  });
  await lease.stop();
  const outcome = counted.result;
  if (!outcome) return undefined;
  record.awsCalls = (record.awsCalls ?? 0) + counted.calls;
  apply(deps, record, outcome, answeredAt ?? deps.clock.now());
  if (aheadAfterMs !== undefined && record.status === 'IN_PROGRESS') {
    const ahead = deps.clock.now().getTime() + aheadAfterMs * deps.config.config.worker.timeScale;
    if (ahead < Date.parse(record.nextCheckAt)) record.nextCheckAt = iso(new Date(Math.round(ahead)));
  }
  // Until its CreateAccount is under way (e.g. waiting for one of the organisation's slots) a request is still queued.
  if (
    record.status === 'IN_PROGRESS' &&
    record.phase === 'create-account' &&
    !record.handles.createAccountIntentAt
  ) {
    record.status = 'QUEUED';
  }
  if (record.status !== 'QUEUED') delete record.queue;
  delete record.leaseOwner;
  delete record.leaseUntil;
  let saved: RequestRecord;
  try {
    saved = await saveRequest(deps, before, record);
  } catch (e) {
    if (e instanceof StaleRecordError) return undefined;
    throw e;
  }
  await leftPhase(deps, leased, saved);
  if (saved.status === 'READY') recordReady(saved.awsCalls ?? 0);
  return saved;
}

/**
 * Gives back what a request held in its phase once it has left it (done or failed). Best effort:
 * a crash before this runs is mended by the coordinators, which drop entries of requests that
 * are no longer in the phase.
 */
async function leftPhase(deps: WorkflowDeps, before: RequestRecord, after: RequestRecord): Promise<void> {
  const left = after.phase !== before.phase || after.status === 'FAILED';
  // Announced to the batches before its CreateAccount slot goes: a batch cut in between would
  // see the account neither being created nor on its way.
  if (left) await announceToBatches(deps, before, after);
  if (left && before.phase === 'create-account')
    await releaseCreateAccountSlot(deps, before.id, [
      before.handles.createAccountTicket,
      after.handles.createAccountTicket,
    ]);
  // the assignments' slots go with the identity-center phase, or with a failure where it runs ahead
  const assigning = phasesRunning('identity-center', deps.config.config).includes(before.phase);
  if (assigning && (before.phase === 'identity-center' ? left : after.status === 'FAILED'))
    await releaseAssignmentSlots(deps, before.id);
  // the controls checked ahead are the verification's: once it is done, or the request failed
  // (perhaps in the very step that checked them), they go
  const checkedAhead = before.handles.verifiedAheadAt ?? after.handles.verifiedAheadAt;
  if (left && checkedAhead !== undefined && (before.phase === 'verify' || after.status === 'FAILED'))
    await forgetVerifiedAhead(deps, before.id);
}

/**
 * When the phase's deadline started counting: when its step began, except that a request queued
 * for one of the organisation's CreateAccount slots is not late while it waits its turn (in a
 * burst of thousands that takes hours) — its clock starts when it gets the slot.
 */
function phaseClockStart(record: RequestRecord, step: StepRecord, now: Date): number | undefined {
  const started = step.startedAt ? Date.parse(step.startedAt) : now.getTime();
  if (record.phase !== 'create-account') return started;
  const intent = record.handles.createAccountIntentAt;
  return intent === undefined ? undefined : Math.max(started, Date.parse(intent));
}

async function runStep(ctx: StepContext, step: StepRecord, now: Date): Promise<Outcome> {
  const started = phaseClockStart(ctx.record, step, now);
  const configured = ctx.deps.config.config.worker.phaseDeadlineMinutes[ctx.record.phase];
  const deadline = configured === undefined ? PHASE_DEADLINE_MS[ctx.record.phase] : configured * 60_000;
  if (started !== undefined && now.getTime() - started > deadline) {
    return fail(
      'PHASE_TIMEOUT',
      `${ctx.record.phase} did not finish within ${Math.round(deadline / 60_000)} minutes (last: ${step.detail ?? 'no progress reported'}); POST …/retry to resume it`,
    );
  }
  const failedAhead = ctx.record.handles.failedAhead;
  if (failedAhead?.phase === ctx.record.phase) {
    // run ahead and failed then (run-ahead.ts): fails now, in its turn; a retry runs it afresh
    delete ctx.record.handles.failedAhead;
    return fail(failedAhead.code, failedAhead.reason);
  }
  return STEPS[ctx.record.phase](ctx);
}

function apply(deps: WorkflowDeps, record: RequestRecord, outcome: Outcome, now: Date): void {
  const step = stepOf(record);
  const random = deps.random ?? Math.random;
  switch (outcome.kind) {
    case 'done': {
      step.status = 'SUCCEEDED';
      step.finishedAt = iso(now);
      step.detail = outcome.detail;
      // the next phase not yet done (one may have been done ahead, run-ahead.ts)
      const next = PHASES.slice(PHASES.indexOf(record.phase) + 1).find(
        (p) => record.steps.find((s) => s.name === p)?.status !== 'SUCCEEDED',
      );
      record.attempts = 0;
      record.nextCheckAt = iso(now);
      if (next) record.phase = next;
      else record.status = 'READY';
      delete record.error;
      return;
    }
    case 'wait': {
      const delay =
        deps.config.config.worker.timeScale *
        (outcome.afterMs ??
          (outcome.transient
            ? errorDelayMs(record.attempts, random)
            : pollDelayMs(record.phase, record.attempts, random, durationShare(deps.config.config.worker))));
      record.attempts += 1;
      record.nextCheckAt = iso(new Date(now.getTime() + Math.round(delay)));
      step.detail = outcome.detail;
      return;
    }
    case 'continue':
      record.attempts = 0;
      record.nextCheckAt = iso(now);
      step.detail = outcome.detail;
      return;
    case 'failed':
      step.status = 'FAILED';
      step.finishedAt = iso(now);
      step.detail = outcome.reason;
      record.status = 'FAILED';
      record.error = { code: outcome.code, message: outcome.reason, phase: record.phase };
      return;
  }
}
