import { AvfError } from '../../domain/errors';
import type { WorkflowDeps } from '../step';

/** A StackSet operation the factory drives: its deterministic id, then how it ended. */
export interface DrivenOperation {
  stackSet: string;
  /** Written down before the operation is started: AWS's idempotency token. */
  operationId: string;
  /** Unset until started; RUNNING while it runs; then how AWS says it ended. */
  status?: string;
  reason?: string;
}

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);
const NOT_STARTED = 'refused: ';

/**
 * Starts (idempotently) an operation not started yet, or polls one running; true when it has
 * ended. An operation AWS refuses outright ends FAILED at once with the reason (see `refused`);
 * a transient refusal is thrown for the caller's retry.
 */
export async function driveOperation(
  deps: WorkflowDeps,
  op: DrivenOperation,
  start: () => Promise<unknown>,
): Promise<boolean> {
  if (op.status !== undefined && ENDED.has(op.status)) return true;
  if (op.status === undefined) {
    try {
      // AWS answers with the OperationId it was given; moto makes its own up: poll the one answered.
      const answered = await start();
      if (typeof answered === 'string' && answered !== '') op.operationId = answered;
    } catch (e) {
      if (e instanceof AvfError && !e.retryable) {
        Object.assign(op, { status: 'FAILED', reason: `${NOT_STARTED}${e.message}` });
        return true;
      }
      throw e;
    }
    op.status = 'RUNNING';
    return false;
  }
  const result = await deps.aws.stackSets.getOperation(op.stackSet, op.operationId);
  if (!ENDED.has(result.status)) return false;
  op.status = result.status;
  if (result.reason) op.reason = result.reason;
  return true;
}

/** Whether AWS refused to start the operation at all (rather than running it and failing). */
export function refused(op: DrivenOperation): boolean {
  return op.reason?.startsWith(NOT_STARTED) ?? false;
}
