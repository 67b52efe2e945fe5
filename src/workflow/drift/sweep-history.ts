import { z } from 'zod';
import { AvfError, NotFoundError, StaleRecordError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { Page } from '../../domain/ports/request-store';
import { readDocument, type DocumentKind } from '../coordination/document';
import { requireRole, type Principal } from '../../domain/principal';
import { DRIFT_READERS } from './drift-status';
import {
  DRIFT_DOCUMENT_ID,
  DRIFT_KIND,
  recordOf,
  summaryOf,
  SweepRecordSchema,
  type Sweep,
  type SweepRecord,
  type SweepSummary,
} from './sweep-document';
import { newestFirstKey } from './sweep-id';

const HistoryDocumentSchema = z.object({ schemaVersion: z.literal(1), sweep: SweepRecordSchema });
type HistoryDocument = z.infer<typeof HistoryDocumentSchema>;

/**
 * Finished sweeps, one document each (bounded like the sweep: at most MAX_STORED_FINDINGS
 * findings and MAX_STORED_ERRORS errors), under ids that list newest first (see newestFirstKey).
 */
export const DRIFT_HISTORY_KIND: DocumentKind<HistoryDocument | undefined> = {
  kind: 'drift-sweep-history',
  schema: HistoryDocumentSchema.optional(),
  empty: () => undefined,
};

function keyOf(sweepId: string): string {
  const key = newestFirstKey(sweepId);
  if (!key) throw new AvfError('DRIFT_SWEEP_ID_INVALID', `${sweepId} is not a drift sweep id`);
  return key;
}

/**
 * Stores a finished sweep in the history, once: a second write (a step repeated after a crash)
 * finds it there and keeps the first. Then deletes the sweeps beyond the newest `keep`.
 */
export async function archiveSweep(
  store: DocumentStore,
  sweep: Sweep,
  now: Date,
  keep: number,
): Promise<void> {
  const body = HistoryDocumentSchema.parse({ schemaVersion: 1, sweep: recordOf(sweep) });
  try {
    await store.putDocument(DRIFT_HISTORY_KIND.kind, keyOf(sweep.id), body, 0, now);
  } catch (e) {
    if (!(e instanceof StaleRecordError)) throw e;
  }
  await pruneHistory(store, keep);
}

/** Deletes up to a page of the oldest sweeps beyond the newest `keep` (one per sweep, once steady). */
async function pruneHistory(store: DocumentStore, keep: number): Promise<void> {
  let cursor: string | undefined;
  for (let skipped = 0; skipped < keep;) {
    const page = await store.listDocuments(DRIFT_HISTORY_KIND.kind, {
      limit: keep - skipped,
      ...(cursor ? { cursor } : {}),
    });
    skipped += page.items.length;
    cursor = page.nextCursor;
    if (!cursor) return;
  }
  const old = await store.listDocuments(DRIFT_HISTORY_KIND.kind, { limit: 100, cursor });
  for (const doc of old.items) {
    await store.deleteDocument(DRIFT_HISTORY_KIND.kind, doc.id, doc.version).catch((e: unknown) => {
      if (!(e instanceof StaleRecordError)) throw e;
    });
  }
}

/** A sweep of the history in short; with the account's own findings when the list asks for one. */
export type SweepListItem = SweepSummary & { findings?: SweepRecord['findings'] };

export interface SweepListQuery {
  cursor?: string;
  limit: number;
  /** Only this account's findings (and errors, for one sweep). */
  accountId?: string;
}

const ofAccount = <T extends { accountId: string }>(items: T[], accountId: string | undefined): T[] =>
  accountId === undefined ? items : items.filter((i) => i.accountId === accountId);

/** Finished sweeps, newest first, paginated: `GET /v1/drift/sweeps` (platform and auditor). */
export async function listSweeps(
  deps: { store: DocumentStore },
  principal: Principal,
  query: SweepListQuery,
): Promise<Page<SweepListItem>> {
  requireRole(principal, DRIFT_READERS, 'read drift sweeps');
  const page = await deps.store.listDocuments(DRIFT_HISTORY_KIND.kind, {
    limit: query.limit,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  });
  const items = page.items.map((doc): SweepListItem => {
    const { sweep } = HistoryDocumentSchema.parse(doc.body);
    const summary = summaryOf(sweep);
    return query.accountId === undefined
      ? summary
      : { ...summary, findings: ofAccount(sweep.findings, query.accountId) };
  });
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/**
 * One sweep with its stored findings and errors (only `accountId`'s, when given): a finished one
 * from the history, or the one running now. `GET /v1/drift/sweeps/{id}` (platform and auditor).
 */
export async function getSweep(
  deps: { store: DocumentStore },
  principal: Principal,
  id: string,
  accountId?: string,
): Promise<SweepRecord> {
  requireRole(principal, DRIFT_READERS, 'read drift sweeps');
  const key = newestFirstKey(id);
  const archived = key ? (await readDocument(deps.store, DRIFT_HISTORY_KIND, key)).body : undefined;
  let sweep = archived?.sweep;
  if (!sweep && key) {
    const { body } = await readDocument(deps.store, DRIFT_KIND, DRIFT_DOCUMENT_ID);
    if (body.sweep?.id === id) sweep = recordOf(body.sweep);
  }
  if (!sweep) throw new NotFoundError(`drift sweep ${id}`);
  return {
    ...sweep,
    findings: ofAccount(sweep.findings, accountId),
    errors: ofAccount(sweep.errors, accountId),
  };
}
