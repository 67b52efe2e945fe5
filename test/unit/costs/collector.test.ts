import { FinanceSchema } from '../../../src/config/finance-schema';
import { addDays, dayOf, monthOf } from '../../../src/domain/costs';
import { COST_COLLECTION_KIND } from '../../../src/workflow/costs/collection-kind';
import {
  COLLECTION_ID,
  COLLECTION_JOB,
  CollectionSchema,
} from '../../../src/workflow/costs/collection-state';
import { readAccountCosts } from '../../../src/workflow/costs/account-costs';
import { callPlan, callsPerStep } from '../../../src/workflow/costs/call-plan';
import { changeFreeze } from '../../../src/workflow/costs/change-freeze';
import { listCosts } from '../../../src/workflow/costs/read-costs';
import { showback, showbackCsv } from '../../../src/workflow/costs/report';
import { Worker } from '../../../src/workflow/worker';
import { MANAGEMENT_ACCOUNT_ID } from '../../support/fake-aws/organizations';
import { makeRequestRecord } from '../../support/fixtures';
import { harness, type Harness } from '../workflow/harness';

const PLATFORM = { role: 'platform' as const, name: 'platform' };
const FINANCE = { role: 'finance' as const, name: 'finance' };
const START = Date.parse('2026-01-15T10:00:00Z');

interface Account {
  id: string;
  team: string;
  ou: string;
  costCenter: string;
  limit: number;
}

async function setUp(accounts: Account[]): Promise<Harness & { worker: Worker }> {
  const h = await harness();
  h.clock.advance(START - h.clock.now().getTime());
  for (const a of accounts) {
    await h.store.create(
      makeRequestRecord({
        id: `req-${a.id}`,
        status: 'READY',
        accountId: a.id,
        team: a.team,
        spec: {
          organizationalUnit: a.ou,
          costCenter: a.costCenter,
          owner: { team: a.team, email: `${a.team}-lead@example.com` },
          budget: { monthlyLimitUsd: a.limit, thresholdsPercent: [80, 100] },
        },
      }),
    );
    await h.aws.budgets.createBudget(MANAGEMENT_ACCOUNT_ID, {
      name: `avf-${a.id}`,
      linkedAccountId: a.id,
      monthlyLimitUsd: a.limit,
      thresholdsPercent: [80, 100],
      emails: ['finance@example.com'],
    });
  }
  return { ...h, worker: new Worker(h.deps, { id: 'collector', kinds: [COST_COLLECTION_KIND] }) };
}

/** Ticks the collector's job, moving the clock to each step's due time, until a run has finished. */
async function collect(
  h: Harness & { worker: Worker },
): Promise<{ steps: number; maxCallsPerStep: number; seconds: number }> {
  const started = h.clock.now().getTime();
  const total = () => Object.values(h.aws.costExplorer.calls).reduce((a, b) => a + b, 0);
  let steps = 0;
  let maxCallsPerStep = 0;
  const finishedBefore = (await state(h))?.last?.finishedAt;
  for (; steps < 500; steps++) {
    const before = total();
    await h.worker.tick();
    maxCallsPerStep = Math.max(maxCallsPerStep, total() - before);
    const s = await state(h);
    if (s?.last?.finishedAt && s.last.finishedAt !== finishedBefore && !s.run) break;
    const job = await h.store.jobs.getJob(COLLECTION_JOB, COLLECTION_ID);
    const due = Date.parse(job?.nextCheckAt ?? '');
    if (due > h.clock.now().getTime()) h.clock.advance(due - h.clock.now().getTime());
  }
  return { steps, maxCallsPerStep, seconds: (h.clock.now().getTime() - started) / 1000 };
}

async function state(h: Harness) {
  const job = await h.store.jobs.getJob(COLLECTION_JOB, COLLECTION_ID);
  return job ? CollectionSchema.parse(job.state) : undefined;
}

const eventsOf = async (h: Harness, id: string) =>
  ((await h.store.get(`req-${id}`))?.events ?? []).map((e) => e.type);

