import type { RequestRecord } from '../../domain/account-request';
import { ConflictError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { HasJobs } from '../../domain/ports/job-store';
import type { RequestStore } from '../../domain/ports/request-store';
import type { LoadedConfig } from '../../config/load';
import type { Clock } from '../clock';
import { updateDocument } from '../coordination/document';
import { loadVisibleRequest, requireRole, type Principal } from '../../domain/principal';
import { DELIVERY, TARGETS } from './delivery-state';
import { DELIVERY_JOB, markDue } from './outbox';

interface RedeliverDeps {
  store: RequestStore & DocumentStore & HasJobs;
  config: LoadedConfig;
  clock: Clock;
}

/**
 * Delivers again the events of a request that were given up (after `maxAttempts`, or refused),
 * once its endpoint is mended: each target goes back to its first given-up event still on the
 * record and delivers from there in order (events after it that had arrived come again; receivers
 * drop repeats by event id). Platform, or a requester for its own team.
 *
 * @throws ForbiddenError (403); NotFoundError (404); ConflictError `NOTHING_TO_REDELIVER` or
 *   `DELIVERY_IN_PROGRESS` (409)
 */
export async function redeliverEvents(
  deps: RedeliverDeps,
  principal: Principal,
  id: string,
): Promise<RequestRecord> {
  requireRole(principal, ['requester', 'platform'], 'redeliver events');
  const record = await loadVisibleRequest(deps.store, principal, id);
  const kept = new Set((record.events ?? []).map((e) => e.seq));
  const now = () => deps.clock.now();
  const job = await deps.store.jobs.getJob(DELIVERY_JOB, id);
  if (job?.leaseUntil && Date.parse(job.leaseUntil) > now().getTime()) {
    throw new ConflictError(
      'DELIVERY_IN_PROGRESS',
      `a worker is delivering the events of request ${id} now; try again in a minute`,
    );
  }
  // a step that starts meanwhile loses its next checkpoint to this rewind and runs again from it
  const from = await updateDocument(deps.store, DELIVERY, id, now, (state) => {
    const again = state.failed.filter((f) => kept.has(f.seq));
    if (again.length === 0) return { write: false, result: undefined };
    for (const target of TARGETS) {
      const seqs = again.filter((f) => f.target === target).map((f) => f.seq);
      if (seqs.length === 0) continue;
      state[target].through = Math.min(state[target].through, Math.min(...seqs) - 1);
      state[target].attempts = 0;
      delete state[target].lastError;
    }
    state.failed = state.failed.filter((f) => !kept.has(f.seq));
    state.failedTotal -= again.length;
    return { write: true, result: Math.min(...again.map((f) => f.seq)) };
  });
  if (from === undefined) {
    throw new ConflictError(
      'NOTHING_TO_REDELIVER',
      `request ${id} has no given-up event still on the record to deliver again`,
    );
  }
  await markDue(deps, record, from);
  return record;
}
