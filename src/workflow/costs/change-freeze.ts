import { monthOf } from '../../domain/costs';
import { ConflictError } from '../../domain/errors';
import { loadVisibleAccount } from '../inventory/read-accounts';
import { requireRole, type Principal } from '../../domain/principal';
import { budgetName } from '../../domain/names';
import type { WorkflowDeps } from '../step';
import { readAccountCosts, updateAccountCosts } from './account-costs';
import { recordCostEvent } from './cost-events';
import { freezeEventType, isFrozen, observeFreeze } from './freeze';
import { toCostView, type AccountCostView } from './read-costs';

export type FreezeChange = 'approve' | 'release';

/**
 * Platform approves a freeze waiting for approval (AWS applies the SCP) or releases one (AWS
 * reverses the action: the SCP is detached and the action stays reversed for the month). The new
 * status is read back from AWS, recorded with who asked, and reported as an event.
 */
export async function changeFreeze(
  deps: WorkflowDeps,
  principal: Principal,
  accountId: string,
  change: FreezeChange,
): Promise<AccountCostView> {
  requireRole(principal, ['platform'], `${change} spending freezes`);
  const account = await loadVisibleAccount(deps.store, principal, accountId);
  const payer = await deps.directory.payerAccountId();
  const month = monthOf(deps.clock.now());
  const name = budgetName(accountId);
  const stored = (await readAccountCosts(deps.store, month, accountId))?.freeze;
  const actionId =
    stored?.actionId ??
    (await deps.aws.budgets.listBudgetActions(payer)).find((a) => a.budgetName === name)?.actionId;
  if (!actionId)
    throw new ConflictError('NO_FREEZE_ACTION', `account ${accountId} has no spending-freeze action`);
  const before = await deps.aws.budgets.describeBudgetAction(payer, name, actionId);
  if (!before)
    throw new ConflictError('NO_FREEZE_ACTION', `the spending-freeze action of account ${accountId} is gone`);
  if (change === 'approve' && before.status !== 'PENDING')
    throw new ConflictError(
      'FREEZE_NOT_PENDING',
      `the freeze of account ${accountId} is ${before.status}, not waiting for approval`,
    );
  if (change === 'release' && !isFrozen(before.status) && before.status !== 'PENDING')
    throw new ConflictError(
      'NOT_FROZEN',
      `account ${accountId} is not frozen (its freeze action is ${before.status})`,
    );
  await deps.aws.budgets.executeBudgetAction(
    payer,
    name,
    actionId,
    change === 'approve' ? 'APPROVE' : 'REVERSE',
  );
  const after = (await deps.aws.budgets.describeBudgetAction(payer, name, actionId)) ?? before;
  const at = deps.clock.now().toISOString();
  const seen = observeFreeze(stored, after, at, principal.name);
  const type = freezeEventType(after.status);
  if (seen.changed && type) {
    await recordCostEvent(deps, account, type, {
      month,
      actionId,
      status: after.status,
      previousStatus: before.status,
      approval: after.approval,
      thresholdPercent: after.thresholdPercent,
      by: principal.name,
    });
  }
  const costs = await updateAccountCosts(
    deps.store,
    month,
    accountId,
    () => deps.clock.now(),
    (c) => {
      c.freeze = seen.freeze;
    },
  );
  return toCostView(account, costs);
}
