import { createToken } from '../../../api/auth';
import type { Role } from '../../domain/ports/request-store';
import { listTokenViews, revokeToken, type TokenView } from '../../workflow/intake/tokens';
import { openStore, type Store } from '../../store/open-store';
import { DEFAULT_STORE } from '../../app/runtime';

/** The store named by --store, AVF_STORE or the default, closed after `work`. */
async function withStore<T>(spec: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(spec ?? process.env.AVF_STORE ?? DEFAULT_STORE);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** `avf token create`: prints a new token once; only its hash is stored. */
export function createTokenCommand(options: {
  role: Role;
  team?: string;
  name?: string;
  expiresInDays?: number;
  store?: string;
}): Promise<string> {
  return withStore(options.store, (store) =>
    createToken(store, {
      role: options.role,
      team: options.team,
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.expiresInDays === undefined ? {} : { expiresInDays: options.expiresInDays }),
    }),
  );
}

function tokenLine(t: TokenView): string {
  const who = t.team ? `${t.role}:${t.team}` : t.role;
  const used = t.lastUsedAt ? `last used ${t.lastUsedAt}` : 'never used';
  const expiry = t.expired ? `EXPIRED ${t.expiresAt}` : `expires ${t.expiresAt}`;
  return `${t.id}  ${t.name}  ${who}  created ${t.createdAt}  ${expiry}  ${used}`;
}

/** `avf token list`: every stored token, one a line (or JSON), oldest first. */
export async function listTokensCommand(options: { json?: boolean; store?: string }): Promise<string> {
  const tokens = await withStore(options.store, (store) => listTokenViews(store, new Date()));
  if (options.json) return JSON.stringify(tokens, null, 2);
  return tokens.length === 0
    ? 'no tokens (create one with `avf token create`)'
    : tokens.map(tokenLine).join('\n');
}

/** `avf token revoke ID|NAME`: deletes the token; calls with it are refused from then on. */
export async function revokeTokenCommand(
  idOrName: string,
  options: { store?: string } = {},
): Promise<string> {
  const revoked = await withStore(options.store, (store) => revokeToken(store, idOrName, new Date()));
  return `revoked ${revoked.id} (${revoked.name})`;
}
