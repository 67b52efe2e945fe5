import type {
  CallAs,
  Capability,
  Parameter,
  StackSetOperationPreferences,
} from '@aws-sdk/client-cloudformation';
import type { StackInstanceTargets, StackSetDefinition } from '../domain/ports/aws';

/** What the StackSets adapter sends: the request shapes it builds from the port's arguments. */

/**
 * Every instance operation runs all regions at once and does not stop on a failed account: the
 * reconciler reads each instance's status and decides per account.
 */
export const OPERATION_PREFERENCES: StackSetOperationPreferences = {
  RegionConcurrencyType: 'PARALLEL',
  FailureTolerancePercentage: 100,
  MaxConcurrentPercentage: 100,
};

/** AVF_STACKSETS_CALL_AS (set by the CDK stack's `avf:stackSetsCallAs`): unset sends no CallAs. */
export function callAsOption(value: string | undefined): { CallAs?: CallAs } {
  if (value === undefined || value === '') return {};
  if (value === 'SELF' || value === 'DELEGATED_ADMIN') return { CallAs: value };
  throw new Error(`AVF_STACKSETS_CALL_AS is ${JSON.stringify(value)}; use SELF or DELEGATED_ADMIN`);
}

function toParameters(parameters: Record<string, string>): Parameter[] {
  return Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));
}

export function deploymentTargets(targets: StackInstanceTargets) {
  return {
    DeploymentTargets: {
      OrganizationalUnitIds: targets.organizationalUnitIds,
      Accounts: targets.accountIds,
      AccountFilterType: 'INTERSECTION' as const,
    },
    Regions: targets.regions,
  };
}

export function definitionInput(def: StackSetDefinition) {
  return {
    StackSetName: def.name,
    Description: def.description,
    TemplateBody: def.templateBody,
    Parameters: toParameters(def.parameters),
    Capabilities: def.capabilities as Capability[],
  };
}
