import { AvfError, AwsError } from '../../domain/errors';
import type { FactoryEvent } from '../events';
import type { WorkflowDeps } from '../step';
import type { StackSetDriftCheck, Sweep } from './sweep-document';

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);
const DONE = new Set(['IN_SYNC', 'DRIFTED', 'NOT_CHECKED', 'FAILED', 'UNSUPPORTED']);

/** One detection per StackSet and sweep; the OperationId makes a repeated start harmless. */
export function stackSetChecks(deps: WorkflowDeps, sweepId: string): StackSetDriftCheck[] {
  return deps.config.config.stackSets.map((s) => ({
    stackSet: s.name,
    operationId: `avf-drift-${sweepId}-${s.name}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128),
    status: 'PENDING',
  }));
}

export const stackSetChecksDone = (sweep: Sweep): boolean => sweep.stackSets.every((c) => DONE.has(c.status));

async function start(deps: WorkflowDeps, check: StackSetDriftCheck): Promise<void> {
  try {
    await deps.aws.stackSets.detectStackSetDrift(check.stackSet, check.operationId);
    check.status = 'RUNNING';
  } catch (e) {
    // moto does not implement DetectStackSetDrift: recorded, the sweep goes on.
    if (e instanceof AwsError && e.awsCode === 'NotImplemented') {
      Object.assign(check, { status: 'UNSUPPORTED', detail: e.message });
    } else if (e instanceof AvfError && !e.retryable) {
      Object.assign(check, { status: 'FAILED', detail: e.message });
    } else throw e; // transient: the next step starts it again with the same OperationId
  }
}

async function poll(deps: WorkflowDeps, check: StackSetDriftCheck): Promise<FactoryEvent[]> {
  const op = await deps.aws.stackSets.getOperation(check.stackSet, check.operationId);
  if (!ENDED.has(op.status)) return [];
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

/** Starts the sweep's StackSet drift detections, or polls those running; returns events. */
export async function advanceStackSetChecks(deps: WorkflowDeps, sweep: Sweep): Promise<FactoryEvent[]> {
  const events: FactoryEvent[] = [];
  for (const check of sweep.stackSets) {
    if (check.status === 'PENDING') await start(deps, check);
    else if (check.status === 'RUNNING') events.push(...(await poll(deps, check)));
  }
  return events;
}
