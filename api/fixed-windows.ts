import { LRUCache } from 'lru-cache';

/** Keys counted at once; beyond it the least recently used is forgotten (its count starts again). */
const MAX_KEYS = 10_000;

interface Window {
  count: number;
  /** When the window ends (elapsed ms). */
  endsAt: number;
}

/**
 * Per-key request counts in fixed windows, each starting at the key's first request after the
 * previous one ended (as @fastify/rate-limit's in-memory store counted). Synchronous: the check
 * on every call waits for nothing.
 */
export class FixedWindows {
  private readonly windows = new LRUCache<string, Window>({ max: MAX_KEYS });

  /** `elapsedMs`: a monotonic time in ms. */
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly elapsedMs: () => number = () => performance.now(),
  ) {}

  /**
   * Counts one request for `key`; undefined while within `max` for the window, else the seconds
   * until the window ends.
   */
  hit(key: string): number | undefined {
    const now = this.elapsedMs();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > this.max ? Math.max(1, Math.ceil((window.endsAt - now) / 1000)) : undefined;
  }
}
