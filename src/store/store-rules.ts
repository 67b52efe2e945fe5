import type { RequestRecord } from '../domain/account-request';
import type { AuditEntry, IdempotencyKey, Page } from '../domain/ports/request-store';
import { AvfError, ConflictError, StaleRecordError, ValidationError } from '../domain/errors';
import type { StoredDocument } from '../domain/ports/document-store';

/** The largest page any adapter returns, whatever the caller asks for. */
export const MAX_PAGE_SIZE = 100;

/** Statuses the reconciler works on; everything else is waiting for a person or finished. */
export const CLAIMABLE_STATUSES = ['QUEUED', 'IN_PROGRESS'] as const;

export function pageSize(limit: number): number {
  if (!Number.isFinite(limit) || limit < 1) return 1;
  return Math.min(Math.floor(limit), MAX_PAGE_SIZE);
}

/** Where a page ends: the last item's sort key. Lists are ordered by (createdAt, id) descending. */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

/** Where a request sorts: lists are ordered by (createdAt, id). */
export const requestPosition = (record: RequestRecord): CursorPosition => ({
  createdAt: record.createdAt,
  id: record.id,
});

/** Where an audit entry sorts: the log is ordered by (at, id). */
export const auditPosition = (entry: AuditEntry): CursorPosition => ({ createdAt: entry.at, id: entry.id });

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [createdAt, id] = parsed as unknown[];
      if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
    }
  } catch {
    // fall through to the error below: a cursor is opaque, any damage means "not one of ours"
  }
  throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by a previous page' }]);
}

/** True when `item` sorts after the cursor position in newest-first order. */
export function isAfterCursor(item: CursorPosition, position: CursorPosition): boolean {
  return (
    item.createdAt < position.createdAt || (item.createdAt === position.createdAt && item.id < position.id)
  );
}

/** Newest first; ties broken by id so the order (and the cursor) is total. */
export function newestFirst(a: CursorPosition, b: CursorPosition): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Builds a page from rows in list order, fetched with at least one row more than `limit` when
 * more exist: the extra row only tells that there is a next page.
 */
export function pageOf<Row>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => RequestRecord,
): Page<RequestRecord>;
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (item: Item) => CursorPosition,
): Page<Item>;
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf?: (item: Item) => CursorPosition,
): Page<Item> {
  const items = rows.slice(0, limit).map(toItem);
  const last = items[items.length - 1];
  if (rows.length <= limit || last === undefined) return { items };
  // Without positionOf the items are requests (the first overload).
  const position = positionOf ? positionOf(last) : requestPosition(last as unknown as RequestRecord);
  return { items, nextCursor: encodeCursor(position) };
}

/** A newest-first page of in-memory items after an optional cursor (the memory adapter's lists). */
export function pageInMemory<Item>(
  items: readonly Item[],
  query: { cursor?: string; limit: number },
  positionOf: (item: Item) => CursorPosition,
): Page<Item> {
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const sorted = items
    .filter((item) => position === undefined || isAfterCursor(positionOf(item), position))
    .sort((a, b) => newestFirst(positionOf(a), positionOf(b)));
  return pageOf(sorted, pageSize(query.limit), (item) => structuredClone(item), positionOf);
}

export function leaseUntil(now: Date, leaseMs: number): string {
  return new Date(now.getTime() + leaseMs).toISOString();
}

/**
 * The store's own refusal of a used email (a race past the intake's check). It names no request:
 * the holder may be another team's.
 */
export function emailInUse(email: string): ConflictError {
  return new ConflictError('EMAIL_IN_USE', `email ${email} is already used by another request`);
}

export function idInUse(id: string): ConflictError {
  return new ConflictError('REQUEST_EXISTS', `a request with id ${id} already exists`);
}

/**
 * Runs synchronous store work behind the port's promise API, so that a thrown error becomes a
 * rejection rather than escaping synchronously from an async-looking call.
 */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    // Errors from a native binding may come from another realm (not `instanceof Error` here).
    const isError = err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err);
    return Promise.reject(isError ? (err as Error) : new AvfError('STORE_FAILED', String(err)));
  }
}

export function idempotencyKeyId(scope: string, key: string): string {
  return JSON.stringify([scope, key]);
}

/** A key names a request that is gone: requests are never deleted, so the store is damaged. */
export function missingKeyTarget(held: IdempotencyKey): AvfError {
  return new AvfError(
    'STORE_IDEMPOTENCY_KEY_ORPHANED',
    `Idempotency-Key ${JSON.stringify(held.key)} names request ${held.requestId}, which is not stored`,
  );
}

/** A page of documents ends at an id; the cursor carries it opaquely. */
export function encodeDocumentCursor(id: string): string {
  return Buffer.from(JSON.stringify(['doc', id]), 'utf8').toString('base64url');
}

export function decodeDocumentCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed[0] === 'doc' && typeof parsed[1] === 'string') return parsed[1];
  } catch {
    // not one of ours: reported below
  }
  throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by a previous page' }]);
}

/** A page of documents from rows fetched in id order with one row more than `limit` when more exist. */
export function documentPage<Row extends { id: string }>(rows: readonly Row[], limit: number): Page<Row> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, nextCursor: encodeDocumentCursor(last.id) } : { items };
}

/** The document as stored: a write conditional on the version it was read at. */
export function nextDocument(
  kind: string,
  id: string,
  body: unknown,
  expectedVersion: number,
  now: Date,
): StoredDocument {
  return {
    kind,
    id,
    version: expectedVersion + 1,
    body: structuredClone(body),
    updatedAt: now.toISOString(),
  };
}

export function staleDocument(kind: string, id: string): StaleRecordError {
  return new StaleRecordError(`${kind}/${id}`, 'document');
}
