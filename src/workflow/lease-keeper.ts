import type { Clock } from './clock';

/** How often a running step renews its lease: three times a lease, so one late renewal is not fatal. */
export const RENEWALS_PER_LEASE = 3;
/**
 * How many leases' worth of renewals a step gets. Steps are short; one still running after ten
 * leases (ten minutes at the default 60 s) is presumed stuck (each AWS call attempt already gives
 * up after a minute, clients.ts), and its lease is let lapse so that another worker takes the
 * record up, as it would a dead worker's.
 */
export const MAX_LEASES_RENEWED = 10;

/**
 * When a lease renewed at `now` runs out: `leaseMs` from now, never sooner than `current` (a claim
 * may have leased the record for longer than one lease).
 */
export function renewedLeaseUntil(now: Date, leaseMs: number, current: string | undefined): string {
  return new Date(Math.max(now.getTime() + leaseMs, Date.parse(current ?? '') || 0)).toISOString();
}

/**
 * Renews a record's lease while work on it runs: every `leaseMs / RENEWALS_PER_LEASE` on `clock`,
 * until `stop()`, the first failed renewal (another worker took the record: the work's own save
 * finds that out) or MAX_LEASES_RENEWED leases. Without it a step slower than the lease (an
 * emulator under load, calls queued behind the shared API rates) loses its record to another
 * worker, whose save then wins and whose step may be as slow: the record's work is done again and
 * again and never saved. A clock that cannot wait renews nothing.
 */
export function keepLease(
  clock: Clock,
  leaseMs: number,
  renew: () => Promise<void>,
): { stop(): Promise<void> } {
  let stopped = false;
  let renewing: Promise<void> = Promise.resolve();
  const sleep = clock.sleep?.bind(clock);
  if (sleep && leaseMs > 0) {
    void (async () => {
      for (let n = 0; n < MAX_LEASES_RENEWED * RENEWALS_PER_LEASE; n++) {
        await sleep(leaseMs / RENEWALS_PER_LEASE);
        if (stopped) return;
        renewing = renew();
        try {
          await renewing;
        } catch {
          return;
        }
      }
    })();
  }
  return {
    /** No renewal after this; resolves once one under way has ended (the work saves after it). */
    async stop() {
      stopped = true;
      await renewing.catch(() => undefined);
    },
  };
}
