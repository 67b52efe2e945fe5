import type { EventRule, LocalPolicy } from '../../../src/domain/ports/account-settings';
import type {
  StackInstanceSummary,
  StackInstanceTargets,
  StackSetDefinition,
  StackSetDrift,
  StackSetOperationStatus,
  StackSetsPort,
} from '../../../src/domain/ports/aws';
import { requireOurOperation, scopeOf, type OperationScope } from '../../../src/domain/operation-ownership';
import { awsError, type FakeScript } from './script';
import {
  copy,
  finishOperation,
  key,
  refuseOverlap,
  toDefinition,
  type FakeStackSet,
} from './stack-set-state';
import { templateEventRules, templateManagedPolicies } from './stack-set-templates';

/**
 * StackSets in memory: SERVICE_MANAGED with ManagedExecution, so operations that touch different
 * instances run at once and overlapping ones are refused with OperationInProgressException. An
 * operation stays RUNNING for `operationPolls` getOperation calls; the OperationId is idempotent.
 */
export class FakeStackSets implements StackSetsPort {
  readonly stackSets = new Map<string, FakeStackSet>();
  /** Accounts whose instances end FAILED with this reason (scripted by failStackInstances). */
  readonly failingAccounts = new Map<string, string>();

  /** Event rules the stack sets created in this account and region (instances CURRENT and SUCCEEDED). */
  deployedEventRules(account: string, region: string): EventRule[] {
    return this.deployedTemplates(account, region).flatMap(templateEventRules);
  }

  /**
   * Managed policies the stack sets created in this account (IAM is account-wide: any region's
   * instance), as version v1 of the template's document with the account's pseudo parameters.
   */
  deployedPolicies(account: string): LocalPolicy[] {
    const regions = new Set(
      [...this.stackSets.values()].flatMap((s) => [...s.instances.values()].map((i) => i.region)),
    );
    return [...regions].flatMap((region) =>
      this.deployedTemplates(account, region).flatMap((body) =>
        templateManagedPolicies(body, account, region),
      ),
    );
  }

  private deployedTemplates(account: string, region: string): string[] {
    return [...this.stackSets.values()].flatMap((set) => {
      const instance = set.instances.get(key(account, region));
      const ok = instance?.status === 'CURRENT' && (instance.detailedStatus ?? 'SUCCEEDED') === 'SUCCEEDED';
      return ok ? [set.templateBody] : [];
    });
  }

  constructor(
    private readonly s: FakeScript,
    /** Whether the account sits in one of the OUs or their descendants (the organisation's answer). */
    private readonly isUnder: (accountId: string, ouIds: string[]) => boolean,
  ) {}

  /** Finishes every operation still running (time passes). */
  completePendingOperations(): void {
    for (const set of this.stackSets.values()) {
      for (const op of set.operations.values())
        if (op.status === 'RUNNING') finishOperation(set, op, this.failingAccounts);
    }
  }

  async describeStackSet(name: string): Promise<(StackSetDefinition & { status: string }) | undefined> {
    this.s.enter('describeStackSet');
    const set = this.stackSets.get(name);
    return Promise.resolve(set && toDefinition(set));
  }

  async createStackSet(def: StackSetDefinition): Promise<void> {
    this.s.enter('createStackSet');
    // AWS's NameAlreadyExistsException is success in the adapters.
    if (this.stackSets.has(def.name)) return Promise.resolve();
    this.stackSets.set(def.name, {
      ...copy(def),
      status: 'ACTIVE',
      instances: new Map(),
      targets: new Map(),
      operations: new Map(),
    });
    return Promise.resolve();
  }

  async updateStackSet(
    def: StackSetDefinition,
    operationId: string,
    targets?: StackInstanceTargets,
  ): Promise<void> {
    this.s.enter('updateStackSet');
    const set = this.stackSet('updateStackSet', def.name);
    const scope: OperationScope = { action: 'UPDATE', ...(targets ? scopeOf(targets) : {}) };
    if (this.existing(set, operationId, scope)) return Promise.resolve();
    const all = [...set.instances.keys()];
    const keys = targets ? this.targetKeys(set, targets) : all;
    refuseOverlap('updateStackSet', set, all, true);
    Object.assign(set, copy(def));
    // With targets, AWS updates those instances and marks every other one OUTDATED.
    for (const k of all)
      if (!keys.includes(k)) Object.assign(set.instances.get(k) ?? {}, { status: 'OUTDATED' });
    this.start(set, operationId, keys, [], scope);
    return Promise.resolve();
  }

