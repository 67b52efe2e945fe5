import type { FinanceConfig } from '../../config/finance-schema';

/**
 * How many calls one collection run makes for N accounts, and whether they fit Cost Explorer's
 * request rate within the run interval. The collector paces itself by the same numbers (forecasts
 * per run, calls per step), so the plan is what it does. docs/finance.md shows the arithmetic.
 */

/** Group rows (account × day) per GetCostAndUsage page. AWS does not publish it; an assumption. */
export const ASSUMED_ROWS_PER_PAGE = 1000;
/** Items per page of DescribeBudgets and DescribeBudgetActionsForAccount (MaxResults 100). */
export const BUDGETS_PAGE_SIZE = 100;
/** Cost Explorer's price per request (each page is a request). */
export const USD_PER_CE_REQUEST = 0.01;
/** Cost Explorer calls per collector step: the step then waits calls ÷ callsPerSecond. */
export const STEP_SECONDS = 5;

export function callsPerStep(finance: FinanceConfig): number {
  return Math.max(1, Math.floor(finance.collector.callsPerSecond * STEP_SECONDS));
}

/** Accounts forecast per run so that each is forecast once every `forecastEveryHours`. */
export function forecastsPerRun(accounts: number, finance: FinanceConfig): number {
  const { intervalMinutes, forecastEveryHours } = finance.collector;
  return Math.ceil((accounts * intervalMinutes) / (forecastEveryHours * 60));
}

export interface CallPlanInput {
  accounts: number;
  /** Days the usage window spans: lookbackDays + today (a month's first run: up to 31). */
  windowDays: number;
  /** Accounts with spend in the window (rows are only returned for them); default all. */
  spendingAccounts?: number;
  rowsPerPage?: number;
  /** Anomaly monitors (cost centres, or accounts) and their subscriptions. */
  monitors: number;
  /** Anomalies in the lookback window (GetAnomalies pages). */
  anomalies?: number;
  anomaliesPerPage?: number;
}

export interface CallPlan {
  /** Cost Explorer requests per run, by operation. */
  costExplorer: Record<string, number>;
  costExplorerTotal: number;
  /** AWS Budgets requests per run (not a Cost Explorer quota). */
  budgets: Record<string, number>;
  /** Seconds the run needs at `callsPerSecond`. */
  seconds: number;
  fitsInterval: boolean;
  usdPerRun: number;
  usdPerMonth: number;
}

const pages = (items: number, perPage: number): number => Math.max(1, Math.ceil(items / perPage));

export function callPlan(input: CallPlanInput, finance: FinanceConfig): CallPlan {
  const rows = (input.spendingAccounts ?? input.accounts) * input.windowDays;
  const perList = 100;
  const costExplorer = {
    GetCostAndUsage: pages(rows, input.rowsPerPage ?? ASSUMED_ROWS_PER_PAGE),
    GetCostForecast: forecastsPerRun(input.accounts, finance),
    GetAnomalyMonitors: pages(input.monitors, perList),
    GetAnomalySubscriptions: pages(input.monitors, perList),
    GetAnomalies: pages(input.anomalies ?? 0, input.anomaliesPerPage ?? perList),
  };
  const costExplorerTotal = Object.values(costExplorer).reduce((a, b) => a + b, 0);
  const budgets = {
    DescribeBudgets: pages(input.accounts, BUDGETS_PAGE_SIZE),
    DescribeBudgetActionsForAccount: pages(input.accounts, BUDGETS_PAGE_SIZE),
  };
  const seconds = costExplorerTotal / finance.collector.callsPerSecond;
  const runsPerMonth = (30 * 24 * 60) / finance.collector.intervalMinutes;
  const usdPerRun = costExplorerTotal * USD_PER_CE_REQUEST;
  return {
    costExplorer,
    costExplorerTotal,
    budgets,
    seconds,
    fitsInterval: seconds < finance.collector.intervalMinutes * 60,
    usdPerRun: Math.round(usdPerRun * 100) / 100,
    usdPerMonth: Math.round(usdPerRun * runsPerMonth * 100) / 100,
  };
}
