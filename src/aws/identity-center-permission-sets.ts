import {
  AttachManagedPolicyToPermissionSetCommand,
  CreatePermissionSetCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DescribePermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  UpdatePermissionSetCommand,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AwsError } from '../domain/errors';
import type { PermissionSetDefinition } from '../domain/ports/aws';
import { call, callTolerating, hasAwsCode } from './errors';
import { Pages } from './pagination';

/** IAM Identity Center's permission sets (sso-admin): found by name, described, created, kept in line. */
export class PermissionSetsAdapter {
  private readonly pages: Pages<SSOAdminClient>;

  constructor(
    private readonly sso: SSOAdminClient,
    maxPages?: number,
  ) {
    this.pages = new Pages(sso, maxPages);
  }

  /** sso:ListPermissionSets, sso:DescribePermissionSet — every permission set's name, with its ARN. */
  async listPermissionSets(instanceArn: string): Promise<Array<{ name: string; arn: string }>> {
    const arns = await this.pages.collect(
      'sso:ListPermissionSets',
      paginateListPermissionSets,
      { InstanceArn: instanceArn },
      (page) => page.PermissionSets,
    );
    const named: Array<{ name: string; arn: string }> = [];
    for (const arn of arns) named.push({ name: (await this.nameOf(instanceArn, arn)) ?? '', arn });
    return named;
  }

  /** sso:ListPermissionSets, sso:DescribePermissionSet */
  async findPermissionSetArn(instanceArn: string, name: string): Promise<string | undefined> {
    const arns = this.pages.items(
      'sso:ListPermissionSets',
      paginateListPermissionSets,
      { InstanceArn: instanceArn },
      (page) => page.PermissionSets,
    );
    for await (const arn of arns) if ((await this.nameOf(instanceArn, arn)) === name) return arn;
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

  private async nameOf(instanceArn: string, arn: string): Promise<string | undefined> {
    const out = await call('sso:DescribePermissionSet', () =>
      this.sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
    );
    return out.PermissionSet?.Name;
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
