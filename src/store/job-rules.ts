import { ConflictError, StaleRecordError } from '../domain/errors';
import { JobRecordSchema, type JobClaim, type JobRecord } from '../domain/ports/job-store';
import { leaseUntil } from './store-rules';

/** The rules every JobStore adapter shares: validation, claimability, leases, errors. */

export function validJob<S>(job: JobRecord<S>): JobRecord<S> {
  return { ...(JobRecordSchema.parse(job) as JobRecord<S>), state: structuredClone(job.state) };
}

export const jobExists = (kind: string, id: string): ConflictError =>
  new ConflictError('JOB_EXISTS', `a ${kind} job with id ${id} already exists`);

export const staleJob = (kind: string, id: string): StaleRecordError =>
  new StaleRecordError(`${kind}/${id}`, 'job');

/** Due, not leased by anyone now, and not in a group held back. */
export function claimable(job: JobRecord, claim: JobClaim): boolean {
  const now = claim.now.getTime();
  return (
    job.kind === claim.kind &&
    job.nextCheckAt !== undefined &&
    Date.parse(job.nextCheckAt) <= now &&
    (job.leaseUntil === undefined || Date.parse(job.leaseUntil) <= now) &&
    !(job.group !== undefined && claim.excludeGroups?.includes(job.group)) &&
    !claim.excludeIds?.includes(job.id)
  );
}

/** The job as a claim leases it (the version bumped by the conditional write). */
export function leased<S>(job: JobRecord<S>, claim: JobClaim): JobRecord<S> {
  return {
    ...job,
    leaseOwner: claim.owner,
    leaseUntil: leaseUntil(claim.now, claim.leaseMs),
    version: job.version + 1,
  };
}

/** Oldest due first, then by id. */
export function dueOrder(a: JobRecord, b: JobRecord): number {
  const at = (a.nextCheckAt ?? '').localeCompare(b.nextCheckAt ?? '');
  return at !== 0 ? at : a.id.localeCompare(b.id);
}
