import type {
  StackInstanceSummary,
  StackSetDefinition,
  StackSetOperationStatus,
} from '../../../src/domain/ports/aws';
import type { OperationScope } from '../../../src/domain/operation-ownership';
import { awsError } from './script';

/** What the in-memory StackSets hold: stack sets, their instances, targets and operations. */
export interface FakeOperation {
  id: string;
  status: StackSetOperationStatus;
  reason?: string;
  pollsLeft: number;
  /** account/region keys the operation deploys; every instance for an update. */
  keys: string[];
  /** account/region keys a deletion removes when it finishes. */
  deletes?: string[];
  /** What it was asked to do: an existing id is only ours again when this matches. */
  scope?: OperationScope;
}

export interface FakeStackSet extends StackSetDefinition {
  status: string;
  instances: Map<string, StackInstanceSummary>;
  /**
   * account/region → the OU targets holding the instance. An instance belongs to the OU it was
   * created through and stays with it when the account moves; listed once per OU target.
   */
  targets: Map<string, Set<string>>;
  operations: Map<string, FakeOperation>;
}

export const key = (account: string, region: string): string => `${account}/${region}`;

export function copy(def: StackSetDefinition): StackSetDefinition {
  const { name, description, templateBody } = def;
  return {
    name,
    description,
    templateBody,
    parameters: { ...def.parameters },
    capabilities: [...def.capabilities],
  };
}

export function toDefinition(set: FakeStackSet): StackSetDefinition & { status: string } {
  return { ...copy(set), status: set.status };
}

/** An operation ends: its instances CURRENT, or FAILED for the scripted failing accounts. */
export function finishOperation(
  set: FakeStackSet,
  op: FakeOperation,
  failingAccounts: ReadonlyMap<string, string>,
): void {
  for (const k of op.deletes ?? []) {
    if ((set.targets.get(k)?.size ?? 0) > 0) continue;
    set.instances.delete(k);
    set.targets.delete(k);
  }
  let failed = 0;
  for (const k of op.keys) {
    const instance = set.instances.get(k);
    if (!instance) continue;
    const reason = failingAccounts.get(instance.account);
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

/** ManagedExecution: an operation touching an instance another one is running on is refused. */
export function refuseOverlap(op: string, set: FakeStackSet, keys: string[], isUpdate: boolean): void {
  const busy = [...set.operations.values()].some(
    (o) =>
      o.status === 'RUNNING' && (isUpdate || o.keys.length === 0 || o.keys.some((k) => keys.includes(k))),
  );
  if (busy)
    throw awsError(op, 'OperationInProgressException', `an operation on ${set.name} is in progress`, true);
}
