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
 * A token bucket: `rate` tokens a second, at most `burst` saved up. A caller takes a token, at
 * once when one is there and nobody waits, else in its turn: waiting callers are served in order,
 * urgent ones first (see URGENT), so a call on the critical path never queues behind a backlog of
 * reads.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly waiting = { urgent: [] as Array<() => void>, normal: [] as Array<() => void> };
  private serving = false;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly timer: Timer,
  ) {
    this.tokens = burst;
    this.last = timer.nowMs();
  }

  /** Resolves when the caller may make its call. */
  take(urgent = false): Promise<void> {
    this.refill();
    if (this.waiting.urgent.length + this.waiting.normal.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    const turn = new Promise<void>((go) => (urgent ? this.waiting.urgent : this.waiting.normal).push(go));
    void this.serve();
    return turn;
  }

  private refill(): void {
    const now = this.timer.nowMs();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) * this.rate) / 1000);
    this.last = Math.max(this.last, now);
  }

  /** Hands tokens to the waiting callers as they come, urgent ones first; one server at a time. */
  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      for (;;) {
        // chosen after each wait: an urgent caller that came meanwhile goes next
        const queue = this.waiting.urgent.length > 0 ? this.waiting.urgent : this.waiting.normal;
        if (queue.length === 0) return;
        this.refill();
        if (this.tokens < 1) {
          await this.timer.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.rate));
          continue;
        }
        this.tokens -= 1;
        queue.shift()?.();
      }
    } finally {
      this.serving = false;
    }
  }
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/**
 * Calls that go before any others of their family waiting for the rate: the CreateAccount path.
 * The organisation's few CreateAccount slots are its scarcest resource, and a slot is handed on
 * only when its account's status is read and the next CreateAccount made; a queue of placement
 * and verification reads in front of those calls would idle the slot for seconds every round.
 */
const URGENT = new Set(['startCreateAccount', 'getCreateAccountStatus']);

/**
 * `ports` with every call of a rate-limited family made no faster than its rate (bursts of one
 * second's worth; the CreateAccount path first), so the factory meets AWS's throttling less instead of retrying it. The limit
 * is this process's: replicas that share an organisation should divide the rates between them.
 */
export function rateLimited(ports: AwsPorts, rates: ApiRates, timer: Timer = systemTimer): AwsPorts {
  const buckets = new Map<ApiFamily, TokenBucket>();
  for (const family of API_FAMILIES) {
    const rate = rates[family];
    if (rate !== undefined && rate > 0) buckets.set(family, new TokenBucket(rate, rate, timer));
  }
  const limit = <T extends object>(port: T, bucket: TokenBucket | undefined): T =>
    bucket === undefined
      ? port
      : new Proxy(port, {
          get(target, prop) {
            const value: unknown = Reflect.get(target, prop);
            if (typeof value !== 'function') return value;
            const method = (value as AnyFn).bind(target);
            const urgent = typeof prop === 'string' && URGENT.has(prop);
            return async (...args: unknown[]) => {
              await bucket.take(urgent);
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
