import Database from 'better-sqlite3';
import {
  normaliseEmail,
  RequestRecordSchema,
  type RequestRecord,
  type RequestStatus,
} from '../../domain/account-request';
import { StaleRecordError } from '../../domain/errors';
import type {
  AuditEntry,
  AuditLogStore,
  ClaimOptions,
  IdempotencyKey,
  IdempotencyStore,
  IdempotentCreate,
  ListQuery,
  Page,
  RequestStore,
  RequestVersion,
  StoredToken,
  TokenStore,
} from '../../domain/ports/request-store';
import {
  CLAIMABLE_STATUSES,
  decodeCursor,
  leaseUntil,
  pageOf,
  pageSize,
  requestPosition,
  settle,
} from '../store-rules';
import { migrate } from './migrations';
import { storeUnavailable } from '../store-errors';
import { cacheStatements } from './statement-cache';
import {
  columnsOf,
  conflictOr,
  insertRecord,
  parseRow,
  readRecord,
  type RecordColumns,
  type RecordRow,
} from './record-rows';
import { appendAudit, listAudit } from './sqlite-audit';
import type { HasJobs } from '../../domain/ports/job-store';
import { SqliteJobs } from './sqlite-jobs';
import { countDocuments, deleteDocument, getDocument, listDocuments, putDocument } from './sqlite-documents';
import type { DocumentStore, StoredDocument } from '../../domain/ports/document-store';
import { createWithIdempotencyKey, findIdempotencyKey } from './sqlite-idempotency';
import { deleteToken, findToken, listTokens, putToken, touchToken } from './sqlite-tokens';
import type { StoreWriteListener, StoreWrites } from '../../domain/ports/store-writes';
import { WriteSignal } from '../write-signal';

export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock before failing. Default: 5000 ms. */
  busyTimeoutMs?: number;
}

const CLAIMABLE = CLAIMABLE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The embedded store: one SQLite file, shared safely by several processes (WAL, busy timeout,
 * every write conditional on `version`). Records are validated against RequestRecordSchema when
 * written and when read.
 */
