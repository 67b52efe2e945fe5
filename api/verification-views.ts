import { z } from 'zod';
import { VerificationSummarySchema, type VerificationView } from '../src/workflow/drift/verification-jobs';

/** A verification asked for with POST …/verify, as the API shows it. */
export const AccountVerificationViewSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    status: z.enum(['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    summary: VerificationSummarySchema.optional().describe(
      'on SUCCEEDED: counts of PASS, FAIL and ERROR, the blocking controls and what was re-applied; every result is in GET …/compliance',
    ),
    detail: z.string().optional().describe('the last thing that happened'),
    error: z
      .object({ code: z.string(), reason: z.string() })
      .optional()
      .describe('on FAILED: why the account could not be verified'),
    finishedAt: z.string().optional(),
  })
  .meta({ id: 'AccountVerification' });
export type AccountVerificationView = z.infer<typeof AccountVerificationViewSchema>;

export function toVerificationView(v: VerificationView): AccountVerificationView {
  return {
    id: v.id,
    accountId: v.accountId,
    status: v.status,
    requestedBy: v.requestedBy,
    requestedAt: v.requestedAt,
    ...(v.summary ? { summary: v.summary } : {}),
    ...(v.detail ? { detail: v.detail } : {}),
    ...(v.error ? { error: v.error } : {}),
    ...(v.finishedAt ? { finishedAt: v.finishedAt } : {}),
  };
}
