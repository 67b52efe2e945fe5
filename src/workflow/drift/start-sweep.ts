import type { LoadedConfig } from '../../config/load';
import { ConflictError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { HasJobs } from '../../domain/ports/job-store';
import type { Clock } from '../clock';
import { updateDocument } from '../coordination/document';
import { runJobNow } from '../engine/jobs';
import { requireRole, type Principal } from '../../domain/principal';
import { stackSetChecks } from './stackset-drift';
import {
  DRIFT_DOCUMENT_ID,
  DRIFT_KIND,
  summaryOf,
  SWEEP_JOB,
  SWEEP_JOB_ID,
  type DriftDocument,
  type Sweep,
  type SweepSummary,
} from './sweep-document';
import { newSweepId } from './sweep-id';
import { storeTag } from '../coordination/store-identity';

/**
 * Opens a new sweep in the document, keeping the last one in short as `previous` (the whole of a
 * finished one is in the history); the caller writes the document.
 */
export function openSweep(
  deps: { config: LoadedConfig; storeTag: string },
  doc: DriftDocument,
  now: Date,
): Sweep {
  if (doc.sweep) doc.previous = summaryOf(doc.sweep);
  const id = newSweepId(now);
  doc.sweep = {
    id,
    startedAt: now.toISOString(),
    accountsDone: false,
    accountsChecked: 0,
    accountsFailed: 0,
    errors: [],
    findingsTotal: 0,
    findings: [],
    stackSets: stackSetChecks(deps, id),
  };
  return doc.sweep;
}

/**
 * Starts a sweep now, whatever the interval (`POST /v1/drift/sweeps`, platform only); the workers
 * advance it as they advance a scheduled one (its job is made due at once), and the next scheduled
 * sweep is due an interval after this one started. A sweep still running is a ConflictError
 * naming it.
 */
export async function startSweepNow(
  deps: { store: DocumentStore & HasJobs; config: LoadedConfig; clock: Clock },
  principal: Principal,
): Promise<SweepSummary> {
  requireRole(principal, ['platform'], 'start a drift sweep');
  const now = () => deps.clock.now();
  // The API has no runtime deps of its own: the tag is one document read.
  const tag = await storeTag(deps.store, now());
  const started = await updateDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID, now, (doc) => {
    const running = doc.sweep?.finishedAt === undefined ? doc.sweep : undefined;
    if (running) {
      throw new ConflictError(
        'DRIFT_SWEEP_RUNNING',
        `drift sweep ${running.id} is running (started ${running.startedAt}, ${running.accountsChecked} account(s) checked); wait for it to finish (GET /v1/drift)`,
      );
    }
    const sweep = openSweep({ config: deps.config, storeTag: tag }, doc, now());
    sweep.startedBy = principal.name;
    return { write: true, result: summaryOf(sweep) };
  });
  await runJobNow(deps, SWEEP_JOB, SWEEP_JOB_ID, {});
  return started;
}
