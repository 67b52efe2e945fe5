import Database from 'better-sqlite3';
import type { z } from 'zod';
import { normaliseEmail, RequestRecordSchema, type RequestRecord } from '../../domain/account-request';
import { AvfError } from '../../domain/errors';
import { emailInUse, idInUse } from '../store-rules';
import { parseStoredRequest } from '../stored-request-json';

export interface RecordRow {
  record: string;
}

/** The column values written for a record; the named parameters of INSERT and UPDATE. */
export interface RecordColumns {
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

export function columnsOf(record: RequestRecord): RecordColumns {
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

/** Parses stored JSON with its schema; STORE_RECORD_INVALID names what did not match. */
export function parseStored<T>(schema: z.ZodType<T>, json: string, what: string): T {
  const parsed = schema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new AvfError(
      'STORE_RECORD_INVALID',
      `a stored ${what} does not match its schema: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

export function parseRow(row: RecordRow): RequestRecord {
  return parseStoredRequest(row.record);
}

export function readRecord(db: Database.Database, sql: string, param: string): RequestRecord | undefined {
  const row = db.prepare<[string], RecordRow>(sql).get(param);
  return row ? parseRow(row) : undefined;
}

/**
 * The SQLite result code of a better-sqlite3 error. Read structurally, not by `instanceof`: the
 * native binding keeps the SqliteError class of the first module instance that loaded it, so a
 * second instance (jest's per-file module registries) would not recognise its own errors.
 */
function sqliteCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const { code } = err;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Turns a unique-constraint failure into the ConflictError the port promises. */
export function conflictOr(db: Database.Database, err: unknown, record: RequestRecord): unknown {
  const code = sqliteCode(err);
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return idInUse(record.id);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') return emailInUse(record.spec.email);
  return err;
}

/** Validates and inserts a new record at version 1; ConflictError on a used id or email. */
export function insertRecord(db: Database.Database, record: RequestRecord): RequestRecord {
  const stored = RequestRecordSchema.parse({ ...record, version: 1 });
  try {
    db.prepare<RecordColumns>(
      `INSERT INTO requests (id, email, status, phase, team, account_id, created_at, next_check_at, lease_owner, lease_until, version, record)
       VALUES (@id, @email, @status, @phase, @team, @account_id, @created_at, @next_check_at, @lease_owner, @lease_until, @version, @record)`,
    ).run(columnsOf(stored));
  } catch (err) {
    throw conflictOr(db, err, stored);
  }
  return stored;
}
