import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ADAPTER_IAM_ACTIONS } from '../aws/iam-actions';

/**
 * The IAM actions the worker's role is granted, derived from the adapters' list (the README
 * prints the same list). `memberAccount` actions run in member accounts under the assumed
 * role, so only its `account:` actions (called from the management account) are granted here.
 */
export function workerActions(): string[] {
  const { memberAccount, sts, ...managementAccount } = ADAPTER_IAM_ACTIONS;
  const actions = [
    ...Object.values(managementAccount).flat(),
    ...sts.filter((a) => a !== 'sts:AssumeRole'),
    ...memberAccount.filter((a) => a.startsWith('account:')),
  ];
  return [...new Set(actions)].sort();
}

/** The API needs only to look an email up among the organisation's accounts. */
export const API_ACTIONS = ['organizations:ListAccounts'] as const;

/**
 * Statements for the worker: every action by name on `*` (Organizations, StackSets, Identity
 * Center and Budgets take account- and resource-ids the factory creates at run time), and
 * AssumeRole only into the member accounts' access role.
 */
export function workerStatements(scope: Construct, memberRoleName: string): PolicyStatement[] {
  const { partition } = Stack.of(scope);
  return [
    new PolicyStatement({ actions: workerActions(), resources: ['*'] }),
    new PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [`arn:${partition}:iam::*:role/${memberRoleName}`],
    }),
  ];
}
