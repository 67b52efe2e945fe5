import type { Page } from './request-store';

/**
 * A small versioned document: what the factory's coordination state lives in (the CreateAccount
 * queue and its slots, the baseline batches of a StackSet, Identity Center quotas, rollouts).
 * Its body is JSON; the code that owns a kind of document validates it (see workflow/coordination).
 */
export interface StoredDocument {
  /** The kind of document, e.g. `limiter` or `stackset-batches`. */
  kind: string;
  id: string;
  /** 1 for a new document, +1 on every write. */
  version: number;
  body: unknown;
  updatedAt: string;
}

/**
 * Where documents live, beside the requests in the same store. Every write is conditional on the
 * version read (0 = the document must not exist yet); a lost race throws StaleRecordError, and the
 * writer reads again. Several processes may share the documents of one store.
 */
export interface DocumentStore {
  getDocument(kind: string, id: string): Promise<StoredDocument | undefined>;
  /** Writes the body if the stored version is still `expectedVersion`; returns the stored document. */
  putDocument(
    kind: string,
    id: string,
    body: unknown,
    expectedVersion: number,
    now: Date,
  ): Promise<StoredDocument>;
  /** The documents of a kind, ascending by id, paginated (the cursor is opaque). */
  listDocuments(kind: string, query: { cursor?: string; limit: number }): Promise<Page<StoredDocument>>;
  /**
   * How many documents of a kind there are, or (`below`) how many with an id before that one; with
   * `limit`, at most that many (the count stops there: it costs no more than a page of `limit`).
   */
  countDocuments(kind: string, query?: { below?: string; limit?: number }): Promise<number>;
  /**
   * Deletes the document if the stored version is still `expectedVersion`; StaleRecordError when
   * it changed or is gone (a writer that came since keeps its document).
   */
  deleteDocument(kind: string, id: string, expectedVersion: number): Promise<void>;
}
