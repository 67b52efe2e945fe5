import type { Verification } from '../../domain/compliance';
import { storedJobKind } from '../engine/stored-job-kind';
import { done, fail } from '../engine/outcome';
import { accountStateOf } from '../lifecycle/managed-account';
import { checkAndRecord } from './check-account';
import { VERIFICATION_JOB, VerificationJobSchema, type VerificationSummary } from './verification-jobs';

function summaryOf(v: Verification): VerificationSummary {
  const count = (status: string) => v.results.filter((r) => r.status === status).length;
  return {
    verifiedAt: v.verifiedAt,
    passed: count('PASS'),
    failed: count('FAIL'),
    errors: count('ERROR'),
    blocking: v.blocking,
    ...(v.remediated ? { remediated: v.remediated } : {}),
  };
}

/**
 * Verifications asked for with `POST /v1/accounts/{id}/verify`, run by the worker: every control
 * read-only, then, where `drift.remediate` allows, the FAILed controls' settings re-applied and the
 * account verified again (check-account.ts); stored as the account's last verification, with a
 * `Drift Finding` event per FAILed control. Ends SUCCEEDED with a summary, or FAILED with the
 * reason (transient AWS errors retry). 5 at once per worker, one per account.
 */
export const VERIFICATION_KIND = storedJobKind({
  name: VERIFICATION_JOB,
  schema: VerificationJobSchema,
  concurrency: 5,
  perGroup: 1,
  leaseMs: 5 * 60_000,
  step: async (job, { deps }) => {
    const record = await deps.store.get(job.requestId);
    const settled =
      record && ['READY', 'FAILED'].includes(record.status) && accountStateOf(record) === 'ACTIVE';
    if (!record?.accountId || !settled) {
      const state = record ? `${record.status}, ${accountStateOf(record)}` : 'gone from the inventory';
      return fail('ACCOUNT_NOT_SETTLED', `account ${job.accountId} is ${state}; it was not verified`);
    }
    const { verification } = await checkAndRecord(
      deps,
      { ...record, accountId: record.accountId },
      { requestedBy: job.requestedBy },
    );
    job.summary = summaryOf(verification);
    job.finishedAt = deps.clock.now().toISOString();
    const { passed, failed, errors } = job.summary;
    const fixed = job.summary.remediated?.length ? `, ${job.summary.remediated.length} re-applied` : '';
    return done(`verified: ${passed} PASS, ${failed} FAIL, ${errors} ERROR${fixed}`);
  },
});
