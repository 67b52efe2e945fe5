import { readDocument } from '../coordination/document';
import { requireRole, type Principal } from '../../domain/principal';
import type { WorkflowDeps } from '../step';
import {
  DRIFT_DOCUMENT_ID,
  DRIFT_KIND,
  recordOf,
  type DriftDocument,
  type SweepRecord,
} from './sweep-document';

/** Who may read drift sweeps (the current one and the history). */
export const DRIFT_READERS = ['platform', 'auditor'] as const;

export interface DriftStatus {
  /** The sweep running now, or the last one (with its findings). */
  sweep?: SweepRecord;
  /** The sweep before it, in short. */
  previous?: DriftDocument['previous'];
  /** When the next sweep is due (after the current one has finished). */
  nextSweepAt?: string;
  settings: {
    remediate: boolean;
    sweepIntervalMinutes: number;
    verificationsPerMinute: number;
    busyStackSetWaitMinutes: number;
  };
}

/** The current or last drift sweep: what `GET /v1/drift` answers (platform and auditor). */
export async function driftStatus(
  deps: Pick<WorkflowDeps, 'store' | 'config'>,
  principal: Principal,
): Promise<DriftStatus> {
  requireRole(principal, DRIFT_READERS, 'read drift sweeps');
  const { body } = await readDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID);
  const settings = deps.config.config.drift;
  const status: DriftStatus = { settings: { ...settings } };
  if (body.sweep) {
    const sweep = recordOf(body.sweep);
    status.sweep = sweep;
    const next = Date.parse(sweep.startedAt) + settings.sweepIntervalMinutes * 60_000;
    if (sweep.finishedAt) status.nextSweepAt = new Date(next).toISOString();
  }
  if (body.previous) status.previous = body.previous;
  return status;
}
