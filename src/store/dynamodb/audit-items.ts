import type { Item } from '../../aws/dynamodb-table';
import { AuditEntrySchema, type AuditEntry } from '../../domain/ports/request-store';
import { ALL_AUDIT, auditKey, listSortKey } from './table-schema';

/** An audit entry as an item, listed newest first in the `all` index under its own partition. */
export function auditItem(entry: AuditEntry): Item {
  const valid = AuditEntrySchema.parse(entry);
  return {
    ...auditKey(valid.id),
    entry: JSON.stringify(valid),
    allPk: ALL_AUDIT,
    listSk: listSortKey(valid.at, valid.id),
  };
}

export function auditOf(item: Item): AuditEntry {
  return AuditEntrySchema.parse(JSON.parse(typeof item.entry === 'string' ? item.entry : 'null'));
}

export const AUDIT_INDEX = { name: 'all', key: 'allPk', value: ALL_AUDIT } as const;
