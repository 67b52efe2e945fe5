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

/** Documents in memory, with the versioning rules of the durable stores (copied in and out). */
export class MemoryDocuments implements DocumentStore {
  private readonly docs = new Map<string, StoredDocument>();

  getDocument(kind: string, id: string): Promise<StoredDocument | undefined> {
    const doc = this.docs.get(`${kind}/${id}`);
    return Promise.resolve(doc ? structuredClone(doc) : undefined);
  }

  putDocument(
    kind: string,
    id: string,
    body: unknown,
    expectedVersion: number,
    now: Date,
  ): Promise<StoredDocument> {
    return settle(() => {
      const stored = this.docs.get(`${kind}/${id}`)?.version ?? 0;
      if (stored !== expectedVersion) throw staleDocument(kind, id);
      const doc = nextDocument(kind, id, body, expectedVersion, now);
      this.docs.set(`${kind}/${id}`, doc);
      return structuredClone(doc);
    });
  }

  listDocuments(kind: string, query: { cursor?: string; limit: number }): Promise<Page<StoredDocument>> {
    return settle(() => {
      const after = query.cursor === undefined ? undefined : decodeDocumentCursor(query.cursor);
      const rows = [...this.docs.values()]
        .filter((d) => d.kind === kind && (after === undefined || d.id > after))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((d) => structuredClone(d));
      return documentPage(rows, pageSize(query.limit));
    });
  }

  deleteDocument(kind: string, id: string, expectedVersion: number): Promise<void> {
    return settle(() => {
      const stored = this.docs.get(`${kind}/${id}`)?.version;
      if (stored === undefined || stored !== expectedVersion) throw staleDocument(kind, id);
      this.docs.delete(`${kind}/${id}`);
    });
  }
}
