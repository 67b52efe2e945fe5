import {
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  paginateListAWSServiceAccessForOrganization,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListCreateAccountStatus,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
  paginateListPolicies,
  paginateListPoliciesForTarget,
  paginateListRoots,
  paginateListTagsForResource,
  type Account,
  type CreateAccountStatus as SdkCreateAccountStatus,
  type Organization,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AwsError } from '../domain/errors';
import type {
  AccountsPage,
  CreateAccountStatus,
  OrgAccount,
  OrgPolicy,
  PolicyType,
} from '../domain/ports/aws';
import type { ClientFactory } from './clients';
import { call, callTolerating } from './errors';
import { Pages } from './pagination';

const POLICY_TYPES: readonly PolicyType[] = [
  'SERVICE_CONTROL_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
  'TAG_POLICY',
];

export function toStatus(s: SdkCreateAccountStatus | undefined, requestId = ''): CreateAccountStatus {
  return {
    requestId: s?.Id ?? requestId,
    state: s?.State ?? 'IN_PROGRESS',
    accountName: s?.AccountName,
    accountId: s?.AccountId,
    failureReason: s?.FailureReason,
  };
}

function toAccount(a: Account): OrgAccount {
  return { id: a.Id ?? '', name: a.Name ?? '', email: a.Email ?? '', status: a.State ?? a.Status ?? '' };
}

export function toOrganization(o: Organization | undefined): { id: string; managementAccountId: string } {
  return { id: o?.Id ?? '', managementAccountId: o?.MasterAccountId ?? '' };
}

/**
 * ListAccounts' input: pages of AWS's most (and default) 20, asked for so an emulator pages as AWS
 * does. A new object every walk: the SDK paginator writes each page's token into its input.
 */
const listAccountsInput = () => ({ MaxResults: 20 });

const named = (x: { Id?: string; Name?: string }) => ({ id: x.Id ?? '', name: x.Name ?? '' });

/** The read side of AWS Organizations; OrganizationsAdapter adds the writes. */
export class OrganizationsReader {
  protected readonly client: OrganizationsClient;
  private readonly pages: Pages<OrganizationsClient>;

  constructor(clients: ClientFactory, options: { maxPages?: number } = {}) {
    this.client = clients.organizations();
    this.pages = new Pages(this.client, options.maxPages);
  }

