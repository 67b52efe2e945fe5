import { z } from 'zod';
import type { Problem } from '../domain/errors';

/**
 * What finance gets beyond a budget e-mail: the spend collector's schedule and Cost Explorer
 * budget, spending freezes (AWS Budgets actions) per OU or team, Cost Anomaly Detection, and the
 * cost allocation tags bootstrap activates.
 */
export const FreezeRuleSchema = z
  .object({
    /** Accounts in this OU (exactly one of organizationalUnit and team). */
    organizationalUnit: z.string().min(1).optional(),
    /** Accounts of this team. */
    team: z.string().min(1).optional(),
    /** Percentage of the monthly budget (ACTUAL spend) at which AWS Budgets applies the freeze SCP. */
    thresholdPercent: z.number().positive().max(1000).default(100),
    /** automatic: AWS applies it at once; manual: it waits for a platform approval. */
    approval: z.enum(['automatic', 'manual']).default('manual'),
  })
  .strict();
export type FreezeRule = z.infer<typeof FreezeRuleSchema>;

export const FinanceSchema = z
  .object({
    collector: z
      .object({
        /** Minutes between collections (Cost Explorer refreshes its data a few times a day). */
        intervalMinutes: z.number().int().min(5).max(1440).default(60),
        /** Cost Explorer calls per second, all workers together (see docs/finance.md). */
        callsPerSecond: z.number().positive().max(5).default(1),
        /** Days before today read again each run: Cost Explorer revises recent days. */
        lookbackDays: z.number().int().min(1).max(31).default(3),
        /** Hours between two forecasts of one account (GetCostForecast is one call per account). */
        forecastEveryHours: z.number().int().min(1).max(744).default(24),
      })
      .strict()
      .prefault({}),
    /** The SCP (a key of `policies`) budget actions apply; it is created by bootstrap, attached to nothing. */
    freezePolicy: z.string().default('spending-freeze'),
    /** The management account's role AWS Budgets assumes to attach and detach it (bootstrap creates it). */
    executionRoleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/)
      .default('avf-budget-actions'),
    freezes: z.array(FreezeRuleSchema).default([]),
    anomalies: z
      .object({
        /** costCenter: one monitor per cost centre (tag CostCenter); linkedAccount: one per account. */
        monitorBy: z.enum(['costCenter', 'linkedAccount']).default('costCenter'),
        /** Alert when an anomaly's total impact reaches this many USD … */
        thresholdUsd: z.number().positive().default(100),
        /** … or this percentage above the expected spend. */
        thresholdPercent: z.number().positive().optional(),
        frequency: z.enum(['DAILY', 'WEEKLY']).default('DAILY'),
        /** Subscribe the accounts' owners as well as the finance recipients. */
        notifyOwners: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Account tag keys bootstrap activates as cost allocation tags (G-12). */
    costAllocationTags: z.array(z.string().min(1).max(128)).min(1).default(['CostCenter', 'Team', 'Owner']),
  })
  .strict();
export type FinanceConfig = z.infer<typeof FinanceSchema>;

/** Meaning checks: each freeze names one OU or one team that exists; the freeze SCP is defined. */
export function financeProblems(
  finance: FinanceConfig,
  known: { ous: string[]; teams: string[]; policies: string[] },
): Problem[] {
  const problems: Problem[] = [];
  finance.freezes.forEach((rule, i) => {
    const path = `finance.freezes[${i}]`;
    if ((rule.organizationalUnit === undefined) === (rule.team === undefined))
      problems.push({ path, message: 'name exactly one of organizationalUnit and team' });
    if (rule.organizationalUnit !== undefined && !known.ous.includes(rule.organizationalUnit))
      problems.push({
        path: `${path}.organizationalUnit`,
        message: `OU ${rule.organizationalUnit} is not listed`,
      });
    if (rule.team !== undefined && !known.teams.includes(rule.team))
      problems.push({ path: `${path}.team`, message: `team ${rule.team} is not defined` });
  });
  if (finance.freezes.length > 0 && !known.policies.includes(finance.freezePolicy))
    problems.push({
      path: 'finance.freezePolicy',
      message: `policy ${finance.freezePolicy} is not defined under policies`,
    });
  return problems;
}

/** The freeze rule for an account: its team's, else its OU's (the nearest OU up the path). */
export function freezeRuleFor(
  finance: FinanceConfig,
  account: { team: string; organizationalUnit: string },
): FreezeRule | undefined {
  const byTeam = finance.freezes.find((r) => r.team === account.team);
  if (byTeam) return byTeam;
  const parts = account.organizationalUnit.split('/');
  for (let n = parts.length; n > 0; n--) {
    const path = parts.slice(0, n).join('/');
    const byOu = finance.freezes.find((r) => r.organizationalUnit === path);
    if (byOu) return byOu;
  }
  return undefined;
}
