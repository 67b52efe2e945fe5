import { normaliseEmail } from '../../domain/account-request';
import { dayOf, monthOf, monthRange, roundUsd } from '../../domain/costs';
import type { AnomalySubscriptionSpec, CostExplorerPort, MonitorScope } from '../../domain/ports/costs';
import { EVENT_TYPES } from '../notify/request-events';
import type { WorkflowDeps } from '../step';
import { readAccountCosts, updateAccountCosts } from './account-costs';
import { callsPerStep } from './call-plan';
import { countCall, type CollectionRun } from './collection-state';
import { recordCostEvent } from './cost-events';
import { findManagedAccount, managedAccounts, type ManagedAccount } from './inventory';
import type { StageResult } from './read-stages';

/** AWS anomaly subscriptions take a bounded list of e-mail subscribers; finance comes first. */
export const MAX_ANOMALY_SUBSCRIBERS = 10;
/** The cost allocation tag that holds an account's cost centre (set on every vended account). */
export const COST_CENTER_TAG = 'CostCenter';

interface DesiredMonitor {
  name: string;
  scope: MonitorScope;
  owners: string[];
}

/** Monitor names are derived from what they watch, so a rerun finds them. */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.:/=+@-]/g, '-');

/** The monitors the config wants: one per cost centre, or one per account. */
export function desiredMonitors(deps: WorkflowDeps, accounts: ManagedAccount[]): DesiredMonitor[] {
  if (deps.config.config.finance.anomalies.monitorBy === 'linkedAccount') {
    return accounts.map((a) => ({
      name: `avf-account-${a.accountId}`,
      scope: { kind: 'account', accountId: a.accountId },
      owners: [a.spec.owner.email],
    }));
  }
  const byCenter = new Map<string, string[]>();
  for (const a of accounts)
    byCenter.set(a.spec.costCenter, [...(byCenter.get(a.spec.costCenter) ?? []), a.spec.owner.email]);
  return [...byCenter].map(([cc, owners]) => ({
    name: `avf-cost-center-${safe(cc)}`,
    scope: { kind: 'tag', key: COST_CENTER_TAG, value: cc },
    owners,
  }));
}

function subscriptionSpec(deps: WorkflowDeps, monitor: DesiredMonitor, arn: string): AnomalySubscriptionSpec {
  const cfg = deps.config.config.finance.anomalies;
  const finance = deps.config.config.budgets.financeRecipients;
  const emails = [...new Set([...finance, ...(cfg.notifyOwners ? monitor.owners : [])].map(normaliseEmail))];
  return {
    name: monitor.name,
    monitorArns: [arn],
    emails: emails.slice(0, MAX_ANOMALY_SUBSCRIBERS),
    frequency: cfg.frequency,
    thresholdUsd: cfg.thresholdUsd,
    ...(cfg.thresholdPercent === undefined ? {} : { thresholdPercent: cfg.thresholdPercent }),
  };
}

const sameSubscription = (a: AnomalySubscriptionSpec, b: AnomalySubscriptionSpec): boolean =>
  JSON.stringify([[...a.emails].sort(), a.monitorArns, a.frequency, a.thresholdUsd, a.thresholdPercent]) ===
  JSON.stringify([[...b.emails].sort(), b.monitorArns, b.frequency, b.thresholdUsd, b.thresholdPercent]);

/**
 * Monitors and subscriptions as the config wants them (finance and the owners, the config's
 * thresholds): the missing created, changed subscriptions updated, at most a step's calls at once.
 */
export async function ensureMonitors(
  deps: WorkflowDeps,
  ce: CostExplorerPort,
  run: CollectionRun,
): Promise<StageResult> {
  const budget = callsPerStep(deps.config.config.finance);
  const monitors = await ce.listMonitors();
  const subscriptions = await ce.listSubscriptions();
  countCall(run, 'ce:GetAnomalyMonitors');
  countCall(run, 'ce:GetAnomalySubscriptions');
  let calls = 2;
  for (const want of desiredMonitors(deps, await managedAccounts(deps.store))) {
    // A monitor may need two creates: stop before the step's budget would be passed.
    if (calls + 2 > budget) return { done: false, calls };
    let arn = monitors.find((m) => m.name === want.name)?.arn;
    if (!arn) {
      arn = await ce.createMonitor(want.name, want.scope);
      countCall(run, 'ce:CreateAnomalyMonitor');
      calls += 1;
    }
    const spec = subscriptionSpec(deps, want, arn);
    const current = subscriptions.find((s) => s.name === want.name);
    if (!current) {
      await ce.createSubscription(spec);
      countCall(run, 'ce:CreateAnomalySubscription');
      calls += 1;
    } else if (!sameSubscription(current, spec)) {
      await ce.updateSubscription(current.arn, spec);
      countCall(run, 'ce:UpdateAnomalySubscription');
      calls += 1;
    }
  }
  return { done: true, calls };
}

/**
 * GetAnomalies for this month so far, page by page: each anomaly is kept on the account AWS names
 * as its root cause, and a new one is a `Cost Anomaly Detected` event on that account.
 */
export async function readAnomalies(
  deps: WorkflowDeps,
  ce: CostExplorerPort,
  run: CollectionRun,
): Promise<StageResult> {
  const now = deps.clock.now();
  const month = monthOf(now);
  const budget = callsPerStep(deps.config.config.finance);
  for (let calls = 1; calls <= budget; calls++) {
    const page = await ce.anomalies({
      start: monthRange(month).start,
      end: dayOf(now),
      ...(run.pageToken ? { pageToken: run.pageToken } : {}),
    });
    countCall(run, 'ce:GetAnomalies');
    for (const anomaly of page.items) {
      const account = anomaly.accountId ? await findManagedAccount(deps.store, anomaly.accountId) : undefined;
      if (!account) continue;
      const known = await readAccountCosts(deps.store, month, account.accountId);
      if (known?.anomalies.some((a) => a.id === anomaly.id)) continue;
      const stored = {
        id: anomaly.id,
        startDate: anomaly.startDate,
        ...(anomaly.endDate ? { endDate: anomaly.endDate } : {}),
        impactUsd: roundUsd(anomaly.impactUsd),
        maxScore: anomaly.maxScore,
        ...(anomaly.rootCause ? { rootCause: anomaly.rootCause } : {}),
        monitorArn: anomaly.monitorArn,
        detectedAt: now.toISOString(),
      };
      await recordCostEvent(deps, account, EVENT_TYPES.costAnomalyDetected, { month, anomaly: stored });
      await updateAccountCosts(
        deps.store,
        month,
        account.accountId,
        () => deps.clock.now(),
        (c) => {
          c.anomalies = [...c.anomalies.filter((a) => a.id !== stored.id), stored];
        },
      );
    }
    if (page.nextPageToken) run.pageToken = page.nextPageToken;
    else {
      delete run.pageToken;
      run.anomaliesAt = now.toISOString();
      return { done: true, calls };
    }
  }
  return { done: false, calls: budget };
}
