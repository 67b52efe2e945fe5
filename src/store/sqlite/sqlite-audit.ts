import type Database from 'better-sqlite3';
import { AuditEntrySchema, type AuditEntry, type Page } from '../../domain/ports/request-store';
import { auditPosition, decodeCursor, pageOf, pageSize } from '../store-rules';
import { parseStored } from './record-rows';

interface EntryRow {
  entry: string;
}

/** Appends the entry and deletes those whose retention ended by its time, in one transaction. */
export function appendAudit(db: Database.Database, entry: AuditEntry): void {
  const stored = AuditEntrySchema.parse(entry);
  db.transaction(() => {
    db.prepare<[string, string, string, string | null]>(
      'INSERT INTO audit_log (id, at, entry, expires_at) VALUES (?, ?, ?, ?)',
    ).run(stored.id, stored.at, JSON.stringify(stored), stored.expiresAt ?? null);
    db.prepare<[string]>('DELETE FROM audit_log WHERE expires_at IS NOT NULL AND expires_at <= ?').run(
      stored.at,
    );
  })();
}

export function listAudit(
  db: Database.Database,
  query: { cursor?: string; limit: number },
): Page<AuditEntry> {
  const limit = pageSize(query.limit);
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = position
    ? db
        .prepare<[string, string, string, number], EntryRow>(
          `SELECT entry FROM audit_log WHERE at < ? OR (at = ? AND id < ?)
           ORDER BY at DESC, id DESC LIMIT ?`,
        )
        .all(position.createdAt, position.createdAt, position.id, limit + 1)
    : db
        .prepare<[number], EntryRow>('SELECT entry FROM audit_log ORDER BY at DESC, id DESC LIMIT ?')
        .all(limit + 1);
  return pageOf(rows, limit, parseEntry, auditPosition);
}

function parseEntry(row: EntryRow): AuditEntry {
  return parseStored(AuditEntrySchema, row.entry, 'audit entry');
}
