import {
  CreateGroupCommand,
  GetGroupIdCommand,
  type IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  paginateListAccountAssignments,
  paginateListInstances,
  paginateListPermissionSetsProvisionedToAccount,
  type AccountAssignmentOperationStatus,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AwsError } from '../domain/errors';
import type {
  AssignmentStatus,
  IdentityCenterInstance,
  IdentityCenterPort,
  PermissionSetDefinition,
} from '../domain/ports/aws';
import type { ClientFactory } from './clients';
import { call, callTolerating } from './errors';
import { PermissionSetsAdapter } from './identity-center-permission-sets';
import { Pages } from './pagination';

function toAssignment(s: AccountAssignmentOperationStatus | undefined): {
  requestId: string;
  status: AssignmentStatus;
  failureReason?: string;
} {
  return {
    requestId: s?.RequestId ?? '',
    status: s?.Status ?? 'IN_PROGRESS',
    failureReason: s?.FailureReason,
  };
}

/**
 * IAM Identity Center: sso-admin for the instance and account assignments, identitystore for
 * groups; permission sets are PermissionSetsAdapter's (identity-center-permission-sets.ts).
 */
export class IdentityCenterAdapter implements IdentityCenterPort {
  private readonly sso: SSOAdminClient;
  private readonly store: IdentitystoreClient;
  private readonly pages: Pages<SSOAdminClient>;
  private readonly permissionSets: PermissionSetsAdapter;

  constructor(clients: ClientFactory, options: { maxPages?: number } = {}) {
    this.sso = clients.ssoAdmin();
    this.store = clients.identityStore();
    this.pages = new Pages(this.sso, options.maxPages);
    this.permissionSets = new PermissionSetsAdapter(this.sso, options.maxPages);
  }

  listPermissionSets(instanceArn: string): Promise<Array<{ name: string; arn: string }>> {
    return this.permissionSets.listPermissionSets(instanceArn);
  }

  findPermissionSetArn(instanceArn: string, name: string): Promise<string | undefined> {
    return this.permissionSets.findPermissionSetArn(instanceArn, name);
  }

  describePermissionSet(instanceArn: string, arn: string): Promise<PermissionSetDefinition> {
    return this.permissionSets.describePermissionSet(instanceArn, arn);
  }

  createPermissionSet(instanceArn: string, def: PermissionSetDefinition): Promise<string> {
    return this.permissionSets.createPermissionSet(instanceArn, def);
  }

  updatePermissionSet(instanceArn: string, arn: string, def: PermissionSetDefinition): Promise<void> {
    return this.permissionSets.updatePermissionSet(instanceArn, arn, def);
  }

  /** sso:ListInstances */
  async getInstance(): Promise<IdentityCenterInstance> {
    const operation = 'sso:ListInstances';
    const instances = await this.pages.collect(operation, paginateListInstances, {}, (p) => p.Instances);
    const instance = instances[0];
    if (!instance?.InstanceArn || !instance.IdentityStoreId) {
      throw new AwsError(
        operation,
        'IdentityCenterNotEnabled',
        'no IAM Identity Center instance in this region',
        false,
      );
    }
    return { instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId };
  }

