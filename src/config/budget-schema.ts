import { z } from 'zod';
import { budgetAmountUsd } from '../domain/account-request';

/**
 * A cap on the monthly limit of each account in an OU (and the OUs below it) or of each account of
 * a team. Above `approvalAboveUsd` a request waits for a platform approval; above
 * `maxMonthlyLimitUsd` it is refused.
 */
export const BudgetCapSchema = z
  .object({
    organizationalUnit: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    maxMonthlyLimitUsd: budgetAmountUsd,
    approvalAboveUsd: budgetAmountUsd.optional(),
  })
  .strict()
  .refine((c) => (c.organizationalUnit === undefined) !== (c.team === undefined), {
    message: 'a cap names exactly one of organizationalUnit or team',
  })
  .refine((c) => c.approvalAboveUsd === undefined || c.approvalAboveUsd < c.maxMonthlyLimitUsd, {
    message: 'approvalAboveUsd must be below maxMonthlyLimitUsd',
    path: ['approvalAboveUsd'],
  });
export type BudgetCap = z.infer<typeof BudgetCapSchema>;

export const BudgetsSchema = z
  .object({
    defaultMonthlyLimitUsd: budgetAmountUsd,
    defaultThresholdsPercent: z.array(z.number().positive().max(1000)).min(1).max(5),
    financeRecipients: z.array(z.email()).min(1).max(9),
    /** Optional SNS topic that also receives every budget alert. */
    snsTopicArn: z.string().optional(),
    /**
     * The range every alert threshold must lie in; at least one threshold must be at or below 100 %
     * so an alert fires before the limit is spent.
     */
    thresholdsPercent: z
      .object({ min: z.number().positive().default(1), max: z.number().positive().max(1000).default(200) })
      .strict()
      .prefault({}),
    /** Caps on the monthly limit per OU and per team (the lowest applicable cap wins). */
    caps: z.array(BudgetCapSchema).default([]),
  })
  .strict();
export type BudgetsConfig = z.infer<typeof BudgetsSchema>;
