import type { RequestRecord } from '../domain/account-request';
import type { Page } from '../domain/ports/request-store';
import { AvfError, ConflictError, ValidationError } from '../domain/errors';

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

export function encodeCursor(record: Pick<RequestRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.id]), 'utf8').toString('base64url');
}

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

/** True when `record` sorts after the cursor position in newest-first order. */
export function isAfterCursor(record: RequestRecord, position: CursorPosition): boolean {
  return (
    record.createdAt < position.createdAt ||
    (record.createdAt === position.createdAt && record.id < position.id)
  );
}

/** Newest first; ties broken by id so the order (and the cursor) is total. */
export function newestFirst(a: RequestRecord, b: RequestRecord): number {
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
  toRecord: (row: Row) => RequestRecord,
): Page<RequestRecord> {
  const items = rows.slice(0, limit).map(toRecord);
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
}

export function leaseUntil(now: Date, leaseMs: number): string {
  return new Date(now.getTime() + leaseMs).toISOString();
}

export function emailInUse(email: string, existingId: string): ConflictError {
  return new ConflictError('EMAIL_IN_USE', `email ${email} is already used by request ${existingId}`);
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
    return Promise.reject(err instanceof Error ? err : new AvfError('STORE_FAILED', String(err)));
  }
}
