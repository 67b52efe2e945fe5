import type { EventRule } from '../../../src/domain/ports/account-settings';
import { parseTemplate } from '../cfn-template';
import type {
  StackInstanceSummary,
  StackInstanceTargets,
  StackSetDefinition,
  StackSetDrift,
  StackSetOperationStatus,
  StackSetsPort,
} from '../../../src/domain/ports/aws';
import { awsError, type FakeScript } from './script';

interface FakeOperation {
  id: string;
  status: StackSetOperationStatus;
  reason?: string;
  pollsLeft: number;
  /** account/region keys the operation deploys; every instance for an update. */
  keys: string[];
}

interface FakeStackSet extends StackSetDefinition {
  status: string;
  instances: Map<string, StackInstanceSummary>;
  operations: Map<string, FakeOperation>;
}

const key = (account: string, region: string): string => `${account}/${region}`;

/**
 * StackSets in memory: SERVICE_MANAGED with ManagedExecution, so operations that touch different
 * instances run at once and overlapping ones are refused with OperationInProgressException. An
 * operation stays RUNNING for `operationPolls` getOperation calls; the OperationId is idempotent.
 */
/** The EventBridge rules a template declares (only literal names and `Ref` targets are modelled). */
function templateEventRules(templateBody: string): EventRule[] {
  const resources = parseTemplate(templateBody).Resources ?? {};
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::Events::Rule')
    .flatMap((r) => {
      const props = (r.Properties ?? {}) as {
        Name?: unknown;
        State?: unknown;
        EventPattern?: unknown;
        Targets?: unknown;
      };
      if (typeof props.Name !== 'string') return [];
      const targets = Array.isArray(props.Targets)
        ? (props.Targets as Array<{ Arn?: { Ref?: string } }>)
        : [];
      return [
        {
          name: props.Name,
          state: typeof props.State === 'string' ? props.State : 'ENABLED',
          eventPattern: JSON.stringify(props.EventPattern ?? {}),
          targetArns: targets.map((t) => {
            const ref = t.Arn?.Ref;
            const topic = ref
              ? (resources[ref]?.Properties as { TopicName?: string } | undefined)?.TopicName
              : undefined;
            return `arn:aws:sns:::${topic ?? ref ?? 'unknown'}`;
          }),
        },
      ];
    });
}

export class FakeStackSets implements StackSetsPort {
  readonly stackSets = new Map<string, FakeStackSet>();
  /** Accounts whose instances end FAILED with this reason (scripted by failStackInstances). */
  readonly failingAccounts = new Map<string, string>();

