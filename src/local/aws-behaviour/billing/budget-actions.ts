import { randomUUID } from 'node:crypto';
import { awsError, jsonResponse, type AwsCall } from '../protocol';
import { passThrough, type Behaviour, type BehaviourContext, type Handled } from '../upstream';
import type { BillingLedger } from './ledger';

type Json = Record<string, unknown>;

interface Action {
  ActionId: string;
  BudgetName: string;
  NotificationType: string;
  ActionType: string;
  ActionThreshold: { ActionThresholdValue: number; ActionThresholdType: string };
  Definition: { ScpActionDefinition?: { PolicyId: string; TargetIds: string[] } };
  ExecutionRoleArn: string;
  ApprovalModel: 'AUTOMATIC' | 'MANUAL';
  Status: string;
  Subscribers: Json[];
}

const ok = (body: unknown): Handled => ({ response: jsonResponse(body), outcome: 'executed' });

/**
 * AWS Budgets actions, which moto lacks, kept here with their state: an action is STANDBY until
 * its budget's actual spend (from the ledger) passes the threshold; then AUTOMATIC ones attach
 * the SCP in moto (EXECUTION_SUCCESS) and MANUAL ones wait (PENDING) for ExecuteBudgetAction
 * APPROVE. REVERSE detaches it (REVERSE_SUCCESS), RESET returns to STANDBY. DescribeBudget(s)
 * pass through to moto and get the ledger's CalculatedSpend (moto reports zero).
 */
export function budgetActionBehaviour(ctx: BehaviourContext, ledger: BillingLedger): Behaviour {
  const actions = new Map<string, Action>();
  /** Budget name → the linked account and limit moto holds for it (learned from its answers). */
  const budgets = new Map<string, { accountId: string; limit: number }>();

  async function organizations(action: 'AttachPolicy' | 'DetachPolicy', body: Json): Promise<void> {
    const response = await ctx.upstream.send({
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSOrganizationsV20161128.${action}`,
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: Buffer.from(JSON.stringify(body)),
    });
    if (response.status >= 400 && !/DuplicatePolicyAttachment|PolicyNotAttached/.test(response.body))
      throw new Error(`${action}: ${response.body}`);
  }

  async function apply(a: Action, attach: boolean): Promise<void> {
    const scp = a.Definition.ScpActionDefinition;
    for (const target of scp?.TargetIds ?? [])
      await organizations(attach ? 'AttachPolicy' : 'DetachPolicy', {
        PolicyId: scp?.PolicyId,
        TargetId: target,
      });
  }

  /** Actions whose budget passed their threshold leave STANDBY. */
  async function evaluate(): Promise<void> {
    for (const a of actions.values()) {
      const budget = budgets.get(a.BudgetName);
      if (a.Status !== 'STANDBY' || !budget || budget.limit <= 0) continue;
      const spent = ledger.month(budget.accountId).actual;
      if (spent < (budget.limit * a.ActionThreshold.ActionThresholdValue) / 100) continue;
      if (a.ApprovalModel === 'MANUAL') a.Status = 'PENDING';
      else {
        await apply(a, true);
        a.Status = 'EXECUTION_SUCCESS';
      }
    }
  }

  function learn(budget: Json): Json {
    const name = String(budget.BudgetName);
    const accountId = (budget.CostFilters as { LinkedAccount?: string[] } | undefined)?.LinkedAccount?.[0];
    const limit = Number((budget.BudgetLimit as { Amount?: string } | undefined)?.Amount ?? 0);
    if (!accountId) return budget;
    budgets.set(name, { accountId, limit });
    const m = ledger.month(accountId);
    return {
      ...budget,
      CalculatedSpend: {
        ActualSpend: { Amount: m.actual.toFixed(2), Unit: 'USD' },
        ForecastedSpend: { Amount: m.forecast.toFixed(2), Unit: 'USD' },
      },
    };
  }

  async function describe(call: AwsCall): Promise<Handled> {
    const handled = await passThrough(ctx, call);
    if (handled.response.status >= 400) return handled;
    const body = JSON.parse(handled.response.body) as { Budget?: Json; Budgets?: Json[] };
    if (body.Budget) body.Budget = learn(body.Budget);
    if (body.Budgets) body.Budgets = body.Budgets.map(learn);
    await evaluate();
    return { ...handled, response: jsonResponse(body) };
  }

  const find = (call: AwsCall): Action | undefined => {
    const a = actions.get(String(call.json.ActionId));
    return a && a.BudgetName === call.json.BudgetName ? a : undefined;
  };
  const notFound = (call: AwsCall): Handled => ({
    response: awsError(call, 400, 'NotFoundException', `no action ${String(call.json.ActionId)}`),
    outcome: 'failed',
  });

  async function execute(call: AwsCall): Promise<Handled> {
    const a = find(call);
    if (!a) return notFound(call);
    const type = String(call.json.ExecutionType);
    if (type === 'APPROVE_BUDGET_ACTION' && a.Status === 'PENDING') {
      await apply(a, true);
      a.Status = 'EXECUTION_SUCCESS';
    } else if (type === 'REVERSE_BUDGET_ACTION' && ['EXECUTION_SUCCESS', 'PENDING'].includes(a.Status)) {
      if (a.Status === 'EXECUTION_SUCCESS') await apply(a, false);
      a.Status = 'REVERSE_SUCCESS';
    } else if (type === 'RESET_BUDGET_ACTION') {
      if (a.Status === 'EXECUTION_SUCCESS') await apply(a, false);
      a.Status = 'STANDBY';
    } else {
      return {
        response: awsError(
          call,
          400,
          'InvalidParameterException',
          `${type} is not allowed while ${a.Status}`,
        ),
        outcome: 'rejected',
      };
    }
    return {
      ...ok({
        AccountId: call.json.AccountId,
        BudgetName: a.BudgetName,
        ActionId: a.ActionId,
        ExecutionType: type,
      }),
      detail: { actionId: a.ActionId, status: a.Status },
    };
  }

  return {
    handlers: {
      'budgets:DescribeBudget': describe,
      'budgets:DescribeBudgets': describe,
      'budgets:CreateBudgetAction': (call) => {
        const a: Action = {
          ...(call.json as unknown as Action),
          ActionId: randomUUID(),
          Status: 'STANDBY',
        };
        actions.set(a.ActionId, a);
        return Promise.resolve({
          ...ok({ AccountId: call.json.AccountId, BudgetName: a.BudgetName, ActionId: a.ActionId }),
          detail: { actionId: a.ActionId },
        });
      },
      'budgets:DescribeBudgetActionsForAccount': async () => {
        await evaluate();
        return ok({ Actions: [...actions.values()] });
      },
      'budgets:DescribeBudgetActionsForBudget': async (call) => {
        await evaluate();
        return ok({ Actions: [...actions.values()].filter((a) => a.BudgetName === call.json.BudgetName) });
      },
      'budgets:DescribeBudgetAction': async (call) => {
        await evaluate();
        const a = find(call);
        return a
          ? ok({ AccountId: call.json.AccountId, BudgetName: a.BudgetName, Action: a })
          : notFound(call);
      },
      'budgets:ExecuteBudgetAction': execute,
    },
  };
}
