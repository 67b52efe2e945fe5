import type { AwsPorts } from '../domain/ports/aws';
import { overlay } from '../domain/ports/overlay';

/** API families that share one rate across the organisation (docs/aws-limits.md). */
export const API_FAMILIES = ['organizations', 'cloudformation', 'identityCenter', 'budgets'] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

/** Calls a second per family; a family not named is not limited. */
export type ApiRates = Partial<Record<ApiFamily, number>>;

/**
 * The rates on a time-compressed emulator (`worker.timeScale` below 1 shortens every delay, the
 * limiter's waits too): each rate divided by the scale, so 10 calls a second at 0.1 become 100.
 */
export function ratesAt(rates: ApiRates, timeScale: number): ApiRates {
  return Object.fromEntries(
    Object.entries(rates).map(([family, rate]) => [family, rate === undefined ? rate : rate / timeScale]),
  );
}

/** Which family each organisation-level port's calls count against; member-account calls are per account. */
const FAMILY_OF: Partial<Record<keyof AwsPorts, ApiFamily>> = {
  organizations: 'organizations',
  orgServices: 'organizations',
  stackSets: 'cloudformation',
  identityCenter: 'identityCenter',
  budgets: 'budgets',
};

/** The family whose rate a port's calls count against (undefined: not limited). */
export function apiFamilyOf(port: string): ApiFamily | undefined {
  return (FAMILY_OF as Record<string, ApiFamily | undefined>)[port];
}

/** The time a limiter waits on: the wall clock, or the simulator's virtual one. */
export interface Timer {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemTimer: Timer = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket that hands out reservations: `rate` tokens a second, at most `burst` saved up.
 * A caller takes a token now and is told how long to wait for it (0 when one was there), so
 * concurrent callers queue in order instead of all trying at once.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; returns the milliseconds until it is there. */
  reserve(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) * this.rate) / 1000);
    this.last = Math.max(this.last, now);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.rate);
  }
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/**
 * `ports` with every call of a rate-limited family made no faster than its rate (bursts of one
 * second's worth), so the factory meets AWS's throttling less instead of retrying it. The limit
 * is this process's: replicas that share an organisation should divide the rates between them.
 */
export function rateLimited(ports: AwsPorts, rates: ApiRates, timer: Timer = systemTimer): AwsPorts {
  const buckets = new Map<ApiFamily, TokenBucket>();
  for (const family of API_FAMILIES) {
    const rate = rates[family];
    if (rate !== undefined && rate > 0) buckets.set(family, new TokenBucket(rate, rate, timer.nowMs()));
  }
  const limit = <T extends object>(port: T, bucket: TokenBucket | undefined): T =>
    bucket === undefined
      ? port
      : new Proxy(port, {
          get(target, prop) {
            const value: unknown = Reflect.get(target, prop);
            if (typeof value !== 'function') return value;
            const method = (value as AnyFn).bind(target);
            return async (...args: unknown[]) => {
              const waitMs = bucket.reserve(timer.nowMs());
              if (waitMs > 0) await timer.sleep(waitMs);
              return method(...args);
            };
          },
        });
  const bucketOf = (port: keyof AwsPorts) => {
    const family = FAMILY_OF[port];
    return family ? buckets.get(family) : undefined;
  };
  return overlay(ports, {
    organizations: limit(ports.organizations, bucketOf('organizations')),
    orgServices: limit(ports.orgServices, bucketOf('orgServices')),
    stackSets: limit(ports.stackSets, bucketOf('stackSets')),
    identityCenter: limit(ports.identityCenter, bucketOf('identityCenter')),
    budgets: limit(ports.budgets, bucketOf('budgets')),
  });
}
