import { z } from 'zod';

/**
 * Spend as the factory keeps it: per account and calendar month (UTC), what Cost Explorer and AWS
 * Budgets reported, each figure with the time it was collected (its freshness).
 */

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const MonthSchema = z.string().regex(MONTH_PATTERN, 'a month: YYYY-MM');

/** `YYYY-MM` of a moment, in UTC (Cost Explorer's days are UTC days). */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** `YYYY-MM-DD` of a moment, in UTC. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The month's first day and the next month's first day (Cost Explorer's end is exclusive). */
export function monthRange(month: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1));
  return { start: `${month}-01`, end: dayOf(next) };
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `day` moved by `n` days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return dayOf(d);
}

/** Cents-exact sum (floating point USD from Cost Explorer accumulates noise). */
export const roundUsd = (usd: number): number => Math.round(usd * 100) / 100;

export const ALERT_TYPES = ['ACTUAL', 'FORECASTED'] as const;
export const AlertSchema = z.object({
  type: z.enum(ALERT_TYPES),
  thresholdPercent: z.number(),
  /** When the collector first saw the figure past the threshold. */
  firedAt: z.string(),
  amountUsd: z.number(),
});
export type CostAlert = z.infer<typeof AlertSchema>;

/**
 * A budget action's state as AWS Budgets reports it: STANDBY (armed), PENDING (waiting for
 * approval), EXECUTION_* (freeze applied or failing), REVERSE_* (released), RESET_*.
 */
export const FreezeSchema = z.object({
  actionId: z.string(),
  budgetName: z.string(),
  status: z.string(),
  approval: z.enum(['AUTOMATIC', 'MANUAL']),
  thresholdPercent: z.number(),
  /** Seen by the collector or changed through the API, newest last. */
  history: z.array(z.object({ status: z.string(), at: z.string(), by: z.string().optional() })).default([]),
  at: z.string(),
});
export type FreezeState = z.infer<typeof FreezeSchema>;

export const AnomalySchema = z.object({
  id: z.string(),
  startDate: z.string(),
  endDate: z.string().optional(),
  impactUsd: z.number(),
  maxScore: z.number(),
  rootCause: z.string().optional(),
  monitorArn: z.string(),
  detectedAt: z.string(),
});
export type CostAnomaly = z.infer<typeof AnomalySchema>;

/** One account's month (store document kind `costs-YYYY-MM`, id the account id). */
export const AccountCostsSchema = z.object({
  accountId: z.string(),
  month: MonthSchema,
  /** Unblended cost per UTC day, credits and refunds excluded. */
  days: z.record(z.string(), z.number()).default({}),
  actualUsd: z.number().default(0),
  actualAt: z.string().optional(),
  /** Days Cost Explorer still flags as estimated. */
  estimated: z.boolean().default(false),
  forecastUsd: z.number().optional(),
  forecastAt: z.string().optional(),
  /** The account's AWS budget: its limit and AWS Budgets' own calculated spend. */
  budget: z
    .object({
      name: z.string(),
      limitUsd: z.number(),
      actualUsd: z.number(),
      forecastUsd: z.number().optional(),
      at: z.string(),
    })
    .optional(),
  alerts: z.array(AlertSchema).default([]),
  freeze: FreezeSchema.optional(),
  anomalies: z.array(AnomalySchema).default([]),
  anomaliesAt: z.string().optional(),
});
export type AccountCosts = z.infer<typeof AccountCostsSchema>;

/** The store document kind holding a month's accounts. */
export const costsKind = (month: string): string => `costs-${month}`;