  /** identitystore:GetGroupId — undefined when no group has that display name. */
  async findGroupId(identityStoreId: string, displayName: string): Promise<string | undefined> {
    const out = await callTolerating('identitystore:GetGroupId', ['ResourceNotFoundException'], () =>
      this.store.send(
        new GetGroupIdCommand({
          IdentityStoreId: identityStoreId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName },
          },
        }),
      ),
    );
    return out?.GroupId;
  }

  /** identitystore:CreateGroup, identitystore:GetGroupId — a group of that name already existing is returned. */
  async createGroup(identityStoreId: string, displayName: string): Promise<string> {
    const out = await callTolerating('identitystore:CreateGroup', ['ConflictException'], () =>
      this.store.send(new CreateGroupCommand({ IdentityStoreId: identityStoreId, DisplayName: displayName })),
    );
    const id = out?.GroupId ?? (await this.findGroupId(identityStoreId, displayName));
    if (!id)
      throw new AwsError(
        'identitystore:CreateGroup',
        'GroupNotFound',
        `${displayName} was not created`,
        true,
      );
    return id;
  }

  /** sso:CreateAccountAssignment (a group, on one account) */
  async startAccountAssignment(input: {
    instanceArn: string;
    accountId: string;
    permissionSetArn: string;
    groupId: string;
  }): Promise<{ requestId: string; status: AssignmentStatus; failureReason?: string }> {
    const out = await call('sso:CreateAccountAssignment', () =>
      this.sso.send(
        new CreateAccountAssignmentCommand({
          InstanceArn: input.instanceArn,
          TargetId: input.accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: input.permissionSetArn,
          PrincipalType: 'GROUP',
          PrincipalId: input.groupId,
        }),
      ),
    );
    return toAssignment(out.AccountAssignmentCreationStatus);
  }

  /** sso:DescribeAccountAssignmentCreationStatus */
  async getAccountAssignmentStatus(
    instanceArn: string,
    requestId: string,
  ): Promise<{ status: AssignmentStatus; failureReason?: string }> {
    const out = await call('sso:DescribeAccountAssignmentCreationStatus', () =>
      this.sso.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentCreationRequestId: requestId,
        }),
      ),
    );
    const { status, failureReason } = toAssignment(out.AccountAssignmentCreationStatus);
    return { status, failureReason };
  }

  /** sso:DeleteAccountAssignment (one principal, on one account) */
  async startAccountAssignmentDeletion(input: {
    instanceArn: string;
    accountId: string;
    permissionSetArn: string;
    principalId: string;
    principalType: string;
  }): Promise<{ requestId: string; status: AssignmentStatus; failureReason?: string }> {
    const out = await call('sso:DeleteAccountAssignment', () =>
      this.sso.send(
        new DeleteAccountAssignmentCommand({
          InstanceArn: input.instanceArn,
          TargetId: input.accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: input.permissionSetArn,
          PrincipalType: input.principalType === 'USER' ? 'USER' : 'GROUP',
          PrincipalId: input.principalId,
        }),
      ),
    );
    return toAssignment(out.AccountAssignmentDeletionStatus);
  }

  /** sso:DescribeAccountAssignmentDeletionStatus */
  async getAccountAssignmentDeletionStatus(
    instanceArn: string,
    requestId: string,
  ): Promise<{ status: AssignmentStatus; failureReason?: string }> {
    const out = await call('sso:DescribeAccountAssignmentDeletionStatus', () =>
      this.sso.send(
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentDeletionRequestId: requestId,
        }),
      ),
    );
    const { status, failureReason } = toAssignment(out.AccountAssignmentDeletionStatus);
    return { status, failureReason };
  }

  /** sso:ListPermissionSetsProvisionedToAccount */
  async listPermissionSetsProvisionedToAccount(instanceArn: string, accountId: string): Promise<string[]> {
    return this.pages.collect(
      'sso:ListPermissionSetsProvisionedToAccount',
      paginateListPermissionSetsProvisionedToAccount,
      { InstanceArn: instanceArn, AccountId: accountId },
      (page) => page.PermissionSets,
    );
  }

  /** sso:ListAccountAssignments */
  async listAccountAssignments(
    instanceArn: string,
    accountId: string,
    permissionSetArn: string,
  ): Promise<Array<{ principalId: string; principalType: string }>> {
    const assignments = await this.pages.collect(
      'sso:ListAccountAssignments',
      paginateListAccountAssignments,
      {
        InstanceArn: instanceArn,
        AccountId: accountId,
        PermissionSetArn: permissionSetArn,
      },
      (page) => page.AccountAssignments,
    );
    // A repeated page (moto, after a duplicate assignment) lists the same principal twice.
    const unique = new Map(assignments.map((a) => [`${a.PrincipalType}/${a.PrincipalId}`, a]));
    return [...unique.values()].map((a) => ({
      principalId: a.PrincipalId ?? '',
      principalType: a.PrincipalType ?? '',
    }));
  }
}
