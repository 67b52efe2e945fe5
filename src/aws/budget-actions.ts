import {
  CreateBudgetActionCommand,
  DescribeBudgetActionCommand,
  ExecuteBudgetActionCommand,
  paginateDescribeBudgetActionsForAccount,
  paginateDescribeBudgetActionsForBudget,
  paginateDescribeBudgets,
  type Action as SdkAction,
  type BudgetsClient,
} from '@aws-sdk/client-budgets';
import type {
  BudgetAction,
  BudgetActionExecution,
  BudgetSpend,
  FreezeActionSpec,
} from '../domain/ports/costs';
import { call, callTolerating } from './errors';
import type { Pages } from './pagination';

/** The budget-action half of the Budgets adapter (budgets.ts): spend freezes and calculated spend. */

const EXECUTION_TYPES: Record<BudgetActionExecution, string> = {
  APPROVE: 'APPROVE_BUDGET_ACTION',
  REVERSE: 'REVERSE_BUDGET_ACTION',
  RESET: 'RESET_BUDGET_ACTION',
};

export async function listBudgetSpend(pages: Pages<BudgetsClient>, payer: string): Promise<BudgetSpend[]> {
  const budgets = await pages.collect(
    'budgets:DescribeBudgets',
    paginateDescribeBudgets,
    { AccountId: payer, MaxResults: 100 },
    (page) => page.Budgets,
  );
  return budgets.map((b) => {
    const forecast = b.CalculatedSpend?.ForecastedSpend?.Amount;
    return {
      name: b.BudgetName ?? '',
      limitUsd: Number(b.BudgetLimit?.Amount ?? 0),
      actualUsd: Number(b.CalculatedSpend?.ActualSpend?.Amount ?? 0),
      ...(forecast === undefined ? {} : { forecastUsd: Number(forecast) }),
    };
  });
}

function toAction(a: SdkAction): BudgetAction {
  const scp = a.Definition?.ScpActionDefinition;
  return {
    actionId: a.ActionId ?? '',
    budgetName: a.BudgetName ?? '',
    status: a.Status ?? 'STANDBY',
    approval: a.ApprovalModel === 'MANUAL' ? 'MANUAL' : 'AUTOMATIC',
    thresholdPercent: a.ActionThreshold?.ActionThresholdValue ?? 0,
    ...(scp?.PolicyId ? { policyId: scp.PolicyId } : {}),
    targetIds: scp?.TargetIds ?? [],
  };
}

export async function describeBudgetAction(
  client: BudgetsClient,
  payer: string,
  budgetName: string,
  actionId: string,
): Promise<BudgetAction | undefined> {
  const out = await callTolerating('budgets:DescribeBudgetAction', ['NotFoundException'], () =>
    client.send(
      new DescribeBudgetActionCommand({ AccountId: payer, BudgetName: budgetName, ActionId: actionId }),
    ),
  );
  return out?.Action ? toAction(out.Action) : undefined;
}

export async function listBudgetActions(pages: Pages<BudgetsClient>, payer: string): Promise<BudgetAction[]> {
  const actions = await pages.collect(
    'budgets:DescribeBudgetActionsForAccount',
    paginateDescribeBudgetActionsForAccount,
    { AccountId: payer, MaxResults: 100 },
    (page) => page.Actions,
  );
  return actions.map(toAction);
}

export async function listActionsOfBudget(
  pages: Pages<BudgetsClient>,
  payer: string,
  budgetName: string,
): Promise<BudgetAction[]> {
  const actions = await pages.collect(
    'budgets:DescribeBudgetActionsForBudget',
    paginateDescribeBudgetActionsForBudget,
    { AccountId: payer, BudgetName: budgetName, MaxResults: 100 },
    (page) => page.Actions,
  );
  return actions.map(toAction);
}

export async function createFreezeAction(
  client: BudgetsClient,
  payer: string,
  spec: FreezeActionSpec,
): Promise<string> {
  const out = await call('budgets:CreateBudgetAction', () =>
    client.send(
      new CreateBudgetActionCommand({
        AccountId: payer,
        BudgetName: spec.budgetName,
        NotificationType: 'ACTUAL',
        ActionType: 'APPLY_SCP_POLICY',
        ActionThreshold: { ActionThresholdValue: spec.thresholdPercent, ActionThresholdType: 'PERCENTAGE' },
        Definition: { ScpActionDefinition: { PolicyId: spec.policyId, TargetIds: [spec.accountId] } },
        ExecutionRoleArn: spec.executionRoleArn,
        ApprovalModel: spec.approval,
        Subscribers: spec.emails.map((Address) => ({ SubscriptionType: 'EMAIL', Address })),
      }),
    ),
  );
  return out.ActionId ?? '';
}

export async function executeBudgetAction(
  client: BudgetsClient,
  payer: string,
  budgetName: string,
  actionId: string,
  execution: BudgetActionExecution,
): Promise<void> {
  await call('budgets:ExecuteBudgetAction', () =>
    client.send(
      new ExecuteBudgetActionCommand({
        AccountId: payer,
        BudgetName: budgetName,
        ActionId: actionId,
        ExecutionType: EXECUTION_TYPES[execution] as 'APPROVE_BUDGET_ACTION',
      }),
    ),
  );
}
