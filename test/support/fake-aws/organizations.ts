import type {
  AccountsPage,
  CreateAccountStatus,
  OrgAccount,
  OrganizationsPort,
  OrgPolicy,
  PolicyType,
} from '../../../src/domain/ports/aws';
import {
  checkContent,
  FakeOrgState,
  type CreateRequest,
  MANAGEMENT_ACCOUNT_ID,
  ROOT_ID,
  FULL_AWS_ACCESS_ID,
  toAccount,
  MAX_SCPS_PER_TARGET,
} from './org-state';
import { awsError, pad } from './script';

export { FULL_AWS_ACCESS_ID, MANAGEMENT_ACCOUNT_ID, ROOT_ID } from './org-state';

/** Accounts a ListAccounts page holds (AWS: 20). */
const ACCOUNTS_PAGE = 20;

/**
 * Organizations in memory with AWS's semantics: the organisation may not exist until
 * createOrganization; CreateAccount is asynchronous and rejects a duplicate email with FAILED /
 * EMAIL_ALREADY_EXISTS when it finishes; SCPs need the policy type enabled and at most 5 per target.
 * Where the adapters turn AWS's "already exists / already done" error into success (attach, detach,
 * move, enable policy type, create organisation / OU / policy), the fake follows the adapter
 * contract and succeeds too, returning the existing id.
 */
export class FakeOrganizations extends FakeOrgState implements OrganizationsPort {
  // --- vending ---

  async startCreateAccount(
    input: Parameters<OrganizationsPort['startCreateAccount']>[0],
  ): Promise<CreateAccountStatus> {
    this.enter('startCreateAccount');
    const requestId = `car-${pad(this.s.next('car'), 32)}`;
    const request: CreateRequest = {
      status: { requestId, state: 'IN_PROGRESS', accountName: input.accountName },
      email: input.email,
      tags: { ...input.tags },
      pollsLeft: this.s.createAccountPolls,
      failWith: this.nextFailure,
    };
    this.nextFailure = undefined;
    this.createRequests.set(requestId, request);
    const inFlight = [...this.createRequests.values()].filter((r) => r.status.state === 'IN_PROGRESS').length;
    this.peakCreateAccountsInFlight = Math.max(this.peakCreateAccountsInFlight, inFlight);
    return Promise.resolve({ ...request.status });
  }

  async getCreateAccountStatus(requestId: string): Promise<CreateAccountStatus> {
    this.enter('getCreateAccountStatus');
    const request = this.createRequests.get(requestId);
    if (!request)
      throw awsError(
        'getCreateAccountStatus',
        'CreateAccountStatusNotFoundException',
        `no request ${requestId}`,
      );
    this.observe(request);
    return Promise.resolve({ ...request.status });
  }

  async listCreateAccountStatusesByName(accountName: string): Promise<CreateAccountStatus[]> {
    this.enter('listCreateAccountStatusesByName');
    const found = [...this.createRequests.values()].filter((r) => r.status.accountName === accountName);
    found.forEach((r) => this.observe(r));
    return Promise.resolve(found.map((r) => ({ ...r.status })));
  }

  async findAccountByEmail(email: string): Promise<OrgAccount | undefined> {
    this.enter('findAccountByEmail');
    const a = [...this.accounts.values()].find((x) => x.email.toLowerCase() === email.toLowerCase());
    return Promise.resolve(a && toAccount(a));
  }

  /** Pages of 20, as AWS's; the token is the offset of the next page. */
  async listAccountsPage(nextToken?: string): Promise<AccountsPage> {
    this.enter('listAccountsPage');
    const from = nextToken === undefined ? 0 : Number(/^accounts-(\d+)$/.exec(nextToken)?.[1] ?? NaN);
    if (!Number.isInteger(from))
      throw awsError('listAccountsPage', 'InvalidInputException', `invalid NextToken ${nextToken}`);
    const all = [...this.accounts.values()];
    const next = from + ACCOUNTS_PAGE;
    return Promise.resolve({
      accounts: all.slice(from, next).map(toAccount),
      ...(next < all.length ? { nextToken: `accounts-${next}` } : {}),
    });
  }

  async describeAccount(accountId: string): Promise<OrgAccount> {
    this.enter('describeAccount');
    const account = this.account('describeAccount', accountId);
    this.observeClosure(account);
    return Promise.resolve(toAccount(account));
  }

