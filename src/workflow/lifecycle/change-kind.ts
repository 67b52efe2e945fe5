import { AvfError, StaleRecordError } from '../../domain/errors';
import { storedJobKind } from '../engine/stored-job-kind';
import { done, fail, proceed, wait, type Outcome } from '../engine/outcome';
import { appendEvent, EVENT_TYPES } from '../notify/request-events';
import { saveRequest } from '../request-writes';
import type { WorkflowDeps } from '../step';
import { CHANGE_JOB, ChangeSchema, type Change } from './account-changes';
import { applyChange, awaitAccess } from './change-apply';
import { releaseChangeLock, takeChangeLock } from './change-lock';
import { accountStateOf } from './managed-account';
import { changedFields, patchedSpec, patchProblems } from './patch-rules';

const at = (deps: WorkflowDeps) => deps.clock.now().toISOString();

/** Ends the change: the lock freed, the outcome in its history. */
async function finish(deps: WorkflowDeps, change: Change, outcome: Outcome): Promise<Outcome> {
  await releaseChangeLock(deps, change.accountId, change.id);
  change.finishedAt = at(deps);
  if (outcome.kind === 'failed') {
    change.stage = 'FAILED';
    change.events.push({ at: at(deps), type: 'FAILED', detail: outcome.reason });
  } else {
    change.stage = 'SUCCEEDED';
    change.events.push({ at: at(deps), type: 'APPLIED', detail: outcome.detail });
  }
  return outcome;
}

/** QUEUED: once the account's lock is ours, the change is planned against the record as it is now. */
async function plan(deps: WorkflowDeps, change: Change): Promise<Outcome> {
  if (!(await takeChangeLock(deps, change.accountId, change.id))) {
    return wait(`waiting for another change of account ${change.accountId} to finish`, 2_000);
  }
  const record = await deps.store.get(change.requestId);
  if (!record || record.status !== 'READY' || accountStateOf(record) !== 'ACTIVE') {
    const state = record ? `${record.status}, ${accountStateOf(record)}` : 'gone from the inventory';
    return finish(
      deps,
      change,
      fail('ACCOUNT_NOT_SETTLED', `account ${change.accountId} is ${state}; nothing was changed`),
    );
  }
  const after = patchedSpec(record.spec, change.patch);
  const problems = patchProblems(record, change.patch, after, deps.config.config);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    return finish(
      deps,
      change,
      fail(
        'VALIDATION_FAILED',
        `the change no longer holds against the account: ${list}; nothing was changed`,
      ),
    );
  }
  change.plan = { version: record.version, before: record.spec, after };
  change.from = record.spec;
  change.to = after;
  change.applied = false;
  change.stage = 'APPLY';
  if (!change.events.some((e) => e.type === 'STARTED')) change.events.push({ at: at(deps), type: 'STARTED' });
  return proceed(`applying ${changedFields(change.patch).join(', ')}`);
}

/** SAVE: the inventory, conditional on the version planned against; another writer first → plan again. */
async function save(deps: WorkflowDeps, change: Change): Promise<Outcome> {
  const record = await deps.store.get(change.requestId);
  const planned = change.plan;
  if (!planned) throw new AvfError('CHANGE_NOT_PLANNED', `change ${change.id} reached SAVE without a plan`);
  const replan = () => {
    change.stage = 'QUEUED';
    return proceed('the account record changed meanwhile; planning again against it');
  };
  if (!record || record.version !== planned.version) return replan();
  const next = structuredClone(record);
  next.spec = planned.after;
  next.handles = {
    ...next.handles,
    assignments: planned.after.access.map((a) => ({ ...a, status: 'SUCCEEDED' as const })),
  };
  next.updatedAt = at(deps);
  appendEvent(
    next,
    EVENT_TYPES.changed,
    {
      changeId: change.id,
      fields: changedFields(change.patch),
      requestedBy: change.requestedBy,
      ...(change.decision ? { approvedBy: change.decision.by } : {}),
    },
    deps.clock.now(),
  );
  try {
    await saveRequest(deps, record, next);
  } catch (e) {
    if (e instanceof StaleRecordError) return replan();
    throw e;
  }
  return finish(deps, change, done(`applied ${changedFields(change.patch).join(', ')}`));
}

/** One short step at the change's stage; nothing here sleeps. */
async function runStage(deps: WorkflowDeps, change: Change): Promise<Outcome> {
  switch (change.stage) {
    case 'PENDING_APPROVAL':
      return wait('waiting for a platform approval', 60 * 60_000);
    case 'QUEUED':
      return plan(deps, change);
    case 'APPLY':
      // rolling back: assignments the change had started finish first, then AWS is put back
      if (change.pending.length > 0) {
        change.stage = 'AWAIT_ACCESS';
        return proceed('waiting for the assignments started before the failure');
      }
      change.applied = true;
      return applyChange(deps, change);
    case 'AWAIT_ACCESS': {
      const waiting = await awaitAccess(deps, change);
      if (waiting) return waiting;
      if (!change.applied) {
        change.stage = 'APPLY';
        return proceed('putting AWS back as the inventory has it');
      }
      if (!change.failure) {
        change.stage = 'SAVE';
        return proceed('AWS changed; writing the inventory');
      }
      const { code, reason } = change.failure;
      change.events.push({ at: at(deps), type: 'ROLLED_BACK' });
      return finish(
        deps,
        change,
        fail(code, `${reason}; AWS was put back as the inventory has it, nothing was changed`),
      );
    }
    case 'SAVE':
      return save(deps, change);
    case 'SUCCEEDED':
    case 'FAILED':
    case 'REJECTED':
      return done();
  }
}

/**
 * What an error does to a change: transient ones retry (the engine's backoff); another one before
 * anything was applied ends it FAILED; one after starts the roll back (AWS brought back to the
 * plan's `before`, which is still the inventory's); one while rolling back retries, since AWS and
 * the inventory must not be left apart.
 */
function onError(deps: WorkflowDeps, change: Change, e: unknown): Promise<Outcome> | Outcome {
  if (e instanceof StaleRecordError || (e instanceof AvfError && e.retryable)) throw e;
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof AvfError ? e.code : 'INTERNAL_ERROR';
  if (change.failure) return wait(`failing while putting AWS back: ${message}; trying again`, 60_000);
  if (!change.plan || change.stage === 'QUEUED') return finish(deps, change, fail(code, message));
  change.failure = { code, reason: message };
  change.from = change.plan.after;
  change.to = change.plan.before;
  change.applied = false;
  change.stage = 'APPLY';
  return proceed(`failed (${message}); putting AWS back as the inventory has it`);
}

/**
 * Account changes (PATCH): 10 at once per worker, one per account (its lock), 5 minutes' lease.
 * Each stage looks before it acts, so one repeated after a crash is harmless.
 */
export const CHANGE_KIND = storedJobKind({
  name: CHANGE_JOB,
  schema: ChangeSchema,
  concurrency: 10,
  perGroup: 1,
  leaseMs: 5 * 60_000,
  step: async (change, { deps }) => {
    try {
      return await runStage(deps, change);
    } catch (e) {
      return onError(deps, change, e);
    }
  },
});