export class SqliteStore
  implements RequestStore, TokenStore, IdempotencyStore, AuditLogStore, DocumentStore, HasJobs, StoreWrites
{
  private readonly db: Database.Database;
  readonly jobs: SqliteJobs;
  private readonly writes = new WriteSignal();

  constructor(
    private readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.db = new Database(path);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma('journal_mode = WAL');
    // FULL: a request acknowledged with 202 survives a power loss too (NORMAL in WAL mode may lose
    // the last commits); its cost is measured by scripts/store-write-bench.ts.
    this.db.pragma('synchronous = FULL');
    migrate(this.db);
    cacheStatements(this.db);
    this.jobs = new SqliteJobs(this.db);
  }

  create(record: RequestRecord): Promise<RequestRecord> {
    return this.guard(() => insertRecord(this.db, record));
  }

  get(id: string): Promise<RequestRecord | undefined> {
    return this.guard(() => readRecord(this.db, 'SELECT record FROM requests WHERE id = ?', id));
  }

  getVersion(id: string): Promise<RequestVersion | undefined> {
    return this.guard(() =>
      this.db.prepare<[string], RequestVersion>('SELECT team, version FROM requests WHERE id = ?').get(id),
    );
  }

  findByEmail(email: string): Promise<RequestRecord | undefined> {
    return this.guard(() =>
      readRecord(this.db, 'SELECT record FROM requests WHERE email = ?', normaliseEmail(email)),
    );
  }

  findByAccountId(accountId: string): Promise<RequestRecord | undefined> {
    return this.guard(() =>
      readRecord(this.db, 'SELECT record FROM requests WHERE account_id = ?', accountId),
    );
  }

  list(query: ListQuery): Promise<Page<RequestRecord>> {
    return this.guard(() => {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit: pageSize(query.limit) + 1 };
      if (query.status !== undefined) {
        where.push('status = @status');
        params.status = query.status;
      }
      if (query.team !== undefined) {
        where.push('team = @team');
        params.team = query.team;
      }
      if (query.cursor !== undefined) {
        const position = decodeCursor(query.cursor);
        where.push('(created_at < @cursor_created OR (created_at = @cursor_created AND id < @cursor_id))');
        params.cursor_created = position.createdAt;
        params.cursor_id = position.id;
      }
      const rows = this.db
        .prepare<Record<string, string | number>, RecordRow>(
          `SELECT record FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY created_at DESC, id DESC LIMIT @limit`,
        )
        .all(params);
      return pageOf(rows, pageSize(query.limit), parseRow, requestPosition);
    });
  }

  countByStatus(status: RequestStatus): Promise<number> {
    return this.guard(
      () =>
        this.db
          .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM requests WHERE status = ?')
          .get(status)?.n ?? 0,
    );
  }

  claimDue(options: ClaimOptions): Promise<RequestRecord[]> {
    const now = options.now.toISOString();
    const until = leaseUntil(options.now, options.leaseMs);
    const excluded = options.excludeIds ?? [];
    const claim = (): RequestRecord[] => {
      const due = this.db
        .prepare<unknown[], RecordRow>(
          `SELECT record FROM requests
           WHERE status IN (${CLAIMABLE}) AND next_check_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
             ${excluded.length ? `AND id NOT IN (${excluded.map(() => '?').join(', ')})` : ''}
           ORDER BY next_check_at, id LIMIT ?`,
        )
        .all(now, now, ...excluded, Math.max(0, options.limit))
        .map(parseRow);
      return due.flatMap((record) => {
        const leased = {
          ...record,
          leaseOwner: options.owner,
          leaseUntil: until,
          version: record.version + 1,
        };
        return this.updateIfVersion(leased, record.version) ? [leased] : [];
      });
    };
    // IMMEDIATE takes the write lock before the SELECT, so no other process can lease the same rows;
    // most claims find nothing due, and a look without the lock answers those.
    return this.guard(() => (this.mayBeDue(now) ? this.db.transaction(claim).immediate() : [])).then(
      (claimed) => {
        for (const record of claimed) this.writes.tell({ request: record.id });
        return claimed;
      },
    );
  }

  anyDue(at: Date): Promise<boolean> {
    return this.guard(() => this.mayBeDue(at.toISOString()));
  }

  /**
   * Whether a request may be due: one index seek, outside any transaction, so a claim that finds
   * nothing takes no write lock (each worker claims every tick).
   */
  private mayBeDue(now: string): boolean {
    return (
      this.db
        .prepare<[string, string], { due: number }>(
          `SELECT 1 AS due FROM requests
           WHERE status IN (${CLAIMABLE}) AND next_check_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           LIMIT 1`,
        )
        .get(now, now) !== undefined
    );
  }

  save(record: RequestRecord): Promise<RequestRecord> {
    const write = this.guard(() => {
      const stored = RequestRecordSchema.parse({ ...record, version: record.version + 1 });
      let written: boolean;
      try {
        written = this.updateIfVersion(stored, record.version);
      } catch (err) {
        throw conflictOr(this.db, err, stored);
      }
      if (!written) throw new StaleRecordError(record.id);
      return stored;
    });
    return this.writes.after({ request: record.id }, write);
  }

  putToken(token: StoredToken): Promise<void> {
    return this.guard(() => putToken(this.db, token));
  }

  findToken(hash: string): Promise<StoredToken | undefined> {
    return this.guard(() => findToken(this.db, hash));
  }

  listTokens(): Promise<StoredToken[]> {
    return this.guard(() => listTokens(this.db));
  }

  deleteToken(hash: string): Promise<boolean> {
    return this.guard(() => deleteToken(this.db, hash));
  }

  touchToken(hash: string, at: string): Promise<void> {
    return this.guard(() => touchToken(this.db, hash, at));
  }

  findIdempotencyKey(scope: string, key: string, now: Date): Promise<IdempotencyKey | undefined> {
    return this.guard(() => findIdempotencyKey(this.db, scope, key, now));
  }

  createWithIdempotencyKey(
    record: RequestRecord,
    key: Omit<IdempotencyKey, 'requestId'>,
    now: Date,
  ): Promise<IdempotentCreate> {
    return this.guard(() => createWithIdempotencyKey(this.db, record, key, now));
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.guard(() => appendAudit(this.db, entry));
  }

  listAudit(query: { cursor?: string; limit: number }): Promise<Page<AuditEntry>> {
    return this.guard(() => listAudit(this.db, query));
  }

  getDocument(kind: string, id: string): Promise<StoredDocument | undefined> {
    return this.guard(() => getDocument(this.db, kind, id));
  }

  putDocument(
    kind: string,
    id: string,
    body: unknown,
    expectedVersion: number,
    now: Date,
  ): Promise<StoredDocument> {
    return this.writes.after(
      { documentKind: kind, id },
      this.guard(() => putDocument(this.db, kind, id, body, expectedVersion, now)),
    );
  }

  listDocuments(kind: string, query: { cursor?: string; limit: number }): Promise<Page<StoredDocument>> {
    return this.guard(() => listDocuments(this.db, kind, query));
  }

  countDocuments(kind: string, query: { below?: string; limit?: number } = {}): Promise<number> {
    return this.guard(() => countDocuments(this.db, kind, query));
  }

  deleteDocument(kind: string, id: string, expectedVersion: number): Promise<void> {
    return this.writes.after(
      { documentKind: kind, id },
      this.guard(() => deleteDocument(this.db, kind, id, expectedVersion)),
    );
  }

  onWrite(listener: StoreWriteListener): () => void {
    return this.writes.onWrite(listener);
  }

  close(): Promise<void> {
    return this.guard(() => {
      if (this.db.open) this.db.close();
    });
  }

  /** Runs store work; a file that cannot be written (full, read-only…) fails naming the path and why. */
  private guard<T>(work: () => T): Promise<T> {
    return settle(work).catch((err: unknown) => Promise.reject(storeUnavailable(this.path, err)));
  }

  /** Writes `record` if the stored version is still `expectedVersion`; false if it was not. */
  private updateIfVersion(record: RequestRecord, expectedVersion: number): boolean {
    const result = this.db
      .prepare<RecordColumns & { expected: number }>(
        `UPDATE requests SET email = @email, status = @status, phase = @phase, team = @team, account_id = @account_id, created_at = @created_at,
           next_check_at = @next_check_at, lease_owner = @lease_owner, lease_until = @lease_until, version = @version,
           record = @record
         WHERE id = @id AND version = @expected`,
      )
      .run({ ...columnsOf(record), expected: expectedVersion });
    return result.changes === 1;
  }
}
