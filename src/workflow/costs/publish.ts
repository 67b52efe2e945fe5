import { ALERT_TYPES, type AccountCosts, type CostAlert } from '../../domain/costs';
import { EVENT_TYPES } from '../notify/request-events';
import type { WorkflowDeps } from '../step';
import { readAccountCosts, updateAccountCosts } from './account-costs';
import type { CollectionRun } from './collection-state';
import { recordCostEvent } from './cost-events';
import { managedAccounts, type ManagedAccount } from './inventory';
import type { StageResult } from './read-stages';

/** Accounts judged per publish step. */
const ACCOUNTS_PER_STEP = 200;

/** The account's monthly limit: AWS Budgets' own figure when read, else the spec's. */
export function limitOf(account: ManagedAccount, costs: AccountCosts | undefined): number {
  return costs?.budget?.limitUsd ?? account.spec.budget.monthlyLimitUsd;
}

/** The alerts the figures have crossed that have not fired yet this month. */
export function newAlerts(
  costs: AccountCosts,
  limitUsd: number,
  thresholdsPercent: number[],
  at: string,
): CostAlert[] {
  const fired: CostAlert[] = [];
  for (const type of ALERT_TYPES) {
    const amount = type === 'ACTUAL' ? costs.actualUsd : costs.forecastUsd;
    if (amount === undefined || limitUsd <= 0) continue;
    for (const t of [...thresholdsPercent].sort((a, b) => a - b)) {
      const already = costs.alerts.some((a) => a.type === type && a.thresholdPercent === t);
      if (!already && amount >= (limitUsd * t) / 100)
        fired.push({ type, thresholdPercent: t, firedAt: at, amountUsd: amount });
    }
  }
  return fired;
}

/**
 * The run's figures made current on every vended account: the freshness of the spend and anomaly
 * reads, and each budget threshold crossed (ACTUAL or FORECASTED) recorded with its time and
 * reported as a `Budget Threshold Crossed` event.
 */
export async function publish(deps: WorkflowDeps, run: CollectionRun): Promise<StageResult> {
  const accounts = (await managedAccounts(deps.store)).sort((a, b) => a.accountId.localeCompare(b.accountId));
  const from = Number(run.cursor ?? 0);
  const at = deps.clock.now().toISOString();
  for (const account of accounts.slice(from, from + ACCOUNTS_PER_STEP)) {
    const current = await readAccountCosts(deps.store, run.month, account.accountId);
    const base = current ?? {
      accountId: account.accountId,
      month: run.month,
      days: {},
      actualUsd: 0,
      estimated: false,
      alerts: [],
      anomalies: [],
    };
    const limitUsd = limitOf(account, current);
    const alerts = newAlerts(base, limitUsd, account.spec.budget.thresholdsPercent, at);
    for (const alert of alerts) {
      await recordCostEvent(deps, account, EVENT_TYPES.budgetThresholdCrossed, {
        month: run.month,
        alertType: alert.type,
        thresholdPercent: alert.thresholdPercent,
        amountUsd: alert.amountUsd,
        limitUsd,
      });
    }
    await updateAccountCosts(
      deps.store,
      run.month,
      account.accountId,
      () => deps.clock.now(),
      (c) => {
        if (run.usageAt) c.actualAt = run.usageAt;
        if (run.anomaliesAt) c.anomaliesAt = run.anomaliesAt;
        c.alerts = [...c.alerts, ...alerts];
      },
    );
  }
  const next = from + ACCOUNTS_PER_STEP;
  if (next < accounts.length) {
    run.cursor = String(next);
    return { done: false, calls: 0 };
  }
  delete run.cursor;
  return { done: true, calls: 0 };
}
