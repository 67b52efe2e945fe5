import { AvfError, StoreUnavailableError } from '../domain/errors';

/** Why a SQLite file could not be opened or written, in words, from the error code. */
const CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  SQLITE_READONLY: 'the file or its directory is read-only',
  SQLITE_CANTOPEN: 'the file cannot be opened or created (missing directory or no permission)',
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'an I/O error (the disk may be full or failing)',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is damaged',
};

/**
 * A store that cannot be opened or written: names the path and the cause (no stack trace from
 * the CLI), and nothing was stored. Errors that are not about the file pass through unchanged.
 */
export function storeUnavailable(path: string, err: unknown): Error {
  const raw = (err as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : '';
  const cause = CAUSES[code] ?? CAUSES[code.replace(/_[A-Z_]+$/, '')];
  if (err instanceof AvfError || cause === undefined) return err as Error;
  return new StoreUnavailableError(path, cause, code);
}
