import type { StoreWrite, StoreWriteListener, StoreWrites } from '../domain/ports/store-writes';

/** The listeners of one store's writes (StoreWrites), and the telling of them. */
export class WriteSignal implements StoreWrites {
  private readonly listeners = new Set<StoreWriteListener>();

  onWrite(listener: StoreWriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener of `write` now. */
  tell(write: StoreWrite): void {
    for (const listener of this.listeners) listener(write);
  }

  /** `work`, a write, told once it has settled, whatever its outcome (it may have been stored). */
  after<T>(write: StoreWrite, work: Promise<T>): Promise<T> {
    return work.finally(() => this.tell(write));
  }
}
