import { z } from 'zod';
import type { WorkflowDeps } from '../step';
import { readDocument, updateDocument, type DocumentKind } from './document';
import { phasesRunning } from '../ahead-phases';

const QuotaSchema = z.object({
  /** CreateAccountAssignment requests started and not yet seen to finish. */
  outstanding: z.array(z.object({ key: z.string(), requestId: z.string(), since: z.string() })),
  /** When the sso-admin calls of the last second were made (ms since the epoch). */
  calls: z.array(z.number()),
});
type Quota = z.infer<typeof QuotaSchema>;

/** Identity Center's organisation-wide quotas, shared by every worker (docs/aws-limits.md). */
export const IDENTITY_CENTER_QUOTA: DocumentKind<Quota> = {
  kind: 'limiter',
  schema: QuotaSchema,
  empty: () => ({ outstanding: [], calls: [] }),
};
const ID = 'identity-center';
const WINDOW_MS = 1_000;

const limits = (deps: WorkflowDeps) => deps.config.config.worker.identityCenter;

/** One read-modify-write of the shared quota document. */
const updateQuota = <R>(deps: WorkflowDeps, change: (quota: Quota) => { write: boolean; result: R }) =>
  updateDocument(deps.store, IDENTITY_CENTER_QUOTA, ID, () => deps.clock.now(), change);

/** A holder that is a job rather than a request: `job:<kind>/<id>` (e.g. an account change). */
export const jobHolder = (kind: string, id: string): string => `job:${kind}/${id}`;

/**
 * Still assigning: a live request in a phase where its identity-center step runs (its own, or one
 * that runs it ahead) and whose step has not succeeded, or a job that has not ended.
 */
async function stillAssigning(deps: WorkflowDeps, requestId: string): Promise<boolean> {
  const job = /^job:([^/]+)\/(.+)$/.exec(requestId);
  if (job) {
    const held = await deps.store.jobs.getJob(job[1]!, job[2]!);
    return held !== undefined && !held.ended;
  }
  const record = await deps.store.get(requestId);
  return (
    record !== undefined &&
    phasesRunning('identity-center', deps.config.config).includes(record.phase) &&
    record.steps.find((s) => s.name === 'identity-center')?.status !== 'SUCCEEDED' &&
    (record.status === 'QUEUED' || record.status === 'IN_PROGRESS')
  );
}

/**
 * Reserves `count` sso-admin calls within the shared per-second rate. Returns 0 when they may be
 * made now, else how many milliseconds to wait before asking again (a step never sleeps).
 */
export function reserveCalls(deps: WorkflowDeps, count: number): Promise<number> {
  const perSecond = limits(deps).callsPerSecond;
  return updateQuota(deps, (quota) => {
    const now = deps.clock.now().getTime();
    quota.calls = quota.calls.filter((t) => now - t < WINDOW_MS);
    if (quota.calls.length + count > perSecond) {
      const freedAt = (quota.calls[quota.calls.length + count - perSecond - 1] ?? now) + WINDOW_MS;
      return { write: false, result: Math.max(1, freedAt - now) };
    }
    quota.calls.push(...Array.from({ length: count }, () => now));
    return { write: true, result: 0 };
  });
}

/**
 * Takes one of the outstanding-assignment slots for `key` (idempotent: a holder keeps its slot).
 * Holders whose request has left the phase are dropped when the slots are full, so a crash never
 * leaks one.
 */
export async function takeAssignmentSlot(
  deps: WorkflowDeps,
  requestId: string,
  key: string,
): Promise<boolean> {
  const max = limits(deps).maxOutstandingAssignments;
  const { body } = await readDocument(deps.store, IDENTITY_CENTER_QUOTA, ID);
  const gone = new Set<string>();
  if (!body.outstanding.some((o) => o.key === key) && body.outstanding.length >= max) {
    for (const holder of new Set(body.outstanding.map((o) => o.requestId))) {
      if (holder !== requestId && !(await stillAssigning(deps, holder))) gone.add(holder);
    }
  }
  return updateQuota(deps, (quota) => {
    const before = quota.outstanding.length;
    quota.outstanding = quota.outstanding.filter((o) => !gone.has(o.requestId));
    if (quota.outstanding.some((o) => o.key === key))
      return { write: quota.outstanding.length !== before, result: true };
    if (quota.outstanding.length >= max) return { write: quota.outstanding.length !== before, result: false };
    quota.outstanding.push({ key, requestId, since: deps.clock.now().toISOString() });
    return { write: true, result: true };
  });
}

/** Frees the slots of the given keys, or every slot of `requestId` when no keys are given. */
export function releaseAssignmentSlots(
  deps: WorkflowDeps,
  requestId: string,
  keys?: string[],
): Promise<void> {
  return updateQuota(deps, (quota) => {
    const before = quota.outstanding.length;
    quota.outstanding = quota.outstanding.filter((o) =>
      keys === undefined ? o.requestId !== requestId : !keys.includes(o.key),
    );
    return { write: quota.outstanding.length !== before, result: undefined };
  });
}
