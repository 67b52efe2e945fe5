import { accountIdOf, done, fail, wait, type Step } from '../step';
import { verifiedAheadResults } from '../verify-ahead';
import { verificationTarget } from '../verification-target';

/** Verification failures may be eventual consistency right after a change: check a few times first. */
const VERIFY_ATTEMPTS = 3;

/**
 * Checks every control read-only (those that passed when checked ahead, verify-ahead.ts, are not
 * read again until the step ends); READY only when none FAILs and none is in ERROR, except controls
 * the emulator cannot evaluate (listed in the README) when AVF_EMULATOR=1 declares the emulator.
 */
export const verify: Step = async ({ deps, record, now }) => {
  const accountId = accountIdOf(record);
  const verification = await deps.verifier.verify(
    verificationTarget({ ...record, accountId }, { vending: true, activity: record.id }),
    now,
    await verifiedAheadResults(deps, record),
  );
  record.controls = verification.summary;
  record.lastVerification = verification;
  const bad = verification.results.filter((r) => r.status !== 'PASS');
  const failing = deps.verifier.blocking(verification.results);
  const summary = `${verification.summary.passed} passed, ${verification.summary.failed} failed, ${verification.summary.error} error`;
  const list = bad
    .map((r) => `${r.id}${r.region ? `@${r.region}` : ''} ${r.status}: ${r.evidence}`)
    .join('; ');
  if (failing.length === 0) {
    delete record.handles.verifiedAheadAt;
    return done(bad.length > 0 ? `${summary} (${list})` : summary);
  }
  // Throttling or a 5xx while reading is no verdict on the account: read again after a backoff.
  if (failing.every((r) => r.status === 'ERROR' && r.retryable))
    return { kind: 'wait', transient: true, detail: `${summary}; transient errors, checking again: ${list}` };
  if (record.attempts + 1 < VERIFY_ATTEMPTS) return wait(`${summary}; checking again: ${list}`);
  delete record.handles.verifiedAheadAt;
  return fail(
    'VERIFY_FAILED',
    `controls failed on account ${accountId}: ${list}; fix them, then POST …/retry`,
  );
};
