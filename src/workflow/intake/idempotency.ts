import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json';
import { AvfError } from '../../domain/errors';
import { IDEMPOTENCY_KEY_TTL_MS, type IdempotencyKey } from '../../domain/ports/request-store';
import type { Principal } from '../../domain/principal';

/** The same Idempotency-Key was sent with a different body (422). */
export class IdempotencyKeyReusedError extends AvfError {
  readonly key: string;
  constructor(held: IdempotencyKey) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key ${JSON.stringify(held.key)} was already used with a different body (for request ${held.requestId}); send the same body to get that request, or a new key for a new request`,
    );
    this.key = held.key;
  }
}

/** Keys are scoped to the credential that sent them, so two teams' keys never collide. */
export function idempotencyScope(principal: Principal): string {
  return principal.id ?? `${principal.role}/${principal.team ?? '*'}/${principal.name}`;
}

/** The key to claim for this principal and (validated) body, valid for 24 h from `now`. */
export function idempotencyClaim(
  principal: Principal,
  key: string,
  body: unknown,
  now: Date,
): Omit<IdempotencyKey, 'requestId'> {
  return {
    scope: idempotencyScope(principal),
    key,
    bodyHash: createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex'),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS).toISOString(),
  };
}
