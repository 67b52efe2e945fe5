import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { StaleRecordError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';
import { readDocument, type DocumentKind } from './document';

const StoreIdentitySchema = z.object({
  /** 32 random hex characters, created once; never changes. */
  id: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.string(),
});

const IDENTITY: DocumentKind<z.infer<typeof StoreIdentitySchema> | undefined> = {
  kind: 'store-identity',
  schema: StoreIdentitySchema,
  empty: () => undefined,
};

/** Short enough for AWS's 128-character OperationId, long enough (2^32) that two stores do not meet. */
const TAG_LENGTH = 8;

/**
 * The store's tag: the first 8 hex characters of a random id created with the store's first use
 * and kept in it. Created with a conditional put (version 0), so workers starting at once agree on
 * the one that was written first. Every StackSet OperationId carries it (domain/operation-id).
 */
export async function storeTag(
  store: DocumentStore,
  now: Date,
  newId: () => string = () => randomBytes(16).toString('hex'),
): Promise<string> {
  const found = await readDocument(store, IDENTITY, 'store');
  if (found.body) return found.body.id.slice(0, TAG_LENGTH);
  const body = { id: newId(), createdAt: now.toISOString() };
  try {
    await store.putDocument(IDENTITY.kind, 'store', body, 0, now);
    return body.id.slice(0, TAG_LENGTH);
  } catch (err) {
    // Another worker created it first: theirs is the store's.
    if (err instanceof StaleRecordError) return storeTag(store, now, newId);
    throw err;
  }
}
