import type { BehaviourProfile } from '../../src/local/aws-behaviour/profile';

/** Stack instances one StackSet deploys at once (docs/aws-limits.md: 100; the behaviour layer models it). */
export const STACK_INSTANCES_AT_ONCE = 100;

/** What bounds a vend from below: the emulated durations and AWS's quotas of one behaviour profile. */
export interface BoundInputs {
  accounts: number;
  /** How long one CreateAccount stays IN_PROGRESS. */
  createAccountMs: number;
  /** CreateAccount requests AWS lets an organisation have in progress at once (5). */
  createAccountsInProgress: number;
  /** How long one StackSet operation runs. */
  stackSetOperationMs: number;
  /** StackSets every account is deployed to; they run side by side, so their count adds no time. */
  stackSets: number;
  /** Stack instances per account and StackSet (its regions). */
  regions: number;
  /** Stack instances a StackSet deploys at once; an operation with more takes a T_op per hundred. */
  stackInstancesAtOnce: number;
  /** How long one CreateAccountAssignment stays IN_PROGRESS. */
  assignmentMs: number;
  /** Assignments (group × permission set) each account gets. */
  assignmentsPerAccount: number;
  /** CreateAccountAssignment requests Identity Center lets be outstanding at once (10). */
  assignmentsOutstanding: number;
}

export function boundInputs(
  profile: BehaviourProfile,
  vend: { accounts: number; stackSets: number; regions: number; assignmentsPerAccount: number },
): BoundInputs {
  return {
    ...vend,
    stackInstancesAtOnce: STACK_INSTANCES_AT_ONCE,
    createAccountMs: profile.createAccount.durationMs,
    createAccountsInProgress: profile.createAccount.maxInProgress,
    stackSetOperationMs: profile.stackSets.operationMs,
    assignmentMs: profile.assignments.durationMs,
    assignmentsOutstanding: profile.assignments.maxOutstanding,
  };
}

/**
 * The shortest makespan any factory following the vend's order (account, then baseline, then
 * access; the other phases take no emulated time) could reach for N accounts submitted at once:
 *
 *   LB(N) = max( ceil(N / C) × T_create + T_op + T_assign,
 *                T_create + ceil(N × R / I) × T_op + T_assign,
 *                T_create + T_op + ceil(N × k / M) × T_assign )
 *
 * The first term is the last account's critical path: with C CreateAccount in progress at a time,
 * the last of N accounts exists at ceil(N / C) × T_create at the earliest; every StackSet then
 * needs at least one operation that includes it (the StackSets run side by side: one T_op), and
 * its access an assignment. The second is StackSets' throughput: each StackSet runs one operation
 * at a time and deploys at most I stack instances at once, so its N × R instances (R regions)
 * take ceil(N × R / I) operation times, none before the first account exists. The third is
 * Identity Center's quota: no assignment can start before the first account is baselined, and the
 * N × k assignments go at most M at a time. For the example organisation (C = 5, R = 2, I = 100,
 * k = 1, M = 10) the first term dominates at every N.
 */
export function lowerBoundMs(i: BoundInputs): number {
  if (i.accounts <= 0) return 0;
  const baseline = i.stackSets > 0 ? i.stackSetOperationMs : 0;
  const access = i.assignmentsPerAccount > 0 ? i.assignmentMs : 0;
  const lastAccount = Math.ceil(i.accounts / i.createAccountsInProgress) * i.createAccountMs;
  const criticalPath = lastAccount + baseline + access;
  const instanceWaves = Math.ceil((i.accounts * i.regions) / i.stackInstancesAtOnce);
  const stackSetThroughput =
    i.createAccountMs + (i.stackSets > 0 ? instanceWaves * i.stackSetOperationMs : 0) + access;
  const assignmentWaves = Math.ceil((i.accounts * i.assignmentsPerAccount) / i.assignmentsOutstanding);
  const accessQuota = i.createAccountMs + baseline + assignmentWaves * i.assignmentMs;
  return Math.max(criticalPath, stackSetThroughput, accessQuota);
}

/**
 * What the naive design (one StackSet operation per account, one operation at a time per StackSet)
 * needs at the least: the first account, then N operations one after another, then its access (or
 * the lower bound, when that is longer).
 * A projection for sizes the bench does not run naively, not a measurement.
 */
export function projectedNaiveMs(i: BoundInputs): number {
  if (i.accounts <= 0) return 0;
  const baseline = i.stackSets > 0 ? i.accounts * i.stackSetOperationMs : 0;
  const serial = i.createAccountMs + baseline + (i.assignmentsPerAccount > 0 ? i.assignmentMs : 0);
  return Math.max(serial, lowerBoundMs(i));
}
