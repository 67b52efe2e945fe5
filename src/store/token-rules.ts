import { ConflictError } from '../domain/errors';
import type { StoredToken } from '../domain/ports/request-store';

/** Another token holds the name: names are how people tell tokens apart, so they are unique. */
export function tokenNameInUse(name: string): ConflictError {
  return new ConflictError(
    'TOKEN_NAME_IN_USE',
    `a token named "${name}" exists already; choose another --name or revoke that one first`,
  );
}

/** Oldest first, ties by hash: the order every adapter lists tokens in. */
export function oldestTokenFirst(a: StoredToken, b: StoredToken): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0;
}
