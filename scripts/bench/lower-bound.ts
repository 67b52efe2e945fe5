import type { BehaviourProfile } from '../../src/local/aws-behaviour/profile';
import { phasesAhead } from '../../src/workflow/ahead-phases';

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
  /** The access is granted while the StackSets deploy (the vend runs it ahead under a quarantine policy). */
  accessAlongsideBaseline: boolean;
}

/** Whether the vend grants the access while the StackSets deploy (run ahead of its turn). */
export const accessAlongsideBaseline = (config: Parameters<typeof phasesAhead>[1]): boolean =>
  phasesAhead('baseline', config).includes('identity-center');

export function boundInputs(
  profile: BehaviourProfile,
  vend: {
    accounts: number;
    stackSets: number;
    regions: number;
    assignmentsPerAccount: number;
    accessAlongsideBaseline: boolean;
  },
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
 * The shortest makespan any factory following the vend's order (account, then baseline and
 * access; the other phases take no emulated time) could reach for N accounts submitted at once.
 * With the access granted while the StackSets deploy (A, the vend's order under a quarantine
 * policy), the access and the baseline of an account overlap:
 *
 *   LB(N) = max( ceil(N / C) × T_create + max(T_op, T_assign),
 *                T_create + max(ceil(N × R / I) × T_op, T_assign),
 *                T_create + ceil(N × k / M) × T_assign )
 *
 * and with the access after the baseline (no quarantine policy), each max becomes a sum and the
 * third term gains a T_op.
 *
 * The first term is the last account's critical path: with C CreateAccount in progress at a time,
 * the last of N accounts exists at ceil(N / C) × T_create at the earliest; every StackSet then
 * needs at least one operation that includes it (the StackSets run side by side: one T_op), and
 * its access an assignment. The second is StackSets' throughput: each StackSet runs one operation
 * at a time and deploys at most I stack instances at once, so its N × R instances (R regions)
 * take ceil(N × R / I) operation times, none before the first account exists. The third is
 * Identity Center's quota: no assignment can start before the first account exists (is
 * baselined, without A), and the N × k assignments go at most M at a time. For the example
 * organisation (C = 5, R = 2, I = 100, k = 1, M = 10) the first term dominates at every N.
 */
export function lowerBoundMs(i: BoundInputs): number {
  if (i.accounts <= 0) return 0;
  const baseline = i.stackSets > 0 ? i.stackSetOperationMs : 0;
  const access = i.assignmentsPerAccount > 0 ? i.assignmentMs : 0;
  const then = (a: number, b: number) => (i.accessAlongsideBaseline ? Math.max(a, b) : a + b);
  const lastAccount = Math.ceil(i.accounts / i.createAccountsInProgress) * i.createAccountMs;
  const criticalPath = lastAccount + then(baseline, access);
  const instanceWaves = Math.ceil((i.accounts * i.regions) / i.stackInstancesAtOnce);
  const stackSetThroughput =
    i.createAccountMs + then(i.stackSets > 0 ? instanceWaves * i.stackSetOperationMs : 0, access);
  const assignmentWaves = Math.ceil((i.accounts * i.assignmentsPerAccount) / i.assignmentsOutstanding);
  const accessQuota =
    i.createAccountMs + (i.accessAlongsideBaseline ? 0 : baseline) + assignmentWaves * i.assignmentMs;
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
  const access = i.assignmentsPerAccount > 0 ? i.assignmentMs : 0;
  const serial =
    i.createAccountMs + (i.accessAlongsideBaseline ? Math.max(baseline, access) : baseline + access);
  return Math.max(serial, lowerBoundMs(i));
}
