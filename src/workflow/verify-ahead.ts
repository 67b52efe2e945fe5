import { z } from 'zod';
import type { Phase, RequestRecord } from '../domain/account-request';
import { StaleRecordError } from '../domain/errors';
import { ControlResultSchema, type ControlResult } from '../domain/compliance';
import { phasesAhead } from './ahead-phases';
import { readDocument, updateDocument, type DocumentKind } from './coordination/document';
import { accountIdOf, type StepContext, type WorkflowDeps } from './step';
import { verificationTarget } from './verification-target';

/**
 * The results kept for one request, in a document of their own (by request id) rather than on the
 * request: the record is read and written on every look while the StackSets deploy, and these
 * results would make it several times larger. `at` is the request's `handles.verifiedAheadAt`:
 * results of an earlier attempt (before a retry) do not match it and are not used.
 */
const VERIFIED_AHEAD: DocumentKind<{ at: string; results: ControlResult[] }> = {
  kind: 'verified-ahead',
  schema: z.object({ at: z.string(), results: z.array(ControlResultSchema) }),
  empty: () => ({ at: '', results: [] }),
};

/**
 * While the request waits in baseline, once the phases run ahead of it are done: reads, once, the
 * controls those and the phases before them settle (`Control.settledBy`), and keeps the ones that
 * passed for the verify step, which reads them no more. The StackSet operation's minutes cover
 * these reads, so when a batch's operation ends its accounts' verifications read only what the
 * baseline sets, instead of all meeting Budgets' 5 calls a second and Organizations' rate at once
 * (the last minutes of a burst). A control that did not pass now is read again by the verify step.
 */
export async function verifyAhead(ctx: StepContext): Promise<void> {
  const { record, deps } = ctx;
  if (record.phase !== 'baseline' || record.handles.verifiedAheadAt || record.handles.failedAhead) return;
  const succeeded = (phase: Phase) => record.steps.find((s) => s.name === phase)?.status === 'SUCCEEDED';
  if (!phasesAhead('baseline', deps.config.config).every(succeeded)) return;
  const done = new Set(record.steps.filter((s) => s.status === 'SUCCEEDED').map((s) => s.name));
  const now = deps.clock.now();
  const passed = await deps.verifier.verifyAhead(
    verificationTarget({ ...record, accountId: accountIdOf(record) }, { vending: true, activity: record.id }),
    now,
    done,
  );
  const at = now.toISOString();
  // kept before the request says so: a crash in between leaves results no request points to yet
  await updateDocument(
    deps.store,
    VERIFIED_AHEAD,
    record.id,
    () => deps.clock.now(),
    (body) => {
      body.at = at;
      body.results = passed;
      return { write: true, result: undefined };
    },
  );
  record.handles.verifiedAheadAt = at;
}

/** The results `verifyAhead` kept for the request's current attempt (none if it has not run). */
export async function verifiedAheadResults(
  deps: Pick<WorkflowDeps, 'store'>,
  record: RequestRecord,
): Promise<ControlResult[]> {
  const at = record.handles.verifiedAheadAt;
  if (at === undefined) return [];
  const { body } = await readDocument(deps.store, VERIFIED_AHEAD, record.id);
  return body.at === at ? body.results : [];
}

/** Drops the kept results once the request has left the baseline and verification (READY or FAILED). */
export async function forgetVerifiedAhead(
  deps: Pick<WorkflowDeps, 'store'>,
  requestId: string,
): Promise<void> {
  const doc = await deps.store.getDocument(VERIFIED_AHEAD.kind, requestId);
  if (!doc) return;
  await deps.store.deleteDocument(VERIFIED_AHEAD.kind, requestId, doc.version).catch((e: unknown) => {
    // written again since (a retry that checked ahead once more): that one is kept
    if (!(e instanceof StaleRecordError)) throw e;
  });
}
