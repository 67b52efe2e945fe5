import type { CreateAccountStatus, OrgAccount, OrgPolicy, PolicyType } from '../../../src/domain/ports/aws';
import { awsError, type FakeScript } from './script';

export const MANAGEMENT_ACCOUNT_ID = '123456789012';
export const ROOT_ID = 'r-0000';
export const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';
/** AWS allows this many account closures in progress (PENDING_CLOSURE) per organisation. */
export const MAX_CLOSURES_IN_PROGRESS = 3;
/** AWS's quota of SCPs attached to one target, the default FullAWSAccess included. */
export const MAX_SCPS_PER_TARGET = 5;
const MAX_POLICY_CHARS = 5120;

export interface FakeAccount extends OrgAccount {
  parentId: string;
}

export interface CreateRequest {
  status: CreateAccountStatus;
  email: string;
  tags: Record<string, string>;
  pollsLeft: number;
  /** Scripted by failNextCreateAccount. */
  failWith?: string;
}

/**
 * The organisation's state and the lookups the fake Organizations port is built on: the root, OUs,
 * accounts, policies and attachments, and the CreateAccount requests in flight.
 */
export class FakeOrgState {
  organizationId: string | undefined;
  readonly enabledPolicyTypes: PolicyType[] = [];
  readonly ous = new Map<string, { id: string; name: string; parentId: string }>();
  readonly accounts = new Map<string, FakeAccount>();
  readonly policies = new Map<string, OrgPolicy>();
  /** policy id → target ids */
  readonly attachments = new Map<string, Set<string>>();
  readonly tags = new Map<string, Record<string, string>>();
  readonly serviceAccess = new Set<string>();
  readonly createRequests = new Map<string, CreateRequest>();
  /** Closures in progress: account id → describeAccount calls left before it is SUSPENDED. */
  readonly closures = new Map<string, number>();
  /** Most closures seen in progress at once (AWS allows 3 per organisation). */
  peakClosuresInFlight = 0;
  /** Most CreateAccount requests seen in progress at once (AWS allows 5 per organisation). */
  peakCreateAccountsInFlight = 0;
  protected nextFailure: string | undefined;

  constructor(
    protected readonly s: FakeScript,
    withOrganization: boolean,
  ) {
    if (withOrganization) this.initOrganization();
  }

  /** The next CreateAccount request finishes FAILED with this reason. */
  failNextCreateAccount(reason: string): void {
    this.nextFailure = reason;
  }

  /** Adds a finished account directly (as if created long ago); returns its id. */
  addAccount(input: { name: string; email: string; parentId?: string; status?: string }): string {
    const id = String(200000000000 + this.s.next('account'));
    this.accounts.set(id, {
      id,
      name: input.name,
      email: input.email,
      status: input.status ?? 'ACTIVE',
      parentId: input.parentId ?? ROOT_ID,
    });
    this.autoAttachFullAccess(id);
    return id;
  }

  /** The OU at a path of names ('Workloads/Prod'), or undefined. */
  ouIdByPath(path: string): string | undefined {
    let parentId = ROOT_ID;
    for (const name of path.split('/')) {
      const ou = [...this.ous.values()].find((o) => o.parentId === parentId && o.name === name);
      if (!ou) return undefined;
      parentId = ou.id;
    }
    return parentId;
  }

  /** Finishes every CreateAccount request still in progress (time passes). */
  completePendingAccounts(): void {
    for (const r of this.createRequests.values()) if (r.status.state === 'IN_PROGRESS') this.finish(r);
  }

  // --- internals ---

  /**
   * CloseAccount: PENDING_CLOSURE for `closeAccountPolls` describeAccount calls, then SUSPENDED.
   * Closed already is success (as in the adapter); a fourth closure in progress, or closing the
   * management account, is refused as AWS refuses it.
   */
  protected closeMember(op: string, accountId: string): void {
    const account = this.account(op, accountId);
    if (account.status === 'SUSPENDED' || account.status === 'PENDING_CLOSURE') return;
    if (accountId === MANAGEMENT_ACCOUNT_ID)
      throw awsError(op, 'ConstraintViolationException', 'MASTER_ACCOUNT_MISSING_CONTACT_INFO');
    if (this.closures.size >= MAX_CLOSURES_IN_PROGRESS)
      throw awsError(op, 'ConstraintViolationException', 'CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED');
    account.status = 'PENDING_CLOSURE';
    this.closures.set(accountId, this.s.closeAccountPolls);
    this.peakClosuresInFlight = Math.max(this.peakClosuresInFlight, this.closures.size);
    this.observeClosure(account);
  }

