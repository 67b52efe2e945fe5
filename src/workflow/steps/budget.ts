import { normaliseEmail } from '../../domain/account-request';
import { accountIdOf, done, type Step } from '../step';

/** The budget's name in the payer account: one per vended account. */
export function budgetName(accountId: string): string {
  return `avf-${accountId}`;
}

/**
 * A monthly cost budget in the payer account, filtered to the new account, whose ACTUAL and
 * FORECASTED alerts reach finance and the owner (B-1). Looks before it creates.
 */
export const budget: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const payer = await deps.directory.payerAccountId();
  const name = budgetName(accountId);
  const cfg = deps.config.config.budgets;
  const existing = await deps.aws.budgets.findBudget(payer, name);
  if (!existing) {
    const emails = [...new Set([...cfg.financeRecipients, record.spec.owner.email].map(normaliseEmail))];
    await deps.aws.budgets.createBudget(payer, {
      name,
      linkedAccountId: accountId,
      monthlyLimitUsd: record.spec.budget.monthlyLimitUsd,
      thresholdsPercent: record.spec.budget.thresholdsPercent,
      emails,
      snsTopicArn: cfg.snsTopicArn,
    });
  }
  record.handles.budgetName = name;
  await checkpoint();
  return done(
    `${name}: ${record.spec.budget.monthlyLimitUsd} USD a month, alerts at ${record.spec.budget.thresholdsPercent.join('/')} %`,
  );
};
