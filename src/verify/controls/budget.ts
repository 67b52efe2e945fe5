import { budgetName } from '../../domain/names';
import type { Control } from '../verifier';

/** B-1: a monthly budget filtered to the account, with ACTUAL and FORECASTED alerts at each threshold. */
export const budgetControl: Control = {
  id: 'B-1',
  title: 'budget with alerts to finance and the owner',
  seeds: ['002'],
  enforcedBy: 'Budgets',
  settledBy: 'budget',
  async evaluate(ctx) {
    const payer = await ctx.directory.payerAccountId();
    const name = budgetName(ctx.target.accountId);
    const found = await ctx.aws.budgets.findBudget(payer, name);
    if (!found) return [{ status: 'FAIL', evidence: `no budget ${name} in payer account ${payer}` }];
    const problems: string[] = [];
    if (!found.linkedAccountIds.includes(ctx.target.accountId)) {
      problems.push(`filtered to ${found.linkedAccountIds.join(', ') || 'no account'}`);
    }
    for (const threshold of ctx.target.spec.budget.thresholdsPercent) {
      for (const type of ['ACTUAL', 'FORECASTED'] as const) {
        if (!found.notifications.some((n) => n.type === type && n.thresholdPercent === threshold)) {
          problems.push(`no ${type} alert at ${threshold} %`);
        }
      }
    }
    return [
      problems.length === 0
        ? {
            status: 'PASS',
            evidence: `${name}: ${found.monthlyLimitUsd} USD, ${found.notifications.length} alerts, account ${ctx.target.accountId}`,
          }
        : { status: 'FAIL', evidence: `${name}: ${problems.join('; ')}` },
    ];
  },
};
