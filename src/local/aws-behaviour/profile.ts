import { readFileSync } from 'node:fs';
import { z } from 'zod';

const ms = z.number().int().min(0);
const rate = z.number().min(0).max(1);

/**
 * How the behaviour layer makes moto act like AWS. Durations are in milliseconds, rates are
 * probabilities per call (0..1), and every random choice comes from `seed`.
 */
export const BehaviourProfileSchema = z
  .object({
    seed: z.number().int().default(1),
    createAccount: z
      .object({
        /** How long a CreateAccount stays IN_PROGRESS (AWS: ~1 min, sometimes several). */
        durationMs: ms.default(60_000),
        /** CreateAccount requests in progress at once per organisation (AWS: 5, not adjustable). */
        maxInProgress: z.number().int().min(1).default(5),
      })
      .strict()
      .prefault({}),
    stackSets: z
      .object({
        /** How long a StackSet operation stays RUNNING once it has started. */
        operationMs: ms.default(90_000),
        /** Share of operations that end FAILED (their instances too). */
        failedOperationRate: rate.default(0),
        /** Share of stack instances that end OUTDATED/FAILED inside a SUCCEEDED operation. */
        failedInstanceRate: rate.default(0),
      })
      .strict()
      .prefault({}),
    assignments: z
      .object({
        /** How long CreateAccountAssignment stays IN_PROGRESS. */
        durationMs: ms.default(5_000),
        /** Outstanding CreateAccountAssignment calls allowed (AWS: 10). */
        maxOutstanding: z.number().int().min(1).default(10),
      })
      .strict()
      .prefault({}),
    faults: z
      .object({
        /** Share of calls answered with throttling (TooManyRequestsException / ThrottlingException). */
        throttleRate: rate.default(0),
        /** Share of calls answered with HTTP 503. */
        unavailableRate: rate.default(0),
        /**
         * Share of injected 503s on mutating calls sent after moto has carried the call out: the
         * caller cannot know whether it happened (the hardest case for exactly-once).
         */
        afterExecutionShare: rate.default(0.5),
        /** Only these actions get faults (e.g. "CreateAccount"); default every action. */
        actions: z.array(z.string()).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type BehaviourProfile = z.infer<typeof BehaviourProfileSchema>;
export type BehaviourProfileInput = z.input<typeof BehaviourProfileSchema>;

/**
 * Named profiles: `realistic` follows docs/aws-limits.md; `bench` is `realistic` at one tenth of
 * its durations (what `npm run bench` vends against); `fast` is time-compressed for tests.
 */
export const PROFILES = {
  /** AWS's semantics with no delays (the demo): INTERSECTION targeting, duplicate-email failures. */
  instant: {
    createAccount: { durationMs: 0 },
    stackSets: { operationMs: 0 },
    assignments: { durationMs: 0 },
  },
  realistic: {
    createAccount: { durationMs: 60_000 },
    stackSets: { operationMs: 90_000 },
    assignments: { durationMs: 5_000 },
  },
  bench: {
    createAccount: { durationMs: 6_000 },
    stackSets: { operationMs: 9_000 },
    assignments: { durationMs: 500 },
  },
  fast: {
    createAccount: { durationMs: 1_500 },
    stackSets: { operationMs: 1_000 },
    assignments: { durationMs: 300 },
  },
  'fast-faulty': {
    createAccount: { durationMs: 1_500 },
    stackSets: { operationMs: 1_000 },
    assignments: { durationMs: 300 },
    faults: { throttleRate: 0.05, unavailableRate: 0.03 },
  },
} satisfies Record<string, BehaviourProfileInput>;

export function parseProfile(input: unknown): BehaviourProfile {
  return BehaviourProfileSchema.parse(input);
}

/** A profile by name (`fast`) or from a JSON file. */
export function loadProfile(nameOrFile: string): BehaviourProfile {
  const named = (PROFILES as Record<string, BehaviourProfileInput | undefined>)[nameOrFile];
  if (named) return parseProfile(named);
  return parseProfile(JSON.parse(readFileSync(nameOrFile, 'utf8')));
}

/**
 * How much faster than AWS a profile runs (its CreateAccount and StackSet durations against the
 * `realistic` ones; the less compressed of the two): the `worker.timeScale` a factory talking to
 * it should use, so that it checks as often, relative to the durations, as it would on AWS.
 */
export function timeScaleFor(input: BehaviourProfileInput): number {
  return Math.max(0.005, operationDurationScaleFor(input));
}

/**
 * The profile's operation durations against the `realistic` ones (the longer of CreateAccount's
 * and StackSets'): its `worker.operationDurationScale`, 0 for the `instant` profile.
 */
export function operationDurationScaleFor(input: BehaviourProfileInput): number {
  const profile = parseProfile(input);
  const real = parseProfile(PROFILES.realistic);
  const ratio = Math.max(
    profile.createAccount.durationMs / real.createAccount.durationMs,
    profile.stackSets.operationMs / real.stackSets.operationMs,
  );
  return Math.min(1, ratio);
}