  async updateStackInstances(
    input: StackInstanceTargets & { stackSetName: string; operationId: string },
  ): Promise<string> {
    this.s.enter('updateStackInstances');
    const set = this.stackSet('updateStackInstances', input.stackSetName);
    const scope: OperationScope = { action: 'UPDATE', ...scopeOf(input) };
    if (this.existing(set, input.operationId, scope)) return Promise.resolve(input.operationId);
    const keys = this.targetKeys(set, input);
    refuseOverlap('updateStackInstances', set, keys, false);
    this.start(set, input.operationId, keys, [], scope);
    return Promise.resolve(input.operationId);
  }

  /** Drift scripted per stack set by `drifted`; `detectDriftUnsupported` answers as moto does. */
  readonly drifted = new Map<string, number>();
  detectDriftUnsupported = false;

  async detectStackSetDrift(stackSetName: string, operationId: string): Promise<string> {
    this.s.enter('detectStackSetDrift');
    if (this.detectDriftUnsupported)
      throw awsError('detectStackSetDrift', 'NotImplemented', 'DetectStackSetDrift is not implemented');
    const set = this.stackSet('detectStackSetDrift', stackSetName);
    const scope: OperationScope = { action: 'DETECT_DRIFT' };
    if (!this.existing(set, operationId, scope)) {
      // Drift detection reads every instance: any operation running on the stack set conflicts.
      refuseOverlap('detectStackSetDrift', set, [], true);
      set.operations.set(operationId, {
        id: operationId,
        status: 'SUCCEEDED',
        pollsLeft: 0,
        keys: [],
        scope,
      });
    }
    return Promise.resolve(operationId);
  }

  /**
   * An operation someone else started on the stack set (another tool, or the console): it runs,
   * touching every instance, until `completePendingOperations()` or `polls` getOperation calls.
   */
  startOperationElsewhere(
    stackSetName: string,
    operationId: string,
    polls = Infinity,
    scope?: OperationScope,
  ): void {
    const set = this.stackSet('startOperationElsewhere', stackSetName);
    const keys = [...set.instances.keys()];
    set.operations.set(operationId, { id: operationId, status: 'RUNNING', pollsLeft: polls, keys, scope });
  }

  async getStackSetDrift(stackSetName: string): Promise<StackSetDrift> {
    this.s.enter('getStackSetDrift');
    const set = this.stackSet('getStackSetDrift', stackSetName);
    const drifted = this.drifted.get(stackSetName) ?? 0;
    return Promise.resolve({
      status: drifted > 0 ? 'DRIFTED' : 'IN_SYNC',
      driftedInstances: drifted,
      inSyncInstances: set.instances.size - drifted,
    });
  }

  /** Existing instances of the listed accounts in the listed regions. */
  private targetKeys(set: FakeStackSet, targets: StackInstanceTargets): string[] {
    const accounts = targets.accountIds.filter((a) => this.isUnder(a, targets.organizationalUnitIds));
    return accounts.flatMap((a) => targets.regions.map((r) => key(a, r))).filter((k) => set.instances.has(k));
  }

  async createStackInstances(input: Parameters<StackSetsPort['createStackInstances']>[0]): Promise<string> {
    this.s.enter('createStackInstances');
    const set = this.stackSet('createStackInstances', input.stackSetName);
    const scope: OperationScope = { action: 'CREATE', ...scopeOf(input) };
    if (this.existing(set, input.operationId, scope)) return Promise.resolve(input.operationId);
    // INTERSECTION: only the listed accounts that sit in the target OUs.
    const accounts = input.accountIds.filter((a) => this.isUnder(a, input.organizationalUnitIds));
    const keys = accounts.flatMap((a) => input.regions.map((r) => key(a, r)));
    refuseOverlap('createStackInstances', set, keys, false);
    for (const a of accounts) {
      const ou = input.organizationalUnitIds.find((o) => this.isUnder(a, [o])) ?? '';
      for (const region of input.regions) {
        const k = key(a, region);
        if (!set.instances.has(k)) set.instances.set(k, { account: a, region, status: 'OUTDATED' });
        set.targets.set(k, new Set([...(set.targets.get(k) ?? []), ou]));
      }
    }
    this.start(set, input.operationId, keys, [], scope);
    return Promise.resolve(input.operationId);
  }