  async getParentId(childId: string): Promise<string> {
    this.enter('getParentId');
    const parent = this.accounts.get(childId)?.parentId ?? this.ous.get(childId)?.parentId;
    if (!parent) throw awsError('getParentId', 'ChildNotFoundException', `no child ${childId}`);
    return Promise.resolve(parent);
  }

  async moveAccount(accountId: string, sourceParentId: string, destinationParentId: string): Promise<void> {
    this.enter('moveAccount');
    const account = this.account('moveAccount', accountId);
    if (destinationParentId !== ROOT_ID && !this.ous.has(destinationParentId)) {
      throw awsError('moveAccount', 'DestinationParentNotFoundException', `no parent ${destinationParentId}`);
    }
    // AWS's DuplicateAccountException is success in the adapters.
    if (account.parentId === destinationParentId) return Promise.resolve();
    if (account.parentId !== sourceParentId) {
      throw awsError(
        'moveAccount',
        'SourceParentNotFoundException',
        `${accountId} is not in ${sourceParentId}`,
      );
    }
    account.parentId = destinationParentId;
    return Promise.resolve();
  }

  async tagResource(resourceId: string, tags: Record<string, string>): Promise<void> {
    this.enter('tagResource');
    this.target('tagResource', resourceId);
    this.tags.set(resourceId, { ...this.tags.get(resourceId), ...tags });
    return Promise.resolve();
  }

  async untagResource(resourceId: string, keys: string[]): Promise<void> {
    this.enter('untagResource');
    this.target('untagResource', resourceId);
    const kept = { ...this.tags.get(resourceId) };
    for (const key of keys) delete kept[key];
    this.tags.set(resourceId, kept);
    return Promise.resolve();
  }

  async closeAccount(accountId: string): Promise<void> {
    this.enter('closeAccount');
    this.closeMember('closeAccount', accountId);
    return Promise.resolve();
  }

  async listTags(resourceId: string): Promise<Record<string, string>> {
    this.enter('listTags');
    this.target('listTags', resourceId);
    return Promise.resolve({ ...this.tags.get(resourceId) });
  }

  async attachPolicy(policyId: string, targetId: string): Promise<void> {
    this.enter('attachPolicy');
    const policy = this.policy('attachPolicy', policyId);
    this.target('attachPolicy', targetId);
    if (!this.enabledPolicyTypes.includes(policy.type)) {
      throw awsError(
        'attachPolicy',
        'PolicyTypeNotEnabledException',
        `${policy.type} is not enabled on the root`,
      );
    }
    const targets = this.attachments.get(policyId) ?? new Set<string>();
    // AWS's DuplicatePolicyAttachmentException is success in the adapters.
    if (targets.has(targetId)) return Promise.resolve();
    if (policy.type === 'SERVICE_CONTROL_POLICY' && this.scpCount(targetId) >= MAX_SCPS_PER_TARGET) {
      throw awsError(
        'attachPolicy',
        'ConstraintViolationException',
        `POLICY_NUMBER_LIMIT_EXCEEDED on ${targetId}`,
      );
    }
    targets.add(targetId);
    this.attachments.set(policyId, targets);
    return Promise.resolve();
  }

  async detachPolicy(policyId: string, targetId: string): Promise<void> {
    this.enter('detachPolicy');
    this.policy('detachPolicy', policyId);
    // AWS's PolicyNotAttachedException is success in the adapters.
    this.attachments.get(policyId)?.delete(targetId);
    return Promise.resolve();
  }

  async listPoliciesForTarget(
    targetId: string,
    type: PolicyType,
  ): Promise<Array<{ id: string; name: string }>> {
    this.enter('listPoliciesForTarget');
    this.target('listPoliciesForTarget', targetId);
    return Promise.resolve(
      [...this.policies.values()]
        .filter((p) => p.type === type && this.attachments.get(p.id)?.has(targetId))
        .map((p) => ({ id: p.id, name: p.name })),
    );
  }

  // --- foundation ---

  async describeOrganization(): Promise<{ id: string; managementAccountId: string } | undefined> {
    this.s.enter('describeOrganization');
    return Promise.resolve(
      this.organizationId
        ? { id: this.organizationId, managementAccountId: MANAGEMENT_ACCOUNT_ID }
        : undefined,
    );
  }

