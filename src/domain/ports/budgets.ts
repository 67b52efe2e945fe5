import type { BudgetAction, BudgetActionExecution, BudgetSpend, FreezeActionSpec } from './costs';

/** AWS Budgets in the payer account: one budget per account, its spend and its freeze action. */
export interface BudgetSpec {
  name: string;
  linkedAccountId: string;
  monthlyLimitUsd: number;
  thresholdsPercent: number[];
  emails: string[];
  snsTopicArn?: string;
}

export interface BudgetInfo {
  name: string;
  monthlyLimitUsd: number;
  linkedAccountIds: string[];
  notifications: Array<{ type: 'ACTUAL' | 'FORECASTED'; thresholdPercent: number }>;
}

export interface BudgetsPort {
  /** Budgets live in the payer (management) account. */
  findBudget(payerAccountId: string, name: string): Promise<BudgetInfo | undefined>;
  /**
   * Monthly COST budget filtered by linked account; ACTUAL and FORECASTED notifications per
   * threshold. True when this call created it, false when a budget of that name already existed.
   */
  createBudget(payerAccountId: string, spec: BudgetSpec): Promise<boolean>;
  /** Brings an existing budget's limit and notifications (thresholds, subscribers) in line with `spec`. */
  updateBudget(payerAccountId: string, spec: BudgetSpec): Promise<void>;
  /** Deletes the budget; a budget that does not exist is success. */
  deleteBudget(payerAccountId: string, name: string): Promise<void>;
  /** Every budget of the payer account with AWS Budgets' calculated spend (DescribeBudgets, paged). */
  listBudgetSpend(payerAccountId: string): Promise<BudgetSpend[]>;
  /** Every budget action of the payer account (DescribeBudgetActionsForAccount, paged). */
  listBudgetActions(payerAccountId: string): Promise<BudgetAction[]>;
  /** The actions of one budget (DescribeBudgetActionsForBudget, paged). */
  listActionsOfBudget(payerAccountId: string, budgetName: string): Promise<BudgetAction[]>;
  describeBudgetAction(
    payerAccountId: string,
    budgetName: string,
    actionId: string,
  ): Promise<BudgetAction | undefined>;
  /** A budget action applying the freeze SCP to the account at the threshold; returns its id. */
  createFreezeAction(payerAccountId: string, spec: FreezeActionSpec): Promise<string>;
  /** APPROVE a pending action, REVERSE an executed one (release the freeze), RESET it to STANDBY. */
  executeBudgetAction(
    payerAccountId: string,
    budgetName: string,
    actionId: string,
    execution: BudgetActionExecution,
  ): Promise<void>;
}
