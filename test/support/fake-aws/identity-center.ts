import type {
  AssignmentStatus,
  IdentityCenterInstance,
  IdentityCenterPort,
  PermissionSetDefinition,
} from '../../../src/domain/ports/aws';
import { awsError, pad, type FakeScript } from './script';

export const INSTANCE: IdentityCenterInstance = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000001',
  identityStoreId: 'd-0000000001',
};

interface FakeAssignment {
  requestId: string;
  accountId: string;
  permissionSetArn: string;
  groupId: string;
  status: AssignmentStatus;
  failureReason?: string;
  pollsLeft: number;
  /** Set once a deletion of this assignment has finished. */
  deleted?: boolean;
}

interface FakeDeletion {
  /** The creation request of the assignment being deleted. */
  assignmentId: string;
  status: AssignmentStatus;
  pollsLeft: number;
}

/**
 * Identity Center in memory: one instance, permission sets and groups unique by name (creating
 * one that exists reuses it, as the adapters do with AWS's ConflictException), account assignments that stay IN_PROGRESS for `assignmentPolls`
 * status calls and are idempotent for the same (account, permission set, group).
 */
export class FakeIdentityCenter implements IdentityCenterPort {
  readonly permissionSets = new Map<string, PermissionSetDefinition>();
  readonly groups = new Map<string, string>();
  readonly assignments = new Map<string, FakeAssignment>();
  readonly deletions = new Map<string, FakeDeletion>();
  private nextFailure: string | undefined;

  constructor(private readonly s: FakeScript) {}

  /** The next account assignment finishes FAILED with this reason. */
  failNextAssignment(reason: string): void {
    this.nextFailure = reason;
  }

  async getInstance(): Promise<IdentityCenterInstance> {
    this.s.enter('getInstance');
    return Promise.resolve({ ...INSTANCE });
  }

  async findPermissionSetArn(instanceArn: string, name: string): Promise<string | undefined> {
    this.s.enter('findPermissionSetArn');
    this.instance('findPermissionSetArn', instanceArn);
    return Promise.resolve([...this.permissionSets].find(([, p]) => p.name === name)?.[0]);
  }

  async listPermissionSets(instanceArn: string): Promise<Array<{ name: string; arn: string }>> {
    this.s.enter('listPermissionSets');
    this.instance('listPermissionSets', instanceArn);
    return Promise.resolve([...this.permissionSets].map(([arn, p]) => ({ name: p.name, arn })));
  }

  async describePermissionSet(instanceArn: string, arn: string): Promise<PermissionSetDefinition> {
    this.s.enter('describePermissionSet');
    this.instance('describePermissionSet', instanceArn);
    return Promise.resolve(copy(this.permissionSet('describePermissionSet', arn)));
  }

  async createPermissionSet(instanceArn: string, def: PermissionSetDefinition): Promise<string> {
    this.s.enter('createPermissionSet');
    this.instance('createPermissionSet', instanceArn);
    const existing = [...this.permissionSets].find(([, p]) => p.name === def.name)?.[0];
    const arn =
      existing ??
      `${INSTANCE.instanceArn.replace(':instance/', ':permissionSet/')}/ps-${pad(this.s.next('ps'), 16)}`;
    this.permissionSets.set(arn, copy(def));
    return Promise.resolve(arn);
  }

  async updatePermissionSet(instanceArn: string, arn: string, def: PermissionSetDefinition): Promise<void> {
    this.s.enter('updatePermissionSet');
    this.instance('updatePermissionSet', instanceArn);
    const current = this.permissionSet('updatePermissionSet', arn);
    this.permissionSets.set(arn, { ...copy(def), name: current.name });
    return Promise.resolve();
  }

  async findGroupId(identityStoreId: string, displayName: string): Promise<string | undefined> {
    this.s.enter('findGroupId');
    this.store('findGroupId', identityStoreId);
    return Promise.resolve(this.groups.get(displayName));
  }

  async createGroup(identityStoreId: string, displayName: string): Promise<string> {
    this.s.enter('createGroup');
    this.store('createGroup', identityStoreId);
    const id = this.groups.get(displayName) ?? `group-${pad(this.s.next('group'), 8)}`;
    this.groups.set(displayName, id);
    return Promise.resolve(id);
  }

  async startAccountAssignment(
    input: Parameters<IdentityCenterPort['startAccountAssignment']>[0],
  ): ReturnType<IdentityCenterPort['startAccountAssignment']> {
    this.s.enter('startAccountAssignment');
    this.instance('startAccountAssignment', input.instanceArn);
    this.permissionSet('startAccountAssignment', input.permissionSetArn);
    const requestId = `aa-${pad(this.s.next('assignment'), 12)}`;
    const assignment: FakeAssignment = {
      requestId,
      accountId: input.accountId,
      permissionSetArn: input.permissionSetArn,
      groupId: input.groupId,
      status: 'IN_PROGRESS',
      pollsLeft: this.s.assignmentPolls,
      ...(this.nextFailure === undefined ? {} : { failureReason: this.nextFailure }),
    };
    this.nextFailure = undefined;
    this.assignments.set(requestId, assignment);
    return Promise.resolve({ requestId, status: 'IN_PROGRESS' });
  }

