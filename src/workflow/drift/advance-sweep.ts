import { randomBytes } from 'node:crypto';
import type { RequestRecord } from '../../domain/account-request';
import { updateDocument } from '../coordination/document';
import { publishEvents, type FactoryEvent } from '../events';
import type { WorkflowDeps } from '../step';
import { checkAccount } from './check-account';
import { advanceStackSetChecks, stackSetChecks, stackSetChecksDone } from './stackset-drift';
import {
  DRIFT_DOCUMENT_ID,
  DRIFT_KIND,
  MAX_STORED_ERRORS,
  MAX_STORED_FINDINGS,
  type DriftDocument,
  type DriftFinding,
  type Sweep,
  SweepSummarySchema,
} from './sweep-document';
import { returnVerifications, takeVerifications } from './verification-budget';

/** Accounts verified per step at most (in parallel), so one step stays short. */
export const ACCOUNTS_PER_STEP = 5;

const minutes = (m: number) => m * 60_000;

/** A new sweep when none ran yet, or the last one started `drift.sweepIntervalMinutes` ago. */
function startDueSweep(deps: WorkflowDeps, doc: DriftDocument, now: Date): boolean {
  const last = doc.sweep;
  if (last && !last.finishedAt) return false;
  const interval = minutes(deps.config.config.drift.sweepIntervalMinutes);
  if (last && now.getTime() - Date.parse(last.startedAt) < interval) return false;
  if (last) doc.previous = summaryOf(last);
  const id = `sw-${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
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
  const allowance = sweep.accountsDone ? 0 : takeVerifications(doc, perMinute, now, ACCOUNTS_PER_STEP);
  // Nothing to do until the bucket refills; the refill is recomputed next time, so no write.
  if (allowance === 0 && !started && stackSetChecksDone(sweep)) return { write: false, result: undefined };
  doc.lease = { owner, until: new Date(now.getTime() + leaseMs).toISOString() };
  return { write: true, result: { sweep: structuredClone(sweep), allowance } satisfies Claim };
}

function record(sweep: Sweep, findings: DriftFinding[]): void {
  sweep.findingsTotal += findings.length;
  sweep.findings.push(...findings.slice(0, Math.max(0, MAX_STORED_FINDINGS - sweep.findings.length)));
}

/** Checks the next page of READY accounts (at most `allowance`); returns how many it checked. */
async function checkNextAccounts(
  deps: WorkflowDeps,
  sweep: Sweep,
  allowance: number,
): Promise<FactoryEvent[]> {
  const page = await deps.store.list({
    status: 'READY',
    limit: allowance,
    ...(sweep.cursor ? { cursor: sweep.cursor } : {}),
  });
  const accounts = page.items.filter((r): r is RequestRecord & { accountId: string } => Boolean(r.accountId));
  const outcomes = await Promise.all(
    accounts.map((r) =>
      checkAccount(deps, r).then(
        (findings) => ({ accountId: r.accountId, findings }),
        (e: unknown) => ({ accountId: r.accountId, error: (e as Error).message }),
      ),
    ),
  );
  const events: FactoryEvent[] = [];
  for (const o of outcomes) {
    sweep.accountsChecked += 1;
    if ('error' in o) {
      sweep.accountsFailed += 1;
      if (sweep.errors.length < MAX_STORED_ERRORS)
        sweep.errors.push({ accountId: o.accountId, message: o.error });
      continue;
    }
    record(sweep, o.findings);
    events.push(
      ...o.findings.map((f) => ({ detailType: 'Drift Finding', detail: { sweepId: sweep.id, ...f } })),
    );
  }
  if (page.nextCursor) sweep.cursor = page.nextCursor;
  else {
    delete sweep.cursor;
    sweep.accountsDone = true;
  }
  return events;
}

/**
 * One short step of the drift sweep, under the lease in its document (one worker at a time; a
 * crashed worker's lease expires and the next resumes at the stored cursor, checking at most one
 * step's accounts again). Starts a sweep when one is due, runs the StackSet drift detections,
 * verifies the next few READY accounts within the shared `drift.verificationsPerMinute`, and
 * publishes each finding. Returns whether it did work (false while the budget refills).
 */
export async function advanceDriftSweep(
  deps: WorkflowDeps,
  owner: string,
  leaseMs = 120_000,
): Promise<boolean> {
  const now = () => deps.clock.now();
  const claimed = await updateDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID, now, (doc) =>
    claim(deps, doc, owner, now(), leaseMs),
  );
  if (!claimed) return false;
  const { sweep, allowance } = claimed;
  const events: FactoryEvent[] = [];
  let used = 0;
  try {
    events.push(...(await advanceStackSetChecks(deps, sweep)));
    if (allowance > 0 && !sweep.accountsDone) {
      const before = sweep.accountsChecked;
      events.push(...(await checkNextAccounts(deps, sweep, allowance)));
      used = sweep.accountsChecked - before;
    } else used = allowance;
    if (sweep.accountsDone && stackSetChecksDone(sweep)) {
      sweep.finishedAt = now().toISOString();
      events.push({ detailType: 'Drift Sweep Finished', detail: summaryOf(sweep) });
    }
  } finally {
    await updateDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID, now, (doc) => {
      if (doc.lease?.owner !== owner) return { write: false, result: undefined };
      if (doc.sweep?.id === sweep.id) doc.sweep = sweep;
      returnVerifications(doc, deps.config.config.drift.verificationsPerMinute, allowance - used);
      delete doc.lease;
      return { write: true, result: undefined };
    });
  }
  await publishEvents(deps, events);
  return used > 0 || sweep.finishedAt !== undefined;
}

/** A sweep without its findings, cursor and errors: what events and the previous sweep hold. */
export function summaryOf(sweep: Sweep): NonNullable<DriftDocument['previous']> {
  const summary: Partial<Sweep> = { ...sweep };
  delete summary.findings;
  delete summary.cursor;
  delete summary.errors;
  return SweepSummarySchema.parse(summary);
}
