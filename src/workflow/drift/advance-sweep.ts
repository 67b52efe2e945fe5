import type { RequestRecord } from '../../domain/account-request';
import { readDocument, updateDocument } from '../coordination/document';
import { addToOutbox, flushOutbox, type FactoryEvent } from '../events';
import type { WorkflowDeps } from '../step';
import { checkAccount } from './check-account';
import { advanceStackSetChecks, stackSetChecksDone, stackSetWorkDue } from './stackset-drift';
import { openSweep } from './start-sweep';
import {
  DRIFT_DOCUMENT_ID,
  DRIFT_KIND,
  MAX_STORED_ERRORS,
  MAX_STORED_FINDINGS,
  cutEvidence,
  summaryOf,
  type DriftDocument,
  type DriftFinding,
  type Sweep,
} from './sweep-document';
import { stepVerifier } from './step-verifier';
import { archiveSweep } from './sweep-history';
import { budgetCapacity, returnVerifications, takeVerifications } from './verification-budget';

const minutes = (m: number) => m * 60_000;

/** A new sweep when none ran yet, or the last one started `drift.sweepIntervalMinutes` ago. */
function startDueSweep(deps: WorkflowDeps, doc: DriftDocument, now: Date): boolean {
  const last = doc.sweep;
  if (last && !last.finishedAt) return false;
  const interval = minutes(deps.config.config.drift.sweepIntervalMinutes);
  if (last && now.getTime() - Date.parse(last.startedAt) < interval) return false;
  openSweep(deps, doc, now);
  return true;
}

interface Claim {
  sweep: Sweep;
  /** Verifications this step may run (taken from the shared budget). */
  allowance: number;
}

/** Under the document: start a due sweep, take the lease and a share of the budget. */
function claim(deps: WorkflowDeps, doc: DriftDocument, owner: string, now: Date, leaseMs: number) {
  const started = startDueSweep(deps, doc, now);
  const sweep = doc.sweep;
  const free = !doc.lease || doc.lease.owner === owner || Date.parse(doc.lease.until) <= now.getTime();
  if (!sweep || sweep.finishedAt || !free) return { write: started, result: undefined };
  const perMinute = deps.config.config.drift.verificationsPerMinute;
  // A step verifies as many accounts at once as the bucket holds (two seconds' worth, at least one).
  const wanted = budgetCapacity(perMinute);
  const allowance = sweep.accountsDone ? 0 : takeVerifications(doc, perMinute, now, wanted);
  // Nothing to do until the bucket refills or a StackSet check is due: no write (the refill is
  // recomputed next time).
  if (allowance === 0 && !started && !stackSetWorkDue(sweep, now)) return { write: false, result: undefined };
  doc.lease = { owner, until: new Date(now.getTime() + leaseMs).toISOString() };
  return { write: true, result: { sweep: structuredClone(sweep), allowance } satisfies Claim };
}

function record(sweep: Sweep, findings: DriftFinding[]): void {
  sweep.findingsTotal += findings.length;
  sweep.findings.push(...findings.slice(0, Math.max(0, MAX_STORED_FINDINGS - sweep.findings.length)));
}

/**
 * Checks the next page of READY accounts (at most `allowance`, side by side, sharing the step's
 * reads of the organisation); their findings become events on their accounts (check-account.ts).
 */
async function checkNextAccounts(deps: WorkflowDeps, sweep: Sweep, allowance: number): Promise<void> {
  const page = await deps.store.list({
    status: 'READY',
    limit: allowance,
    ...(sweep.cursor ? { cursor: sweep.cursor } : {}),
  });
  const accounts = page.items.filter((r): r is RequestRecord & { accountId: string } => Boolean(r.accountId));
  const stepDeps = { ...deps, verifier: stepVerifier(deps) };
  const outcomes = await Promise.all(
    accounts.map((r) =>
      checkAccount(stepDeps, r, sweep.id).then(
        (findings) => ({ accountId: r.accountId, findings }),
        (e: unknown) => ({ accountId: r.accountId, error: (e as Error).message }),
      ),
    ),
  );
  for (const o of outcomes) {
    sweep.accountsChecked += 1;
    if ('error' in o) {
      sweep.accountsFailed += 1;
      if (sweep.errors.length < MAX_STORED_ERRORS)
        sweep.errors.push({ accountId: o.accountId, message: cutEvidence(o.error) });
      continue;
    }
    // each finding is an event on its account's request, delivered through the outbox
    record(sweep, o.findings);
  }
  if (page.nextCursor) sweep.cursor = page.nextCursor;
  else {
    delete sweep.cursor;
    sweep.accountsDone = true;
  }
}

/**
 * One short step of the drift sweep, under the lease in its document (one worker at a time; a
 * crashed worker's lease expires and the next resumes at the stored cursor, checking at most one
 * step's accounts again). Starts a sweep when one is due, runs the StackSet drift detections,
 * verifies the next few READY accounts within the shared `drift.verificationsPerMinute`, and
 * publishes each finding; a finished sweep goes into the history. Returns whether it did work
 * (false while the budget refills).
 */
export async function advanceDriftSweep(
  deps: WorkflowDeps,
  owner: string,
  leaseMs = 120_000,
): Promise<boolean> {
  const now = () => deps.clock.now();
  // Events a failed publish left behind go out first.
  const { body: stored } = await readDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID);
  await flushOutbox(deps, DRIFT_KIND, DRIFT_DOCUMENT_ID, stored.outbox);
  const claimed = await updateDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID, now, (doc) =>
    claim(deps, doc, owner, now(), leaseMs),
  );
  if (!claimed) return false;
  const { sweep, allowance } = claimed;
  const events: FactoryEvent[] = [];
  let outbox: FactoryEvent[] | undefined;
  let used = 0;
  try {
    events.push(...(await advanceStackSetChecks(deps, sweep)));
    if (allowance > 0 && !sweep.accountsDone) {
      const before = sweep.accountsChecked;
      await checkNextAccounts(deps, sweep, allowance);
      used = sweep.accountsChecked - before;
    } else used = allowance;
    if (sweep.accountsDone && stackSetChecksDone(sweep)) {
      // Into the history first: if that fails, the sweep is not finished and the next step tries again.
      const finishedAt = now().toISOString();
      await archiveSweep(deps.store, { ...sweep, finishedAt }, now(), deps.config.config.drift.keepSweeps);
      sweep.finishedAt = finishedAt;
      events.push({ detailType: 'Drift Sweep Finished', detail: summaryOf(sweep) });
    }
  } finally {
    outbox = await updateDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID, now, (doc) => {
      if (doc.lease?.owner !== owner) return { write: false, result: undefined };
      if (doc.sweep?.id === sweep.id) doc.sweep = sweep;
      returnVerifications(doc, deps.config.config.drift.verificationsPerMinute, allowance - used);
      // The step's events are saved with the change they report.
      addToOutbox(deps, doc, events);
      delete doc.lease;
      return { write: true, result: doc.outbox };
    });
  }
  await flushOutbox(deps, DRIFT_KIND, DRIFT_DOCUMENT_ID, outbox);
  return used > 0 || sweep.finishedAt !== undefined;
}
