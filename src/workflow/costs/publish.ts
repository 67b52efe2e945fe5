import { ALERT_TYPES, type AccountCosts, type CostAlert } from '../../domain/costs';
import { EVENT_TYPES } from '../notify/request-events';
import type { WorkflowDeps } from '../step';
import { readAccountCosts, updateAccountCosts } from './account-costs';
import type { CollectionRun } from './collection-state';
import { recordCostEvent } from './cost-events';
import { managedAccountPage, type ManagedAccount } from './inventory';
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

/** Where the walk resumes: the run's store cursor (a run saved as an offset by an older version starts over). */
const resumeAt = (cursor: string | undefined): string | undefined =>
  cursor === undefined || /^\d+$/.test(cursor) ? undefined : cursor;

/**
 * The run's figures made current on every vended account: the freshness of the spend and anomaly
 * reads, and each budget threshold crossed (ACTUAL or FORECASTED) recorded with its time and
 * reported as a `Budget Threshold Crossed` event. Each step takes the next accounts of the store's
 * READY listing from the run's cursor, so a run reads each account once, however many there are.
 */
export async function publish(deps: WorkflowDeps, run: CollectionRun): Promise<StageResult> {
  const at = deps.clock.now().toISOString();
  let cursor = resumeAt(run.cursor);
  for (let done = 0; done < ACCOUNTS_PER_STEP;) {
    const page = await managedAccountPage(deps.store, cursor, ACCOUNTS_PER_STEP - done);
    for (const account of page.items) await publishAccount(deps, run, account, at);
    done += page.items.length;
    cursor = page.nextCursor;
    if (!cursor) {
      delete run.cursor;
      return { done: true, calls: 0 };
    }
  }
  run.cursor = cursor;
  return { done: false, calls: 0 };
}

/** One account's alerts judged and its figures' freshness written. */
async function publishAccount(
  deps: WorkflowDeps,
  run: CollectionRun,
  account: ManagedAccount,
  at: string,
): Promise<void> {
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
