import type { RequestRecord } from '../../domain/account-request';
import type { ControlResult, Verification } from '../../domain/compliance';
import { hardenAccount } from '../hardening/harden-account';
import { ACCESS_CONTROL_ID, isRemediable, settingsToRemediate } from './remediation';
import { revokeAssignments } from '../lifecycle/assignments';
import { unrequestedAssignments } from '../../verify/controls/account-assignments';
import { recordVerification, updateAccountRecord } from '../request-writes';
import type { WorkflowDeps } from '../step';
import { verificationTarget } from '../verification-target';
import { appendEvent, EVENT_TYPES } from '../notify/request-events';
import { cutEvidence as cut, type DriftFinding } from './sweep-document';

export interface VerifyAndRemediate {
  /** The first verification: what drifted. */
  before: Verification;
  /** After re-running the ensures of FAILed controls (the same as `before` when none ran). */
  after: Verification;
  /** The ensures' error, when re-running them failed (the account was verified again anyway). */
  remediationError?: string;
}

/**
 * Verifies an account read-only; where `drift.remediate` allows, re-runs the ensures of the
 * account-settings controls that FAIL (src/workflow/drift/remediation.ts maps controls to
 * ensures), revokes the Identity Center assignments the record does not hold when IAM-5 FAILs,
 * and verifies again.
 */
export async function verifyAndRemediate(
  deps: WorkflowDeps,
  record: RequestRecord & { accountId: string },
): Promise<VerifyAndRemediate> {
  const target = verificationTarget(record, { vending: false, activity: 'drift' });
  const before = await deps.verifier.verify(target, deps.clock.now());
  const remediate = deps.config.config.drift.remediate;
  const settings = remediate ? settingsToRemediate(before) : [];
  const access = remediate && before.results.some((r) => r.id === ACCESS_CONTROL_ID && r.status === 'FAIL');
  if (settings.length === 0 && !access) return { before, after: before };
  let remediationError: string | undefined;
  const applied: string[] = [];
  try {
    if (settings.length > 0) {
      const outcomes = await hardenAccount(deps, record.accountId, { settings, activity: 'drift' });
      applied.push(...outcomes.filter((o) => o.result === 'applied').map((o) => `${o.setting}@${o.region}`));
    }
    if (access) {
      const extra = await unrequestedAssignments(deps, record.accountId, record.spec.access);
      const revoked = await revokeAssignments(deps, record.accountId, extra);
      applied.push(...revoked.map((label) => `revoked ${label}`));
    }
  } catch (e) {
    remediationError = (e as Error).message;
  }
  const after = { ...(await deps.verifier.verify(target, deps.clock.now())), remediated: applied };
  return { before, after, ...(remediationError ? { remediationError } : {}) };
}

function findingOf(failed: ControlResult, outcome: VerifyAndRemediate, remediate: boolean): DriftFinding {
  const finding: DriftFinding = {
    accountId: outcome.before.accountId,
    controlId: failed.id,
    title: failed.title,
    ...(failed.region ? { region: failed.region } : {}),
    evidence: cut(failed.evidence),
    detectedAt: outcome.before.verifiedAt,
  };
  if (!remediate || !isRemediable(failed.id)) return finding;
  const now = outcome.after.results.find((r) => r.id === failed.id && r.region === failed.region);
  finding.remediated = now?.status === 'PASS';
  if (!finding.remediated) {
    finding.remediationDetail = cut(
      outcome.remediationError ?? `still ${now?.status ?? 'unknown'}: ${now?.evidence ?? ''}`,
    );
  }
  return finding;
}

/** What started a check: a sweep, or someone's `POST /v1/accounts/{id}/verify`. */
export type CheckOrigin = { sweepId: string } | { requestedBy: string };

/**
 * An account verified (and remediated where allowed), the verification recorded on its request
 * record as the vend's verify step does, with a `Drift Finding` event per FAILed control in the
 * same save (delivered by the outbox to EventBridge and the request's webhook).
 */
export async function checkAndRecord(
  deps: WorkflowDeps,
  record: RequestRecord & { accountId: string },
  origin: CheckOrigin,
): Promise<{ findings: DriftFinding[]; verification: Verification }> {
  const outcome = await verifyAndRemediate(deps, record);
  const remediate = deps.config.config.drift.remediate;
  const findings = outcome.before.results
    .filter((r) => r.status === 'FAIL')
    .map((r) => findingOf(r, outcome, remediate));
  const now = deps.clock.now();
  await updateAccountRecord(deps, record.id, (r) => {
    recordVerification(r, outcome.after);
    r.updatedAt = now.toISOString();
    for (const finding of findings) appendEvent(r, EVENT_TYPES.driftFinding, { ...origin, ...finding }, now);
  });
  return { findings, verification: outcome.after };
}

/** One account of a sweep (checkAndRecord); returns its findings. */
export async function checkAccount(
  deps: WorkflowDeps,
  record: RequestRecord & { accountId: string },
  sweepId: string,
): Promise<DriftFinding[]> {
  return (await checkAndRecord(deps, record, { sweepId })).findings;
}
