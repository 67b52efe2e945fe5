import type { Item } from '../../aws/dynamodb-table';
import type { IdempotencyKey } from '../../domain/ports/request-store';
import { idempotencyKeyId } from '../store-rules';
import { idempotencyKey } from './table-schema';

/**
 * An Idempotency-Key as an item: the key as JSON, `heldUntil` (ISO, what reads and conditions
 * compare) and `expiresAt` (epoch seconds, DynamoDB's TTL, which deletes it up to days later).
 */
export function idempotencyItem(key: IdempotencyKey): Item {
  return {
    ...idempotencyKey(idempotencyKeyId(key.scope, key.key)),
    held: JSON.stringify(key),
    heldUntil: key.expiresAt,
    expiresAt: Math.ceil(Date.parse(key.expiresAt) / 1000),
  };
}

/** The key an item holds, unless it has expired at `now`. */
export function heldKey(item: Item | undefined, now: Date): IdempotencyKey | undefined {
  if (!item || typeof item.held !== 'string' || typeof item.heldUntil !== 'string') return undefined;
  if (item.heldUntil <= now.toISOString()) return undefined;
  return JSON.parse(item.held) as IdempotencyKey;
}

/** A new key, or one replacing an expired key that TTL has not deleted yet. */
export function keyFreeAt(now: Date) {
  return {
    expression: 'attribute_not_exists(pk) OR heldUntil <= :now',
    values: { ':now': now.toISOString() },
  };
}
