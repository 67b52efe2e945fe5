import {
  CreateBudgetCommand,
  CreateNotificationCommand,
  DeleteBudgetCommand,
  DeleteNotificationCommand,
  DescribeBudgetCommand,
  UpdateBudgetCommand,
  paginateDescribeNotificationsForBudget,
  type BudgetsClient,
  type NotificationWithSubscribers,
  type Subscriber,
} from '@aws-sdk/client-budgets';
import { AwsError, ValidationError } from '../domain/errors';
import type { BudgetInfo, BudgetSpec, BudgetsPort } from '../domain/ports/aws';
import type {
  BudgetAction,
  BudgetActionExecution,
  BudgetSpend,
  FreezeActionSpec,
} from '../domain/ports/costs';
import * as actions from './budget-actions';
import type { ClientFactory } from './clients';
import { call, callTolerating } from './errors';
import { Pages } from './pagination';

/** AWS Budgets allows 10 email subscribers (plus one SNS topic) per notification. */
export const MAX_EMAIL_SUBSCRIBERS = 10;

function subscribers(spec: BudgetSpec): Subscriber[] {
  if (spec.emails.length > MAX_EMAIL_SUBSCRIBERS) {
    throw new ValidationError([
      {
        path: 'budget.emails',
        message: `${spec.emails.length} addresses given, AWS Budgets allows at most ${MAX_EMAIL_SUBSCRIBERS}`,
      },
    ]);
  }
  const emails: Subscriber[] = spec.emails.map((Address) => ({ SubscriptionType: 'EMAIL', Address }));
  return spec.snsTopicArn ? [...emails, { SubscriptionType: 'SNS', Address: spec.snsTopicArn }] : emails;
}

function notifications(spec: BudgetSpec): NotificationWithSubscribers[] {
  const to = subscribers(spec);
  return spec.thresholdsPercent.flatMap((threshold) =>
    (['ACTUAL', 'FORECASTED'] as const).map((type) => ({
      Notification: {
        NotificationType: type,
        ComparisonOperator: 'GREATER_THAN',
        Threshold: threshold,
        ThresholdType: 'PERCENTAGE',
      },
      Subscribers: to,
    })),
  );
}

/** AWS Budgets in the payer account: one monthly cost budget per vended account. */
export class BudgetsAdapter implements BudgetsPort {
  private readonly client: BudgetsClient;
  private readonly pages: Pages<BudgetsClient>;

  constructor(clients: ClientFactory, options: { maxPages?: number } = {}) {
    this.client = clients.budgets();
    this.pages = new Pages(this.client, options.maxPages);
  }

  /** budgets:ViewBudget (DescribeBudget, DescribeNotificationsForBudget) — undefined when absent. */
  async findBudget(payerAccountId: string, name: string): Promise<BudgetInfo | undefined> {
    const ids = { AccountId: payerAccountId, BudgetName: name };
    const out = await callTolerating('budgets:DescribeBudget', ['NotFoundException'], () =>
      this.client.send(new DescribeBudgetCommand(ids)),
    );
    const budget = out?.Budget;
    if (!budget) return undefined;
    const found = await this.pages.collect(
      'budgets:DescribeNotificationsForBudget',
      paginateDescribeNotificationsForBudget,
      ids,
      (page) => page.Notifications,
    );
    return {
      name: budget.BudgetName ?? name,
      monthlyLimitUsd: Number(budget.BudgetLimit?.Amount ?? 0),
      linkedAccountIds: budget.CostFilters?.LinkedAccount ?? [],
      notifications: found.flatMap((n) =>
        n.NotificationType === 'ACTUAL' || n.NotificationType === 'FORECASTED'
          ? [{ type: n.NotificationType, thresholdPercent: n.Threshold ?? 0 }]
          : [],
      ),
    };
  }

