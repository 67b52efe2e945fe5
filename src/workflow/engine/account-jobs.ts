import { NotFoundError } from '../../domain/errors';
import type { HasJobs, JobRecord } from '../../domain/ports/job-store';
import { canSeeTeam, type Principal } from '../../domain/principal';

/** How a job ended in failure, as callers see it: `{ error: { code, reason } }`, else nothing. */
export function errorOfJob(job: JobRecord): { error?: { code: string; reason: string } } {
  const ended = job.ended;
  return ended?.outcome === 'failed'
    ? { error: { code: ended.code ?? 'FAILED', reason: ended.reason ?? '' } }
    : {};
}

/**
 * One job about an account (a change, a verification), as `view` shows it, for anyone who may see
 * the account's team; 404 otherwise, for a job of another account, and for a state `view` rejects.
 *
 * @throws NotFoundError (404)
 */
export async function accountJobFor<V extends { accountId: string; team: string }>(
  deps: { store: HasJobs },
  kind: string,
  id: string,
  principal: Principal,
  accountId: string,
  view: (job: JobRecord) => V | undefined,
  noun: string,
): Promise<V> {
  const job = await deps.store.jobs.getJob(kind, id);
  const shown = job && view(job);
  if (!shown || shown.accountId !== accountId || !canSeeTeam(principal, shown.team)) {
    throw new NotFoundError(`${noun} ${id} of account ${accountId}`);
  }
  return shown;
}