describe('the spend collector', () => {
  const A = '111111111111';
  const B = '222222222222';

  it('stores month-to-date and forecast per account, fires alerts and freezes, collects anomalies, as events', async () => {
    const h = await setUp([
      { id: A, team: 'payments', ou: 'Workloads/NonProd', costCenter: 'CC-1', limit: 100 },
      { id: B, team: 'ledger', ou: 'Sandbox', costCenter: 'CC-2', limit: 50 },
    ]);
    const today = dayOf(h.clock.now());
    const ce = h.aws.costExplorer;
    ce.bill.push(
      { date: '2026-01-02', accountId: A, usd: 40, estimated: false },
      { date: today, accountId: A, usd: 45, estimated: true },
      { date: '2026-01-03', accountId: B, usd: 60, estimated: false },
      { date: '2025-12-30', accountId: A, usd: 999, estimated: false },
    );
    ce.forecasts.set(A, 20);
    ce.detected.push({
      id: 'an-1',
      monitorArn: 'arn:m',
      startDate: '2026-01-03',
      impactUsd: 55.5,
      maxScore: 0.9,
      accountId: B,
      rootCause: 'Amazon EC2',
    });

    await collect(h);
    const a = await readAccountCosts(h.store, '2026-01', A);
    expect(a).toEqual(
      expect.objectContaining({
        actualUsd: 85,
        estimated: true,
        forecastUsd: 60,
        actualAt: expect.any(String),
        forecastAt: expect.any(String),
      }),
    );
    expect(a?.alerts.map((x) => `${x.type}:${x.thresholdPercent}`)).toEqual(['ACTUAL:80']);
    const b = await readAccountCosts(h.store, '2026-01', B);
    expect(b?.alerts.map((x) => `${x.type}:${x.thresholdPercent}`)).toEqual(['ACTUAL:80', 'ACTUAL:100']);
    expect(b?.anomalies).toEqual([expect.objectContaining({ id: 'an-1', impactUsd: 55.5 })]);

    // Freeze actions: the payments team's rule (manual, 120 %) and the Sandbox OU's (automatic, 100 %).
    const actions = [...h.aws.budgets.actions.values()].sort((x, y) =>
      x.budgetName.localeCompare(y.budgetName),
    );
    const policyId = await h.deps.directory.policyId('spending-freeze');
    expect(actions.map((x) => [x.targetIds[0], x.approval, x.thresholdPercent, x.policyId])).toEqual([
      [A, 'MANUAL', 120, policyId],
      [B, 'AUTOMATIC', 100, policyId],
    ]);
    expect(actions[0]?.spec.executionRoleArn).toBe(
      `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/avf-budget-actions`,
    );
    expect(await eventsOf(h, A)).toEqual(['Budget Threshold Crossed']);
    expect(await eventsOf(h, B)).toEqual([
      'Cost Anomaly Detected',
      'Budget Threshold Crossed',
      'Budget Threshold Crossed',
    ]);

    // AWS applies B's freeze; the next run reports it and B's first forecast (the round robin
    // forecast A first), and nothing it reported before again.
    actions[1]!.status = 'EXECUTION_SUCCESS';
    h.clock.advance(60 * 60_000);
    await collect(h);
    expect(await eventsOf(h, B)).toEqual([
      'Cost Anomaly Detected',
      'Budget Threshold Crossed',
      'Budget Threshold Crossed',
      'Budget Action Executed',
      'Budget Threshold Crossed',
      'Budget Threshold Crossed',
    ]);
    expect(
      (await readAccountCosts(h.store, '2026-01', B))?.alerts.map((x) => `${x.type}:${x.thresholdPercent}`),
    ).toEqual(['ACTUAL:80', 'ACTUAL:100', 'FORECASTED:80', 'FORECASTED:100']);
    const view = await listCosts(h.deps, FINANCE, { costCenter: 'CC-2' });
    expect(view.items.map((i) => [i.accountId, i.freeze.state, i.shareUsedPercent])).toEqual([
      [B, 'FROZEN', 120],
    ]);
    expect(view.items[0]?.actual.at).toBeDefined();

    // Only platform releases; the release is an event with who asked.
    await expect(changeFreeze(h.deps, FINANCE, B, 'release')).rejects.toThrow(/finance token may not/);
    const released = await changeFreeze(h.deps, PLATFORM, B, 'release');
    expect(released.freeze).toEqual(
      expect.objectContaining({ state: 'RELEASED', status: 'REVERSE_SUCCESS' }),
    );
    expect((await h.store.get(`req-${B}`))?.events?.at(-1)).toEqual(
      expect.objectContaining({
        type: 'Budget Action Released',
        detail: expect.objectContaining({ by: 'platform', previousStatus: 'EXECUTION_SUCCESS' }),
      }),
    );
    await expect(changeFreeze(h.deps, PLATFORM, B, 'release')).rejects.toThrow(/not frozen/);
    await expect(changeFreeze(h.deps, PLATFORM, A, 'approve')).rejects.toThrow(/not waiting for approval/);

    const report = await showback(h.deps, FINANCE, '2026-01');
    expect(
      report.rows.map((r) => [r.costCenter, r.team, r.accounts, r.actualUsd, r.limitUsd, r.anomalies]),
    ).toEqual([
      ['CC-1', 'payments', 1, 85, 100, 0],
      ['CC-2', 'ledger', 1, 60, 50, 1],
    ]);
    const csv = showbackCsv(report.month, report.rows).split('\r\n');
    expect(csv[0]).toBe(
      'month,costCenter,team,accounts,limitUsd,actualUsd,forecastUsd,shareUsedPercent,alertsFired,frozenAccounts,anomalies,actualAsOf',
    );
    expect(csv[1]).toMatch(/^2026-01,CC-1,payments,1,100,85,60,85,1,0,0,2026-01-15T/);
    expect(
      (await listCosts(h.deps, { role: 'requester', team: 'payments', name: 'p' }, {})).items.map(
        (i) => i.accountId,
      ),
    ).toEqual([A]);
    expect((await listCosts(h.deps, FINANCE, { ou: 'Workloads' })).items.map((i) => i.accountId)).toEqual([
      A,
    ]);
  });

  it('makes the calls its call plan says, paced within the Cost Explorer rate', async () => {
    const n = 250;
    const accounts = Array.from({ length: n }, (_, i) => ({
      id: String(100000000000 + i),
      team: 'payments',
      ou: 'Workloads/NonProd',
      costCenter: `CC-${i % 5}`,
      limit: 1000,
    }));
    const h = await setUp(accounts);
    const ce = h.aws.costExplorer;
    ce.rowsPerPage = 100;
    for (let d = 0; d < 15; d++)
      for (const a of accounts)
        ce.bill.push({ date: addDays('2026-01-01', d), accountId: a.id, usd: 1, estimated: false });
    const finance = FinanceSchema.parse(h.deps.config.config.finance);

    // The month's first run reads from its first day: 15 days.
    const first = await collect(h);
    const reads = (calls: Record<string, number>) =>
      Object.fromEntries(
        [
          'ce:GetCostAndUsage',
          'ce:GetCostForecast',
          'ce:GetAnomalyMonitors',
          'ce:GetAnomalySubscriptions',
          'ce:GetAnomalies',
        ].map((k) => [k.slice(3), calls[k] ?? 0]),
      );
    const plan1 = callPlan({ accounts: n, windowDays: 15, rowsPerPage: 100, monitors: 5 }, finance);
    // Creating the 5 monitors and subscriptions spans steps, each listing them again first.
    expect({ ...reads(ce.calls), GetAnomalyMonitors: 1, GetAnomalySubscriptions: 1 }).toEqual(
      plan1.costExplorer,
    );
    expect(plan1.costExplorer).toEqual({
      GetCostAndUsage: 38,
      GetCostForecast: 11,
      GetAnomalyMonitors: 1,
      GetAnomalySubscriptions: 1,
      GetAnomalies: 1,
    });
    expect(ce.calls['ce:CreateAnomalyMonitor']).toBe(5);
    expect(first.maxCallsPerStep).toBeLessThanOrEqual(callsPerStep(finance));
    expect(first.seconds).toBeGreaterThanOrEqual(
      (plan1.costExplorerTotal - callsPerStep(finance)) / finance.collector.callsPerSecond,
    );

    // An hour later: only the lookback (3 days and today).
    for (const k of Object.keys(ce.calls)) delete ce.calls[k];
    h.clock.advance(60 * 60_000 - first.seconds * 1000);
    await collect(h);
    const plan2 = callPlan({ accounts: n, windowDays: 4, rowsPerPage: 100, monitors: 5 }, finance);
    expect(reads(ce.calls)).toEqual(plan2.costExplorer);
    expect(ce.calls['ce:CreateAnomalyMonitor']).toBeUndefined();
    // Round robin: after 24 runs every account has had its forecast.
    expect((plan2.costExplorer.GetCostForecast ?? 0) * 24).toBeGreaterThanOrEqual(n);
    expect(monthOf(h.clock.now())).toBe('2026-01');
  });

  it('reads each vended account a few times per run, however many steps its publish takes', async () => {
    const n = 450;
    const h = await setUp(
      Array.from({ length: n }, (_, i) => ({
        id: String(300000000000 + i),
        team: 'payments',
        ou: 'Workloads/NonProd',
        costCenter: `CC-${i % 3}`,
        limit: 1000,
      })),
    );
    let read = 0;
    const list = h.store.list.bind(h.store);
    h.store.list = async (query) => {
      const page = await list(query);
      read += page.items.length;
      return page;
    };
    // The first run creates the monitors over several steps, each listing the accounts again.
    await collect(h);
    read = 0;
    h.clock.advance(60 * 60_000);
    await collect(h);
    // Then: the budgets walk, the desired monitors and the publish (3 steps of 200), a pass each.
    expect(read).toBe(3 * n);
    const published = await Promise.all(
      Array.from({ length: n }, (_, i) => readAccountCosts(h.store, '2026-01', String(300000000000 + i))),
    );
    expect(published.filter((c) => c?.actualAt !== undefined)).toHaveLength(n);
    expect((await state(h))?.last?.accounts).toBe(n);
  });

  it('starts the publish over when the run was saved at an offset (before the walk had a cursor)', async () => {
    const h = await setUp([{ id: A, team: 'payments', ou: 'Sandbox', costCenter: 'CC-1', limit: 100 }]);
    const now = h.clock.now().toISOString();
    await h.store.jobs.createJob({
      kind: COLLECTION_JOB,
      id: COLLECTION_ID,
      version: 1,
      attempts: 0,
      nextCheckAt: now,
      createdAt: now,
      updatedAt: now,
      state: {
        run: {
          startedAt: now,
          stage: 'publish',
          month: '2026-01',
          usageFrom: '2026-01-12',
          usageTo: '2026-01-16',
          usageAt: now,
          cursor: '200',
          forecastsLeft: 0,
          calls: {},
          errors: [],
        },
      },
    });
    await collect(h);
    expect((await state(h))?.last?.errors).toEqual([]);
    expect((await readAccountCosts(h.store, '2026-01', A))?.actualAt).toBe(now);
  });

  it('fits 10,000 accounts into Cost Explorer’s rate, with the arithmetic of docs/finance.md', () => {
    const finance = FinanceSchema.parse({});
    const hourly = callPlan({ accounts: 10_000, windowDays: 4, monitors: 500, anomalies: 100 }, finance);
    expect(hourly.costExplorer).toEqual({
      GetCostAndUsage: 40,
      GetCostForecast: 417,
      GetAnomalyMonitors: 5,
      GetAnomalySubscriptions: 5,
      GetAnomalies: 1,
    });
    expect(hourly.costExplorerTotal).toBe(468);
    expect(hourly.seconds).toBe(468);
    expect(hourly.fitsInterval).toBe(true);
    expect(hourly.budgets).toEqual({ DescribeBudgets: 100, DescribeBudgetActionsForAccount: 100 });
    expect(hourly.usdPerRun).toBe(4.68);
    const monthStart = callPlan({ accounts: 10_000, windowDays: 31, monitors: 500, anomalies: 100 }, finance);
    expect(monthStart.costExplorerTotal).toBe(738);
    expect(monthStart.fitsInterval).toBe(true);
    const pessimistic = callPlan(
      { accounts: 10_000, windowDays: 31, rowsPerPage: 100, monitors: 500, anomalies: 100 },
      finance,
    );
    expect(pessimistic.costExplorerTotal).toBe(3528);
    expect(pessimistic.fitsInterval).toBe(true);
  });
});
