import { AwsError } from '../../domain/errors';
import { monthOf } from '../../domain/costs';
import type { WorkflowDeps } from '../step';
import { ensureMonitors, readAnomalies } from './anomaly-stages';
import { forecastsPerRun } from './call-plan';
import { STAGES, type Collection, type CollectionRun, type Stage } from './collection-state';
import { countManagedAccounts } from './inventory';
import { publish } from './publish';
import { readBudgets, readForecasts, readUsage, usageWindow, type StageResult } from './read-stages';

/**
 * When to step again (already scaled by `worker.timeScale`, like every delay) and what happened,
 * for the job engine and the logs.
 */
export interface CollectOutcome {
  nextAt: Date;
  detail: string;
}

/** A transient AWS error (throttling, 5xx) waits this long before the same page is tried again. */
const RETRY_MS = 30_000;

function startRun(deps: WorkflowDeps, state: Collection, accounts: number, now: Date): CollectionRun {
  const finance = deps.config.config.finance;
  const window = usageWindow(now, finance.collector.lookbackDays, state.monthRead);
  return {
    startedAt: now.toISOString(),
    stage: 'usage',
    month: monthOf(now),
    usageFrom: window.from,
    usageTo: window.to,
    forecastsLeft: Math.min(accounts, forecastsPerRun(accounts, finance)),
    calls: {},
    errors: [],
  };
}

async function runStage(deps: WorkflowDeps, state: Collection, run: CollectionRun): Promise<StageResult> {
  const ce = deps.aws.costExplorer;
  if (!ce) throw new AwsError('ce:GetCostAndUsage', 'NotConfigured', 'no Cost Explorer client', false);
  switch (run.stage) {
    case 'usage':
      return readUsage(deps, ce, run);
    case 'budgets':
      return readBudgets(deps, run);
    case 'forecasts':
      return readForecasts(deps, ce, state, run);
    case 'monitors':
      return ensureMonitors(deps, ce, run);
    case 'anomalies':
      return readAnomalies(deps, ce, run);
    case 'publish':
      return publish(deps, run);
  }
}

const nextStage = (stage: Stage): Stage | undefined => STAGES[STAGES.indexOf(stage) + 1];

/**
 * One short step of the spend collector, a durable job: reads one stage's worth of Cost Explorer
 * and Budgets calls (at most `callsPerSecond × 5 s` Cost Explorer calls), writes what it read to
 * the accounts' month documents, and says when to step again — paced so that the calls stay
 * within `finance.collector.callsPerSecond`. `state` is the job's record, changed in place.
 */
export async function collectCostsStep(deps: WorkflowDeps, state: Collection): Promise<CollectOutcome> {
  const finance = deps.config.config.finance;
  const now = deps.clock.now();
  if (!state.run) {
    if (state.nextRunAt && now < new Date(state.nextRunAt))
      return { nextAt: new Date(state.nextRunAt), detail: `next collection at ${state.nextRunAt}` };
    state.run = startRun(deps, state, await countManagedAccounts(deps.store), now);
  }
  const run = state.run;
  const stage = run.stage;
  let result: StageResult;
  try {
    result = await runStage(deps, state, run);
  } catch (e) {
    if (e instanceof AwsError && e.retryable)
      return { nextAt: new Date(now.getTime() + RETRY_MS), detail: `${stage}: ${e.message}; trying again` };
    // One part failing (an API the account lacks, a refused call) does not keep the others from running.
    run.errors.push(`${stage}: ${(e as Error).message}`.slice(0, 500));
    delete run.pageToken;
    result = { done: true, calls: 0 };
  }
  const scale = deps.config.config.worker.timeScale;
  const paceMs = (result.calls / finance.collector.callsPerSecond) * 1000 * scale;
  if (!result.done) return { nextAt: new Date(now.getTime() + paceMs), detail: `${stage}: continuing` };
  const next = nextStage(stage);
  if (next) {
    run.stage = next;
    delete run.pageToken;
    delete run.cursor;
    return { nextAt: new Date(now.getTime() + paceMs), detail: `${stage}: done` };
  }
  const finishedAt = deps.clock.now();
  state.last = {
    startedAt: run.startedAt,
    finishedAt: finishedAt.toISOString(),
    accounts: await countManagedAccounts(deps.store),
    calls: run.calls,
    errors: run.errors.slice(0, 20),
  };
  state.monthRead = run.month;
  state.nextRunAt = new Date(
    new Date(run.startedAt).getTime() + finance.collector.intervalMinutes * 60_000,
  ).toISOString();
  delete state.run;
  return { nextAt: new Date(state.nextRunAt), detail: `collected; next at ${state.nextRunAt}` };
}
