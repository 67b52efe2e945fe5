import type { Verification } from '../../domain/compliance';

/**
 * Which hardening ensure (src/workflow/hardening) makes each API-ensured control true: only these
 * controls can drift back into compliance by re-running an ensure. The others (SCPs, StackSets,
 * Identity Center, budget) are the business of rollouts and PATCH.
 */
export const ENSURE_OF_CONTROL: Readonly<Record<string, string>> = {
  'IAM-4': 'password-policy',
  'D-1': 's3-account-public-access-block',
  'A-1': 'alternate-contacts',
  'D-2': 'ebs-encryption-by-default',
  'D-3': 'snapshot-block-public-access',
  'G-4': 'imds-v2-defaults',
  'N-1': 'default-vpc-removed',
  'L-2': 'config-recorder',
  'L-3': 'guardduty-detector',
};

/** IAM-5 drifts back by revoking the assignments the record does not hold. */
export const ACCESS_CONTROL_ID = 'IAM-5';

/** Whether remediation can bring a FAILed control back: an ensure re-runs, or access is revoked. */
export const isRemediable = (controlId: string): boolean =>
  ENSURE_OF_CONTROL[controlId] !== undefined || controlId === ACCESS_CONTROL_ID;

/** The ensures to re-run for a verification's FAILed controls (ERROR is not drift: nothing was read). */
export function settingsToRemediate(verification: Verification): string[] {
  const settings = verification.results
    .filter((r) => r.status === 'FAIL')
    .flatMap((r) => {
      const setting = ENSURE_OF_CONTROL[r.id];
      return setting === undefined ? [] : [setting];
    });
  return [...new Set(settings)];
}
