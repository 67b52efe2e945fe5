import type { DocumentStore, StoredDocument } from '../domain/ports/document-store';
import type { Page } from '../domain/ports/request-store';
import {
  decodeDocumentCursor,
  documentPage,
  nextDocument,
  pageSize,
  settle,
  staleDocument,
} from './store-rules';
import { WriteSignal } from './write-signal';

/** Documents in memory, with the versioning rules of the durable stores (copied in and out). */
export class MemoryDocuments implements DocumentStore {
  /** kind → id → document */
  private readonly docs = new Map<string, Map<string, StoredDocument>>();
  /** Told of every write, the documents' here and (in MemoryStore) the requests'. */
  protected readonly writes = new WriteSignal();

  private ofKind(kind: string): Map<string, StoredDocument> {
    let byId = this.docs.get(kind);
    if (!byId) this.docs.set(kind, (byId = new Map<string, StoredDocument>()));
    return byId;
  }

  private sortedIds(kind: string): string[] {
    return [...this.ofKind(kind).keys()].sort();
  }

  getDocument(kind: string, id: string): Promise<StoredDocument | undefined> {
    const doc = this.ofKind(kind).get(id);
    return Promise.resolve(doc ? structuredClone(doc) : undefined);
  }

  putDocument(
    kind: string,
    id: string,
    body: unknown,
    expectedVersion: number,
    now: Date,
  ): Promise<StoredDocument> {
    const write = settle(() => {
      const stored = this.ofKind(kind).get(id)?.version ?? 0;
      if (stored !== expectedVersion) throw staleDocument(kind, id);
      const doc = nextDocument(kind, id, body, expectedVersion, now);
      this.ofKind(kind).set(id, doc);
      return structuredClone(doc);
    });
    return this.writes.after({ documentKind: kind, id }, write);
  }

  listDocuments(kind: string, query: { cursor?: string; limit: number }): Promise<Page<StoredDocument>> {
    return settle(() => {
      const after = query.cursor === undefined ? undefined : decodeDocumentCursor(query.cursor);
      const limit = pageSize(query.limit);
      const byId = this.ofKind(kind);
      const rows = this.sortedIds(kind)
        .filter((id) => after === undefined || id > after)
        .slice(0, limit + 1)
        .map((id) => structuredClone(byId.get(id) as StoredDocument));
      return documentPage(rows, limit);
    });
  }

  countDocuments(kind: string, query: { below?: string; limit?: number } = {}): Promise<number> {
    const { below, limit = Infinity } = query;
    const ids = [...this.ofKind(kind).keys()];
    const n = below === undefined ? ids.length : ids.filter((id) => id < below).length;
    return Promise.resolve(Math.min(n, Math.max(0, limit)));
  }

  deleteDocument(kind: string, id: string, expectedVersion: number): Promise<void> {
    const write = settle(() => {
      const stored = this.ofKind(kind).get(id)?.version;
      if (stored === undefined || stored !== expectedVersion) throw staleDocument(kind, id);
      this.ofKind(kind).delete(id);
    });
    return this.writes.after({ documentKind: kind, id }, write);
  }
}
