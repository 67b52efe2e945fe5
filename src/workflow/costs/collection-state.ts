import { z } from 'zod';

/** The stages of one collection run, in order. */
export const STAGES = ['usage', 'budgets', 'forecasts', 'monitors', 'anomalies', 'publish'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * The collector's durable state (one per organisation): where the current run stands, so a crash
 * or a restart resumes at the page it stopped on, and what the last run did.
 */
export const CollectionSchema = z.object({
  run: z
    .object({
      startedAt: z.string(),
      stage: z.enum(STAGES),
      month: z.string(),
      /** GetCostAndUsage window: [usageFrom, usageTo). */
      usageFrom: z.string(),
      usageTo: z.string(),
      pageToken: z.string().optional(),
      /** Where the stage's walk resumes: a store cursor (publish: over the READY requests). */
      cursor: z.string().optional(),
      /** Forecasts still allowed this run. */
      forecastsLeft: z.number().int().default(0),
      usageAt: z.string().optional(),
      budgetsAt: z.string().optional(),
      anomaliesAt: z.string().optional(),
      calls: z.record(z.string(), z.number()).default({}),
      errors: z.array(z.string()).default([]),
    })
    .optional(),
  /** Where the round-robin of forecasts continues next run (an account id). */
  forecastCursor: z.string().optional(),
  /** The month the last complete run read from its first day (later runs read only the lookback). */
  monthRead: z.string().optional(),
  nextRunAt: z.string().optional(),
  last: z
    .object({
      startedAt: z.string(),
      finishedAt: z.string(),
      accounts: z.number().int(),
      calls: z.record(z.string(), z.number()),
      errors: z.array(z.string()),
    })
    .optional(),
});
export type Collection = z.infer<typeof CollectionSchema>;
export type CollectionRun = NonNullable<Collection['run']>;

/** The collector's job: one per organisation, kind `cost-collection`, id `organization`. */
export const COLLECTION_JOB = 'cost-collection';
export const COLLECTION_ID = 'organization';

/** Counts one call of `operation` on the run (shown by GET /v1/costs and in the call-plan test). */
export function countCall(run: CollectionRun, operation: string, n = 1): void {
  run.calls[operation] = (run.calls[operation] ?? 0) + n;
}
