import { z } from 'zod';
import { ConflictError } from '../../domain/errors';
import { operationId } from '../../domain/operation-id';
import type { HasJobs, JobRecord } from '../../domain/ports/job-store';
import type { Clock } from '../clock';
import { allJobs, scheduleJob } from '../engine/jobs';
import type { WorkflowDeps } from '../step';

/**
 * The baseline following a moved account to its new OU: a job (kind `redeploy`, id the account)
 * the workers advance a stage a step (redeploy-kind.ts). A service-managed stack instance belongs to the OU
 * target it was created through and stays with that OU when its account moves, so after a move
 * the account's instances are created again under the new OU and deleted under the old one.
 */
export const REDEPLOY_STAGES = [
  /** The move itself (MoveAccount, then the inventory with its `Account Moved` event). */
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
  finishedAt: z.string().optional(),
});
/** A redeploy's state (its job's), and what the inventory shows: the job's `detail` beside it. */
export type Redeploy = z.infer<typeof RedeploySchema> & { detail?: string };

/** Redeploys are jobs of this kind, one per account (its id): a new one replaces a finished one. */
export const REDEPLOY_JOB = 'redeploy';

const HOUR_MS = 60 * 60_000;
/** A finished redeploy stays in the inventory this long: a day when it succeeded, a month when not. */
const KEEP_SUCCEEDED_MS = 24 * HOUR_MS;
const KEEP_FAILED_MS = 30 * 24 * HOUR_MS;

export const isFinished = (r: Pick<Redeploy, 'stage'>): boolean => FINISHED.includes(r.stage);

/** What the inventory shows of it. */
export function redeployStatus(r: Redeploy): 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' {
  if (r.stage === 'SUCCEEDED' || r.stage === 'FAILED') return r.stage;
  return 'IN_PROGRESS';
}

/** AWS's idempotency token for one StackSet's part of a redeploy. */
export function redeployOperationId(
  storeTag: string,
  r: Redeploy,
  action: 'CREATE' | 'DELETE',
  stackSet: string,
): string {
  return operationId(storeTag, r.id, action.toLowerCase(), stackSet, `g${r.generation}`);
}

/** The redeploy a job holds, unless it was dropped (its move no longer applies) or is long finished. */
export function redeployOf(job: JobRecord, now: Date): Redeploy | undefined {
  const parsed = RedeploySchema.safeParse(job.state);
  if (!parsed.success) return undefined;
  const r: Redeploy = { ...parsed.data, ...(job.detail ? { detail: job.detail } : {}) };
  if (job.ended && !isFinished(r)) return undefined;
  const keep = r.stage === 'SUCCEEDED' ? KEEP_SUCCEEDED_MS : KEEP_FAILED_MS;
  if (isFinished(r) && now.getTime() - Date.parse(r.finishedAt ?? r.requestedAt) > keep) return undefined;
  return r;
}

/** The latest redeploy of each account (running, or finished and not yet forgotten). */
export async function redeploysByAccount(deps: {
  store: HasJobs;
  clock: Clock;
}): Promise<Map<string, Redeploy>> {
  const now = deps.clock.now();
  const redeploys = (await allJobs(deps, REDEPLOY_JOB)).flatMap((job) => redeployOf(job, now) ?? []);
  return new Map(redeploys.map((r) => [r.accountId, r]));
}

/**
 * Adds a redeploy, due at `at`, replacing the account's finished one; one still running is a 409
 * (checked by the same conditional write, so of two moves at once one wins).
 */
export async function scheduleRedeploy(deps: WorkflowDeps, redeploy: Redeploy, at?: Date): Promise<void> {
  const state: Redeploy = { ...redeploy };
  delete state.detail;
  await scheduleJob(deps, REDEPLOY_JOB, redeploy.accountId, RedeploySchema.parse(state), {
    ...(at ? { at } : {}),
    ...(redeploy.detail ? { detail: redeploy.detail } : {}),
    replace: (existing) => {
      const running = existing.ended ? undefined : RedeploySchema.safeParse(existing.state).data;
      if (running) {
        throw new ConflictError(
          'BASELINE_REDEPLOY_IN_PROGRESS',
          `account ${redeploy.accountId} is still being moved to ${running.toOrganizationalUnit} (${running.stage}: ${existing.detail ?? 'starting'}); wait until GET /v1/accounts/${redeploy.accountId} shows it finished`,
        );
      }
      return true;
    },
  });
}
