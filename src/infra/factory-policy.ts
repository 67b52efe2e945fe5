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

/** Read-only actions: Describe*, Get*, List*, View*. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List|View)[A-Z]/;

/**
 * What the API's lifecycle routes still change in AWS themselves, from the management account:
 * alternate contacts (verify now re-applies them). Everything else they start (changes sent with
 * PATCH, moves and the redeploy after them, closures, imports) the worker does, so the API holds no
 * Organizations, Identity Center, Budgets or tagging write.
 */
export const API_WRITE_ACTIONS = ['account:PutAlternateContact'] as const;

/** The writes the lifecycle routes leave to the worker (PATCH changes and moves): never the API's. */
export const WORKER_LIFECYCLE_WRITES = [
  'organizations:MoveAccount',
  'organizations:TagResource',
  'organizations:UntagResource',
  'sso:CreateAccountAssignment',
  'sso:DeleteAccountAssignment',
  'budgets:ModifyBudget',
] as const;

/**
 * The IAM actions the API's role is granted: every read-only action of the worker's (intake looks
 * emails up; verify now reads every control, as the worker's verify step does) and the lifecycle
 * routes' own changes. Settings inside member accounts are read and re-applied under the member
 * role the API assumes, as the worker does.
 */
export function apiActions(): string[] {
  return [...new Set([...workerActions().filter((a) => READ_ONLY.test(a)), ...API_WRITE_ACTIONS])].sort();
}

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
  const { partition } = Stack.of(scope);
  return [
    new PolicyStatement({ actions, resources: ['*'] }),
    new PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [`arn:${partition}:iam::*:role/${member.memberRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': member.organizationId } },
    }),
  ];
}

/** The worker's statements: every adapter action (workerActions). */
export function workerStatements(scope: Construct, member: MemberRoleScope): PolicyStatement[] {
  return statements(scope, workerActions(), member);
}

/** The API's statements: reads and the lifecycle routes' changes (apiActions). */
export function apiStatements(scope: Construct, member: MemberRoleScope): PolicyStatement[] {
  return statements(scope, apiActions(), member);
}
