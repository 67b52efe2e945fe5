import type Database from 'better-sqlite3';
import type { StoredDocument } from '../../domain/ports/document-store';
import type { Page } from '../../domain/ports/request-store';
import { decodeDocumentCursor, documentPage, nextDocument, pageSize, staleDocument } from '../store-rules';

interface DocumentRow {
  kind: string;
  id: string;
  version: number;
  body: string;
  updated_at: string;
}

const documentOf = (row: DocumentRow): StoredDocument => ({
  kind: row.kind,
  id: row.id,
  version: row.version,
  body: JSON.parse(row.body) as unknown,
  updatedAt: row.updated_at,
});

export function getDocument(db: Database.Database, kind: string, id: string): StoredDocument | undefined {
  const row = db
    .prepare<[string, string], DocumentRow>('SELECT * FROM documents WHERE kind = ? AND id = ?')
    .get(kind, id);
  return row ? documentOf(row) : undefined;
}

/** Inserts version 1 or updates the expected version; a lost race changes no row. */
export function putDocument(
  db: Database.Database,
  kind: string,
  id: string,
  body: unknown,
  expectedVersion: number,
  now: Date,
): StoredDocument {
  const doc = nextDocument(kind, id, body, expectedVersion, now);
  const row = { kind, id, version: doc.version, body: JSON.stringify(doc.body), updated_at: doc.updatedAt };
  const changes =
    expectedVersion === 0
      ? db
          .prepare<DocumentRow>(
            `INSERT INTO documents (kind, id, version, body, updated_at) VALUES (@kind, @id, @version, @body, @updated_at)
             ON CONFLICT (kind, id) DO NOTHING`,
          )
          .run(row).changes
      : db
          .prepare<DocumentRow & { expected: number }>(
            `UPDATE documents SET version = @version, body = @body, updated_at = @updated_at
             WHERE kind = @kind AND id = @id AND version = @expected`,
          )
          .run({ ...row, expected: expectedVersion }).changes;
  if (changes !== 1) throw staleDocument(kind, id);
  return doc;
}

export function listDocuments(
  db: Database.Database,
  kind: string,
  query: { cursor?: string; limit: number },
): Page<StoredDocument> {
  const limit = pageSize(query.limit);
  const after = query.cursor === undefined ? '' : decodeDocumentCursor(query.cursor);
  const rows = db
    .prepare<[string, string, number], DocumentRow>(
      'SELECT * FROM documents WHERE kind = ? AND id > ? ORDER BY id LIMIT ?',
    )
    .all(kind, after, limit + 1)
    .map(documentOf);
  return documentPage(rows, limit);
}

/** A count over the primary key's range; with a limit, of its first `limit` keys only. */
export function countDocuments(
  db: Database.Database,
  kind: string,
  query: { below?: string; limit?: number },
): number {
  const where = query.below === undefined ? 'kind = ?' : 'kind = ? AND id < ?';
  const params: Array<string | number> = [kind, ...(query.below === undefined ? [] : [query.below])];
  const sql =
    query.limit === undefined
      ? `SELECT COUNT(*) AS n FROM documents WHERE ${where}`
      : `SELECT COUNT(*) AS n FROM (SELECT 1 FROM documents WHERE ${where} LIMIT ?)`;
  if (query.limit !== undefined) params.push(Math.max(0, Math.floor(query.limit)));
  return db.prepare<Array<string | number>, { n: number }>(sql).get(...params)?.n ?? 0;
}

/** Deletes the row at the expected version; a changed or missing row is a lost race. */
export function deleteDocument(
  db: Database.Database,
  kind: string,
  id: string,
  expectedVersion: number,
): void {
  const changes = db
    .prepare<[string, string, number]>('DELETE FROM documents WHERE kind = ? AND id = ? AND version = ?')
    .run(kind, id, expectedVersion).changes;
  if (changes !== 1) throw staleDocument(kind, id);
}
