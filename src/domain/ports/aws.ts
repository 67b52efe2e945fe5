import type { BudgetsPort } from './budgets';
import type { CostExplorerPort, ExecutionRolePort } from './costs';
import type { IdentityCenterPort } from './identity-center';

export type { BudgetInfo, BudgetSpec, BudgetsPort } from './budgets';
export type {
  AssignmentStatus,
  IdentityCenterInstance,
  IdentityCenterPort,
  PermissionSetDefinition,
} from './identity-center';

/**
 * What the workflow and bootstrap need from AWS, in domain words. Implemented by the adapters in
 * src/aws (one per service); faked in memory by the unit tests. Each adapter method's doc names
 * the IAM actions it uses.
 */

export type CreateAccountState = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface CreateAccountStatus {
  requestId: string;
  state: CreateAccountState;
  accountName?: string;
  accountId?: string;
  /** AWS's CreateAccountFailureReason, e.g. EMAIL_ALREADY_EXISTS. */
  failureReason?: string;
}

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  status: string;
}

/** One page of ListAccounts: its accounts, and the token of the next page when there is one. */
export interface AccountsPage {
  accounts: OrgAccount[];
  nextToken?: string;
}

export type PolicyType = 'SERVICE_CONTROL_POLICY' | 'AISERVICES_OPT_OUT_POLICY' | 'TAG_POLICY';

export interface OrgPolicy {
  id: string;
  name: string;
  type: PolicyType;
  description: string;
  content: string;
}

export interface OrganizationsPort {
  // --- vending ---
  startCreateAccount(input: {
    email: string;
    accountName: string;
    roleName: string;
    tags: Record<string, string>;
  }): Promise<CreateAccountStatus>;
  getCreateAccountStatus(requestId: string): Promise<CreateAccountStatus>;
  /** Create-account requests (any state) for this account name; the status carries no email. */
  listCreateAccountStatusesByName(accountName: string): Promise<CreateAccountStatus[]>;
  /** Walks ListAccounts until the email (compared case-insensitively): a miss reads every page. */
  findAccountByEmail(email: string): Promise<OrgAccount | undefined>;
  /**
   * One page of ListAccounts from `nextToken` (the first page without one): a walk a caller paces,
   * and resumes from a stored token. A token AWS no longer accepts fails non-retryably.
   */
  listAccountsPage(nextToken?: string): Promise<AccountsPage>;
  describeAccount(accountId: string): Promise<OrgAccount>;
  getParentId(childId: string): Promise<string>;
  moveAccount(accountId: string, sourceParentId: string, destinationParentId: string): Promise<void>;
  tagResource(resourceId: string, tags: Record<string, string>): Promise<void>;
  /** Removes these tag keys; keys not on the resource are ignored. */
  untagResource(resourceId: string, keys: string[]): Promise<void>;
  listTags(resourceId: string): Promise<Record<string, string>>;
  attachPolicy(policyId: string, targetId: string): Promise<void>;
  detachPolicy(policyId: string, targetId: string): Promise<void>;
  listPoliciesForTarget(targetId: string, type: PolicyType): Promise<Array<{ id: string; name: string }>>;

  // --- lifecycle ---
  /**
   * Starts closing a member account (asynchronous: its status goes PENDING_CLOSURE, then
   * SUSPENDED). An account already closed is success. AWS allows 3 closures in progress at once.
   */
  closeAccount(accountId: string): Promise<void>;

  // --- foundation (bootstrap) ---
  describeOrganization(): Promise<{ id: string; managementAccountId: string } | undefined>;
  createOrganization(): Promise<{ id: string; managementAccountId: string }>;
  getRoot(): Promise<{ id: string; enabledPolicyTypes: PolicyType[] }>;
  enablePolicyType(rootId: string, type: PolicyType): Promise<void>;
  listOrganizationalUnits(parentId: string): Promise<Array<{ id: string; name: string }>>;
  createOrganizationalUnit(parentId: string, name: string): Promise<string>;
  listPolicies(type: PolicyType): Promise<Array<{ id: string; name: string }>>;
  describePolicy(policyId: string): Promise<OrgPolicy>;
  createPolicy(input: {
    name: string;
    description: string;
    type: PolicyType;
    content: string;
  }): Promise<string>;
  updatePolicy(policyId: string, input: { description: string; content: string }): Promise<void>;
  listAwsServiceAccess(): Promise<string[]>;
  enableAwsServiceAccess(servicePrincipal: string): Promise<void>;
  listAccountsForParent(parentId: string): Promise<OrgAccount[]>;
}

export type StackSetOperationStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'STOPPING' | 'STOPPED';

export interface StackInstanceSummary {
  account: string;
  region: string;
  /** CURRENT, OUTDATED or INOPERABLE */
  status: string;
  /** PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, INOPERABLE, SKIPPED_SUSPENDED_ACCOUNT, FAILED_IMPORT */
  detailedStatus?: string;
  reason?: string;
  /**
   * The OU (deployment target) the instance was deployed through. A service-managed instance
   * belongs to an OU target: it stays with that OU when its account moves, until it is deleted
   * through that OU. Absent where the emulator does not say.
   */
  organizationalUnitId?: string;
  /** The last operation that deployed or updated the instance. Absent where the emulator does not say. */
  lastOperationId?: string;
}

