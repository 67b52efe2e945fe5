import { parseProfile, PROFILES } from '../../../src/local/aws-behaviour/profile';
import {
  boundInputs,
  lowerBoundMs,
  projectedNaiveMs,
  type BoundInputs,
} from '../../../scripts/bench/lower-bound';

/** The example organisation on the bench profile: its access is granted while the StackSets deploy. */
const bench = (accounts: number): BoundInputs =>
  boundInputs(parseProfile(PROFILES.bench), {
    accounts,
    stackSets: 2,
    regions: 2,
    assignmentsPerAccount: 1,
    accessAlongsideBaseline: true,
  });
/** The same without a quarantine policy: the access waits for the baseline. */
const afterBaseline = (accounts: number): BoundInputs => ({
  ...bench(accounts),
  accessAlongsideBaseline: false,
});

describe('bench lower bound', () => {
  it('takes the durations and quotas from the profile', () => {
    expect(bench(10)).toEqual({
      accounts: 10,
      stackSets: 2,
      regions: 2,
      stackInstancesAtOnce: 100,
      assignmentsPerAccount: 1,
      createAccountMs: 6_000,
      createAccountsInProgress: 5,
      stackSetOperationMs: 9_000,
      assignmentMs: 500,
      assignmentsOutstanding: 10,
      accessAlongsideBaseline: true,
    });
  });

  it('is ceil(N/5) CreateAccount waves and one StackSet operation, the assignment beside it, for the example org', () => {
    expect([1, 5, 6, 10, 50, 200].map((n) => lowerBoundMs(bench(n)))).toEqual([
      15_000, 15_000, 21_000, 21_000, 69_000, 249_000,
    ]);
  });

  it('adds the assignment after the operation when the access waits for the baseline', () => {
    expect([1, 5, 6, 10, 50, 200].map((n) => lowerBoundMs(afterBaseline(n)))).toEqual([
      15_500, 15_500, 21_500, 21_500, 69_500, 249_500,
    ]);
  });

  it('is bounded by StackSet throughput, 100 stack instances at a time, when accounts come quickly', () => {
    const fastCreates = { ...afterBaseline(100), createAccountsInProgress: 100 };
    // critical path 6 + 9 + 0.5 = 15.5 s; 200 instances: 6 + 2 × 9 + 0.5 = 24.5 s; access 6 + 9 + 5 = 20 s
    expect(lowerBoundMs(fastCreates)).toBe(24_500);
    expect(lowerBoundMs({ ...fastCreates, regions: 1 })).toBe(20_000);
    // the access beside the baseline: 6 + 2 × 9 = 24 s; one region: 6 + 9 = 15 s (access 6 + 5 = 11 s)
    expect(lowerBoundMs({ ...fastCreates, accessAlongsideBaseline: true })).toBe(24_000);
    expect(lowerBoundMs({ ...fastCreates, regions: 1, accessAlongsideBaseline: true })).toBe(15_000);
  });

  it('is bounded by the outstanding-assignment quota when accounts need many assignments', () => {
    const many = { ...afterBaseline(10), assignmentsPerAccount: 3, assignmentsOutstanding: 1 };
    // critical path 2 × 6 + 9 + 0.5 = 21.5 s; quota: 6 + 9 + 30 × 0.5 = 30 s
    expect(lowerBoundMs(many)).toBe(30_000);
    // beside the baseline the quota counts from the first account: 6 + 40 × 0.5 = 26 s
    expect(lowerBoundMs({ ...many, assignmentsPerAccount: 4, accessAlongsideBaseline: true })).toBe(26_000);
  });

  it('leaves out phases with nothing to do, and is 0 for no accounts', () => {
    expect(lowerBoundMs({ ...bench(10), stackSets: 0, assignmentsPerAccount: 0 })).toBe(12_000);
    expect(lowerBoundMs(bench(0))).toBe(0);
  });

  it('projects the naive design as one operation per account after the first account', () => {
    expect(projectedNaiveMs(afterBaseline(200))).toBe(6_000 + 200 * 9_000 + 500);
    expect(projectedNaiveMs(afterBaseline(50))).toBe(456_500);
    expect(projectedNaiveMs(bench(200))).toBe(6_000 + 200 * 9_000);
    expect(projectedNaiveMs(bench(1))).toBe(15_000);
  });

  it('is never below the lower bound, even when StackSet operations are quick', () => {
    const quickOps = { ...bench(50), stackSetOperationMs: 100 };
    expect(projectedNaiveMs(quickOps)).toBe(lowerBoundMs(quickOps));
    // 10 waves × 6 s, then the assignment (0.5 s) outlasts the 0.1 s operation
    expect(lowerBoundMs(quickOps)).toBe(60_500);
  });
});
