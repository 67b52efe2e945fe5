import { freezeRuleFor } from '../../config/finance-schema';
import type { AccountSpec } from '../../domain/account-request';
import { normaliseEmail } from '../../domain/account-request';
import type { FreezeState } from '../../domain/costs';
import type { BudgetAction } from '../../domain/ports/costs';
import { EVENT_TYPES, type EventType } from '../notify/request-events';
import { budgetName } from '../../domain/names';
import type { WorkflowDeps } from '../step';

/**
 * Spending freezes: an AWS Budgets action per account (where the config's rule for its OU or team
 * asks for one) that applies the freeze SCP from the SCP library once actual spend passes the
 * threshold — automatically, or after a platform approval — through the execution role bootstrap
 * created. Platform releases a freeze by reversing the action.
 */

/** The execution role's ARN in the payer account. */
export function executionRoleArn(payer: string, roleName: string, region: string): string {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.includes('-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:iam::${payer}:role/${roleName}`;
}

/**
 * Creates the account's freeze action when its OU or team has a rule and its budget has no action
 * yet; returns the action created (STANDBY), or undefined when the account needs none.
 */
export async function createFreezeActionIfRuled(
  deps: WorkflowDeps,
  account: { accountId: string; spec: AccountSpec },
): Promise<BudgetAction | undefined> {
  const finance = deps.config.config.finance;
  // The owning team, as control B-2 reads it: the rule the vend arms is the rule verified.
  const rule = freezeRuleFor(finance, {
    team: account.spec.owner.team,
    organizationalUnit: account.spec.organizationalUnit,
  });
  if (!rule) return undefined;
  const payer = await deps.directory.payerAccountId();
  const emails = [...new Set([...deps.config.config.budgets.financeRecipients, account.spec.owner.email])];
  const policyId = await deps.directory.policyId(finance.freezePolicy);
  const spec = {
    budgetName: budgetName(account.accountId),
    accountId: account.accountId,
    policyId,
    thresholdPercent: rule.thresholdPercent,
    approval: rule.approval === 'automatic' ? ('AUTOMATIC' as const) : ('MANUAL' as const),
    executionRoleArn: executionRoleArn(payer, finance.executionRoleName, deps.config.config.homeRegion),
    emails: [...new Set(emails.map(normaliseEmail))],
  };
  const actionId = await deps.aws.budgets.createFreezeAction(payer, spec);
  return {
    actionId,
    budgetName: spec.budgetName,
    status: 'STANDBY',
    approval: spec.approval,
    thresholdPercent: spec.thresholdPercent,
    policyId,
    targetIds: [account.accountId],
  };
}

/** Whether the freeze SCP is on the account (or on its way). */
export function isFrozen(status: string | undefined): boolean {
  return status === 'EXECUTION_SUCCESS' || status === 'EXECUTION_IN_PROGRESS' || status === 'REVERSE_FAILURE';
}

/** The event a freeze entering `status` is reported as; undefined for quiet states (STANDBY). */
export function freezeEventType(status: string): EventType | undefined {
  if (status === 'PENDING') return EVENT_TYPES.budgetActionPending;
  if (status.startsWith('EXECUTION_')) return EVENT_TYPES.budgetActionExecuted;
  if (status.startsWith('REVERSE_')) return EVENT_TYPES.budgetActionReleased;
  return undefined;
}

/** The stored freeze after AWS reported `action`; `changed` when its status moved. */
export function observeFreeze(
  stored: FreezeState | undefined,
  action: BudgetAction,
  at: string,
  by?: string,
): { freeze: FreezeState; changed: boolean } {
  const changed = stored?.status !== action.status;
  const history = [...(stored?.history ?? [])];
  if (changed) history.push({ status: action.status, at, ...(by ? { by } : {}) });
  return {
    freeze: {
      actionId: action.actionId,
      budgetName: action.budgetName,
      status: action.status,
      approval: action.approval,
      thresholdPercent: action.thresholdPercent,
      history: history.slice(-20),
      at,
    },
    changed,
  };
}
