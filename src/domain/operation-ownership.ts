import { AvfError } from './errors';
import type { StackInstanceTargets } from './ports/aws';

/** What a StackSet operation was asked to do, as DescribeStackSetOperation answers it. */
export interface OperationScope {
  action: 'CREATE' | 'UPDATE' | 'DELETE' | 'DETECT_DRIFT';
  /** Undefined: not targeted by account (an update of every instance, a drift detection). */
  accountIds?: string[];
  organizationalUnitIds?: string[];
}

/** The targets of a stack-instance operation, as an operation's scope compares them. */
export function scopeOf(
  targets: StackInstanceTargets,
): Pick<OperationScope, 'accountIds' | 'organizationalUnitIds'> {
  return { accountIds: targets.accountIds, organizationalUnitIds: targets.organizationalUnitIds };
}

const sameSet = (a: string[], b: string[]): boolean =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/**
 * How the operation found under our OperationId differs from the one we asked for; none means it
 * is ours. Fields the answer leaves out are not compared (AWS answers action and targets; an
 * emulator may not). Regions are not compared: DescribeStackSetOperation does not answer them.
 */
export function scopeDifferences(asked: OperationScope, found: Partial<OperationScope>): string[] {
  const differences: string[] = [];
  if (found.action !== undefined && found.action !== asked.action)
    differences.push(`action ${found.action}, not ${asked.action}`);
  for (const [field, label] of [
    ['accountIds', 'accounts'],
    ['organizationalUnitIds', 'OUs'],
  ] as const) {
    const want = asked[field];
    const have = found[field];
    if (want !== undefined && have !== undefined && !sameSet(want, have))
      differences.push(`${label} ${have.join(',') || 'none'}, not ${want.join(',') || 'none'}`);
  }
  return differences;
}

/**
 * AWS answered OperationIdAlreadyExistsException and the existing operation is not the one we
 * asked for: someone else's, so it is never polled as ours. Not retryable: the same id would
 * only find the same operation.
 */
function operationIdTaken(stackSetName: string, operationId: string, differences: string[]): AvfError {
  return new AvfError(
    'OPERATION_ID_TAKEN',
    `StackSet ${stackSetName} already has an operation ${operationId} that is not ours (${differences.join('; ')}); ` +
      'another factory or tool used this OperationId. Each avf store tags its OperationIds with its own id, ' +
      'so check that two factories do not share one store copy, then retry the request',
  );
}

/** Throws OPERATION_ID_TAKEN unless the operation found under our id is the one we asked for. */
export function requireOurOperation(
  stackSetName: string,
  operationId: string,
  asked: OperationScope,
  found: Partial<OperationScope>,
): void {
  const differences = scopeDifferences(asked, found);
  if (differences.length > 0) throw operationIdTaken(stackSetName, operationId, differences);
}
