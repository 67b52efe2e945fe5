import { AwsError } from '../../domain/errors';
import { budgetName } from '../../domain/names';
import { currentAssignments } from './assignments';
import { MAX_CLOSURES_IN_PROGRESS, type Closure, type ClosureStage } from './closures';
import type { LifecycleDeps } from './deps';
import { updateAccountRecord } from '../request-writes';
import { done, proceed, wait, type Outcome } from '../engine/outcome';
import { releaseClosureSlot, takeClosureSlot } from './closure-slots';

/** The OU a decommissioned account is parked in until AWS has closed it. */
export const SUSPENDED_OU = 'Suspended';

/** Goes on to the next stage at once. */
function next(closure: Closure, stage: ClosureStage, detail: string): Outcome {
  closure.stage = stage;
  return proceed(detail);
}

/**
 * Deletes every Identity Center assignment on the account, over the config's permission sets:
 * starts the deletions (persisted in the entry by the caller), checks them on later ticks, and
 * lists again until none is left (one added meanwhile is caught too).
 */
async function revokeAccess(deps: LifecycleDeps, closure: Closure): Promise<Outcome> {
  const ic = deps.aws.identityCenter;
  const { instanceArn } = await deps.directory.identityCenter();
  if (closure.deletions.length > 0) {
    const pending: Closure['deletions'] = [];
    for (const d of closure.deletions) {
      const status = await ic.getAccountAssignmentDeletionStatus(instanceArn, d.requestId);
      if (status.status === 'IN_PROGRESS') pending.push(d);
    }
    closure.deletions = pending;
    if (pending.length > 0) return wait(`${pending.length} assignment deletion(s) in progress`, 2_000);
  }
  const left = await currentAssignments(deps, closure.accountId);
  if (left.length === 0) return next(closure, 'DELETE_BUDGET', 'no Identity Center assignments left');
  for (const a of left) {
    const { requestId } = await ic.startAccountAssignmentDeletion({
      instanceArn,
      accountId: closure.accountId,
      ...a,
    });
    closure.deletions.push({ ...a, requestId });
  }
  return wait(`deleting ${left.length} assignment(s)`, 1_000);
}

async function deleteBudget(deps: LifecycleDeps, closure: Closure): Promise<Outcome> {
  const name = budgetName(closure.accountId);
  await deps.aws.budgets.deleteBudget(await deps.directory.payerAccountId(), name);
  return next(closure, 'MOVE_TO_SUSPENDED', `budget ${name} deleted`);
}

async function moveToSuspended(deps: LifecycleDeps, closure: Closure): Promise<Outcome> {
  const orgs = deps.aws.organizations;
  const target = await deps.directory.ouId(SUSPENDED_OU);
  const parent = await orgs.getParentId(closure.accountId);
  if (parent !== target) await orgs.moveAccount(closure.accountId, parent, target);
  await updateAccountRecord(deps, closure.requestId, (record) => {
    record.updatedAt = deps.clock.now().toISOString();
    record.spec.organizationalUnit = SUSPENDED_OU;
    record.lifecycle = { ...record.lifecycle, state: 'SUSPENDED' };
  });
  return next(closure, 'CLOSE', `moved to ${SUSPENDED_OU}; waiting for a closure slot`);
}

/** AWS refuses closures beyond its limits with these reasons: wait, they clear with time. */
const CLOSE_LIMITS = ['CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED', 'CLOSE_ACCOUNT_QUOTA_EXCEEDED'];

async function close(deps: LifecycleDeps, closure: Closure): Promise<Outcome> {
  if (!(await takeClosureSlot(deps, closure.accountId))) {
    return wait(`waiting for one of the organisation's ${MAX_CLOSURES_IN_PROGRESS} closure slots`, 30_000);
  }
  try {
    await deps.aws.organizations.closeAccount(closure.accountId);
  } catch (e) {
    if (e instanceof AwsError && CLOSE_LIMITS.some((reason) => e.message.includes(reason))) {
      return wait(`AWS refused the closure for now: ${e.message}`, 5 * 60_000);
    }
    throw e;
  }
  return next(closure, 'AWAIT_CLOSURE', 'CloseAccount sent');
}

const CLOSED_STATES = ['SUSPENDED', 'CLOSED'];

async function awaitClosure(deps: LifecycleDeps, closure: Closure): Promise<Outcome> {
  const account = await deps.aws.organizations.describeAccount(closure.accountId);
  if (!CLOSED_STATES.includes(account.status)) return wait(`AWS reports ${account.status}`, 30_000);
  await updateAccountRecord(deps, closure.requestId, (record) => {
    record.updatedAt = deps.clock.now().toISOString();
    record.lifecycle = { ...record.lifecycle, state: 'CLOSED', closedAt: deps.clock.now().toISOString() };
  });
  await releaseClosureSlot(deps, closure.accountId);
  return done(`closed (AWS: ${account.status})`);
}

/** One short step of a closure at its current stage; nothing here sleeps. */
export function runStage(deps: LifecycleDeps, closure: Closure): Promise<Outcome> {
  switch (closure.stage) {
    case 'SCHEDULED':
      return Promise.resolve(next(closure, 'REVOKE_ACCESS', 'grace period over; decommissioning'));
    case 'REVOKE_ACCESS':
      return revokeAccess(deps, closure);
    case 'DELETE_BUDGET':
      return deleteBudget(deps, closure);
    case 'MOVE_TO_SUSPENDED':
      return moveToSuspended(deps, closure);
    case 'CLOSE':
      return close(deps, closure);
    case 'AWAIT_CLOSURE':
      return awaitClosure(deps, closure);
  }
}
