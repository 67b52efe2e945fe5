import { z } from 'zod';
import type { DocumentKind } from './document';

const MemberSchema = z.object({
  requestId: z.string(),
  accountId: z.string(),
  ouId: z.string(),
  since: z.string(),
  /**
   * Its stack instances as the operation left them, judged once for the whole batch when it ended
   * (`instanceProblems`: none when healthy). Absent: the member reads its own.
   */
  instanceProblems: z.array(z.string()).optional(),
});
export type BatchMember = z.infer<typeof MemberSchema>;

const BatchSchema = z.object({
  /** The OperationId sent to AWS: AWS's idempotency token, so a repeated start is the same operation. */
  id: z.string(),
  members: z.array(MemberSchema),
  regions: z.array(z.string()),
  state: z.enum(['STARTING', 'RUNNING', 'DONE']),
  createdAt: z.string(),
  /** While one worker calls CreateStackInstances (or polls), others leave it alone until then. */
  busyUntil: z.string().optional(),
  /** The id AWS returned (the same as `id`, except on emulators that substitute their own). */
  operationId: z.string().optional(),
  checkedAt: z.string().optional(),
  /** When the operation is next checked (backoff: operationPollDelayMs), and how often it was. */
  pollAt: z.string().optional(),
  checks: z.number().int().optional(),
  finishedAt: z.string().optional(),
  status: z.string().optional(),
  reason: z.string().optional(),
});
export type Batch = z.infer<typeof BatchSchema>;

const BatchesSchema = z.object({
  seq: z.number().int(),
  /** Accounts waiting for the next batch, oldest first. */
  pending: z.array(MemberSchema),
  /**
   * Requests on their way (past CreateAccount, not yet at the baseline): an idle StackSet waits
   * for them, up to the window, so the accounts of one CreateAccount wave share one operation.
   */
  incoming: z.array(z.object({ requestId: z.string(), since: z.string() })).default([]),
  batches: z.array(BatchSchema),
});
export type Batches = z.infer<typeof BatchesSchema>;

/** The baseline deployments of one StackSet across requests: what waits, what runs, what ended. */
export const STACKSET_BATCHES: DocumentKind<Batches> = {
  kind: 'stackset-batches',
  schema: BatchesSchema,
  empty: () => ({ seq: 0, pending: [], incoming: [], batches: [] }),
};
