import { z } from 'zod';
import { NotFoundError } from '../../domain/errors';
import type { StoredToken, TokenStore } from '../../domain/ports/request-store';

/** How long a token is accepted unless created with another expiry. */
export const DEFAULT_TOKEN_DAYS = 90;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** When a token stops being accepted; one stored before expiry existed expires 90 days after creation. */
export function tokenExpiry(token: StoredToken): string {
  return token.expiresAt ?? new Date(Date.parse(token.createdAt) + DEFAULT_TOKEN_DAYS * DAY_MS).toISOString();
}

/**
 * A token's public id: `tok_` and the first 16 hex digits of its hash. Safe to show (the hash of
 * 32 random bytes gives nothing of the token away) and stable without being stored.
 */
export function tokenId(token: Pick<StoredToken, 'hash'>): string {
  return `tok_${token.hash.slice(0, 16)}`;
}

/** What `GET /v1/tokens` and `avf token list` show of a token: never its hash. */
export const TokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['requester', 'platform', 'finance', 'auditor']),
  team: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().optional(),
  expired: z.boolean(),
});
export type TokenView = z.infer<typeof TokenViewSchema>;

export function tokenView(token: StoredToken, now: Date): TokenView {
  const expiresAt = tokenExpiry(token);
  return {
    id: tokenId(token),
    name: token.name,
    role: token.role,
    ...(token.team === undefined ? {} : { team: token.team }),
    createdAt: token.createdAt,
    expiresAt,
    ...(token.lastUsedAt === undefined ? {} : { lastUsedAt: token.lastUsedAt }),
    expired: expiresAt <= now.toISOString(),
  };
}

/** Every stored token, oldest first (AVF_ADMIN_TOKEN is not stored and not listed). */
export async function listTokenViews(store: TokenStore, now: Date): Promise<TokenView[]> {
  return (await store.listTokens()).map((t) => tokenView(t, now));
}

/**
 * Deletes the token whose id (`tok_…`) or name is `idOrName`; from then on it is refused (401).
 * Returns what it was. Throws NotFoundError when no token has that id or name.
 */
export async function revokeToken(store: TokenStore, idOrName: string, now: Date): Promise<TokenView> {
  const token = (await store.listTokens()).find((t) => tokenId(t) === idOrName || t.name === idOrName);
  if (!token || !(await store.deleteToken(token.hash))) throw new NotFoundError(`token ${idOrName}`);
  return tokenView(token, now);
}
