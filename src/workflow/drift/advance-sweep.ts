import type { RequestRecord } from '../../domain/account-request';
import { readDocument, updateDocument } from '../coordination/document';
import { waitUntil, type Outcome } from '../engine/outcome';
import { addToOutbox, flushOutbox, OUTBOX_RETRY_MS, type FactoryEvent } from '../events';
import type { WorkflowDeps } from '../step';
import { checkAccount } from './check-account';
import {
  advanceStackSetChecks,
  nextStackSetWorkAt,
  stackSetChecksDone,
  stackSetWorkDue,
} from './stackset-drift';
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
import { archiveSweep } from './sweep-history';
import {
  budgetCapacity,
  nextVerificationAt,
  returnVerifications,
  takeVerifications,
} from './verification-budget';

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

/** Under the document: start a due sweep, and take a share of the budget when there is work. */
function claim(
  deps: WorkflowDeps,
  doc: DriftDocument,
  now: Date,
): { write: boolean; result: { doc: DriftDocument; claimed?: Claim } } {
  const started = startDueSweep(deps, doc, now);
  const sweep = doc.sweep;
  const idle = { write: started, result: { doc: structuredClone(doc) } };
  if (!sweep || sweep.finishedAt) return idle;
  const perMinute = deps.config.config.drift.verificationsPerMinute;
  // A step verifies as many accounts at once as the bucket holds (two seconds' worth, at least one).
  const wanted = budgetCapacity(perMinute);
  const allowance = sweep.accountsDone ? 0 : takeVerifications(doc, perMinute, now, wanted);
  // Nothing to do until the bucket refills or a StackSet check is due: no write (the refill is
  // recomputed next time).
  if (allowance === 0 && !started && !stackSetWorkDue(sweep, now)) return idle;
  const claimed: Claim = { sweep: structuredClone(sweep), allowance };
  return { write: true, result: { doc: structuredClone(doc), claimed } };
}

function record(sweep: Sweep, findings: DriftFinding[]): void {
  sweep.findingsTotal += findings.length;
  sweep.findings.push(...findings.slice(0, Math.max(0, MAX_STORED_FINDINGS - sweep.findings.length)));
}

/**
 * Checks the next page of READY accounts (at most `allowance`, side by side; the verifier shares
 * its reads of the organisation between them and with the steps before, for
 * `worker.organisationReadCacheSeconds`); their findings become events on their accounts
 * (check-account.ts).
 */
async function checkNextAccounts(deps: WorkflowDeps, sweep: Sweep, allowance: number): Promise<void> {
  const page = await deps.store.list({
    status: 'READY',
    limit: allowance,
    ...(sweep.cursor ? { cursor: sweep.cursor } : {}),
  });
  const accounts = page.items.filter((r): r is RequestRecord & { accountId: string } => Boolean(r.accountId));
  const outcomes = await Promise.all(
    accounts.map((r) =>
      checkAccount(deps, r, sweep.id).then(
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
 * Runs a claimed step: the StackSet drift detections, the next accounts within the allowance, and
 * the archive of a finished sweep; then writes the sweep back with its events (in the same write)
 * and the unused allowance, even when the work threw. Returns the document as written.
 */
async function runClaimed(deps: WorkflowDeps, { sweep, allowance }: Claim): Promise<DriftDocument> {
  const now = () => deps.clock.now();
  const events: FactoryEvent[] = [];
  let used = 0;
  let saved: DriftDocument;
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
    saved = await updateDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID, now, (doc) => {
      if (doc.sweep?.id === sweep.id) doc.sweep = sweep;
      returnVerifications(doc, deps.config.config.drift.verificationsPerMinute, allowance - used);
      // The step's events are saved with the change they report.
      addToOutbox(deps, doc, events);
      return { write: true, result: structuredClone(doc) };
    });
  }
  return saved;
}

/** When the sweep job has work next: a verification token, a StackSet check, the next sweep. */
function nextWorkAt(deps: WorkflowDeps, doc: DriftDocument, now: Date): Date {
  const { sweepIntervalMinutes, verificationsPerMinute } = deps.config.config.drift;
  const sweep = doc.sweep;
  if (!sweep) return now;
  if (sweep.finishedAt) return new Date(Date.parse(sweep.startedAt) + minutes(sweepIntervalMinutes));
  const times = [
    ...(sweep.accountsDone ? [] : [nextVerificationAt(doc, verificationsPerMinute, now)]),
    ...nextStackSetWorkAt(sweep, now),
  ];
  return new Date(times.length > 0 ? Math.min(...times) : now.getTime());
}

/**
 * One short step of the drift sweep (its standing job, sweep-kind.ts; the engine's lease keeps it
 * to one worker at a time, and a crashed worker's step is repeated at the stored cursor, checking
 * at most one step's accounts again). Publishes the events a failed publish left behind, starts a
 * sweep when one is due, runs the StackSet drift detections, verifies the next few READY accounts
 * within the shared `drift.verificationsPerMinute`, and publishes each finding; a finished sweep
 * goes into the history. Waits until its next work is due (never ends: the job stands).
 */
export async function stepDriftSweep(deps: WorkflowDeps): Promise<Outcome> {
  const now = () => deps.clock.now();
  const { body: stored } = await readDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID);
  await flushOutbox(deps, DRIFT_KIND, DRIFT_DOCUMENT_ID, stored.outbox);
  const { doc: read, claimed } = await updateDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID, now, (doc) =>
    claim(deps, doc, now()),
  );
  const doc = claimed ? await runClaimed(deps, claimed) : read;
  const published = await flushOutbox(deps, DRIFT_KIND, DRIFT_DOCUMENT_ID, doc.outbox);
  const at = now();
  let next = nextWorkAt(deps, doc, at);
  if (!published) next = new Date(Math.min(next.getTime(), at.getTime() + OUTBOX_RETRY_MS));
  const sweep = doc.sweep;
  const detail = !sweep
    ? 'no sweep yet'
    : sweep.finishedAt
      ? `sweep ${sweep.id} finished; the next is due ${new Date(Date.parse(sweep.startedAt) + minutes(deps.config.config.drift.sweepIntervalMinutes)).toISOString()}`
      : `sweep ${sweep.id}: ${sweep.accountsChecked} account(s) checked`;
  return waitUntil(detail, next, at, deps.config.config.worker.timeScale);
}
