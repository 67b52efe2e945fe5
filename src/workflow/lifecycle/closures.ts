import { z } from 'zod';

/**
 * An account's closure: a job (kind `closure`, id the account) from the close request until AWS
 * reports the account closed, advanced a stage a step by the workers (closure-kind.ts). The
 * account's record mirrors it for the inventory (`lifecycle.state`).
 */
export const CLOSURE_STAGES = [
  /** Waiting out the grace period; the only stage a cancel may remove. */
  'SCHEDULED',
  'REVOKE_ACCESS',
  'DELETE_BUDGET',
  'MOVE_TO_SUSPENDED',
  /** Waiting for one of the organisation's closure slots, then CloseAccount. */
  'CLOSE',
  /** CloseAccount sent; PENDING_CLOSURE until AWS reports the account SUSPENDED or CLOSED. */
  'AWAIT_CLOSURE',
] as const;
export type ClosureStage = (typeof CLOSURE_STAGES)[number];

/** AWS allows 3 account closures in progress per organisation (docs/aws-limits.md). */
export const MAX_CLOSURES_IN_PROGRESS = 3;

export const ClosureSchema = z.object({
  accountId: z.string(),
  requestId: z.string(),
  requestedAt: z.string(),
  /** The end of the grace period: the decommission starts then. */
  dueAt: z.string(),
  stage: z.enum(CLOSURE_STAGES),
  /** Identity Center assignment deletions started and not yet seen finished. */
  deletions: z
    .array(
      z.object({
        permissionSetArn: z.string(),
        principalId: z.string(),
        principalType: z.string(),
        requestId: z.string(),
      }),
    )
    .default([]),
});
export type Closure = z.infer<typeof ClosureSchema>;

/** Closures are jobs of this kind, one per account (its id). */
export const CLOSURE_JOB = 'closure';
