import { LRUCache } from 'lru-cache';
import { RequestRecordSchema, type RequestRecord } from '../domain/account-request';
import { AvfError } from '../domain/errors';

/**
 * The stored JSON of requests recently read whose schema check changed nothing (the record the
 * schema returned serialises back to the very same text), by request id. Bounded by text size
 * (2 Mi characters: some 1,500 requests of typical size, the ones being polled), so the API's
 * memory stays flat however many requests are stored.
 */
const validated = new LRUCache<string, string>({
  maxSize: 2 * 1024 * 1024,
  sizeCalculation: (json) => Math.max(1, json.length),
});

/**
 * A stored request's record, from the JSON the store holds (SQLite's `record` column, DynamoDB's
 * `record` attribute). The schema check runs on the first read of each stored text; a later read
 * of the identical text (the record has not changed since) is only JSON-parsed, since the schema
 * would return it unchanged. Every call returns a new object, parsed from the text just read: a
 * changed record is never served from an earlier read, and callers may change what they get.
 *
 * @throws AvfError STORE_RECORD_INVALID naming what does not match the record schema
 */
export function parseStoredRequest(json: string): RequestRecord {
  const raw: unknown = JSON.parse(json);
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && validated.get(id) === json) return raw as RequestRecord;
  const parsed = RequestRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AvfError(
      'STORE_RECORD_INVALID',
      `a stored request does not match the record schema: ${parsed.error.message}`,
    );
  }
  if (JSON.stringify(parsed.data) === json) validated.set(parsed.data.id, json);
  return parsed.data;
}
