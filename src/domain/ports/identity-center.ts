/** Identity Center (sso-admin, identitystore) as the factory uses it: permission sets, groups, assignments. */
export interface IdentityCenterInstance {
  instanceArn: string;
  identityStoreId: string;
}

export type AssignmentStatus = 'IN_PROGRESS' | 'FAILED' | 'SUCCEEDED';

export interface PermissionSetDefinition {
  name: string;
  description: string;
  sessionDuration: string;
  managedPolicies: string[];
  inlinePolicy?: string;
}

export interface IdentityCenterPort {
  getInstance(): Promise<IdentityCenterInstance>;
  findPermissionSetArn(instanceArn: string, name: string): Promise<string | undefined>;
  /** Every permission set of the instance, by name (one list, one describe each). */
  listPermissionSets(instanceArn: string): Promise<Array<{ name: string; arn: string }>>;
  describePermissionSet(instanceArn: string, arn: string): Promise<PermissionSetDefinition>;
  createPermissionSet(instanceArn: string, def: PermissionSetDefinition): Promise<string>;
  /** Brings an existing permission set's description, session, policies in line with `def`. */
  updatePermissionSet(instanceArn: string, arn: string, def: PermissionSetDefinition): Promise<void>;
  findGroupId(identityStoreId: string, displayName: string): Promise<string | undefined>;
  /** Only the demo creates groups; in real AWS they come from the identity provider. */
  createGroup(identityStoreId: string, displayName: string): Promise<string>;
  startAccountAssignment(input: {
    instanceArn: string;
    accountId: string;
    permissionSetArn: string;
    groupId: string;
  }): Promise<{ requestId: string; status: AssignmentStatus; failureReason?: string }>;
  getAccountAssignmentStatus(
    instanceArn: string,
    requestId: string,
  ): Promise<{ status: AssignmentStatus; failureReason?: string }>;
  /** DeleteAccountAssignment: asynchronous like the creation; poll its status. */
  startAccountAssignmentDeletion(input: {
    instanceArn: string;
    accountId: string;
    permissionSetArn: string;
    principalId: string;
    principalType: string;
  }): Promise<{ requestId: string; status: AssignmentStatus; failureReason?: string }>;
  getAccountAssignmentDeletionStatus(
    instanceArn: string,
    requestId: string,
  ): Promise<{ status: AssignmentStatus; failureReason?: string }>;
  /** Page-capped: moto loops forever on duplicate assignments. */
  /** The permission sets provisioned to the account (ListPermissionSetsProvisionedToAccount). */
  listPermissionSetsProvisionedToAccount(instanceArn: string, accountId: string): Promise<string[]>;
  listAccountAssignments(
    instanceArn: string,
    accountId: string,
    permissionSetArn: string,
  ): Promise<Array<{ principalId: string; principalType: string }>>;
}
