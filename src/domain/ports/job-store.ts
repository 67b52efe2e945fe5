import { z } from 'zod';
import type { Page } from './request-store';

/**
 * A durable job of the factory other than an account request (closures, redeploys, rollouts,
 * drift sweeps, event deliveries, account changes): advanced by the workers one short step at a
 * time. `state` is the kind's own, validated by the code that owns the kind.
 */
export const JobRecordSchema = z.object({
  kind: z.string().min(1),
  id: z.string().min(1),
  /** 1 when created, +1 on every write (claims included). */
  version: z.number().int().min(0),
  /** Due from then; unset while the job is not scheduled (ended, or paused by a person). */
  nextCheckAt: z.string().optional(),
  /** Steps in a row that asked to check again (reset by progress). */
  attempts: z.number().int().min(0),
  leaseOwner: z.string().optional(),
  leaseUntil: z.string().optional(),
  /** Whose work it is (e.g. a team): each group gets its own share of the kind's concurrency. */
  group: z.string().optional(),
  /** The last thing that happened (or went wrong), for people. */
  detail: z.string().optional(),
  /** How the job ended; unset while it runs. */
  ended: z
    .object({
      outcome: z.enum(['done', 'failed']),
      at: z.string(),
      code: z.string().optional(),
      reason: z.string().optional(),
    })
    .optional(),
  state: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobRecord<S = unknown> = Omit<z.infer<typeof JobRecordSchema>, 'state'> & { state: S };

export interface JobClaim {
  kind: string;
  now: Date;
  owner: string;
  leaseMs: number;
  limit: number;
  /** Groups whose jobs are not claimed now (they are at their concurrency limit). */
  excludeGroups?: readonly string[];
  /**
   * Records the claiming worker is still stepping: not claimed again by it, though their lease may
   * have run out while a step waited (its steps overlap; another worker may take them then).
   */
  excludeIds?: readonly string[];
}

/**
 * Where jobs live, beside the requests in the same store; every adapter passes
 * test/unit/store/job-store.contract.ts. Every write is conditional on `version` (a stale one
 * throws StaleRecordError); `claimJobs` leases due jobs with conditional writes, so two workers
 * never hold one job (on DynamoDB through the `due` index, never a scan).
 */
export interface JobStore {
  /** Stores a new job at version 1; ConflictError `JOB_EXISTS` when the id is taken. */
  createJob<S>(job: JobRecord<S>): Promise<JobRecord<S>>;
  getJob(kind: string, id: string): Promise<JobRecord | undefined>;
  /** The jobs of a kind, ascending by id, paginated (the cursor is opaque). */
  listJobs(kind: string, query: { cursor?: string; limit: number }): Promise<Page<JobRecord>>;
  /**
   * Leases up to `limit` jobs of the kind whose `nextCheckAt` is due and whose lease is free or
   * expired, oldest due first; returns them with the lease set and the version bumped.
   */
  claimJobs(claim: JobClaim): Promise<JobRecord[]>;
  /**
   * Which of `kinds` may have a job to claim at `now`: one look for all of them, so that a worker's
   * tick claims only for those. Never leaves out a kind with a claimable job; may name one whose
   * due jobs are all leased.
   */
  dueKinds(kinds: readonly string[], now: Date): Promise<Set<string>>;
  /** Writes the job if the stored version still equals `job.version`; returns it at version + 1. */
  saveJob<S>(job: JobRecord<S>): Promise<JobRecord<S>>;
  /** Deletes the job if the stored version is still `expectedVersion`; StaleRecordError otherwise. */
  deleteJob(kind: string, id: string, expectedVersion: number): Promise<void>;
}

/** A store that keeps jobs (every store of the factory does). */
export interface HasJobs {
  readonly jobs: JobStore;
}
