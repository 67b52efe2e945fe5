import { normaliseEmail, type AccountSpec } from '../../domain/account-request';
import type { FactoryConfig } from '../../config/schema';
import { budgetName } from '../../domain/names';
import type { BudgetSpec } from '../../domain/ports/aws';
import { accountIdOf, done, type Step } from '../step';

/** The account's budget as the spec and config want it: alerts to finance and the owner. */
export function budgetSpecOf(accountId: string, spec: AccountSpec, config: FactoryConfig): BudgetSpec {
  const cfg = config.budgets;
  return {
    name: budgetName(accountId),
    linkedAccountId: accountId,
    monthlyLimitUsd: spec.budget.monthlyLimitUsd,
    thresholdsPercent: spec.budget.thresholdsPercent,
    emails: [...new Set([...cfg.financeRecipients, spec.owner.email].map(normaliseEmail))],
    snsTopicArn: cfg.snsTopicArn,
  };
}

/**
 * A monthly cost budget in the payer account, filtered to the new account, whose ACTUAL and
 * FORECASTED alerts reach finance and the owner (B-1). Looks before it creates.
 */
export const budget: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const payer = await deps.directory.payerAccountId();
  const name = budgetName(accountId);
  const existing = await deps.aws.budgets.findBudget(payer, name);
  if (!existing) {
    await deps.aws.budgets.createBudget(payer, budgetSpecOf(accountId, record.spec, deps.config.config));
  }
  record.handles.budgetName = name;
  await checkpoint();
  return done(
    `${name}: ${record.spec.budget.monthlyLimitUsd} USD a month, alerts at ${record.spec.budget.thresholdsPercent.join('/')} %`,
  );
};
