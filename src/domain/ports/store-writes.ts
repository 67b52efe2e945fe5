/**
 * A write a store made, or tried to make: a request (saved, or leased by a claim) or a document,
 * by kind and id.
 */
export type StoreWrite = { request: string } | { documentKind: string; id: string };

export type StoreWriteListener = (write: StoreWrite) => void;

/**
 * Tells what this store object has written, once each write has settled (committed, refused, or
 * failed with its outcome unknown): for callers that keep copies of stored state in memory and must
 * drop them at once when this process changes it. Writes by other processes are not seen.
 */
export interface StoreWrites {
  /** Calls `listener` after each write; returns the function that stops it. */
  onWrite(listener: StoreWriteListener): () => void;
}