  /** By OU target: the listed accounts' instances these OUs hold, wherever the accounts are now. */
  async deleteStackInstances(
    input: StackInstanceTargets & { stackSetName: string; operationId: string },
  ): Promise<string> {
    this.s.enter('deleteStackInstances');
    const set = this.stackSet('deleteStackInstances', input.stackSetName);
    const scope: OperationScope = { action: 'DELETE', ...scopeOf(input) };
    if (this.existing(set, input.operationId, scope)) return Promise.resolve(input.operationId);
    const held = input.accountIds
      .flatMap((a) => input.regions.map((r) => key(a, r)))
      .filter((k) => [...(set.targets.get(k) ?? [])].some((ou) => input.organizationalUnitIds.includes(ou)));
    refuseOverlap('deleteStackInstances', set, held, false);
    const deletes: string[] = [];
    for (const k of held) {
      const left = [...(set.targets.get(k) ?? [])].filter((ou) => !input.organizationalUnitIds.includes(ou));
      set.targets.set(k, new Set(left));
      // Another OU target still holds it: only the association goes, the stack stays.
      if (left.length === 0) deletes.push(k);
    }
    this.start(set, input.operationId, deletes, deletes, scope);
    return Promise.resolve(input.operationId);
  }

  async getOperation(
    stackSetName: string,
    operationId: string,
  ): Promise<{ status: StackSetOperationStatus; reason?: string }> {
    this.s.enter('getOperation');
    const set = this.stackSet('getOperation', stackSetName);
    const op = set.operations.get(operationId);
    if (!op) throw awsError('getOperation', 'OperationNotFoundException', `no operation ${operationId}`);
    if (op.status === 'RUNNING') {
      if (op.pollsLeft > 0) op.pollsLeft -= 1;
      else finishOperation(set, op, this.failingAccounts);
    }
    return Promise.resolve(
      op.reason === undefined ? { status: op.status } : { status: op.status, reason: op.reason },
    );
  }

  async listStackInstances(stackSetName: string, accountId?: string): Promise<StackInstanceSummary[]> {
    this.s.enter('listStackInstances');
    return Promise.resolve(
      this.summaries(
        'listStackInstances',
        stackSetName,
        (i) => accountId === undefined || i.account === accountId,
      ),
    );
  }

  async listStackInstancesOfOperation(
    stackSetName: string,
    operationId: string,
  ): Promise<StackInstanceSummary[]> {
    this.s.enter('listStackInstancesOfOperation');
    return Promise.resolve(
      this.summaries('listStackInstancesOfOperation', stackSetName, (i) => i.lastOperationId === operationId),
    );
  }

  /** ListStackInstances' members: one per OU target holding the instance, each naming its OU. */
  private summaries(
    op: string,
    stackSetName: string,
    wanted: (i: StackInstanceSummary) => boolean,
  ): StackInstanceSummary[] {
    const set = this.stackSet(op, stackSetName);
    return [...set.instances.entries()]
      .filter(([, i]) => wanted(i))
      .flatMap(([k, i]) => {
        const ous = [...(set.targets.get(k) ?? [])];
        return ous.length === 0 ? [{ ...i }] : ous.map((ou) => ({ ...i, organizationalUnitId: ou }));
      });
  }

  /**
   * The OperationId is taken: as the adapter does on OperationIdAlreadyExistsException, the
   * operation is ours only when its action and targets are what we asked (else OPERATION_ID_TAKEN).
   */
  private existing(set: FakeStackSet, id: string, asked: OperationScope): boolean {
    const op = set.operations.get(id);
    if (!op) return false;
    requireOurOperation(set.name, id, asked, op.scope ?? {});
    return true;
  }

  private start(
    set: FakeStackSet,
    id: string,
    keys: string[],
    deletes: string[] = [],
    scope?: OperationScope,
  ): void {
    for (const k of keys) {
      const instance = set.instances.get(k);
      if (instance)
        Object.assign(instance, {
          status: 'OUTDATED',
          detailedStatus: 'PENDING',
          reason: undefined,
          lastOperationId: id,
        });
    }
    set.operations.set(id, { id, status: 'RUNNING', pollsLeft: this.s.operationPolls, keys, deletes, scope });
  }

  private stackSet(op: string, name: string): FakeStackSet {
    const set = this.stackSets.get(name);
    if (!set) throw awsError(op, 'StackSetNotFoundException', `no stack set ${name}`);
    return set;
  }
}
