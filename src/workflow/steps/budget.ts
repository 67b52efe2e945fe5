import { normaliseEmail, type AccountSpec } from '../../domain/account-request';
import type { FactoryConfig } from '../../config/schema';
import { budgetName } from '../../domain/names';
import type { BudgetSpec } from '../../domain/ports/aws';
import { emulatorGap } from '../../bootstrap/org-services';
import { createFreezeActionIfRuled } from '../costs/freeze';
import { accountIdOf, done, type Step, type WorkflowDeps } from '../step';

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
 * The spending freeze (B-2) where the config's rule for the account's OU or team asks for one: an
 * AWS Budgets action on its budget. Looks before it creates, unless the budget was created just now
 * (`fresh`: it has no actions yet); returns the line for the step's detail.
 * On the emulator without budget actions (plain moto) it says so instead of failing.
 */
async function armFreeze(
  deps: WorkflowDeps,
  account: { accountId: string; team: string; spec: AccountSpec },
  payer: string,
  fresh: boolean,
): Promise<string> {
  try {
    const existing = fresh
      ? []
      : await deps.aws.budgets.listActionsOfBudget(payer, budgetName(account.accountId));
    const action = existing[0] ?? (await createFreezeActionIfRuled(deps, account));
    return action
      ? `; spending freeze at ${action.thresholdPercent} % (${action.approval}), ${action.status}`
      : '';
  } catch (err) {
    const gap = emulatorGap(err, deps.verifier.emulator);
    if (gap === undefined) throw err;
    return `; spending freeze not armed: ${gap}`;
  }
}

/**
 * A monthly cost budget in the payer account, filtered to the new account, whose ACTUAL and
 * FORECASTED alerts reach finance and the owner (B-1), and its spending freeze where the config
 * asks for one (B-2). CreateBudget first (a budget of that name already there is kept as it is),
 * so a new account's budget costs one call.
 */
export const budget: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const payer = await deps.directory.payerAccountId();
  const name = budgetName(accountId);
  const created = await deps.aws.budgets.createBudget(
    payer,
    budgetSpecOf(accountId, record.spec, deps.config.config),
  );
  const freeze = await armFreeze(deps, { accountId, team: record.team, spec: record.spec }, payer, created);
  record.handles.budgetName = name;
  await checkpoint();
  return done(
    `${name}: ${record.spec.budget.monthlyLimitUsd} USD a month, alerts at ${record.spec.budget.thresholdsPercent.join('/')} %${freeze}`,
  );
};
