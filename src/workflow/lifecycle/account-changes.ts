import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AccountSpecSchema } from '../../domain/account-request';
import type { JobRecord } from '../../domain/ports/job-store';

/**
 * A change to a vended account (PATCH /v1/accounts/{id}): a job (kind `account-change`, id
 * `ch-<account>-<time>-<random>`) stored before anything happens in AWS and applied by the workers
 * a stage a step (change-kind.ts). One change of an account runs at a time (its lock,
 * change-lock.ts), and the inventory is written last, conditional on the record's version, so AWS
 * and the inventory never disagree for long: a change that fails puts AWS back as the inventory
 * has it and ends FAILED with the reason.
 */
export const CHANGE_STAGES = [
  /** An access or budget change on an account in an OU that requires approval: waits for platform. */
  'PENDING_APPROVAL',
  /** Waiting for the account's other change to finish, then planned against the record as it is. */
  'QUEUED',
  /** Tags, budget, and Identity Center assignments started (or, rolling back, put back). */
  'APPLY',
  /** Assignment creations and deletions started, checked until they finish. */
  'AWAIT_ACCESS',
  /** The inventory written, if its version is still the one planned against. */
  'SAVE',
  'SUCCEEDED',
  /** Ended: `error` says why; AWS is as the inventory has it. */
  'FAILED',
  /** Refused by a platform approver, with a reason; nothing was applied. */
  'REJECTED',
] as const;
export type ChangeStage = (typeof CHANGE_STAGES)[number];

/** Changes are jobs of this kind. */
export const CHANGE_JOB = 'account-change';

const GrantSchema = z.object({ group: z.string(), permissionSet: z.string() });

/** The fields a PATCH may change, as stored (validated at the API by AccountPatchSchema). */
export const StoredPatchSchema = z.object({
  owner: z.object({ team: z.string(), email: z.string() }).optional(),
  costCenter: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  budget: z
    .object({
      monthlyLimitUsd: z.number().optional(),
      thresholdsPercent: z.array(z.number()).optional(),
    })
    .optional(),
  access: z.array(GrantSchema).optional(),
});

/** A platform approver's decision on a change waiting for approval. */
export const DecisionSchema = z.object({
  outcome: z.enum(['APPROVED', 'REJECTED']),
  by: z.string(),
  at: z.string(),
  reason: z.string().optional(),
});

export const ChangeEventSchema = z.object({
  at: z.string(),
  type: z.enum(['REQUESTED', 'APPROVED', 'REJECTED', 'STARTED', 'APPLIED', 'ROLLED_BACK', 'FAILED']),
  by: z.string().optional(),
  detail: z.string().optional(),
});
export type ChangeEvent = z.infer<typeof ChangeEventSchema>;

export const ChangeSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  requestId: z.string(),
  team: z.string(),
  patch: StoredPatchSchema,
  requestedBy: z.string(),
  requestedAt: z.string(),
  stage: z.enum(CHANGE_STAGES),
  /** Why it waits for (or was given) a platform approval. */
  approvalReason: z.string().optional(),
  decision: DecisionSchema.optional(),
  /** The record's version and spec the change was planned against, and the spec it leads to. */
  plan: z
    .object({ version: z.number().int(), before: AccountSpecSchema, after: AccountSpecSchema })
    .optional(),
  /** What APPLY brings AWS from and to: the plan forwards, or back when rolling back. */
  from: AccountSpecSchema.optional(),
  to: AccountSpecSchema.optional(),
  /** APPLY has run for the current direction (reset when a failure turns the change back). */
  applied: z.boolean().default(false),
  /** Assignment requests started and not yet seen finished. */
  pending: z
    .array(
      z.object({
        label: z.string(),
        action: z.enum(['create', 'delete']),
        requestId: z.string(),
        slot: z.string().optional(),
      }),
    )
    .default([]),
  /** Set once the change has failed: APPLY then puts AWS back, and the job ends FAILED with it. */
  failure: z.object({ code: z.string(), reason: z.string() }).optional(),
  events: z.array(ChangeEventSchema).default([]),
  finishedAt: z.string().optional(),
});
export type Change = z.infer<typeof ChangeSchema>;

/** What callers see of a change's progress. */
export type ChangeStatus =
  'PENDING_APPROVAL' | 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'REJECTED';

export function changeStatus(change: Pick<Change, 'stage'>): ChangeStatus {
  switch (change.stage) {
    case 'PENDING_APPROVAL':
    case 'QUEUED':
    case 'SUCCEEDED':
    case 'FAILED':
    case 'REJECTED':
      return change.stage;
    default:
      return 'IN_PROGRESS';
  }
}

/** The change a job holds, with the job's last `detail`; undefined when its state is not a change. */
export function changeOf(job: JobRecord): (Change & { detail?: string }) | undefined {
  const parsed = ChangeSchema.safeParse(job.state);
  if (!parsed.success) return undefined;
  return { ...parsed.data, ...(job.detail ? { detail: job.detail } : {}) };
}

/** A new change's id: sortable by time within an account, unique across callers (a random part). */
export function newChangeId(accountId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `ch-${accountId}-${stamp}-${randomBytes(5).toString('hex')}`;
}

/** Adds an event to the change's history (kept whole: a change has a handful). */
export function noteChange(change: Change, event: ChangeEvent): void {
  change.events.push(event);
}
