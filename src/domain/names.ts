/**
 * Names of what the factory creates, derived from ids so they are the same on every run and so
 * every part of the factory (bootstrap, the steps, the verifier) finds them without a lookup.
 */

/** The organisation trail, in the management account's home region. */
export const ORGANIZATION_TRAIL_NAME = 'avf-organization-trail';
/** Alias of the KMS key that encrypts the organisation trail. */
export const TRAIL_KEY_ALIAS = 'alias/avf-organization-trail';
/** The organisation analyzer in the security account. */
export const ORGANIZATION_ANALYZER_NAME = 'avf-organization-analyzer';
/** The managed policy the IAM-6 guardrail requires as boundary on roles members create. */
export const PERMISSIONS_BOUNDARY_POLICY_NAME = 'avf-permissions-boundary';

/** The log-archive bucket the organisation trail delivers to. */
export function trailBucketName(logArchiveAccountId: string): string {
  return `avf-cloudtrail-${logArchiveAccountId}`;
}

/** The central AWS Config bucket in the log-archive account (the hardening layer delivers to it). */
export function configBucketName(logArchiveAccountId: string): string {
  return `avf-config-${logArchiveAccountId}`;
}

/** The log-archive bucket for a purpose. */
export function logBucketName(purpose: 'cloudtrail' | 'config', logArchiveAccountId: string): string {
  return purpose === 'cloudtrail'
    ? trailBucketName(logArchiveAccountId)
    : configBucketName(logArchiveAccountId);
}

/** The budget's name in the payer account: one per vended account. */
/** Every budget the factory creates is named with this prefix (its IAM grants rely on it). */
export const BUDGET_NAME_PREFIX = 'avf-';

export function budgetName(accountId: string): string {
  return `${BUDGET_NAME_PREFIX}${accountId}`;
}

/**
 * The session name the factory assumes a member account's access role under, which CloudTrail
 * shows on every call it makes there (`assumed-role/<role>/avf-<activity>`): the request it vends
 * or redeploys (`req-…`), or what else acts (`drift`, `rollout`, `cli`, `org-services`). An
 * activity outside AssumeRole's characters ([\w+=,.@-]) has them replaced; at most 64 characters.
 */
export function memberSessionName(activity = 'account-settings'): string {
  return `avf-${activity}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}
