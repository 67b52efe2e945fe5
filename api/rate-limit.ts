import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiConfig } from '../src/config/schema';
import { AvfError } from '../src/domain/errors';

/** Too many requests from one token (or, without a valid token, one IP); 429 with Retry-After. */
export class RateLimitedError extends AvfError {
  readonly retryAfterSeconds: number;
  constructor(who: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many requests from this ${who}; retry in ${retryAfterSeconds} s`, {
      retryable: true,
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Counts one request against a limit; throws RateLimitedError once the limit is exceeded. */
export type RateCheck = (request: FastifyRequest) => Promise<void>;

export interface RateLimits {
  /** Every authenticated request, keyed by the token's hash. */
  perToken: RateCheck;
  /** Every request without a valid token, keyed by the client IP: slows token guessing. */
  perIp: RateCheck;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Registers @fastify/rate-limit (in-process counters: each API process limits on its own) and
 * returns the two checks the authentication hook applies. The limiters are created on first use,
 * once the plugin has decorated the instance.
 */
export function registerRateLimits(app: FastifyInstance, config: ApiConfig['rateLimit']): RateLimits {
  void app.register(rateLimit, { global: false });
  const timeWindow = config.windowSeconds * 1000;
  const limiters: Partial<Record<keyof RateLimits, Limiter>> = {};
  const check =
    (name: keyof RateLimits, who: string, max: number, key: (r: FastifyRequest) => string): RateCheck =>
    async (request) => {
      const limiter = (limiters[name] ??= app.createRateLimit({ max, timeWindow, keyGenerator: key }));
      const result = await limiter(request);
      if (!result.isAllowed && result.isExceeded) throw new RateLimitedError(who, result.ttlInSeconds);
    };
  return {
    perToken: check('perToken', 'token', config.perToken, (r) => `token:${r.principal?.id ?? r.ip}`),
    perIp: check('perIp', 'address without a valid token', config.perIp, (r) => `ip:${r.ip}`),
  };
}
