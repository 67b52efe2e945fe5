import Database from 'better-sqlite3';
import { normaliseEmail, RequestRecordSchema, type RequestRecord } from '../../domain/account-request';
import { AvfError, StaleRecordError } from '../../domain/errors';
import type {
  ClaimOptions,
  ListQuery,
  Page,
  RequestStore,
  StoredToken,
  TokenStore,
} from '../../domain/ports/request-store';
import {
  CLAIMABLE_STATUSES,
  decodeCursor,
  emailInUse,
  idInUse,
  leaseUntil,
  pageOf,
  pageSize,
  settle,
} from '../store-rules';
import { migrate } from './migrations';

export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock before failing. Default: 5000 ms. */
  busyTimeoutMs?: number;
}

interface RecordRow {
  record: string;
}

interface TokenRow {
  hash: string;
  role: StoredToken['role'];
  team: string | null;
  name: string;
  created_at: string;
}

/** The column values written for a record; the named parameters of INSERT and UPDATE. */
interface RecordColumns {
  id: string;
  email: string;
  status: string;
  phase: string;
  team: string;
  account_id: string | null;
  created_at: string;
  next_check_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  version: number;
  record: string;
}

const CLAIMABLE = CLAIMABLE_STATUSES.map((s) => `'${s}'`).join(', ');
/** JSON paths of the handles `countActive` may filter on. */
const HANDLE_PATHS = { createAccountIntentAt: '$.handles.createAccountIntentAt' } as const;

/**
 * The embedded store: one SQLite file, shared safely by several processes (WAL, busy timeout,
 * every write conditional on `version`). Records are validated against RequestRecordSchema when
 * written and when read.
 */
export class SqliteStore implements RequestStore, TokenStore {
  private readonly db: Database.Database;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.db = new Database(path);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    migrate(this.db);
  }

  create(record: RequestRecord): Promise<RequestRecord> {
    return settle(() => {
      const stored = RequestRecordSchema.parse({ ...record, version: 1 });
      try {
        this.db
          .prepare<RecordColumns>(
            `INSERT INTO requests (id, email, status, phase, team, account_id, created_at, next_check_at, lease_owner, lease_until, version, record)
             VALUES (@id, @email, @status, @phase, @team, @account_id, @created_at, @next_check_at, @lease_owner, @lease_until, @version, @record)`,
          )
          .run(columnsOf(stored));
      } catch (err) {
        throw this.conflictOr(err, stored);
      }
      return stored;
    });
  }

  get(id: string): Promise<RequestRecord | undefined> {
    return settle(() => this.readOne('SELECT record FROM requests WHERE id = ?', id));
  }

  findByEmail(email: string): Promise<RequestRecord | undefined> {
    return settle(() => this.readOne('SELECT record FROM requests WHERE email = ?', normaliseEmail(email)));
  }

  findByAccountId(accountId: string): Promise<RequestRecord | undefined> {
    return settle(() => this.readOne('SELECT record FROM requests WHERE account_id = ?', accountId));
  }

  list(query: ListQuery): Promise<Page<RequestRecord>> {
    return settle(() => {
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
      return pageOf(rows, pageSize(query.limit), parseRow);
    });
  }

  claimDue(options: ClaimOptions): Promise<RequestRecord[]> {
    const now = options.now.toISOString();
    const until = leaseUntil(options.now, options.leaseMs);
    const claim = this.db.transaction((): RequestRecord[] => {
      const due = this.db
        .prepare<[string, string, number], RecordRow>(
          `SELECT record FROM requests
           WHERE status IN (${CLAIMABLE}) AND next_check_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY next_check_at, id LIMIT ?`,
        )
        .all(now, now, Math.max(0, options.limit))
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
    });
    // IMMEDIATE takes the write lock before the SELECT, so no other process can lease the same rows.
    return settle(() => claim.immediate());
  }

  save(record: RequestRecord): Promise<RequestRecord> {
    return settle(() => {
      const stored = RequestRecordSchema.parse({ ...record, version: record.version + 1 });
      let written: boolean;
      try {
        written = this.updateIfVersion(stored, record.version);
      } catch (err) {
        throw this.conflictOr(err, stored);
      }
      if (!written) throw new StaleRecordError(record.id);
      return stored;
    });
  }

  countActive(filter: {
    phase: RequestRecord['phase'];
    withHandle: 'createAccountIntentAt';
  }): Promise<number> {
    return settle(() => {
      const row = this.db
        .prepare<[string, string], { n: number }>(
          `SELECT count(*) AS n FROM requests
           WHERE phase = ? AND status = 'IN_PROGRESS' AND json_extract(record, ?) IS NOT NULL`,
        )
        .get(filter.phase, HANDLE_PATHS[filter.withHandle]);
      return row?.n ?? 0;
    });
  }

  putToken(token: StoredToken): Promise<void> {
    return settle(() => {
      this.db
        .prepare<TokenRow>(
          `INSERT INTO tokens (hash, role, team, name, created_at) VALUES (@hash, @role, @team, @name, @created_at)
           ON CONFLICT (hash) DO UPDATE SET role = excluded.role, team = excluded.team, name = excluded.name,
             created_at = excluded.created_at`,
        )
        .run({
          hash: token.hash,
          role: token.role,
          team: token.team ?? null,
          name: token.name,
          created_at: token.createdAt,
        });
    });
  }

  findToken(hash: string): Promise<StoredToken | undefined> {
    return settle(() => {
      const row = this.db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ?').get(hash);
      if (!row) return undefined;
      const token: StoredToken = {
        hash: row.hash,
        role: row.role,
        name: row.name,
        createdAt: row.created_at,
      };
      if (row.team !== null) token.team = row.team;
      return token;
    });
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.db.open) this.db.close();
    });
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

  private readOne(sql: string, param: string): RequestRecord | undefined {
    const row = this.db.prepare<[string], RecordRow>(sql).get(param);
    return row ? parseRow(row) : undefined;
  }

  /** Turns a unique-constraint failure into the ConflictError the port promises. */
  private conflictOr(err: unknown, record: RequestRecord): unknown {
    if (!(err instanceof Database.SqliteError)) return err;
    if (err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return idInUse(record.id);
    if (err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
      const holder = this.readOne(
        'SELECT record FROM requests WHERE email = ?',
        normaliseEmail(record.spec.email),
      );
      return emailInUse(record.spec.email, holder?.id ?? 'unknown');
    }
    return err;
  }
}

function columnsOf(record: RequestRecord): RecordColumns {
  return {
    id: record.id,
    email: normaliseEmail(record.spec.email),
    status: record.status,
    phase: record.phase,
    team: record.team,
    account_id: record.accountId ?? null,
    created_at: record.createdAt,
    next_check_at: record.nextCheckAt,
    lease_owner: record.leaseOwner ?? null,
    lease_until: record.leaseUntil ?? null,
    version: record.version,
    record: JSON.stringify(record),
  };
}

function parseRow(row: RecordRow): RequestRecord {
  const parsed = RequestRecordSchema.safeParse(JSON.parse(row.record));
  if (!parsed.success) {
    throw new AvfError(
      'STORE_RECORD_INVALID',
      `a stored request does not match the record schema: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