  /** Event rules the stack sets created in this account and region (instances CURRENT and SUCCEEDED). */
  deployedEventRules(account: string, region: string): EventRule[] {
    return [...this.stackSets.values()].flatMap((set) => {
      const instance = set.instances.get(key(account, region));
      const ok = instance?.status === 'CURRENT' && (instance.detailedStatus ?? 'SUCCEEDED') === 'SUCCEEDED';
      return ok ? templateEventRules(set.templateBody) : [];
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
      for (const op of set.operations.values()) if (op.status === 'RUNNING') this.finish(set, op);
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
    if (set.operations.has(operationId)) return Promise.resolve();
    const all = [...set.instances.keys()];
    const keys = targets ? this.targetKeys(set, targets) : all;
    this.refuseOverlap('updateStackSet', set, all, true);
    Object.assign(set, copy(def));
    // With targets, AWS updates those instances and marks every other one OUTDATED.
    for (const k of all)
      if (!keys.includes(k)) Object.assign(set.instances.get(k) ?? {}, { status: 'OUTDATED' });
    this.start(set, operationId, keys);
    return Promise.resolve();
  }

  async updateStackInstances(
    input: StackInstanceTargets & { stackSetName: string; operationId: string },
  ): Promise<string> {
    this.s.enter('updateStackInstances');
    const set = this.stackSet('updateStackInstances', input.stackSetName);
    if (set.operations.has(input.operationId)) return Promise.resolve(input.operationId);
    const keys = this.targetKeys(set, input);
    this.refuseOverlap('updateStackInstances', set, keys, false);
    this.start(set, input.operationId, keys);
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
    if (!set.operations.has(operationId)) {
      set.operations.set(operationId, { id: operationId, status: 'SUCCEEDED', pollsLeft: 0, keys: [] });
    }
    return Promise.resolve(operationId);
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
    if (set.operations.has(input.operationId)) return Promise.resolve(input.operationId);
    // INTERSECTION: only the listed accounts that sit in the target OUs.
    const accounts = input.accountIds.filter((a) => this.isUnder(a, input.organizationalUnitIds));
    const keys = accounts.flatMap((a) => input.regions.map((r) => key(a, r)));
    this.refuseOverlap('createStackInstances', set, keys, false);
    for (const a of accounts) {
      for (const region of input.regions) {
        if (!set.instances.has(key(a, region)))
          set.instances.set(key(a, region), { account: a, region, status: 'OUTDATED' });
      }
    }
    this.start(set, input.operationId, keys);
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
      else this.finish(set, op);
    }
    return Promise.resolve(
      op.reason === undefined ? { status: op.status } : { status: op.status, reason: op.reason },
    );
  }

  async listStackInstances(stackSetName: string, accountId?: string): Promise<StackInstanceSummary[]> {
    this.s.enter('listStackInstances');
    const set = this.stackSet('listStackInstances', stackSetName);
    return Promise.resolve(
      [...set.instances.values()]
        .filter((i) => accountId === undefined || i.account === accountId)
        .map((i) => ({ ...i })),
    );
  }

  private start(set: FakeStackSet, id: string, keys: string[]): void {
    for (const k of keys) {
      const instance = set.instances.get(k);
      if (instance)
        Object.assign(instance, { status: 'OUTDATED', detailedStatus: 'PENDING', reason: undefined });
    }
    set.operations.set(id, { id, status: 'RUNNING', pollsLeft: this.s.operationPolls, keys });
  }

  private finish(set: FakeStackSet, op: FakeOperation): void {
    let failed = 0;
    for (const k of op.keys) {
      const instance = set.instances.get(k);
      if (!instance) continue;
      const reason = this.failingAccounts.get(instance.account);
      if (reason === undefined)
        Object.assign(instance, { status: 'CURRENT', detailedStatus: 'SUCCEEDED', reason: undefined });
      else {
        failed += 1;
        Object.assign(instance, { status: 'OUTDATED', detailedStatus: 'FAILED', reason });
      }
    }
    // SOFT_FAILURE_TOLERANCE: the operation fails only when nothing succeeded.
    const allFailed = failed > 0 && failed === op.keys.length;
    op.status = allFailed ? 'FAILED' : 'SUCCEEDED';
    if (allFailed) op.reason = 'all stack instances failed';
  }

  private refuseOverlap(op: string, set: FakeStackSet, keys: string[], isUpdate: boolean): void {
    const busy = [...set.operations.values()].some(
      (o) =>
        o.status === 'RUNNING' && (isUpdate || o.keys.length === 0 || o.keys.some((k) => keys.includes(k))),
    );
    if (busy)
      throw awsError(op, 'OperationInProgressException', `an operation on ${set.name} is in progress`, true);
  }

  private stackSet(op: string, name: string): FakeStackSet {
    const set = this.stackSets.get(name);
    if (!set) throw awsError(op, 'StackSetNotFoundException', `no stack set ${name}`);
    return set;
  }
}

function copy(def: StackSetDefinition): StackSetDefinition {
  const { name, description, templateBody } = def;
  return {
    name,
    description,
    templateBody,
    parameters: { ...def.parameters },
    capabilities: [...def.capabilities],
  };
}

function toDefinition(set: FakeStackSet): StackSetDefinition & { status: string } {
  return { ...copy(set), status: set.status };
}
