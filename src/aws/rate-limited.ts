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

/**
 * Which family each SDK client's requests count against, by the service name the client factory
 * (clients.ts) gives it: the organisation-level APIs whose rate AWS shares across the organisation.
 * A client not named (member accounts, STS, the organisation services' own APIs) is not limited.
 */
const FAMILY_OF_SERVICE: Readonly<Record<string, ApiFamily>> = {
  organizations: 'organizations',
  'organizations-no-retry': 'organizations',
  cloudformation: 'cloudformation',
  'sso-admin': 'identityCenter',
  budgets: 'budgets',
};

/** The family whose rate a client's requests count against (undefined: not limited). */
export function apiFamilyOfService(service: string): ApiFamily | undefined {
  return FAMILY_OF_SERVICE[service];
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

/**
 * Requests that go before any others of their family waiting for the rate: the CreateAccount path.
 * The organisation's few CreateAccount slots are its scarcest resource, and a slot is handed on
 * only when its account's status is read and the next CreateAccount made; a queue of placement
 * and verification reads in front of those requests would idle the slot for seconds every round.
 */
const URGENT = new Set(['CreateAccount', 'DescribeCreateAccountStatus']);

/**
 * The factory's client-side API rates: one token bucket per API family (bursts of one second's
 * worth), and one token per AWS request — each page of a listing and each SDK retry is a request
 * AWS counts, so each waits its turn (the CreateAccount path first), and the factory meets AWS's
 * throttling less instead of retrying it. The SDK clients take their tokens in a middleware
 * (clients.ts). The limit is this process's: replicas that share an organisation should divide
 * the rates between them.
 */
export class ApiRateLimiter {
  private readonly buckets = new Map<ApiFamily, TokenBucket>();

  constructor(rates: ApiRates, timer: Timer = systemTimer) {
    for (const family of API_FAMILIES) {
      const rate = rates[family];
      if (rate !== undefined && rate > 0) this.buckets.set(family, new TokenBucket(rate, rate, timer));
    }
  }

  /** Resolves when a request of `operation` (AWS's name, e.g. `ListAccounts`) may be sent. */
  take(family: ApiFamily | undefined, operation: string): Promise<void> {
    const bucket = family === undefined ? undefined : this.buckets.get(family);
    return bucket === undefined ? Promise.resolve() : bucket.take(URGENT.has(operation));
  }
}
