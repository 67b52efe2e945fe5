import { LRUCache } from 'lru-cache';
import type { StoredToken, TokenStore } from '../src/domain/ports/request-store';

/**
 * How long a token read from the store is trusted without reading it again. A token revoked
 * through this API (DELETE /v1/tokens/{id}) is refused from the next call on; one revoked elsewhere
 * (`avf token revoke`, another API process or Lambda instance) within this long.
 */
export const TOKEN_RECHECK_MS = 5_000;

/** Tokens remembered at once; beyond it the least recently used is read again. */
const MAX_TOKENS = 10_000;

/**
 * The stored tokens this API read a moment ago, by hash, so that a caller's burst of calls reads
 * its token once per TOKEN_RECHECK_MS instead of once per call. Only tokens found are remembered:
 * an unknown hash is looked up every time (a token just created elsewhere works at once).
 * Expiry is still checked on every call, against the remembered `expiresAt`.
 */
export class RecentTokens {
  private readonly read = new LRUCache<string, { token: StoredToken; readAt: number }>({ max: MAX_TOKENS });

  /** `elapsedMs`: a monotonic time in ms (real time, whatever clock the API is given). */
  constructor(
    private readonly store: TokenStore,
    private readonly elapsedMs: () => number = () => performance.now(),
    private readonly recheckMs = TOKEN_RECHECK_MS,
  ) {}

  /** The token with this hash, from memory if it was read less than `recheckMs` ago. */
  async find(hash: string): Promise<StoredToken | undefined> {
    const now = this.elapsedMs();
    const held = this.read.get(hash);
    if (held && now - held.readAt < this.recheckMs && now >= held.readAt) return held.token;
    const token = await this.store.findToken(hash);
    if (token) this.read.set(hash, { token, readAt: now });
    else this.read.delete(hash);
    return token;
  }

  /** The token's use was recorded at `at`: remembered so the next calls do not record it again. */
  touched(hash: string, at: string): void {
    const held = this.read.get(hash);
    if (held) held.token = { ...held.token, lastUsedAt: at };
  }

  /** A token was revoked here: every token is read again on its next call. */
  forgetAll(): void {
    this.read.clear();
  }
}
