import type { FastifyRequest } from 'fastify';
import type { ApiConfig } from '../src/config/schema';
import { AvfError } from '../src/domain/errors';
import { FixedWindows } from './fixed-windows';

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
export type RateCheck = (request: FastifyRequest) => void;

export interface RateLimits {
  /** Every authenticated request, keyed by the token's hash. */
  perToken: RateCheck;
  /** Every request without a valid token, keyed by the client IP: slows token guessing. */
  perIp: RateCheck;
}

/**
 * The two checks the authentication hook applies, each with in-process counters in fixed windows
 * of `windowSeconds`: each API process limits on its own.
 */
export function rateLimits(config: ApiConfig['rateLimit']): RateLimits {
  const windowMs = config.windowSeconds * 1000;
  const check = (who: string, windows: FixedWindows, key: (r: FastifyRequest) => string): RateCheck => {
    return (request) => {
      const retryAfterSeconds = windows.hit(key(request));
      if (retryAfterSeconds !== undefined) throw new RateLimitedError(who, retryAfterSeconds);
    };
  };
  return {
    perToken: check(
      'token',
      new FixedWindows(config.perToken, windowMs),
      (r) => `token:${r.principal?.id ?? r.ip}`,
    ),
    perIp: check(
      'address without a valid token',
      new FixedWindows(config.perIp, windowMs),
      (r) => `ip:${r.ip}`,
    ),
  };
}
