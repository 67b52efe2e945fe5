import { Mutex } from 'async-mutex';
import type { z } from 'zod';
import { AvfError, StaleRecordError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';

/** A kind of coordination document: its name, its shape, and its value before the first write. */
export interface DocumentKind<T> {
  kind: string;
  schema: z.ZodType<T>;
  empty: () => T;
}

/** Writers of one document in this process queue here, so only other processes cause retries. */
const locks = new WeakMap<DocumentStore, Map<string, Mutex>>();
const TRIES = 50;

/** Runs `work` holding this process's lock on one document; the lock is dropped once unused. */
async function exclusively<R>(store: DocumentStore, key: string, work: () => Promise<R>): Promise<R> {
  let byKey = locks.get(store);
  if (!byKey) locks.set(store, (byKey = new Map<string, Mutex>()));
  let lock = byKey.get(key);
  if (!lock) byKey.set(key, (lock = new Mutex()));
  try {
    return await lock.runExclusive(work);
  } finally {
    // Per-request documents would otherwise leave a mutex behind for every request ever seen.
    if (!lock.isLocked()) byKey.delete(key);
  }
}

export async function readDocument<T>(
  store: DocumentStore,
  kind: DocumentKind<T>,
  id: string,
): Promise<{ body: T; version: number }> {
  const doc = await store.getDocument(kind.kind, id);
  if (!doc) return { body: kind.empty(), version: 0 };
  const parsed = kind.schema.safeParse(doc.body);
  if (!parsed.success) {
    throw new AvfError(
      'STORE_DOCUMENT_INVALID',
      `stored document ${kind.kind}/${id} does not match its schema: ${parsed.error.message}`,
    );
  }
  return { body: parsed.data, version: doc.version };
}

/**
 * Read-modify-write of one document: `change` gets the current body (a copy it may mutate) and
 * says whether to write it back; the write is conditional on the version read, and a lost race
 * (another process wrote first) reads again and re-runs `change`. Returns what `change` returned.
 */
export async function updateDocument<T, R>(
  store: DocumentStore,
  kind: DocumentKind<T>,
  id: string,
  now: () => Date,
  change: (body: T) => { write: boolean; result: R },
): Promise<R> {
  return exclusively(store, `${kind.kind}/${id}`, async () => {
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const current = await readDocument(store, kind, id);
      const { write, result } = change(current.body);
      if (!write) return result;
      try {
        await store.putDocument(kind.kind, id, kind.schema.parse(current.body), current.version, now());
        return result;
      } catch (e) {
        if (!(e instanceof StaleRecordError)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
    throw new AvfError('STORE_BUSY', `document ${kind.kind}/${id}: other writers kept winning`, {
      retryable: true,
    });
  });
}
