import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ADAPTER_IAM_ACTIONS } from '../aws/iam-actions';
import { BUDGET_NAME_PREFIX } from '../domain/names';

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

/** Read-only actions: Describe*, Get*, List*, View*. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List|View)[A-Z]/;

/**
 * The writes the lifecycle routes leave to the worker (changes sent with PATCH, moves, verify
 * now's remediation): never the API's. The API holds no AWS write at all, and no sts:AssumeRole.
 */
export const WORKER_LIFECYCLE_WRITES = [
  'organizations:MoveAccount',
  'organizations:TagResource',
  'organizations:UntagResource',
  'sso:CreateAccountAssignment',
  'sso:DeleteAccountAssignment',
  'budgets:ModifyBudget',
  'account:PutAlternateContact',
] as const;

/**
 * The IAM actions the API's role is granted: the read-only actions of the worker's (intake looks
 * emails up, PATCH and intake check Identity Center, imports and moves look the account up).
 * Everything that changes AWS or runs in a member account (verify now included) is the
 * worker's: the API stores the job.
 */
export function apiActions(): string[] {
  return workerActions().filter((a) => READ_ONLY.test(a));
}

/** The Budgets writes, which take the budget's (or its action's) ARN: scoped to the factory's budgets. */
const BUDGET_WRITES = new Set([
  'budgets:ModifyBudget',
  'budgets:CreateBudgetAction',
  'budgets:ExecuteBudgetAction',
]);

/** Whom the factory's roles may assume: the access role, and only in accounts of its organisation. */
export interface MemberRoleScope {
  memberRoleName: string;
  /** The organisation id (`o-…`): `aws:ResourceOrgID` must equal it for sts:AssumeRole. */
  organizationId: string;
}

/**
 * Statements granting `actions` by name on `*` (Organizations, StackSets, Identity Center and
 * Budgets take account- and resource-ids the factory creates at run time), and AssumeRole only
 * into the member accounts' access role, only in the factory's own organisation
 * (`aws:ResourceOrgID`): a role of that name in any other account is out of reach.
 */
function statements(scope: Construct, actions: string[], member: MemberRoleScope): PolicyStatement[] {
  const { partition, account } = Stack.of(scope);
  const budgetWrites = actions.filter((a) => BUDGET_WRITES.has(a));
  return [
    new PolicyStatement({ actions: actions.filter((a) => !BUDGET_WRITES.has(a)), resources: ['*'] }),
    // Budgets are named by the factory (`avf-<account id>`) in the management account: its
    // writes reach those budgets and their actions, no other team's.
    ...(budgetWrites.length > 0
      ? [
          new PolicyStatement({
            actions: budgetWrites,
            resources: [
              `arn:${partition}:budgets::${account}:budget/${BUDGET_NAME_PREFIX}*`,
              `arn:${partition}:budgets::${account}:budget/${BUDGET_NAME_PREFIX}*/action/*`,
            ],
          }),
        ]
      : []),
    new PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [`arn:${partition}:iam::*:role/${member.memberRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': member.organizationId } },
    }),
  ];
}

/** The worker's statements: every adapter action (workerActions) and AssumeRole into members. */
export function workerStatements(scope: Construct, member: MemberRoleScope): PolicyStatement[] {
  return statements(scope, workerActions(), member);
}

/** The API's statement: reads from the management account only (apiActions); no AssumeRole. */
export function apiStatements(): PolicyStatement[] {
  return [new PolicyStatement({ actions: apiActions(), resources: ['*'] })];
}
