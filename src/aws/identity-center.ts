import {
  CreateGroupCommand,
  GetGroupIdCommand,
  type IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  UpdatePermissionSetCommand,
  paginateListAccountAssignments,
  paginateListInstances,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
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
import { call, callTolerating, hasAwsCode } from './errors';
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

/** IAM Identity Center: sso-admin for permission sets and assignments, identitystore for groups. */
export class IdentityCenterAdapter implements IdentityCenterPort {
  private readonly sso: SSOAdminClient;
  private readonly store: IdentitystoreClient;
  private readonly pages: Pages<SSOAdminClient>;

  constructor(clients: ClientFactory, options: { maxPages?: number } = {}) {
    this.sso = clients.ssoAdmin();
    this.store = clients.identityStore();
    this.pages = new Pages(this.sso, options.maxPages);
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

  /** sso:ListPermissionSets, sso:DescribePermissionSet */
  async findPermissionSetArn(instanceArn: string, name: string): Promise<string | undefined> {
    const arns = this.pages.items(
      'sso:ListPermissionSets',
      paginateListPermissionSets,
      { InstanceArn: instanceArn },
      (page) => page.PermissionSets,
    );
    for await (const arn of arns) {
      const out = await call('sso:DescribePermissionSet', () =>
        this.sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
      );
      if (out.PermissionSet?.Name === name) return arn;
    }
    return undefined;
  }

  /** sso:DescribePermissionSet, sso:ListManagedPoliciesInPermissionSet, sso:GetInlinePolicyForPermissionSet */
  async describePermissionSet(instanceArn: string, arn: string): Promise<PermissionSetDefinition> {
    const ids = { InstanceArn: instanceArn, PermissionSetArn: arn };
    const described = await call('sso:DescribePermissionSet', () =>
      this.sso.send(new DescribePermissionSetCommand(ids)),
    );
    const inline = await call('sso:GetInlinePolicyForPermissionSet', () =>
      this.sso.send(new GetInlinePolicyForPermissionSetCommand(ids)),
    );
    return {
      name: described.PermissionSet?.Name ?? '',
      description: described.PermissionSet?.Description ?? '',
      sessionDuration: described.PermissionSet?.SessionDuration ?? '',
      managedPolicies: await this.managedPolicyArns(instanceArn, arn),
      ...(inline.InlinePolicy ? { inlinePolicy: inline.InlinePolicy } : {}),
    };
  }

  /**
   * sso:CreatePermissionSet, sso:ListPermissionSets, sso:DescribePermissionSet,
   * sso:ListManagedPoliciesInPermissionSet, sso:AttachManagedPolicyToPermissionSet,
   * sso:PutInlinePolicyToPermissionSet — a permission set of that name already existing is reused.
   */
  async createPermissionSet(instanceArn: string, def: PermissionSetDefinition): Promise<string> {
    let arn: string | undefined;
    try {
      const out = await call('sso:CreatePermissionSet', () =>
        this.sso.send(
          new CreatePermissionSetCommand({
            InstanceArn: instanceArn,
            Name: def.name,
            Description: def.description,
            SessionDuration: def.sessionDuration,
          }),
        ),
      );
      arn = out.PermissionSet?.PermissionSetArn;
    } catch (err) {
      arn = hasAwsCode(err, 'ConflictException')
        ? await this.findPermissionSetArn(instanceArn, def.name)
        : undefined;
      if (!arn) throw err;
    }
    if (!arn)
      throw new AwsError('sso:CreatePermissionSet', 'MissingArn', `no ARN returned for ${def.name}`, true);
    await this.syncPolicies(instanceArn, arn, def);
    return arn;
  }

  /**
   * sso:UpdatePermissionSet, sso:ListManagedPoliciesInPermissionSet, sso:AttachManagedPolicyToPermissionSet,
   * sso:DetachManagedPolicyFromPermissionSet, sso:PutInlinePolicyToPermissionSet,
   * sso:DeleteInlinePolicyFromPermissionSet, sso:ProvisionPermissionSet
   */
  async updatePermissionSet(instanceArn: string, arn: string, def: PermissionSetDefinition): Promise<void> {
    const ids = { InstanceArn: instanceArn, PermissionSetArn: arn };
    await call('sso:UpdatePermissionSet', () =>
      this.sso.send(
        new UpdatePermissionSetCommand({
          ...ids,
          Description: def.description,
          SessionDuration: def.sessionDuration,
        }),
      ),
    );
    await this.syncPolicies(instanceArn, arn, def);
    if (!def.inlinePolicy) {
      await call('sso:DeleteInlinePolicyFromPermissionSet', () =>
        this.sso.send(new DeleteInlinePolicyFromPermissionSetCommand(ids)),
      );
    }
    // Accounts that already have the permission set get the new version.
    await call('sso:ProvisionPermissionSet', () =>
      this.sso.send(new ProvisionPermissionSetCommand({ ...ids, TargetType: 'ALL_PROVISIONED_ACCOUNTS' })),
    );
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

  private async managedPolicyArns(instanceArn: string, arn: string): Promise<string[]> {
    const policies = await this.pages.collect(
      'sso:ListManagedPoliciesInPermissionSet',
      paginateListManagedPoliciesInPermissionSet,
      {
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
      },
      (page) => page.AttachedManagedPolicies,
    );
    return policies.flatMap((p) => (p.Arn ? [p.Arn] : []));
  }

  /** Attaches missing and detaches extra managed policies; puts the inline policy if there is one. */
  private async syncPolicies(instanceArn: string, arn: string, def: PermissionSetDefinition): Promise<void> {
    const ids = { InstanceArn: instanceArn, PermissionSetArn: arn };
    const current = await this.managedPolicyArns(instanceArn, arn);
    for (const policyArn of def.managedPolicies.filter((p) => !current.includes(p))) {
      await call('sso:AttachManagedPolicyToPermissionSet', () =>
        this.sso.send(new AttachManagedPolicyToPermissionSetCommand({ ...ids, ManagedPolicyArn: policyArn })),
      );
    }
    for (const policyArn of current.filter((p) => !def.managedPolicies.includes(p))) {
      await callTolerating('sso:DetachManagedPolicyFromPermissionSet', ['ResourceNotFoundException'], () =>
        this.sso.send(
          new DetachManagedPolicyFromPermissionSetCommand({ ...ids, ManagedPolicyArn: policyArn }),
        ),
      );
    }
    const inlinePolicy = def.inlinePolicy;
    if (inlinePolicy) {
      await call('sso:PutInlinePolicyToPermissionSet', () =>
        this.sso.send(new PutInlinePolicyToPermissionSetCommand({ ...ids, InlinePolicy: inlinePolicy })),
      );
    }
  }
}
