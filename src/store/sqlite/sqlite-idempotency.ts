import type Database from 'better-sqlite3';
import type { RequestRecord } from '../../domain/account-request';
import type { IdempotencyKey, IdempotentCreate } from '../../domain/ports/request-store';
import { missingKeyTarget } from '../store-rules';
import { insertRecord, readRecord } from './record-rows';

interface KeyRow {
  scope: string;
  key: string;
  body_hash: string;
  request_id: string;
  created_at: string;
  expires_at: string;
}

const toKey = (row: KeyRow): IdempotencyKey => ({
  scope: row.scope,
  key: row.key,
  bodyHash: row.body_hash,
  requestId: row.request_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export function findIdempotencyKey(
  db: Database.Database,
  scope: string,
  key: string,
  now: Date,
): IdempotencyKey | undefined {
  const row = db
    .prepare<[string, string, string], KeyRow>(
      'SELECT * FROM idempotency_keys WHERE scope = ? AND key = ? AND expires_at > ?',
    )
    .get(scope, key, now.toISOString());
  return row ? toKey(row) : undefined;
}

/**
 * The key claim and the request insert in one IMMEDIATE transaction: the write lock is held from
 * the key lookup on, so two processes posting the same key create one request.
 */
export function createWithIdempotencyKey(
  db: Database.Database,
  record: RequestRecord,
  key: Omit<IdempotencyKey, 'requestId'>,
  now: Date,
): IdempotentCreate {
  const claim = db.transaction((): IdempotentCreate => {
    db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?').run(now.toISOString());
    const held = findIdempotencyKey(db, key.scope, key.key, now);
    if (held) {
      if (held.bodyHash !== key.bodyHash) return { outcome: 'key-reused', held };
      const existing = readRecord(db, 'SELECT record FROM requests WHERE id = ?', held.requestId);
      if (!existing) throw missingKeyTarget(held);
      return { outcome: 'replayed', record: existing };
    }
    const created = insertRecord(db, record);
    db.prepare<KeyRow>(
      `INSERT INTO idempotency_keys (scope, key, body_hash, request_id, created_at, expires_at)
       VALUES (@scope, @key, @body_hash, @request_id, @created_at, @expires_at)`,
    ).run({
      scope: key.scope,
      key: key.key,
      body_hash: key.bodyHash,
      request_id: created.id,
      created_at: key.createdAt,
      expires_at: key.expiresAt,
    });
    return { outcome: 'created', record: created };
  });
  return claim.immediate();
}
