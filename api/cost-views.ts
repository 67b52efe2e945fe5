import { z } from 'zod';
import { AlertSchema, AnomalySchema, MonthSchema } from '../src/domain/costs';

/** A figure with the time it was collected: freshness travels with every number. */
const Figure = z.object({
  usd: z.number(),
  at: z.string().optional().describe('when it was collected (absent: not collected yet)'),
});

export const AccountCostViewSchema = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    team: z.string(),
    costCenter: z.string(),
    organizationalUnit: z.string(),
    owner: z.string(),
    limit: Figure.describe('the monthly budget'),
    actual: Figure.extend({ estimated: z.boolean() }).describe(
      'month-to-date unblended cost from Cost Explorer, credits and refunds excluded',
    ),
    forecast: Figure.optional().describe(
      'spent before the forecast day plus Cost Explorer’s forecast to month end',
    ),
    shareUsedPercent: z.number().describe('actual ÷ limit'),
    budgetCalculated: z
      .object({ actualUsd: z.number(), forecastUsd: z.number().optional(), at: z.string() })
      .optional()
      .describe('AWS Budgets’ own calculated spend, what its alerts and actions act on'),
    alerts: z.array(AlertSchema).describe('thresholds crossed this month, with when the collector saw them'),
    freeze: z.object({
      state: z.enum(['NONE', 'ARMED', 'PENDING_APPROVAL', 'FROZEN', 'RELEASED', 'FAILED']),
      status: z.string().optional().describe('the AWS Budgets action status'),
      approval: z.string().optional(),
      thresholdPercent: z.number().optional(),
      at: z.string().optional(),
      history: z.array(z.object({ status: z.string(), at: z.string(), by: z.string().optional() })),
    }),
    anomalies: z.array(AnomalySchema),
    anomaliesAt: z.string().optional(),
  })
  .meta({ id: 'AccountCosts' });

export const CollectionStatusSchema = z
  .object({
    lastStartedAt: z.string().optional(),
    lastFinishedAt: z.string().optional(),
    running: z.string().optional(),
    nextRunAt: z.string().optional(),
    errors: z.array(z.string()),
  })
  .meta({ id: 'CostCollection' });

export const CostsResponseSchema = z.object({
  month: MonthSchema,
  items: z.array(AccountCostViewSchema),
  collection: CollectionStatusSchema,
});

export const ShowbackRowSchema = z
  .object({
    costCenter: z.string(),
    team: z.string(),
    accounts: z.number().int(),
    limitUsd: z.number(),
    actualUsd: z.number(),
    forecastUsd: z.number(),
    shareUsedPercent: z.number(),
    alertsFired: z.number().int(),
    frozenAccounts: z.number().int(),
    anomalies: z.number().int(),
    actualAsOf: z.string().optional(),
  })
  .meta({ id: 'ShowbackRow' });
