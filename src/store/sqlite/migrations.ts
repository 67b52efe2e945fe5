import type Database from 'better-sqlite3';
import { AvfError } from '../../domain/errors';

export interface Migration {
  /** Becomes `PRAGMA user_version` once applied; numbered from 1 without gaps. */
  version: number;
  description: string;
  sql: string;
}

/**
 * The schema, as an append-only list: never edit a released migration, add the next one. The
 * record itself is stored as JSON (it carries its own `schemaVersion`); the columns beside it are
 * copies of the fields the store filters, sorts and locks on.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'requests and tokens',
    sql: `
      CREATE TABLE requests (
        id            TEXT PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,
        status        TEXT NOT NULL,
        phase         TEXT NOT NULL,
        team          TEXT NOT NULL,
        account_id    TEXT,
        created_at    TEXT NOT NULL,
        next_check_at TEXT NOT NULL,
        lease_owner   TEXT,
        lease_until   TEXT,
        version       INTEGER NOT NULL,
        record        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX requests_by_created ON requests (created_at DESC, id DESC);
      CREATE INDEX requests_by_status ON requests (status, created_at DESC, id DESC);
      CREATE INDEX requests_by_team ON requests (team, created_at DESC, id DESC);
      CREATE INDEX requests_due ON requests (status, next_check_at);
      CREATE INDEX requests_by_phase ON requests (phase, status);
      CREATE INDEX requests_by_account ON requests (account_id);

      CREATE TABLE tokens (
        hash       TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        team       TEXT,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'idempotency keys',
    sql: `
      CREATE TABLE idempotency_keys (
        scope      TEXT NOT NULL,
        key        TEXT NOT NULL,
        body_hash  TEXT NOT NULL,
        request_id TEXT NOT NULL REFERENCES requests (id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
      ) STRICT;
      CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
    `,
  },
  {
    version: 3,
    description: 'audit log',
    sql: `
      CREATE TABLE audit_log (
        id    TEXT PRIMARY KEY,
        at    TEXT NOT NULL,
        entry TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
    `,
  },
  {
    version: 4,
    description: 'coordination documents (limiters, baseline batches, rollouts)',
    sql: `
      CREATE TABLE documents (
        kind       TEXT NOT NULL,
        id         TEXT NOT NULL,
        version    INTEGER NOT NULL,
        body       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT;
    `,
  },
  {
    version: 5,
    description: 'jobs (closures, redeploys, rollouts, drift sweeps, deliveries, account changes)',
    sql: `
      CREATE TABLE jobs (
        kind          TEXT NOT NULL,
        id            TEXT NOT NULL,
        version       INTEGER NOT NULL,
        next_check_at TEXT,
        lease_until   TEXT,
        grp           TEXT,
        job           TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT;
      CREATE INDEX jobs_due ON jobs (kind, next_check_at) WHERE next_check_at IS NOT NULL;
    `,
  },
  {
    version: 6,
    description: 'token expiry, last use and unique names',
    // Names made unique first: a duplicate keeps its name with the start of its hash appended.
    sql: `
      ALTER TABLE tokens ADD COLUMN expires_at TEXT;
      ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
      UPDATE tokens SET name = name || '-' || substr(hash, 1, 8)
        WHERE rowid NOT IN (SELECT min(rowid) FROM tokens GROUP BY name);
      CREATE UNIQUE INDEX tokens_by_name ON tokens (name);
    `,
  },
  {
    version: 7,
    description: 'audit retention',
    sql: `
      ALTER TABLE audit_log ADD COLUMN expires_at TEXT;
      CREATE INDEX audit_log_by_expiry ON audit_log (expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to date. Runs in one IMMEDIATE transaction so that several processes
 * opening the same file at once apply each migration exactly once; the version is re-read after
 * the write lock is held. Returns the migrations this call applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  const apply = db.transaction((): Migration[] => {
    const current = userVersion(db);
    if (current > migrations.length) {
      throw new AvfError(
        'STORE_SCHEMA_TOO_NEW',
        `the store has schema version ${current} but this build knows only up to ${migrations.length}; upgrade avf`,
      );
    }
    const pending = migrations.filter((m) => m.version > current);
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    return pending;
  });
  return apply.immediate();
}
