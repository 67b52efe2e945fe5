import type { FactoryConfig } from '../config/schema';
import { configBucketName } from '../domain/hardening';

/**
 * Names of what bootstrap creates outside Organizations, derived from ids so they are the same on
 * every run (and so other parts of the factory can find them without a lookup).
 */

/** The organisation trail, in the management account's home region. */
export const ORGANIZATION_TRAIL_NAME = 'avf-organization-trail';
/** Alias of the KMS key that encrypts the organisation trail. */
export const TRAIL_KEY_ALIAS = 'alias/avf-organization-trail';
/** The organisation analyzer in the security account. */
export const ORGANIZATION_ANALYZER_NAME = 'avf-organization-analyzer';
/** The managed policy the IAM-6 guardrail requires as boundary on roles members create. */
export const PERMISSIONS_BOUNDARY_POLICY_NAME = 'avf-permissions-boundary';
/** Service-managed StackSets create their execution role under this prefix. */
const STACKSETS_EXECUTION_ROLE = 'stacksets-exec-*';
/** Roles the baseline StackSet creates are named with this prefix. */
const BASELINE_ROLE_PREFIX = 'avf-*';

/** The log-archive bucket the organisation trail delivers to. */
export function trailBucketName(logArchiveAccountId: string): string {
  return `avf-cloudtrail-${logArchiveAccountId}`;
}

/** The central AWS Config bucket in the log-archive account (the hardening layer delivers to it). */
export { configBucketName };

/** A role in any account and partition, as SCP conditions match principals. */
const anyAccountRole = (name: string): string => `arn:*:iam::*:role/${name}`;

/**
 * The roles Identity Center creates for a permission set in each account it is assigned to
 * (`/aws-reserved/sso.amazonaws.com/[region/]AWSReservedSSO_<name>_<suffix>`). Only Identity
 * Center creates roles under /aws-reserved/: the identity guardrails deny it to everyone else.
 */
const permissionSetRoles = (permissionSet: string): string =>
  anyAccountRole(`aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSet}_*`);

/**
 * The values the policy templates in stacksets/scp/ may use as `"{{name}}"`. A placeholder is a
 * whole JSON string and is replaced by the value (a list becomes a JSON array), so a template is
 * itself valid JSON.
 */
export function policyTemplateValues(config: FactoryConfig): Record<string, string | string[]> {
  const factoryPrincipals = [
    ...config.organization.factoryRoleNames.map(anyAccountRole),
    anyAccountRole(STACKSETS_EXECUTION_ROLE),
  ];
  return {
    factoryPrincipalArns: factoryPrincipals,
    /** The factory's, and the security team's roles of the triage permission sets (G-2 findings). */
    triagePrincipalArns: [
      ...factoryPrincipals,
      ...config.organization.securityTriagePermissionSets.map(permissionSetRoles),
    ],
    protectedRoleArns: [
      ...factoryPrincipals,
      anyAccountRole(BASELINE_ROLE_PREFIX),
      anyAccountRole('aws-reserved/*'),
    ],
    governedRegions: config.governedRegions,
    /** The boundary IAM-6 requires; only the factory may create or change the policy of that ARN. */
    permissionsBoundaryArn: `arn:*:iam::*:policy/${PERMISSIONS_BOUNDARY_POLICY_NAME}`,
  };
}

/** The log-archive bucket for a purpose. */
export function logBucketName(purpose: 'cloudtrail' | 'config', logArchiveAccountId: string): string {
  return purpose === 'cloudtrail'
    ? trailBucketName(logArchiveAccountId)
    : configBucketName(logArchiveAccountId);
}
