import {
  CreateServiceLinkedRoleCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
  paginateListRoles,
  UpdateAccountPasswordPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { IamInventory, PasswordPolicy } from '../../domain/ports/account-settings';
import { call, callTolerating } from '../errors';
import { Pages } from '../pagination';

const CONFIG_SERVICE = 'config.amazonaws.com';
// The IAM client names this NoSuchEntityException; older clients and the wire say NoSuchEntity.
const NO_SUCH_ENTITY = ['NoSuchEntity', 'NoSuchEntityException'];

/** IAM in a member account: its password policy and the facts the identity controls read. */
export class MemberIamAdapter {
  private readonly pages: Pages<IAMClient>;

  constructor(
    private readonly client: IAMClient,
    maxPages?: number,
  ) {
    this.pages = new Pages(client, maxPages);
  }

  /** iam:GetAccountPasswordPolicy — NoSuchEntity means no policy (the default). */
  async getPasswordPolicy(): Promise<PasswordPolicy | undefined> {
    const out = await callTolerating('iam:GetAccountPasswordPolicy', NO_SUCH_ENTITY, () =>
      this.client.send(new GetAccountPasswordPolicyCommand({})),
    );
    const p = out?.PasswordPolicy;
    if (!p) return undefined;
    return {
      minimumLength: p.MinimumPasswordLength ?? 0,
      requireSymbols: p.RequireSymbols ?? false,
      requireNumbers: p.RequireNumbers ?? false,
      requireUppercase: p.RequireUppercaseCharacters ?? false,
      requireLowercase: p.RequireLowercaseCharacters ?? false,
      allowUsersToChange: p.AllowUsersToChangePassword ?? false,
      reusePrevention: p.PasswordReusePrevention ?? 0,
      maxAgeDays: p.MaxPasswordAge ?? 0,
    };
  }

  /** iam:UpdateAccountPasswordPolicy */
  async putPasswordPolicy(policy: PasswordPolicy): Promise<void> {
    await call('iam:UpdateAccountPasswordPolicy', () =>
      this.client.send(
        new UpdateAccountPasswordPolicyCommand({
          MinimumPasswordLength: policy.minimumLength,
          RequireSymbols: policy.requireSymbols,
          RequireNumbers: policy.requireNumbers,
          RequireUppercaseCharacters: policy.requireUppercase,
          RequireLowercaseCharacters: policy.requireLowercase,
          AllowUsersToChangePassword: policy.allowUsersToChange,
          PasswordReusePrevention: policy.reusePrevention,
          MaxPasswordAge: policy.maxAgeDays,
        }),
      ),
    );
  }

  /**
   * iam:GetAccountAuthorizationDetails (users and customer managed policies, up to 1,000 items a
   * page) — the users' names, and each policy with its default version's document (IAM returns it
   * URL-encoded).
   */
  async getIamInventory(): Promise<IamInventory> {
    const inventory: IamInventory = { userNames: [], localPolicies: [] };
    const items = this.pages.items(
      'iam:GetAccountAuthorizationDetails',
      paginateGetAccountAuthorizationDetails,
      { Filter: ['User', 'LocalManagedPolicy'], MaxItems: 1000 },
      (page) => [
        ...(page.UserDetailList ?? []).map((u) => ({ user: u.UserName ?? '' })),
        ...(page.Policies ?? []).map((policy) => ({ policy })),
      ],
    );
    for await (const item of items) {
      if ('user' in item) inventory.userNames.push(item.user);
      else {
        const { policy } = item;
        const version = policy.PolicyVersionList?.find((v) => v.IsDefaultVersion);
        inventory.localPolicies.push({
          // a policy's name is its ARN's last segment (moto omits PolicyName for a stack's policies)
          name: policy.PolicyName ?? policy.Arn?.split('/').pop() ?? '',
          arn: policy.Arn ?? '',
          defaultVersionId: policy.DefaultVersionId ?? version?.VersionId ?? '',
          document: decodeURIComponent(version?.Document ?? ''),
        });
      }
    }
    return inventory;
  }

  /** iam:ListAccessKeys (active and inactive keys alike) */
  async listAccessKeyIds(userName: string): Promise<string[]> {
    const keys = await this.pages.collect(
      'iam:ListAccessKeys',
      paginateListAccessKeys,
      { UserName: userName },
      (p) => p.AccessKeyMetadata,
    );
    return keys.map((k) => k.AccessKeyId ?? '');
  }

  /** iam:GetAccountSummary — AccountAccessKeysPresent counts the root user's keys. */
  async countRootAccessKeys(): Promise<number> {
    const out = await call('iam:GetAccountSummary', () => this.client.send(new GetAccountSummaryCommand({})));
    return out.SummaryMap?.AccountAccessKeysPresent ?? 0;
  }

  /** iam:ListRoles — AWS Config's service-linked role (found by its path), which the recorder runs as. */
  async findConfigServiceRoleArn(): Promise<string | undefined> {
    const role = await this.pages.find(
      'iam:ListRoles',
      paginateListRoles,
      { PathPrefix: `/aws-service-role/${CONFIG_SERVICE}/` },
      (p) => p.Roles,
      () => true,
    );
    return role?.Arn;
  }

  /** iam:CreateServiceLinkedRole — for config.amazonaws.com. */
  async createConfigServiceRole(): Promise<string> {
    // "Already exists" is success: an earlier attempt whose answer was lost (a 5xx after the role
    // was made, which the SDK then retried) or a concurrent one created it.
    const out = await callTolerating(
      'iam:CreateServiceLinkedRole',
      ['EntityAlreadyExistsException', 'EntityAlreadyExists'],
      () => this.client.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: CONFIG_SERVICE })),
    );
    return out?.Role?.Arn ?? (await this.findConfigServiceRoleArn()) ?? '';
  }
}
