import { z } from 'zod';
import { ConflictError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';
import { readDocument, updateDocument, type DocumentKind } from '../coordination/document';
import type { WorkflowDeps } from '../step';

/**
 * The baseline following moved accounts to their new OU: one store document
 * (`baseline-redeploys/organization`) written with conditional writes, the durable queue the
 * workers work through (redeploy-tick.ts). A service-managed stack instance belongs to the OU
 * target it was created through and stays with that OU when its account moves, so after a move
 * the account's instances are created again under the new OU and deleted under the old one.
 */
export const REDEPLOY_STAGES = [
  /** The move itself: the API does it at once; a worker finishes it if the API died meanwhile. */
  'MOVE',
  /** CreateStackInstances under the new OU, per StackSet, then the instances judged. */
  'CREATE',
  /** DeleteStackInstances of the account's instances other OU targets still hold. */
  'DELETE',
  /** The instances again (only the new OU's left), then every control verified. */
  'VERIFY',
  'SUCCEEDED',
  /** Needs a person: `detail` says why; POST …/move to the same OU starts it again. */
  'FAILED',
] as const;
export type RedeployStage = (typeof REDEPLOY_STAGES)[number];
const FINISHED: readonly RedeployStage[] = ['SUCCEEDED', 'FAILED'];

const OperationSchema = z.object({
  stackSet: z.string(),
  action: z.enum(['CREATE', 'DELETE']),
  /** Deterministic and written to the document before the call: AWS's idempotency token. */
  operationId: z.string(),
  organizationalUnitIds: z.array(z.string()),
  regions: z.array(z.string()),
  /** The new OU's instances are created again with fresh ids when a deletion took them (rare). */
  generation: z.number().int().min(0),
  status: z.string().optional(),
  reason: z.string().optional(),
});
export type RedeployOperation = z.infer<typeof OperationSchema>;

export const RedeploySchema = z.object({
  /** `rd-<account>-<time>`: the stem of the operation ids. */
  id: z.string(),
  accountId: z.string(),
  requestId: z.string(),
  fromOrganizationalUnit: z.string(),
  fromOuId: z.string(),
  toOrganizationalUnit: z.string(),
  toOuId: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
  stage: z.enum(REDEPLOY_STAGES),
  generation: z.number().int().min(0).default(0),
  operations: z.array(OperationSchema).default([]),
  nextCheckAt: z.string(),
  attempts: z.number().int().min(0).default(0),
  detail: z.string().optional(),
  finishedAt: z.string().optional(),
  leaseOwner: z.string().optional(),
  leaseUntil: z.string().optional(),
});
export type Redeploy = z.infer<typeof RedeploySchema>;

const RedeploysSchema = z.object({ redeploys: z.array(RedeploySchema) });
export type Redeploys = z.infer<typeof RedeploysSchema>;

export const REDEPLOYS: DocumentKind<Redeploys> = {
  kind: 'baseline-redeploys',
  schema: RedeploysSchema,
  empty: () => ({ redeploys: [] }),
};
export const REDEPLOYS_ID = 'organization';

export const isFinished = (r: Redeploy): boolean => FINISHED.includes(r.stage);

/** What the inventory shows of it. */
export function redeployStatus(r: Redeploy): 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' {
  if (r.stage === 'SUCCEEDED' || r.stage === 'FAILED') return r.stage;
  return 'IN_PROGRESS';
}

/** AWS's idempotency token for one StackSet's part of a redeploy. */
export function redeployOperationId(r: Redeploy, action: 'CREATE' | 'DELETE', stackSet: string): string {
  return `avf-${r.id}-${action.toLowerCase()}-${stackSet}-g${r.generation}`
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 128);
}

/** The latest redeploy of each account (running, or finished and not yet forgotten). */
export async function redeploysByAccount(store: DocumentStore): Promise<Map<string, Redeploy>> {
  const { body } = await readDocument(store, REDEPLOYS, REDEPLOYS_ID);
  return new Map(body.redeploys.map((r) => [r.accountId, r]));
}

function change<R>(deps: WorkflowDeps, edit: (body: Redeploys) => { write: boolean; result: R }) {
  return updateDocument(deps.store, REDEPLOYS, REDEPLOYS_ID, () => deps.clock.now(), edit);
}

/**
 * Adds a redeploy, replacing the account's finished one; one still running is a 409 (checked in
 * the same conditional write, so of two moves at once one wins).
 */
export function scheduleRedeploy(deps: WorkflowDeps, redeploy: Redeploy): Promise<void> {
  return change(deps, (body) => {
    const running = body.redeploys.find((r) => r.accountId === redeploy.accountId && !isFinished(r));
    if (running) {
      throw new ConflictError(
        'BASELINE_REDEPLOY_IN_PROGRESS',
        `account ${redeploy.accountId} is still being moved to ${running.toOrganizationalUnit} (${running.stage}: ${running.detail ?? 'starting'}); wait until GET /v1/accounts/${redeploy.accountId} shows it finished`,
      );
    }
    body.redeploys = [...body.redeploys.filter((r) => r.accountId !== redeploy.accountId), redeploy];
    return { write: true, result: undefined };
  });
}

/**
 * Changes the redeploy of this id if it is still there and `edit` says it changed it (true);
 * returns it as it stands.
 */
export function updateRedeploy(
  deps: WorkflowDeps,
  id: string,
  edit: (r: Redeploy) => boolean,
): Promise<Redeploy | undefined> {
  return change(deps, (body) => {
    const found = body.redeploys.find((r) => r.id === id);
    return { write: found !== undefined && edit(found), result: found && structuredClone(found) };
  });
}

/** Removes the redeploy of this id (its move did not happen). */
export function dropRedeploy(deps: WorkflowDeps, id: string): Promise<void> {
  return change(deps, (body) => {
    const before = body.redeploys.length;
    body.redeploys = body.redeploys.filter((r) => r.id !== id);
    return { write: body.redeploys.length !== before, result: undefined };
  });
}
