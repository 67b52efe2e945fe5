import { freezeRuleFor } from '../../config/finance-schema';
import { budgetName } from '../../domain/names';
import type { Control } from '../verifier';

/**
 * B-2: where the config's finance.freezes rule covers the account's OU or team, its budget has the
 * AWS Budgets action that applies the spending-freeze SCP to it at the rule's threshold, with the
 * rule's approval model. An account no rule covers needs none, and the evidence says so.
 */
export const budgetFreezeControl: Control = {
  id: 'B-2',
  title: 'spending freeze armed where the config asks for one',
  seeds: ['002'],
  enforcedBy: 'Budgets',
  settledBy: 'budget',
  emulatorGap: 'moto has no budget actions (the AWS behaviour layer emulates them)',
  async evaluate(ctx) {
    const { spec, accountId } = ctx.target;
    const finance = ctx.config.config.finance;
    const rule = freezeRuleFor(finance, {
      team: spec.owner.team,
      organizationalUnit: spec.organizationalUnit,
    });
    if (!rule)
      return [
        {
          status: 'PASS',
          evidence: `no freeze rule for OU ${spec.organizationalUnit} or team ${spec.owner.team}: none needed`,
        },
      ];
    const payer = await ctx.directory.payerAccountId();
    const name = budgetName(accountId);
    const policyId = await ctx.directory.policyId(finance.freezePolicy);
    const approval = rule.approval === 'automatic' ? 'AUTOMATIC' : 'MANUAL';
    const actions = await ctx.aws.budgets.listActionsOfBudget(payer, name);
    const found = actions.find((a) => a.policyId === policyId && a.targetIds.includes(accountId));
    if (!found)
      return [
        {
          status: 'FAIL',
          evidence: `${name} has no action applying ${finance.freezePolicy} (${policyId}) to ${accountId}`,
        },
      ];
    const problems = [
      ...(found.thresholdPercent === rule.thresholdPercent
        ? []
        : [`threshold ${found.thresholdPercent} %, not ${rule.thresholdPercent} %`]),
      ...(found.approval === approval ? [] : [`approval ${found.approval}, not ${approval}`]),
    ];
    const evidence = `${name}: action ${found.actionId} applies ${finance.freezePolicy} at ${found.thresholdPercent} % (${found.approval}), ${found.status}`;
    return [
      problems.length === 0
        ? { status: 'PASS', evidence }
        : { status: 'FAIL', evidence: `${evidence}: ${problems.join('; ')}` },
    ];
  },
};