  /** budgets:ModifyBudget (CreateBudget) — a budget of that name already existing is success (false). */
  async createBudget(payerAccountId: string, spec: BudgetSpec): Promise<boolean> {
    const notificationsWithSubscribers = notifications(spec);
    const created = await callTolerating('budgets:CreateBudget', ['DuplicateRecordException'], () =>
      this.client.send(
        new CreateBudgetCommand({
          AccountId: payerAccountId,
          Budget: {
            BudgetName: spec.name,
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: String(spec.monthlyLimitUsd), Unit: 'USD' },
            CostFilters: { LinkedAccount: [spec.linkedAccountId] },
          },
          NotificationsWithSubscribers: notificationsWithSubscribers,
        }),
      ),
    );
    return created !== undefined;
  }

  /**
   * budgets:ModifyBudget (UpdateBudget, DeleteNotification, CreateNotification), budgets:ViewBudget
   * (DescribeBudget, DescribeNotificationsForBudget) — the limit is updated in place (its spend
   * history stays); the notifications are replaced, so thresholds and subscribers both follow.
   */
  async updateBudget(payerAccountId: string, spec: BudgetSpec): Promise<void> {
    const wanted = notifications(spec);
    const ids = { AccountId: payerAccountId, BudgetName: spec.name };
    const out = await call('budgets:DescribeBudget', () => this.client.send(new DescribeBudgetCommand(ids)));
    const current = out.Budget;
    if (!current)
      throw new AwsError('budgets:DescribeBudget', 'NotFoundException', `${spec.name} is gone`, false);
    await call('budgets:UpdateBudget', () =>
      this.client.send(
        new UpdateBudgetCommand({
          AccountId: payerAccountId,
          NewBudget: { ...current, BudgetLimit: { Amount: String(spec.monthlyLimitUsd), Unit: 'USD' } },
        }),
      ),
    );
    const existing = await this.pages.collect(
      'budgets:DescribeNotificationsForBudget',
      paginateDescribeNotificationsForBudget,
      ids,
      (page) => page.Notifications,
    );
    for (const notification of existing) {
      await callTolerating('budgets:DeleteNotification', ['NotFoundException'], () =>
        this.client.send(new DeleteNotificationCommand({ ...ids, Notification: notification })),
      );
    }
    for (const { Notification, Subscribers } of wanted) {
      await callTolerating('budgets:CreateNotification', ['DuplicateRecordException'], () =>
        this.client.send(new CreateNotificationCommand({ ...ids, Notification, Subscribers })),
      );
    }
  }

  /** budgets:ModifyBudget (DeleteBudget) — a budget already gone is success. */
  async deleteBudget(payerAccountId: string, name: string): Promise<void> {
    await callTolerating('budgets:DeleteBudget', ['NotFoundException'], () =>
      this.client.send(new DeleteBudgetCommand({ AccountId: payerAccountId, BudgetName: name })),
    );
  }

  /** budgets:ViewBudget (DescribeBudgets) — every budget with its CalculatedSpend. */
  listBudgetSpend(payerAccountId: string): Promise<BudgetSpend[]> {
    return actions.listBudgetSpend(this.pages, payerAccountId);
  }

  /** budgets:DescribeBudgetActionsForAccount — every budget action of the payer account. */
  listBudgetActions(payerAccountId: string): Promise<BudgetAction[]> {
    return actions.listBudgetActions(this.pages, payerAccountId);
  }

  /** budgets:DescribeBudgetActionsForBudget — the actions of one budget (a missing budget has none). */
  listActionsOfBudget(payerAccountId: string, budgetName: string): Promise<BudgetAction[]> {
    return actions.listActionsOfBudget(this.pages, payerAccountId, budgetName);
  }

  /** budgets:DescribeBudgetAction — one action, undefined when it does not exist. */
  describeBudgetAction(
    payerAccountId: string,
    budgetName: string,
    actionId: string,
  ): Promise<BudgetAction | undefined> {
    return actions.describeBudgetAction(this.client, payerAccountId, budgetName, actionId);
  }

  /**
   * budgets:CreateBudgetAction — applies the freeze SCP to the account when its actual spend passes
   * the threshold, at once or after approval. AWS also checks PassRole on the execution role, which
   * is granted on that one role only, not through the adapter list.
   */
  createFreezeAction(payerAccountId: string, spec: FreezeActionSpec): Promise<string> {
    return actions.createFreezeAction(this.client, payerAccountId, spec);
  }

  /** budgets:ExecuteBudgetAction — approve a pending freeze, reverse (release) or reset one. */
  executeBudgetAction(
    payerAccountId: string,
    budgetName: string,
    actionId: string,
    execution: BudgetActionExecution,
  ): Promise<void> {
    return actions.executeBudgetAction(this.client, payerAccountId, budgetName, actionId, execution);
  }
}
