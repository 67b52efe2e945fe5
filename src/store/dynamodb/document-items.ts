import type { Item } from '../../aws/dynamodb-table';
import type { StoredDocument } from '../../domain/ports/document-store';
import { documentKey, documentsPartition } from './table-schema';

/** A document as an item, listed by id in the `all` index under its kind's partition. */
export function documentItem(doc: StoredDocument): Item {
  return {
    ...documentKey(doc.kind, doc.id),
    kind: doc.kind,
    id: doc.id,
    version: doc.version,
    body: JSON.stringify(doc.body),
    updatedAt: doc.updatedAt,
    allPk: documentsPartition(doc.kind),
    listSk: doc.id,
  };
}

export function documentOf(item: Item): StoredDocument {
  const text = (key: string) => (typeof item[key] === 'string' ? item[key] : '');
  return {
    kind: text('kind'),
    id: text('id'),
    version: typeof item.version === 'number' ? item.version : Number(item.version),
    body: JSON.parse(text('body') || 'null') as unknown,
    updatedAt: text('updatedAt'),
  };
}
