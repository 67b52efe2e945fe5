import { z } from 'zod';
import type { DocumentKind } from '../coordination/document';

/**
 * The organisation's account closures, one store document (`account-closures/organization`)
 * written with conditional writes (updateDocument): the durable queue the worker works through.
 * An entry lives from the close request until AWS reports the account closed. The account's
 * record mirrors it for the inventory (`lifecycle.state`).
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
  /** When the stage is checked again (after a wait or an error). */
  nextCheckAt: z.string(),
  attempts: z.number().int().min(0).default(0),
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
  /** The last thing that happened (or went wrong), for people. */
  detail: z.string().optional(),
  leaseOwner: z.string().optional(),
  leaseUntil: z.string().optional(),
});
export type Closure = z.infer<typeof ClosureSchema>;

const ClosuresSchema = z.object({ closures: z.array(ClosureSchema) });
export type Closures = z.infer<typeof ClosuresSchema>;

export const CLOSURES: DocumentKind<Closures> = {
  kind: 'account-closures',
  schema: ClosuresSchema,
  empty: () => ({ closures: [] }),
};
export const CLOSURES_ID = 'organization';

/** Closures holding one of AWS's slots: sent, or being sent by a worker right now. */
export function closuresInProgress(body: Closures, now: Date): number {
  return body.closures.filter(
    (c) =>
      c.stage === 'AWAIT_CLOSURE' ||
      (c.stage === 'CLOSE' && c.leaseUntil !== undefined && Date.parse(c.leaseUntil) > now.getTime()),
  ).length;
}
