import { FakeExecutionRoles } from './execution-roles';
import type { AwsPorts } from '../../../src/domain/ports/aws';
import { FakeBudgets, FakeSts } from './budgets-sts';
import { FakeIdentityCenter } from './identity-center';
import { FakeMemberAccounts } from './member-accounts';
import { FakeCostExplorer } from './cost-explorer';
import { FakeOrgServices, ORG_SERVICES_MUTATING_METHODS } from './org-services';
import { FakeOrganizations, ROOT_ID } from './organizations';
import { FakeScript } from './script';
import { FakeStackSets } from './stack-sets';
import { memberSessionName } from '../../../src/domain/names';

export { FULL_AWS_ACCESS_ID, MANAGEMENT_ACCOUNT_ID, ROOT_ID } from './organizations';
export { INSTANCE } from './identity-center';

/** Port methods that change AWS; a dry run must call none of them. */
export const MUTATING_METHODS = [
  'startCreateAccount',
  'moveAccount',
  'tagResource',
  'untagResource',
  'closeAccount',
  'attachPolicy',
  'detachPolicy',
  'createOrganization',
  'enablePolicyType',
  'createOrganizationalUnit',
  'createPolicy',
  'updatePolicy',
  'enableAwsServiceAccess',
  'createStackSet',
  'updateStackSet',
  'createStackInstances',
  'updateStackInstances',
  'deleteStackInstances',
  'detectStackSetDrift',
  'createPermissionSet',
  'updatePermissionSet',
  'createGroup',
  'startAccountAssignment',
  'startAccountAssignmentDeletion',
  'createBudget',
  'updateBudget',
  'deleteBudget',
  ...ORG_SERVICES_MUTATING_METHODS,
] as const;

/**
 * All of AwsPorts in memory, with real AWS semantics and no timers: ids come from counters, and
 * asynchronous operations advance only when polled. Tests script it (`createAccountPolls`,
 * `failNextCreateAccount`, `operationPolls`, `assignmentPolls`, `throttle`, `assumeRoleFailures`)
 * and read `calls` and the per-service state back. The scripting lives in FakeScript, which
 * every fake port shares.
 */
export class FakeAws extends FakeScript implements AwsPorts {
  readonly organizations: FakeOrganizations;
  readonly stackSets: FakeStackSets;
  readonly identityCenter = new FakeIdentityCenter(this);
  readonly budgets = new FakeBudgets(this);
  readonly sts = new FakeSts(this);
  readonly orgServices = new FakeOrgServices(this);
  readonly costExplorer = new FakeCostExplorer();
  readonly executionRoles = new FakeExecutionRoles();
  /** Events published, in order, with their bus. */
  readonly published: Array<{ busName: string; detailType: string; detail: object }> = [];
  readonly events = {
    publish: (busName: string, events: Array<{ detailType: string; detail: object }>): Promise<void> => {
      this.enter('publish');
      this.published.push(...events.map((e) => ({ busName, ...e })));
      return Promise.resolve();
    },
  };
  /** Member accounts' settings per region (the hardening layer); script gaps with `unimplemented`. */
  readonly memberAccounts = new FakeMemberAccounts(
    this,
    (account, region) => this.stackSets.deployedEventRules(account, region),
    (account) => this.stackSets.deployedPolicies(account),
  );

  /** `organization: false` starts before CreateOrganization, as a fresh emulator does. */
  constructor(options: { organization?: boolean } = {}) {
    super();
    this.organizations = new FakeOrganizations(this, options.organization ?? true);
    this.stackSets = new FakeStackSets(this, (accountId, ouIds) => this.isUnder(accountId, ouIds));
  }

  /**
   * Member-account sessions, as the adapters keep them: the role is assumed on the first use of an
   * account for an activity; each entry is `<account id>/<session name>`, in the order assumed.
   */
  readonly sessions = new Set<string>();

  async memberAccount(accountId: string, region: string, activity?: string) {
    this.enter('memberAccount');
    const session = `${accountId}/${memberSessionName(activity)}`;
    if (!this.sessions.has(session)) {
      await this.sts.assumeAccountRole(
        accountId,
        'OrganizationAccountAccessRole',
        memberSessionName(activity),
      );
      this.sessions.add(session);
    }
    return this.memberAccounts.port(accountId, region);
  }

  /** The next CreateAccount request finishes FAILED with this reason (e.g. EMAIL_ALREADY_EXISTS). */
  failNextCreateAccount(reason: string): void {
    this.organizations.failNextCreateAccount(reason);
  }

  /** The next account assignment finishes FAILED with this reason. */
  failNextAssignment(reason: string): void {
    this.identityCenter.failNextAssignment(reason);
  }

  /** This account's stack instances end FAILED with this reason. */
  failStackInstances(accountId: string, reason: string): void {
    this.stackSets.failingAccounts.set(accountId, reason);
  }

  /** Calls of every mutating method, summed. */
  mutatingCalls(): number {
    return MUTATING_METHODS.reduce((sum, m) => sum + (this.calls[m] ?? 0), 0);
  }

  private isUnder(accountId: string, ouIds: string[]): boolean {
    let parent = this.organizations.accounts.get(accountId)?.parentId;
    while (parent !== undefined) {
      if (ouIds.includes(parent)) return true;
      parent = parent === ROOT_ID ? undefined : this.organizations.ous.get(parent)?.parentId;
    }
    return false;
  }
}
