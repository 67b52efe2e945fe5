/**
 * The AWS the simulator models: durations, quotas, rate limits and latencies, each with the
 * figure it follows (docs/aws-limits.md). Durations are AWS's usual ones, not compressed: the
 * clock is virtual, so a simulated hour costs only the CPU the factory spends in it.
 */
export interface ModelParams {
  seed: number;
  createAccount: {
    /** How long a CreateAccount stays IN_PROGRESS (AWS: about a minute). */
    durationMs: number;
    /** CreateAccount requests in progress at once per organisation (5; Control Tower gets 10 by a support case). */
    maxInProgress: number;
  };
  stackSets: {
    /** How long one StackSet operation runs for up to `instancesAtOnce` stack instances. */
    operationMs: number;
    /** Stack instances one StackSet deploys at once (100). */
    instancesAtOnce: number;
  };
  assignments: {
    /** How long a CreateAccountAssignment stays IN_PROGRESS. */
    durationMs: number;
    /** Outstanding CreateAccountAssignment calls (10, not adjustable). */
    maxOutstanding: number;
  };
  /** Calls per second (token bucket: this rate, burst twice it) per rate-limited API group. */
  rates: Record<RateGroup, number>;
  /** Round-trip latency of one call, by service, in ms. */
  latencyMs: Record<Service, number>;
  /** Share of rate-limited calls answered with a throttle even below the rate (seeded). */
  throttleRate: number;
}

export const SERVICES = [
  'organizations',
  'stackSets',
  'identityCenter',
  'budgets',
  'sts',
  'orgServices',
  'events',
  'costExplorer',
  'member',
] as const;
export type Service = (typeof SERVICES)[number];

/**
 * Rate limits that bind across the organisation. Organizations' rates are undocumented
 * (TooManyRequestsException is reported at 3–5 concurrent bootstraps in organisations of ~500);
 * 10/s is a conservative reading. Identity Center: 20 TPS shared by every sso-admin call. StackSets
 * API calls: CloudFormation's control plane, modelled at 10/s. Member-account calls (EC2, IAM, S3
 * Control, Account) are rate-limited per member account and are not modelled as shared.
 */
export const RATE_GROUPS = ['organizations', 'cloudformation', 'identityCenter', 'budgets'] as const;
export type RateGroup = (typeof RATE_GROUPS)[number];

export const RATE_GROUP_OF: Partial<Record<Service, RateGroup>> = {
  organizations: 'organizations',
  orgServices: 'organizations',
  stackSets: 'cloudformation',
  identityCenter: 'identityCenter',
  budgets: 'budgets',
};

export function defaultParams(overrides: { seed?: number; createConcurrency?: number } = {}): ModelParams {
  return {
    seed: overrides.seed ?? 1,
    createAccount: { durationMs: 60_000, maxInProgress: overrides.createConcurrency ?? 5 },
    stackSets: { operationMs: 90_000, instancesAtOnce: 100 },
    assignments: { durationMs: 5_000, maxOutstanding: 10 },
    rates: { organizations: 10, cloudformation: 10, identityCenter: 20, budgets: 5 },
    latencyMs: {
      organizations: 120,
      stackSets: 150,
      identityCenter: 80,
      budgets: 100,
      sts: 60,
      orgServices: 120,
      events: 40,
      costExplorer: 150,
      member: 70,
    },
    throttleRate: 0.002,
  };
}
