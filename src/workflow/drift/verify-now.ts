import { z } from 'zod';
import type { Principal } from '../../domain/principal';
import { readDocument, updateDocument, type DocumentKind } from '../coordination/document';
import { scheduleJob } from '../engine/jobs';
import type { LifecycleDeps } from '../lifecycle/deps';
import { loadAccountFor } from '../lifecycle/managed-account';
import {
  VERIFICATION_JOB,
  newVerificationId,
  verificationView,
  type VerificationJob,
  type VerificationView,
} from './verification-jobs';

const PendingSchema = z.object({ holder: z.string().optional() });
type Pending = z.infer<typeof PendingSchema>;

/** The account's verification that waits or runs, if any (ended or vanished ones count for nothing). */
const PENDING: DocumentKind<Pending> = {
  kind: 'verification-pending',
  schema: PendingSchema,
  empty: () => ({}),
};

async function pendingJob(deps: LifecycleDeps, holder: string | undefined) {
  if (holder === undefined) return undefined;
  const job = await deps.store.jobs.getJob(VERIFICATION_JOB, holder);
  return job && !job.ended ? job : undefined;
}

/**
 * Asks the worker to verify an account now (verification-kind.ts): every control read-only, with
 * remediation where `drift.remediate` allows, stored as the account's last verification. Returns
 * the verification job, QUEUED; while one of the account waits or runs, that one (idempotent: one
 * verification per account at a time). Platform only; on READY or FAILED accounts (not while the
 * reconciler works on them).
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError (409)
 */
export async function verifyAccountNow(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
): Promise<{ verification: VerificationView; started: boolean }> {
  const record = await loadAccountFor(deps.store, principal, accountId, {
    roles: ['platform'],
    describe: 'verify accounts',
    statuses: ['READY', 'FAILED'],
  });
  const { body } = await readDocument(deps.store, PENDING, accountId);
  const running = await pendingJob(deps, body.holder);
  if (running) return { verification: verificationView(running)!, started: false };
  const now = deps.clock.now();
  const id = newVerificationId(accountId, now);
  // conditional on the holder read: of two POSTs at once, one starts a verification
  const won = await updateDocument(
    deps.store,
    PENDING,
    accountId,
    () => deps.clock.now(),
    (p) => {
      if (p.holder !== body.holder) return { write: false, result: p.holder };
      p.holder = id;
      return { write: true, result: id };
    },
  );
  if (won !== id) {
    const other = await pendingJob(deps, won);
    if (other) return { verification: verificationView(other)!, started: false };
  }
  const state: VerificationJob = {
    id,
    accountId,
    requestId: record.id,
    team: record.team,
    requestedBy: principal.name,
    requestedAt: now.toISOString(),
  };
  const job = await scheduleJob(deps, VERIFICATION_JOB, id, state, { group: accountId, detail: 'queued' });
  return { verification: verificationView(job)!, started: true };
}
