import { parseProfile, PROFILES } from '../../../src/local/aws-behaviour/profile';
import {
  boundInputs,
  lowerBoundMs,
  projectedNaiveMs,
  type BoundInputs,
} from '../../../scripts/bench/lower-bound';

const bench = (accounts: number): BoundInputs =>
  boundInputs(parseProfile(PROFILES.bench), { accounts, stackSets: 2, regions: 2, assignmentsPerAccount: 1 });

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
    });
  });

  it('is ceil(N/5) CreateAccount waves, one StackSet operation and one assignment for the example org', () => {
    expect([1, 5, 6, 10, 50, 200].map((n) => lowerBoundMs(bench(n)))).toEqual([
      15_500, 15_500, 21_500, 21_500, 69_500, 249_500,
    ]);
  });

  it('is bounded by StackSet throughput, 100 stack instances at a time, when accounts come quickly', () => {
    const fastCreates = { ...bench(100), createAccountsInProgress: 100 };
    // critical path 6 + 9 + 0.5 = 15.5 s; 200 instances: 6 + 2 × 9 + 0.5 = 24.5 s; access 6 + 9 + 5 = 20 s
    expect(lowerBoundMs(fastCreates)).toBe(24_500);
    expect(lowerBoundMs({ ...fastCreates, regions: 1 })).toBe(20_000);
  });

  it('is bounded by the outstanding-assignment quota when accounts need many assignments', () => {
    const many = { ...bench(10), assignmentsPerAccount: 3, assignmentsOutstanding: 1 };
    // critical path 2 × 6 + 9 + 0.5 = 21.5 s; quota: 6 + 9 + 30 × 0.5 = 30 s
    expect(lowerBoundMs(many)).toBe(30_000);
  });

  it('leaves out phases with nothing to do, and is 0 for no accounts', () => {
    expect(lowerBoundMs({ ...bench(10), stackSets: 0, assignmentsPerAccount: 0 })).toBe(12_000);
    expect(lowerBoundMs(bench(0))).toBe(0);
  });

  it('projects the naive design as one operation per account after the first account', () => {
    expect(projectedNaiveMs(bench(200))).toBe(6_000 + 200 * 9_000 + 500);
    expect(projectedNaiveMs(bench(50))).toBe(456_500);
    expect(projectedNaiveMs(bench(1))).toBe(15_500);
  });

  it('is never below the lower bound, even when StackSet operations are quick', () => {
    const quickOps = { ...bench(50), stackSetOperationMs: 100 };
    expect(projectedNaiveMs(quickOps)).toBe(lowerBoundMs(quickOps));
    expect(lowerBoundMs(quickOps)).toBe(60_600);
  });
});