  async getAccountAssignmentStatus(
    instanceArn: string,
    requestId: string,
  ): Promise<{ status: AssignmentStatus; failureReason?: string }> {
    this.s.enter('getAccountAssignmentStatus');
    this.instance('getAccountAssignmentStatus', instanceArn);
    const a = this.assignments.get(requestId);
    if (!a)
      throw awsError('getAccountAssignmentStatus', 'ResourceNotFoundException', `no request ${requestId}`);
    if (a.status === 'IN_PROGRESS') {
      if (a.pollsLeft > 0) a.pollsLeft -= 1;
      else a.status = a.failureReason === undefined ? 'SUCCEEDED' : 'FAILED';
    }
    return Promise.resolve(
      a.status === 'FAILED' ? { status: a.status, failureReason: a.failureReason } : { status: a.status },
    );
  }

  async listPermissionSetsProvisionedToAccount(instanceArn: string, accountId: string): Promise<string[]> {
    this.s.enter('listPermissionSetsProvisionedToAccount');
    this.instance('listPermissionSetsProvisionedToAccount', instanceArn);
    const arns = [...this.assignments.values()]
      .filter((a) => a.status === 'SUCCEEDED' && !a.deleted && a.accountId === accountId)
      .map((a) => a.permissionSetArn);
    return Promise.resolve([...new Set(arns)]);
  }

  async listAccountAssignments(
    instanceArn: string,
    accountId: string,
    permissionSetArn: string,
  ): Promise<Array<{ principalId: string; principalType: string }>> {
    this.s.enter('listAccountAssignments');
    this.instance('listAccountAssignments', instanceArn);
    const groups = new Set(
      [...this.assignments.values()]
        .filter(
          (a) =>
            a.status === 'SUCCEEDED' &&
            !a.deleted &&
            a.accountId === accountId &&
            a.permissionSetArn === permissionSetArn,
        )
        .map((a) => a.groupId),
    );
    return Promise.resolve([...groups].map((principalId) => ({ principalId, principalType: 'GROUP' })));
  }

  /** Deletes the (account, permission set, group) assignment; one that does not exist is an error, as in AWS. */
  async startAccountAssignmentDeletion(
    input: Parameters<IdentityCenterPort['startAccountAssignmentDeletion']>[0],
  ): ReturnType<IdentityCenterPort['startAccountAssignmentDeletion']> {
    this.s.enter('startAccountAssignmentDeletion');
    this.instance('startAccountAssignmentDeletion', input.instanceArn);
    const assignment = [...this.assignments.values()].find(
      (a) =>
        a.status === 'SUCCEEDED' &&
        !a.deleted &&
        a.accountId === input.accountId &&
        a.permissionSetArn === input.permissionSetArn &&
        a.groupId === input.principalId,
    );
    if (!assignment || input.principalType !== 'GROUP') {
      throw awsError('startAccountAssignmentDeletion', 'ResourceNotFoundException', 'no such assignment');
    }
    const requestId = `ad-${pad(this.s.next('deletion'), 12)}`;
    this.deletions.set(requestId, {
      assignmentId: assignment.requestId,
      status: 'IN_PROGRESS',
      pollsLeft: this.s.assignmentPolls,
    });
    return Promise.resolve({ requestId, status: 'IN_PROGRESS' });
  }

  async getAccountAssignmentDeletionStatus(
    instanceArn: string,
    requestId: string,
  ): Promise<{ status: AssignmentStatus; failureReason?: string }> {
    this.s.enter('getAccountAssignmentDeletionStatus');
    this.instance('getAccountAssignmentDeletionStatus', instanceArn);
    const d = this.deletions.get(requestId);
    if (!d)
      throw awsError(
        'getAccountAssignmentDeletionStatus',
        'ResourceNotFoundException',
        `no request ${requestId}`,
      );
    if (d.status === 'IN_PROGRESS') {
      if (d.pollsLeft > 0) d.pollsLeft -= 1;
      else {
        d.status = 'SUCCEEDED';
        const assignment = this.assignments.get(d.assignmentId);
        if (assignment) assignment.deleted = true;
      }
    }
    return Promise.resolve({ status: d.status });
  }

  private instance(op: string, arn: string): void {
    if (arn !== INSTANCE.instanceArn) throw awsError(op, 'ResourceNotFoundException', `no instance ${arn}`);
  }

  private store(op: string, id: string): void {
    if (id !== INSTANCE.identityStoreId)
      throw awsError(op, 'ResourceNotFoundException', `no identity store ${id}`);
  }

  private permissionSet(op: string, arn: string): PermissionSetDefinition {
    const p = this.permissionSets.get(arn);
    if (!p) throw awsError(op, 'ResourceNotFoundException', `no permission set ${arn}`);
    return p;
  }
}

function copy(def: PermissionSetDefinition): PermissionSetDefinition {
  return { ...def, managedPolicies: [...def.managedPolicies] };
}
