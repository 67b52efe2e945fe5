import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { JobRecord } from '../../domain/ports/job-store';
import type { Principal } from '../../domain/principal';
import { accountJobFor, errorOfJob } from '../engine/account-jobs';
import type { WorkflowDeps } from '../step';

/**
 * A verification asked for with `POST /v1/accounts/{id}/verify`: a job (kind `account-verification`,
 * id `vf-<account>-<time>-<random>`) the worker runs (verification-kind.ts), so the API never
 * reaches into member accounts. One per account waits or runs at a time (verify-now.ts).
 */
export const VERIFICATION_JOB = 'account-verification';

/** What a finished verification found (the whole result is the account's last verification). */
export const VerificationSummarySchema = z.object({
  verifiedAt: z.string(),
  passed: z.number().int(),
  failed: z.number().int(),
  errors: z.number().int(),
  blocking: z.array(z.string()),
  remediated: z.array(z.string()).optional(),
});
export type VerificationSummary = z.infer<typeof VerificationSummarySchema>;

export const VerificationJobSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  requestId: z.string(),
  team: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  summary: VerificationSummarySchema.optional(),
  finishedAt: z.string().optional(),
});
export type VerificationJob = z.infer<typeof VerificationJobSchema>;

export type VerificationStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/** A verification as callers see it: its state, status, the job's last detail and how it ended. */
export type VerificationView = VerificationJob & {
  status: VerificationStatus;
  detail?: string;
  error?: { code: string; reason: string };
};

export function newVerificationId(accountId: string, now: Date): string {
  return `vf-${accountId}-${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(5).toString('hex')}`;
}

function statusOf(job: JobRecord): VerificationStatus {
  if (job.ended) return job.ended.outcome === 'done' ? 'SUCCEEDED' : 'FAILED';
  return job.leaseOwner !== undefined || job.attempts > 0 ? 'IN_PROGRESS' : 'QUEUED';
}

export function verificationView(job: JobRecord): VerificationView | undefined {
  const parsed = VerificationJobSchema.safeParse(job.state);
  if (!parsed.success) return undefined;
  return {
    ...parsed.data,
    status: statusOf(job),
    ...(job.detail ? { detail: job.detail } : {}),
    ...errorOfJob(job),
  };
}

/**
 * One verification of an account, for anyone who may see the account (404 otherwise, and for a
 * verification of another account).
 *
 * @throws NotFoundError (404)
 */
export function getAccountVerification(
  deps: Pick<WorkflowDeps, 'store'>,
  principal: Principal,
  accountId: string,
  verificationId: string,
): Promise<VerificationView> {
  return accountJobFor(
    deps,
    VERIFICATION_JOB,
    verificationId,
    principal,
    accountId,
    verificationView,
    'verification',
  );
}