  /** organizations:DescribeCreateAccountStatus */
  async getCreateAccountStatus(requestId: string): Promise<CreateAccountStatus> {
    const out = await call('organizations:DescribeCreateAccountStatus', () =>
      this.client.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: requestId })),
    );
    return toStatus(out.CreateAccountStatus, requestId);
  }

  /** organizations:ListCreateAccountStatus */
  async listCreateAccountStatusesByName(accountName: string): Promise<CreateAccountStatus[]> {
    const statuses = await this.pages.collect(
      'organizations:ListCreateAccountStatus',
      paginateListCreateAccountStatus,
      { States: ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'] },
      (page) => page.CreateAccountStatuses,
    );
    return statuses.filter((s) => s.AccountName === accountName).map((s) => toStatus(s));
  }

  /** organizations:ListAccounts — emails compare case-insensitively, as AWS treats them. */
  async findAccountByEmail(email: string): Promise<OrgAccount | undefined> {
    const wanted = email.toLowerCase();
    const found = await this.pages.find(
      'organizations:ListAccounts',
      paginateListAccounts,
      listAccountsInput(),
      (page) => page.Accounts,
      (a) => a.Email?.toLowerCase() === wanted,
    );
    return found && toAccount(found);
  }

  /** organizations:ListAccounts — one page (AWS's 20 accounts) from `nextToken`. */
  async listAccountsPage(nextToken?: string): Promise<AccountsPage> {
    const page = await this.pages.page(
      'organizations:ListAccounts',
      paginateListAccounts,
      listAccountsInput(),
      (p) => p.Accounts,
      nextToken,
    );
    return { accounts: page.items.map(toAccount), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /** organizations:DescribeAccount */
  async describeAccount(accountId: string): Promise<OrgAccount> {
    const out = await call('organizations:DescribeAccount', () =>
      this.client.send(new DescribeAccountCommand({ AccountId: accountId })),
    );
    return toAccount(out.Account ?? { Id: accountId });
  }

  /** organizations:ListParents */
  async getParentId(childId: string): Promise<string> {
    const operation = 'organizations:ListParents';
    const parents = await this.pages.collect(
      operation,
      paginateListParents,
      { ChildId: childId },
      (page) => page.Parents,
    );
    const id = parents[0]?.Id;
    if (!id) throw new AwsError(operation, 'ParentNotFound', `${childId} has no parent`, false);
    return id;
  }

  /** organizations:ListTagsForResource */
  async listTags(resourceId: string): Promise<Record<string, string>> {
    const tags = await this.pages.collect(
      'organizations:ListTagsForResource',
      paginateListTagsForResource,
      { ResourceId: resourceId },
      (page) => page.Tags,
    );
    return Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? '']));
  }

  /** organizations:ListPoliciesForTarget */
  async listPoliciesForTarget(
    targetId: string,
    type: PolicyType,
  ): Promise<Array<{ id: string; name: string }>> {
    const policies = await this.pages.collect(
      'organizations:ListPoliciesForTarget',
      paginateListPoliciesForTarget,
      { TargetId: targetId, Filter: type },
      (page) => page.Policies,
    );
    return policies.map(named);
  }

  /** organizations:DescribeOrganization — undefined when there is no organization. */
  async describeOrganization(): Promise<{ id: string; managementAccountId: string } | undefined> {
    const out = await callTolerating(
      'organizations:DescribeOrganization',
      ['AWSOrganizationsNotInUseException'],
      () => this.client.send(new DescribeOrganizationCommand({})),
    );
    return out && toOrganization(out.Organization);
  }

  /** organizations:ListRoots */
  async getRoot(): Promise<{ id: string; enabledPolicyTypes: PolicyType[] }> {
    const operation = 'organizations:ListRoots';
    const roots = await this.pages.collect(operation, paginateListRoots, {}, (page) => page.Roots);
    const root = roots[0];
    if (!root?.Id) throw new AwsError(operation, 'RootNotFound', 'the organization has no root', false);
    const enabled = (root.PolicyTypes ?? []).filter((p) => p.Status === 'ENABLED').map((p) => p.Type);
    return { id: root.Id, enabledPolicyTypes: POLICY_TYPES.filter((t) => enabled.includes(t)) };
  }

  /** organizations:ListOrganizationalUnitsForParent */
  async listOrganizationalUnits(parentId: string): Promise<Array<{ id: string; name: string }>> {
    const units = await this.pages.collect(
      'organizations:ListOrganizationalUnitsForParent',
      paginateListOrganizationalUnitsForParent,
      { ParentId: parentId },
      (page) => page.OrganizationalUnits,
    );
    return units.map(named);
  }

  /** organizations:ListPolicies */
  async listPolicies(type: PolicyType): Promise<Array<{ id: string; name: string }>> {
    const policies = await this.pages.collect(
      'organizations:ListPolicies',
      paginateListPolicies,
      { Filter: type },
      (page) => page.Policies,
    );
    return policies.map(named);
  }

  /** organizations:DescribePolicy */
  async describePolicy(policyId: string): Promise<OrgPolicy> {
    const out = await call('organizations:DescribePolicy', () =>
      this.client.send(new DescribePolicyCommand({ PolicyId: policyId })),
    );
    const summary = out.Policy?.PolicySummary;
    return {
      id: summary?.Id ?? policyId,
      name: summary?.Name ?? '',
      type: (summary?.Type ?? 'SERVICE_CONTROL_POLICY') as PolicyType,
      description: summary?.Description ?? '',
      content: out.Policy?.Content ?? '',
    };
  }

  /** organizations:ListAWSServiceAccessForOrganization */
  async listAwsServiceAccess(): Promise<string[]> {
    const services = await this.pages.collect(
      'organizations:ListAWSServiceAccessForOrganization',
      paginateListAWSServiceAccessForOrganization,
      {},
      (page) => page.EnabledServicePrincipals,
    );
    return services.flatMap((s) => (s.ServicePrincipal ? [s.ServicePrincipal] : []));
  }

  /** organizations:ListAccountsForParent */
  async listAccountsForParent(parentId: string): Promise<OrgAccount[]> {
    const accounts = await this.pages.collect(
      'organizations:ListAccountsForParent',
      paginateListAccountsForParent,
      { ParentId: parentId },
      (page) => page.Accounts,
    );
    return accounts.map(toAccount);
  }
}
