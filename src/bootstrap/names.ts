import type { FactoryConfig } from '../config/schema';
import { PERMISSIONS_BOUNDARY_POLICY_NAME } from '../domain/names';

/** Service-managed StackSets create their execution role under this prefix. */
const STACKSETS_EXECUTION_ROLE = 'stacksets-exec-*';
/** Roles the baseline StackSet creates are named with this prefix. */
const BASELINE_ROLE_PREFIX = 'avf-*';

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
