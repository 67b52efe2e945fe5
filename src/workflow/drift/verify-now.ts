import { z } from 'zod';
import { ConflictError } from '../../domain/errors';
import type { JobRecord } from '../../domain/ports/job-store';
import type { Principal } from '../../domain/principal';
import { readDocument, updateDocument, type DocumentKind } from '../coordination/document';
import { scheduleJob, updateJob } from '../engine/jobs';
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
 * Stores a verification paused, makes it the account's pending one if the pending one read is
 * still so (conditional write), and only then makes it due; a loser deletes its own (never
 * claimed: paused) and answers the winner's. Undefined when the winner vanished meanwhile.
 */
async function startOrJoin(
  deps: LifecycleDeps,
  state: VerificationJob,
  seen: string | undefined,
): Promise<{ job: JobRecord; started: boolean } | undefined> {
  const paused = await scheduleJob(deps, VERIFICATION_JOB, state.id, state, {
    group: state.accountId,
    paused: true,
    detail: 'queued',
  });
  const holder = await updateDocument(
    deps.store,
    PENDING,
    state.accountId,
    () => deps.clock.now(),
    (p) => {
      if (p.holder !== seen) return { write: false, result: p.holder };
      p.holder = state.id;
      return { write: true, result: state.id };
    },
  );
  if (holder === state.id) {
    const due = await updateJob(deps, VERIFICATION_JOB, state.id, (j) => {
      j.nextCheckAt = deps.clock.now().toISOString();
      return true;
    });
    return { job: due ?? paused, started: true };
  }
  await deps.store.jobs.deleteJob(VERIFICATION_JOB, state.id, paused.version);
  const other = await pendingJob(deps, holder);
  return other ? { job: other, started: false } : undefined;
}

/**
 * Asks the worker to verify an account now (verification-kind.ts): every control read-only, with
 * remediation where `drift.remediate` allows, stored as the account's last verification. Returns
 * the verification job, QUEUED; while one of the account waits or runs, that one (idempotent: one
 * verification per account at a time). Platform only; on READY or FAILED accounts (not while the
 * reconciler works on them).
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError (409: the account is not settled;
 *   `VERIFICATION_BUSY` when verifications kept starting and ending during the call)
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
  for (let attempt = 0; attempt < 3; attempt++) {
    const { body } = await readDocument(deps.store, PENDING, accountId);
    const running = await pendingJob(deps, body.holder);
    if (running) return { verification: verificationView(running)!, started: false };
    const now = deps.clock.now();
    const state: VerificationJob = {
      id: newVerificationId(accountId, now),
      accountId,
      requestId: record.id,
      team: record.team,
      requestedBy: principal.name,
      requestedAt: now.toISOString(),
    };
    const outcome = await startOrJoin(deps, state, body.holder);
    if (outcome) return { verification: verificationView(outcome.job)!, started: outcome.started };
  }
  throw new ConflictError(
    'VERIFICATION_BUSY',
    `verifications of account ${accountId} kept starting and ending meanwhile; try again`,
  );
}
