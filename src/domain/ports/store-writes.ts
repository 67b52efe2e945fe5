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

/**
 * Tells workers that sleep until told (the Lambda worker function, woken through the table's
 * stream) that work was queued. Stores whose workers look for work every tick do not have it.
 */
export interface WorkerWakes {
  /** One small write the worker's wake-up watches for; the work itself is already stored. */
  wakeWorkers(): Promise<void>;
}