  async createOrganization(): Promise<{ id: string; managementAccountId: string }> {
    this.s.enter('createOrganization');
    if (!this.organizationId) this.initOrganization();
    return Promise.resolve({ id: this.organizationId ?? '', managementAccountId: MANAGEMENT_ACCOUNT_ID });
  }

  async getRoot(): Promise<{ id: string; enabledPolicyTypes: PolicyType[] }> {
    this.enter('getRoot');
    return Promise.resolve({ id: ROOT_ID, enabledPolicyTypes: [...this.enabledPolicyTypes] });
  }

  async enablePolicyType(rootId: string, type: PolicyType): Promise<void> {
    this.enter('enablePolicyType');
    if (rootId !== ROOT_ID) throw awsError('enablePolicyType', 'RootNotFoundException', `no root ${rootId}`);
    if (this.enabledPolicyTypes.includes(type)) return Promise.resolve();
    this.enabledPolicyTypes.push(type);
    if (type === 'SERVICE_CONTROL_POLICY') {
      this.attachments.set(
        FULL_AWS_ACCESS_ID,
        new Set([ROOT_ID, ...this.ous.keys(), ...this.accounts.keys()]),
      );
    }
    return Promise.resolve();
  }

  async listOrganizationalUnits(parentId: string): Promise<Array<{ id: string; name: string }>> {
    this.enter('listOrganizationalUnits');
    this.parent('listOrganizationalUnits', parentId);
    return Promise.resolve(
      [...this.ous.values()].filter((o) => o.parentId === parentId).map(({ id, name }) => ({ id, name })),
    );
  }

  async createOrganizationalUnit(parentId: string, name: string): Promise<string> {
    this.enter('createOrganizationalUnit');
    this.parent('createOrganizationalUnit', parentId);
    const existing = [...this.ous.values()].find((o) => o.parentId === parentId && o.name === name);
    if (existing) return Promise.resolve(existing.id);
    const id = `ou-${ROOT_ID.slice(2)}-${pad(this.s.next('ou'), 8)}`;
    this.ous.set(id, { id, name, parentId });
    this.autoAttachFullAccess(id);
    return Promise.resolve(id);
  }

  async listPolicies(type: PolicyType): Promise<Array<{ id: string; name: string }>> {
    this.enter('listPolicies');
    return Promise.resolve(
      [...this.policies.values()].filter((p) => p.type === type).map(({ id, name }) => ({ id, name })),
    );
  }

  async describePolicy(policyId: string): Promise<OrgPolicy> {
    this.enter('describePolicy');
    return Promise.resolve({ ...this.policy('describePolicy', policyId) });
  }

  async createPolicy(input: Parameters<OrganizationsPort['createPolicy']>[0]): Promise<string> {
    this.enter('createPolicy');
    const existing = [...this.policies.values()].find((p) => p.name === input.name && p.type === input.type);
    if (existing) return Promise.resolve(existing.id);
    checkContent('createPolicy', input.content);
    const id = `p-${pad(this.s.next('policy'), 8)}`;
    this.policies.set(id, { id, ...input });
    return Promise.resolve(id);
  }

  async updatePolicy(policyId: string, input: { description: string; content: string }): Promise<void> {
    this.enter('updatePolicy');
    const policy = this.policy('updatePolicy', policyId);
    checkContent('updatePolicy', input.content);
    this.policies.set(policyId, { ...policy, ...input });
    return Promise.resolve();
  }

  async listAwsServiceAccess(): Promise<string[]> {
    this.enter('listAwsServiceAccess');
    return Promise.resolve([...this.serviceAccess]);
  }

  async enableAwsServiceAccess(servicePrincipal: string): Promise<void> {
    this.enter('enableAwsServiceAccess');
    this.serviceAccess.add(servicePrincipal);
    return Promise.resolve();
  }

  async listAccountsForParent(parentId: string): Promise<OrgAccount[]> {
    this.enter('listAccountsForParent');
    this.parent('listAccountsForParent', parentId);
    return Promise.resolve([...this.accounts.values()].filter((a) => a.parentId === parentId).map(toAccount));
  }
}