export interface StackSetDefinition {
  name: string;
  description: string;
  templateBody: string;
  parameters: Record<string, string>;
  capabilities: string[];
}

/** Accounts (through their OUs, INTERSECTION filter) and regions of a stack-instance operation. */
export interface StackInstanceTargets {
  organizationalUnitIds: string[];
  accountIds: string[];
  regions: string[];
}

export interface StackSetDrift {
  status: string;
  driftedInstances: number;
  inSyncInstances: number;
  lastCheckedAt?: string;
}

export interface StackSetsPort {
  describeStackSet(name: string): Promise<(StackSetDefinition & { status: string }) | undefined>;
  /** SERVICE_MANAGED, automatic deployment off (the factory deploys), ManagedExecution on. */
  createStackSet(def: StackSetDefinition): Promise<void>;
  /**
   * UpdateStackSet. With `targets`, only those accounts' instances are updated now and the others
   * are marked OUTDATED (a rollout's first wave); without, every instance is updated.
   */
  updateStackSet(def: StackSetDefinition, operationId: string, targets?: StackInstanceTargets): Promise<void>;
  /**
   * UpdateStackInstances: redeploys these accounts' instances from the stack set's current template
   * and parameters (a rollout wave). `operationId` is deterministic, as for createStackInstances.
   */
  updateStackInstances(
    input: StackInstanceTargets & { stackSetName: string; operationId: string },
  ): Promise<string>;
  /**
   * DetectStackSetDrift; returns the operation id (poll with getOperation). Throws an AwsError
   * `NotImplemented` where the emulator lacks it.
   */
  detectStackSetDrift(stackSetName: string, operationId: string): Promise<string>;
  /** The stack set's drift status after a detection: DRIFTED, IN_SYNC, NOT_CHECKED, with counts. */
  getStackSetDrift(stackSetName: string): Promise<StackSetDrift>;
  /**
   * CreateStackInstances for these accounts (targeted through their OUs with an INTERSECTION
   * account filter) in these regions. `operationId` is deterministic: calling again with the same
   * id is AWS's idempotency and returns the same operation.
   */
  createStackInstances(input: {
    stackSetName: string;
    organizationalUnitIds: string[];
    accountIds: string[];
    regions: string[];
    operationId: string;
  }): Promise<string>;
  /**
   * DeleteStackInstances for these accounts' instances deployed through these OUs (INTERSECTION
   * filter), their stacks deleted with them (RetainStacks false). An instance of the account that
   * another OU target still holds is not one of them. `operationId` is deterministic, as above.
   */
  deleteStackInstances(
    input: StackInstanceTargets & { stackSetName: string; operationId: string },
  ): Promise<string>;
  getOperation(
    stackSetName: string,
    operationId: string,
  ): Promise<{ status: StackSetOperationStatus; reason?: string }>;
  listStackInstances(stackSetName: string, accountId?: string): Promise<StackInstanceSummary[]>;
  /**
   * The instances whose last operation is `operationId` (ListStackInstances filtered on
   * LAST_OPERATION_ID): one listing for a whole batch's accounts. An instance another operation
   * has touched since is not among them.
   */
  listStackInstancesOfOperation(stackSetName: string, operationId: string): Promise<StackInstanceSummary[]>;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface StsPort {
  callerAccountId(): Promise<string>;
  /** AssumeRole into the account's access role; throws a retryable AwsError while it is not ready. */
  assumeAccountRole(accountId: string, roleName: string, sessionName: string): Promise<AwsCredentials>;
}

/** The factory's own events (rollout waves, drift findings) on an EventBridge bus. */
export interface EventsPort {
  /** PutEvents with source `avf`; `detail` is serialised as JSON. */
  publish(busName: string, events: Array<{ detailType: string; detail: object }>): Promise<void>;
}

/** Everything the workflow touches in AWS, wired by the entry points. */
export interface AwsPorts {
  organizations: OrganizationsPort;
  stackSets: StackSetsPort;
  identityCenter: IdentityCenterPort;
  budgets: BudgetsPort;
  sts: StsPort;
  orgServices: import('./org-services').OrgServicesPort;
  /** Optional: without it, no events are published. */
  events?: EventsPort;
  /** Spend, forecasts, anomaly detection and cost allocation tags (the finance collector, bootstrap). */
  costExplorer?: CostExplorerPort;
  /** IAM roles in the management account (the budget actions' execution role, bootstrap). */
  executionRoles?: ExecutionRolePort;
  /**
   * One member account's settings in one region, through its access role (the hardening layer).
   * `activity` names the session (`memberSessionName`): what the factory does there, as the
   * account's CloudTrail will show it. A session is kept per account and activity, for every
   * region, until shortly before its credentials expire.
   */
  memberAccount(
    accountId: string,
    region: string,
    activity?: string,
  ): Promise<import('./account-settings').AccountSettingsPort>;
}
