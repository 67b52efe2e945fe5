import { z } from 'zod';
import { changeStatus, type ChangeView } from '../src/workflow/lifecycle';
import { ChangeEventSchema, DecisionSchema } from '../src/workflow/lifecycle/account-changes';

/** A change of an account (PATCH), as the API shows it. */
export const AccountChangeViewSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    status: z.enum(['PENDING_APPROVAL', 'QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED']),
    stage: z
      .string()
      .describe('PENDING_APPROVAL, QUEUED, APPLY, AWAIT_ACCESS, SAVE; then SUCCEEDED, FAILED or REJECTED'),
    changes: z
      .record(z.string(), z.unknown())
      .describe('the fields the PATCH sent, as sent: owner, costCenter, tags, budget, access'),
    requestedBy: z.string(),
    requestedAt: z.string(),
    approvalReason: z.string().optional().describe('why it waits for (or waited for) a platform approval'),
    decision: DecisionSchema.optional(),
    detail: z.string().optional().describe('the last thing that happened'),
    error: z
      .object({ code: z.string(), reason: z.string() })
      .optional()
      .describe('on FAILED or REJECTED: why; the inventory and AWS are as they were before the change'),
    events: z.array(ChangeEventSchema),
    finishedAt: z.string().optional(),
  })
  .meta({ id: 'AccountChange' });
export type AccountChangeView = z.infer<typeof AccountChangeViewSchema>;

export function toChangeView(c: ChangeView): AccountChangeView {
  return {
    id: c.id,
    accountId: c.accountId,
    status: changeStatus(c),
    stage: c.stage,
    changes: c.patch,
    requestedBy: c.requestedBy,
    requestedAt: c.requestedAt,
    ...(c.approvalReason ? { approvalReason: c.approvalReason } : {}),
    ...(c.decision ? { decision: c.decision } : {}),
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.error ? { error: c.error } : {}),
    events: c.events,
    ...(c.finishedAt ? { finishedAt: c.finishedAt } : {}),
  };
}