  /** A poll of a closing account: counts down, then it is SUSPENDED (closed, reopenable 90 days). */
  protected observeClosure(account: FakeAccount): void {
    const left = this.closures.get(account.id);
    if (left === undefined) return;
    if (left > 0) {
      this.closures.set(account.id, left - 1);
      return;
    }
    this.closures.delete(account.id);
    account.status = 'SUSPENDED';
  }

  /** Counts the call; every call but describe/create organisation needs the organisation. */
  protected enter(method: string): void {
    this.s.enter(method);
    if (!this.organizationId)
      throw awsError(method, 'AWSOrganizationsNotInUseException', 'not in an organization');
  }

  protected initOrganization(): void {
    this.organizationId = 'o-0000000001';
    this.accounts.set(MANAGEMENT_ACCOUNT_ID, {
      id: MANAGEMENT_ACCOUNT_ID,
      name: 'management',
      email: 'management@example.com',
      status: 'ACTIVE',
      parentId: ROOT_ID,
    });
    this.policies.set(FULL_AWS_ACCESS_ID, {
      id: FULL_AWS_ACCESS_ID,
      name: 'FullAWSAccess',
      type: 'SERVICE_CONTROL_POLICY',
      description: 'Allows access to every operation',
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    });
  }

  /** A poll: counts down, then finishes the request. */
  protected observe(request: CreateRequest): void {
    if (request.status.state !== 'IN_PROGRESS') return;
    if (request.pollsLeft > 0) request.pollsLeft -= 1;
    else this.finish(request);
  }

  protected finish(request: CreateRequest): void {
    const taken = [...this.accounts.values()].some(
      (a) => a.email.toLowerCase() === request.email.toLowerCase(),
    );
    const failureReason = request.failWith ?? (taken ? 'EMAIL_ALREADY_EXISTS' : undefined);
    if (failureReason) {
      request.status = { ...request.status, state: 'FAILED', failureReason };
      return;
    }
    const accountId = this.addAccount({ name: request.status.accountName ?? '', email: request.email });
    this.tags.set(accountId, request.tags);
    request.status = { ...request.status, state: 'SUCCEEDED', accountId };
  }

  protected autoAttachFullAccess(targetId: string): void {
    if (this.enabledPolicyTypes.includes('SERVICE_CONTROL_POLICY'))
      this.attachments.get(FULL_AWS_ACCESS_ID)?.add(targetId);
  }

  protected scpCount(targetId: string): number {
    return [...this.attachments].filter(
      ([id, t]) => t.has(targetId) && this.policies.get(id)?.type === 'SERVICE_CONTROL_POLICY',
    ).length;
  }

  protected account(op: string, id: string): FakeAccount {
    const a = this.accounts.get(id);
    if (!a) throw awsError(op, 'AccountNotFoundException', `no account ${id}`);
    return a;
  }

  protected policy(op: string, id: string): OrgPolicy {
    const p = this.policies.get(id);
    if (!p) throw awsError(op, 'PolicyNotFoundException', `no policy ${id}`);
    return p;
  }

  protected parent(op: string, id: string): void {
    if (id !== ROOT_ID && !this.ous.has(id)) throw awsError(op, 'ParentNotFoundException', `no parent ${id}`);
  }

  protected target(op: string, id: string): void {
    if (id !== ROOT_ID && !this.ous.has(id) && !this.accounts.has(id)) {
      throw awsError(op, 'TargetNotFoundException', `no target ${id}`);
    }
  }
}

export function toAccount({ id, name, email, status }: FakeAccount): OrgAccount {
  return { id, name, email, status };
}

/** AWS validates the document and its size (whitespace outside strings does not count). */
export function checkContent(op: string, content: string): void {
  try {
    JSON.parse(content);
  } catch {
    throw awsError(op, 'MalformedPolicyDocumentException', 'the policy document is not valid JSON');
  }
  if (JSON.stringify(JSON.parse(content)).length > MAX_POLICY_CHARS) {
    throw awsError(op, 'ConstraintViolationException', 'POLICY_CONTENT_LIMIT_EXCEEDED');
  }
}
