import { AvfError, AwsError } from '../../domain/errors';
import { operationId } from '../../domain/operation-id';
import type { FactoryEvent } from '../events';
import type { WorkflowDeps } from '../step';
import { busyStackSets } from './busy-stacksets';
import type { StackSetDriftCheck, Sweep } from './sweep-document';

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);
const DONE = new Set(['IN_SYNC', 'DRIFTED', 'NOT_CHECKED', 'FAILED', 'UNSUPPORTED', 'SKIPPED_BUSY']);
/** A detection deferred for a busy StackSet is tried again this much later. */
export const BUSY_RETRY_MS = 30_000;
/** A running detection is polled at most this often (on AWS one takes minutes). */
export const POLL_EVERY_MS = 15_000;

/** One detection per StackSet and sweep; the OperationId makes a repeated start harmless. */
export function stackSetChecks(
  deps: Pick<WorkflowDeps, 'config' | 'storeTag'>,
  sweepId: string,
): StackSetDriftCheck[] {
  return deps.config.config.stackSets.map((s) => ({
    stackSet: s.name,
    operationId: operationId(deps.storeTag, 'drift', sweepId, s.name),
    status: 'PENDING',
  }));
}

export const stackSetChecksDone = (sweep: Sweep): boolean => sweep.stackSets.every((c) => DONE.has(c.status));

const due = (check: StackSetDriftCheck, now: Date): boolean =>
  (check.status === 'PENDING' || check.status === 'RUNNING') &&
  (check.nextAttemptAt === undefined || Date.parse(check.nextAttemptAt) <= now.getTime());

/** Whether a step has StackSet work now: a detection to start (or try again), or one to poll. */
export const stackSetWorkDue = (sweep: Sweep, now: Date): boolean => sweep.stackSets.some((c) => due(c, now));

/** When the checks still to do have StackSet work next (now for one not deferred or polled yet). */
export const nextStackSetWorkAt = (sweep: Sweep, now: Date): number[] =>
  sweep.stackSets
    .filter((c) => c.status === 'PENDING' || c.status === 'RUNNING')
    .map((c) => (c.nextAttemptAt === undefined ? now.getTime() : Date.parse(c.nextAttemptAt)));

const later = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();

/**
 * The StackSet is busy: the check stays PENDING and is tried again later, until it has waited
 * `drift.busyStackSetWaitMinutes`; then it is SKIPPED_BUSY, so the sweep can finish.
 */
function defer(deps: WorkflowDeps, check: StackSetDriftCheck, reason: string, now: Date): void {
  const since = check.deferredSince ?? now.toISOString();
  const waitMinutes = deps.config.config.drift.busyStackSetWaitMinutes;
  if (now.getTime() - Date.parse(since) >= waitMinutes * 60_000) {
    delete check.nextAttemptAt;
    Object.assign(check, {
      status: 'SKIPPED_BUSY',
      detail: `skipped: the StackSet stayed busy for ${waitMinutes} min (${reason})`,
    });
    return;
  }
  Object.assign(check, {
    deferredSince: since,
    nextAttemptAt: later(now, BUSY_RETRY_MS),
    detail: `deferred: ${reason}`,
  });
}

async function start(deps: WorkflowDeps, check: StackSetDriftCheck, busy: string | undefined, now: Date) {
  if (busy !== undefined) return defer(deps, check, busy, now);
  try {
    await deps.aws.stackSets.detectStackSetDrift(check.stackSet, check.operationId);
    delete check.detail;
    Object.assign(check, { status: 'RUNNING', nextAttemptAt: later(now, POLL_EVERY_MS) });
  } catch (e) {
    // Another tool's operation (or one of ours not in a document yet) holds the StackSet.
    if (e instanceof AwsError && e.awsCode === 'OperationInProgressException') {
      defer(deps, check, `an operation is in progress on ${check.stackSet}`, now);
    } else if (e instanceof AwsError && e.awsCode === 'NotImplemented') {
      // moto does not implement DetectStackSetDrift: recorded, the sweep goes on.
      Object.assign(check, { status: 'UNSUPPORTED', detail: e.message });
    } else if (e instanceof AvfError && !e.retryable) {
      Object.assign(check, { status: 'FAILED', detail: e.message });
    } else throw e; // transient: the next step starts it again with the same OperationId
  }
}

async function poll(deps: WorkflowDeps, check: StackSetDriftCheck, now: Date): Promise<FactoryEvent[]> {
  const op = await deps.aws.stackSets.getOperation(check.stackSet, check.operationId);
  if (!ENDED.has(op.status)) {
    check.nextAttemptAt = later(now, POLL_EVERY_MS);
    return [];
  }
  delete check.nextAttemptAt;
  if (op.status !== 'SUCCEEDED') {
    Object.assign(check, {
      status: 'FAILED',
      detail: `drift detection ${op.status}${op.reason ? `: ${op.reason}` : ''}`,
    });
    return [];
  }
  const drift = await deps.aws.stackSets.getStackSetDrift(check.stackSet);
  Object.assign(check, {
    status: drift.status,
    driftedInstances: drift.driftedInstances,
    inSyncInstances: drift.inSyncInstances,
  });
  if (drift.status !== 'DRIFTED') return [];
  return [
    {
      detailType: 'StackSet Drift Detected',
      detail: {
        stackSet: check.stackSet,
        driftedInstances: drift.driftedInstances,
        operationId: check.operationId,
      },
    },
  ];
}

/**
 * Starts the sweep's StackSet drift detections that are due (deferring those whose StackSet is
 * busy), or polls those running; returns events.
 */
export async function advanceStackSetChecks(deps: WorkflowDeps, sweep: Sweep): Promise<FactoryEvent[]> {
  const now = deps.clock.now();
  const toStart = sweep.stackSets.filter((c) => c.status === 'PENDING' && due(c, now));
  const busy = await busyStackSets(
    deps,
    toStart.map((c) => c.stackSet),
  );
  const events: FactoryEvent[] = [];
  for (const check of sweep.stackSets.filter((c) => due(c, now))) {
    if (check.status === 'PENDING') await start(deps, check, busy.get(check.stackSet), now);
    else events.push(...(await poll(deps, check, now)));
  }
  return events;
}
