import { addDays, dayOf, monthOf, monthRange, roundUsd, type AccountCosts } from '../../domain/costs';
import type { BudgetAction, CostExplorerPort, DailyCost } from '../../domain/ports/costs';
import { budgetName } from '../../domain/names';
import type { WorkflowDeps } from '../step';
import { listAccountCosts, readAccountCosts, sumDays, updateAccountCosts } from './account-costs';
import { recordCostEvent } from './cost-events';
import { callsPerStep } from './call-plan';
import { countCall, type Collection, type CollectionRun } from './collection-state';
import { createFreezeActionIfRuled, freezeEventType, observeFreeze } from './freeze';
import { eachManagedAccount } from './inventory';

/** What a stage did in one step: `done` moves the run to the next stage. */
export interface StageResult {
  done: boolean;
  calls: number;
}

/** Pages of GetCostAndUsage, each written to the accounts' month documents as it arrives. */
export async function readUsage(
  deps: WorkflowDeps,
  ce: CostExplorerPort,
  run: CollectionRun,
): Promise<StageResult> {
  const now = () => deps.clock.now();
  const budget = callsPerStep(deps.config.config.finance);
  for (let calls = 1; calls <= budget; calls++) {
    const page = await ce.dailyCosts({
      start: run.usageFrom,
      end: run.usageTo,
      ...(run.pageToken ? { pageToken: run.pageToken } : {}),
    });
    countCall(run, 'ce:GetCostAndUsage');
    await writeDays(deps, page.items, now);
    if (page.nextPageToken) run.pageToken = page.nextPageToken;
    else delete run.pageToken;
    if (!page.nextPageToken) {
      run.usageAt = now().toISOString();
      return { done: true, calls };
    }
  }
  return { done: false, calls: budget };
}

async function writeDays(deps: WorkflowDeps, rows: DailyCost[], now: () => Date): Promise<void> {
  const byDoc = new Map<string, DailyCost[]>();
  for (const row of rows) {
    const key = `${row.date.slice(0, 7)}/${row.accountId}`;
    byDoc.set(key, [...(byDoc.get(key) ?? []), row]);
  }
  for (const [key, days] of byDoc) {
    const [month = '', accountId = ''] = key.split('/');
    await updateAccountCosts(deps.store, month, accountId, now, (c) => {
      for (const d of days) c.days[d.date] = roundUsd(d.usd);
      c.estimated = c.estimated || days.some((d) => d.estimated);
      c.actualUsd = sumDays(c.days);
    });
  }
}

/**
 * Every budget's calculated spend and every budget action, written to the accounts' documents; a
 * missing freeze action is created where the config's rule asks for one.
 */
export async function readBudgets(deps: WorkflowDeps, run: CollectionRun): Promise<StageResult> {
  const payer = await deps.directory.payerAccountId();
  const spend = await deps.aws.budgets.listBudgetSpend(payer);
  const actions = await deps.aws.budgets.listBudgetActions(payer);
  countCall(run, 'budgets:DescribeBudgets', Math.max(1, Math.ceil(spend.length / 100)));
  countCall(run, 'budgets:DescribeBudgetActionsForAccount', Math.max(1, Math.ceil(actions.length / 100)));
  const spendByName = new Map(spend.map((b) => [b.name, b]));
  const actionByBudget = new Map<string, BudgetAction>();
  for (const a of actions) actionByBudget.set(a.budgetName, a);
  const at = deps.clock.now().toISOString();
  for await (const account of eachManagedAccount(deps.store)) {
    const name = budgetName(account.accountId);
    const b = spendByName.get(name);
    let action = actionByBudget.get(name);
    if (b && !action) {
      try {
        action = await createFreezeActionIfRuled(deps, account);
        if (action) countCall(run, 'budgets:CreateBudgetAction');
      } catch (e) {
        run.errors.push(`freeze action for ${account.accountId}: ${(e as Error).message}`.slice(0, 300));
      }
    }
    const stored = (await readAccountCosts(deps.store, run.month, account.accountId))?.freeze;
    const seen = action ? observeFreeze(stored, action, at) : undefined;
    const type = seen?.changed && action ? freezeEventType(action.status) : undefined;
    if (type && action) {
      await recordCostEvent(deps, account, type, {
        month: run.month,
        actionId: action.actionId,
        status: action.status,
        ...(stored ? { previousStatus: stored.status } : {}),
        approval: action.approval,
        thresholdPercent: action.thresholdPercent,
        ...(b ? { limitUsd: b.limitUsd, budgetActualUsd: b.actualUsd } : {}),
      });
    }
    await updateAccountCosts(
      deps.store,
      run.month,
      account.accountId,
      () => deps.clock.now(),
      (c) => {
        if (b) {
          c.budget = {
            name,
            limitUsd: b.limitUsd,
            actualUsd: b.actualUsd,
            ...(b.forecastUsd === undefined ? {} : { forecastUsd: b.forecastUsd }),
            at,
          };
        }
        if (seen) c.freeze = seen.freeze;
      },
    );
  }
  run.budgetsAt = at;
  return { done: true, calls: 0 };
}

/**
 * GetCostForecast for the accounts whose turn it is (round-robin, `forecastsLeft` per run), the
 * month's forecast being what was spent before today plus the forecast from today to month end.
 */
export async function readForecasts(
  deps: WorkflowDeps,
  ce: CostExplorerPort,
  state: Collection,
  run: CollectionRun,
): Promise<StageResult> {
  const now = deps.clock.now();
  const today = dayOf(now);
  const month = monthOf(now);
  const { end } = monthRange(month);
  let calls = 0;
  const budget = callsPerStep(deps.config.config.finance);
  while (run.forecastsLeft > 0 && calls < budget) {
    const page = await listAccountCosts(deps.store, month, {
      limit: Math.min(budget - calls, run.forecastsLeft),
      ...(state.forecastCursor ? { cursor: state.forecastCursor } : {}),
    });
    for (const costs of page.items) {
      const remaining = await ce.forecast(costs.accountId, today, end);
      countCall(run, 'ce:GetCostForecast');
      calls += 1;
      run.forecastsLeft -= 1;
      await updateAccountCosts(
        deps.store,
        month,
        costs.accountId,
        () => deps.clock.now(),
        (c) => {
          c.forecastUsd = roundUsd(spentBefore(c, today) + (remaining ?? 0));
          c.forecastAt = deps.clock.now().toISOString();
        },
      );
    }
    if (page.nextCursor) state.forecastCursor = page.nextCursor;
    else delete state.forecastCursor;
    if (!page.nextCursor && page.items.length === 0) break;
  }
  return { done: run.forecastsLeft <= 0 || calls < budget, calls };
}

const spentBefore = (c: AccountCosts, day: string): number =>
  Object.entries(c.days)
    .filter(([d]) => d < day)
    .reduce((a, [, usd]) => a + usd, 0);

/** The usage window of a run starting at `now`: the lookback, or the whole month on its first run. */
export function usageWindow(
  now: Date,
  lookbackDays: number,
  monthRead: string | undefined,
): { from: string; to: string } {
  const today = dayOf(now);
  const month = monthOf(now);
  const lookback = addDays(today, -lookbackDays);
  const from = monthRead === month ? lookback : [lookback, monthRange(month).start].sort()[0]!;
  return { from, to: addDays(today, 1) };
}
