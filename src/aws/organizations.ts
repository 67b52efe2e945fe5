import {
  AttachPolicyCommand,
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DetachPolicyCommand,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  MoveAccountCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePolicyCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AwsError } from '../domain/errors';
import type { CreateAccountStatus, OrganizationsPort, PolicyType } from '../domain/ports/aws';
import type { ClientFactory } from './clients';
import { call, callTolerating, hasAwsCode } from './errors';
import { OrganizationsReader, toOrganization, toStatus } from './organizations-read';

/** AWS Organizations in the management account, in domain words. */
export class OrganizationsAdapter extends OrganizationsReader implements OrganizationsPort {
  private readonly createAccountClient: OrganizationsClient;

  constructor(clients: ClientFactory, options: { maxPages?: number } = {}) {
    super(clients, options);
    this.createAccountClient = clients.organizationsNoRetry();
  }

  /** organizations:CreateAccount, organizations:TagResource — sent once, never retried by the SDK. */
  async startCreateAccount(input: {
    email: string;
    accountName: string;
    roleName: string;
    tags: Record<string, string>;
  }): Promise<CreateAccountStatus> {
    const out = await call('organizations:CreateAccount', () =>
      this.createAccountClient.send(
        new CreateAccountCommand({
          Email: input.email,
          AccountName: input.accountName,
          RoleName: input.roleName,
          Tags: toTagList(input.tags),
        }),
      ),
    );
    return toStatus(out.CreateAccountStatus);
  }

  /** organizations:MoveAccount — already in the destination is success. */
  async moveAccount(accountId: string, sourceParentId: string, destinationParentId: string): Promise<void> {
    await callTolerating('organizations:MoveAccount', ['DuplicateAccountException'], () =>
      this.client.send(
        new MoveAccountCommand({
          AccountId: accountId,
          SourceParentId: sourceParentId,
          DestinationParentId: destinationParentId,
        }),
      ),
    );
  }

  /** organizations:TagResource */
  async tagResource(resourceId: string, tags: Record<string, string>): Promise<void> {
    await call('organizations:TagResource', () =>
      this.client.send(new TagResourceCommand({ ResourceId: resourceId, Tags: toTagList(tags) })),
    );
  }

  /** organizations:UntagResource */
  async untagResource(resourceId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await call('organizations:UntagResource', () =>
      this.client.send(new UntagResourceCommand({ ResourceId: resourceId, TagKeys: keys })),
    );
  }

  /** organizations:CloseAccount — an account already closed is success. */
  async closeAccount(accountId: string): Promise<void> {
    await callTolerating('organizations:CloseAccount', ['AccountAlreadyClosedException'], () =>
      this.client.send(new CloseAccountCommand({ AccountId: accountId })),
    );
  }

  /** organizations:AttachPolicy — already attached is success. */
  async attachPolicy(policyId: string, targetId: string): Promise<void> {
    await callTolerating('organizations:AttachPolicy', ['DuplicatePolicyAttachmentException'], () =>
      this.client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId })),
    );
  }

  /** organizations:DetachPolicy — not attached is success. */
  async detachPolicy(policyId: string, targetId: string): Promise<void> {
    await callTolerating('organizations:DetachPolicy', ['PolicyNotAttachedException'], () =>
      this.client.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: targetId })),
    );
  }

  /** organizations:DescribeOrganization, organizations:CreateOrganization, iam:CreateServiceLinkedRole */
  async createOrganization(): Promise<{ id: string; managementAccountId: string }> {
    const existing = await this.describeOrganization();
    if (existing) return existing;
    try {
      const out = await call('organizations:CreateOrganization', () =>
        this.client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' })),
      );
      return toOrganization(out.Organization);
    } catch (err) {
      // Another caller created it between our describe and create.
      const raced = hasAwsCode(err, 'AlreadyInOrganizationException')
        ? await this.describeOrganization()
        : undefined;
      if (raced) return raced;
      throw err;
    }
  }

  /** organizations:EnablePolicyType — already enabled is success. */
  async enablePolicyType(rootId: string, type: PolicyType): Promise<void> {
    await callTolerating('organizations:EnablePolicyType', ['PolicyTypeAlreadyEnabledException'], () =>
      this.client.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: type })),
    );
  }

  /** organizations:CreateOrganizationalUnit, organizations:ListOrganizationalUnitsForParent — an existing OU of that name is returned. */
  async createOrganizationalUnit(parentId: string, name: string): Promise<string> {
    const out = await callTolerating(
      'organizations:CreateOrganizationalUnit',
      ['DuplicateOrganizationalUnitException'],
      () => this.client.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name })),
    );
    if (out?.OrganizationalUnit?.Id) return out.OrganizationalUnit.Id;
    return this.existingId(
      'organizations:CreateOrganizationalUnit',
      name,
      this.listOrganizationalUnits(parentId),
    );
  }

  /** organizations:CreatePolicy, organizations:ListPolicies — an existing policy of that name is returned. */
  async createPolicy(input: {
    name: string;
    description: string;
    type: PolicyType;
    content: string;
  }): Promise<string> {
    const out = await callTolerating('organizations:CreatePolicy', ['DuplicatePolicyException'], () =>
      this.client.send(
        new CreatePolicyCommand({
          Name: input.name,
          Description: input.description,
          Type: input.type,
          Content: input.content,
        }),
      ),
    );
    if (out?.Policy?.PolicySummary?.Id) return out.Policy.PolicySummary.Id;
    return this.existingId('organizations:CreatePolicy', input.name, this.listPolicies(input.type));
  }

  /** organizations:UpdatePolicy */
  async updatePolicy(policyId: string, input: { description: string; content: string }): Promise<void> {
    await call('organizations:UpdatePolicy', () =>
      this.client.send(
        new UpdatePolicyCommand({
          PolicyId: policyId,
          Description: input.description,
          Content: input.content,
        }),
      ),
    );
  }

  /** organizations:EnableAWSServiceAccess (idempotent in AWS) */
  async enableAwsServiceAccess(servicePrincipal: string): Promise<void> {
    await call('organizations:EnableAWSServiceAccess', () =>
      this.client.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: servicePrincipal })),
    );
  }

  /** The id of the named item AWS said already exists. */
  private async existingId(
    operation: string,
    name: string,
    list: Promise<Array<{ id: string; name: string }>>,
  ): Promise<string> {
    const found = (await list).find((x) => x.name === name);
    if (!found)
      throw new AwsError(operation, 'NotFoundAfterDuplicate', `${name} exists but could not be listed`, true);
    return found.id;
  }
}

function toTagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
