import type { RequestRecord } from '../domain/account-request';
import type { VerificationTarget } from '../verify/verifier';

/**
 * What a verification of a request's account checks it against, with what its vend left on the
 * record: the GuardDuty detectors hardening found or made (read directly), and — while vending
 * only — the StackSet operations that deployed it (their instances are current then, not later).
 * `activity` names the member-account session (the request id in a vend).
 */
export function verificationTarget(
  record: RequestRecord & { accountId: string },
  options: { vending: boolean; activity: string },
): VerificationTarget {
  const { threatDetectors, stackSetOperations } = record.handles;
  return {
    accountId: record.accountId,
    spec: record.spec,
    vending: options.vending,
    activity: options.activity,
    ...(threatDetectors ? { threatDetectors } : {}),
    ...(options.vending && stackSetOperations ? { stackSetOperations } : {}),
  };
}
