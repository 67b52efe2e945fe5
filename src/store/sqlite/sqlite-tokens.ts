import type Database from 'better-sqlite3';
import type { StoredToken } from '../../domain/ports/request-store';
import { tokenNameInUse } from '../token-rules';

interface TokenRow {
  hash: string;
  role: StoredToken['role'];
  team: string | null;
  name: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** Inserts or replaces (by hash); the unique name index refuses a name another token holds. */
export function putToken(db: Database.Database, token: StoredToken): void {
  try {
    db.prepare<TokenRow>(
      `INSERT INTO tokens (hash, role, team, name, created_at, expires_at, last_used_at)
       VALUES (@hash, @role, @team, @name, @created_at, @expires_at, @last_used_at)
       ON CONFLICT (hash) DO UPDATE SET role = excluded.role, team = excluded.team, name = excluded.name,
         created_at = excluded.created_at, expires_at = excluded.expires_at, last_used_at = excluded.last_used_at`,
    ).run({
      hash: token.hash,
      role: token.role,
      team: token.team ?? null,
      name: token.name,
      created_at: token.createdAt,
      expires_at: token.expiresAt ?? null,
      last_used_at: token.lastUsedAt ?? null,
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw tokenNameInUse(token.name);
    throw err;
  }
}

export function findToken(db: Database.Database, hash: string): StoredToken | undefined {
  const row = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ?').get(hash);
  return row ? tokenOf(row) : undefined;
}

export function listTokens(db: Database.Database): StoredToken[] {
  return db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, hash').all().map(tokenOf);
}

export function deleteToken(db: Database.Database, hash: string): boolean {
  return db.prepare<[string]>('DELETE FROM tokens WHERE hash = ?').run(hash).changes === 1;
}

export function touchToken(db: Database.Database, hash: string, at: string): void {
  db.prepare<[string, string]>('UPDATE tokens SET last_used_at = ? WHERE hash = ?').run(at, hash);
}

function tokenOf(row: TokenRow): StoredToken {
  return {
    hash: row.hash,
    role: row.role,
    ...(row.team === null ? {} : { team: row.team }),
    name: row.name,
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
  };
}
