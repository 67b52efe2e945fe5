import { z } from 'zod';
import { PHASES } from '../domain/account-request';

/** How the workers run: concurrency, leases, batching, the rates they keep to and their timing. */
export const WorkerSchema = z
  .object({
    /** CreateAccount calls in flight at once across the organisation (AWS allows 5). */
    maxConcurrentAccountCreations: z.number().int().min(1).max(5).default(5),
    leaseSeconds: z.number().int().min(5).default(60),
    batchSize: z.number().int().min(1).default(25),
    /**
     * Seconds organisation-level facts (root and OU policies, policy documents, organisation
     * services) read by one verification serve the next ones; account facts are always read
     * anew. 0 reads everything for every account.
     */
    organisationReadCacheSeconds: z.number().int().min(0).max(3600).default(60),
    /**
     * Minutes a phase may run before the request fails with PHASE_TIMEOUT, by phase name
     * (e.g. `baseline: 120`); phases not named keep the defaults in src/workflow/backoff.ts.
     */
    /**
     * Minutes between two walks of ListAccounts that index the organisation's account e-mails in
     * the store, so a request's e-mail is checked against them with one read (docs/aws-limits.md).
     * A walk costs one Organizations call per 20 accounts, at `apiCallsPerSecond.organizations`.
     */
    accountIndexRefreshMinutes: z.number().int().min(5).max(1440).default(60),
    phaseDeadlineMinutes: z.partialRecord(z.enum(PHASES), z.number().positive()).default({}),
    /**
     * Baseline deployments of many requests share one CreateStackInstances per StackSet. A batch
     * is flushed when the StackSet has no operation of ours running, when it holds `maxAccounts`
     * accounts, or `windowSeconds` after its first account joined. `enabled: false` runs one
     * operation per account (the naive mode the benchmark compares against).
     */
    baselineBatching: z
      .object({
        enabled: z.boolean().default(true),
        maxAccounts: z.number().int().min(1).max(1000).default(100),
        windowSeconds: z.number().min(0).default(30),
      })
      .strict()
      .prefault({}),
    /**
     * AWS requests a second this process makes per API family, each page of a listing and each
     * retry one request (docs/aws-limits.md), so it waits for its turn instead of meeting
     * throttling; 0 turns a family's limit off. Identity Center's is
     * `identityCenter.callsPerSecond` (see apiRates).
     */
    apiCallsPerSecond: z
      .object({
        organizations: z.number().min(0).default(10),
        cloudformation: z.number().min(0).default(10),
        budgets: z.number().min(0).default(5),
      })
      .strict()
      .prefault({}),
    /** Identity Center quotas shared by every caller of the organisation (docs/aws-limits.md). */
    identityCenter: z
      .object({
        /** CreateAccountAssignment requests outstanding at once (AWS: 10). */
        maxOutstandingAssignments: z.number().int().min(1).max(10).default(10),
        /** sso-admin calls per second, all workers together (AWS: 20). */
        callsPerSecond: z.number().min(1).max(20).default(20),
      })
      .strict()
      .prefault({}),
    /**
     * Multiplies every poll delay, window and backoff. 1 for AWS; below 1 only against a
     * time-compressed emulator (the benchmark runs AWS's durations at one tenth, and so 0.1).
     */
    timeScale: z.number().positive().max(1).default(1),
    /**
     * How long AWS operations take here against AWS's usual durations (default: `timeScale`).
     * 0 for an emulator whose operations finish at once: their first check comes straight
     * away instead of when the operation would usually be done.
     */
    operationDurationScale: z.number().min(0).max(1).optional(),
  })
  .strict()
  .prefault({});

/**
 * The client-side rate of each API family this process keeps to: `apiCallsPerSecond`, and
 * Identity Center's one quota (`identityCenter.callsPerSecond`), which every worker's steps also
 * reserve from together.
 */
export function apiRates(worker: z.infer<typeof WorkerSchema>) {
  return { ...worker.apiCallsPerSecond, identityCenter: worker.identityCenter.callsPerSecond };
}
