import { createHash } from 'node:crypto';
import type { DynamoTable, Item } from '../../aws/dynamodb-table';
import { AuditEntrySchema, type AuditEntry, type Page } from '../../domain/ports/request-store';
import { auditPosition, decodeCursor, pageOf, pageSize } from '../store-rules';
import { ALL_AUDIT, auditKey, listSortKey } from './table-schema';

/**
 * Audit entries are spread over this many partitions of the `all` index (`AUDIT#0`…`AUDIT#7`, by
 * a hash of the entry id), so a burst of writes never lands on one index partition. Entries
 * written before sharding sit under `AUDIT` and are listed with the rest.
 */
export const AUDIT_SHARDS = 8;

const shardOf = (id: string): string =>
  `${ALL_AUDIT}#${createHash('sha256').update(id).digest()[0]! % AUDIT_SHARDS}`;

const AUDIT_PARTITIONS = [ALL_AUDIT, ...Array.from({ length: AUDIT_SHARDS }, (_, i) => `${ALL_AUDIT}#${i}`)];

/** An audit entry as an item: in its shard of the `all` index, deleted by TTL once expired. */
export function auditItem(entry: AuditEntry): Item {
  const valid = AuditEntrySchema.parse(entry);
  return {
    ...auditKey(valid.id),
    entry: JSON.stringify(valid),
    allPk: shardOf(valid.id),
    listSk: listSortKey(valid.at, valid.id),
    ...(valid.expiresAt === undefined ? {} : { expiresAt: Math.ceil(Date.parse(valid.expiresAt) / 1000) }),
  };
}

export function auditOf(item: Item): AuditEntry {
  return AuditEntrySchema.parse(JSON.parse(typeof item.entry === 'string' ? item.entry : 'null'));
}

/**
 * A page of the log, newest first: the next `limit + 1` of each partition after the cursor,
 * merged. Every entry of the page is among them, since each partition is sorted the same way.
 */
export async function listAuditShards(
  table: DynamoTable,
  query: { cursor?: string; limit: number },
): Promise<Page<AuditEntry>> {
  const limit = pageSize(query.limit);
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const pages = await Promise.all(
    AUDIT_PARTITIONS.map((partition) =>
      table.query({
        index: 'all',
        keyCondition: position
          ? {
              expression: 'allPk = :p AND listSk < :before',
              values: { ':p': partition, ':before': listSortKey(position.createdAt, position.id) },
            }
          : { expression: 'allPk = :p', values: { ':p': partition } },
        descending: true,
        limit: limit + 1,
      }),
    ),
  );
  const merged = pages
    .flatMap((p) => p.items)
    .sort((a, b) => (String(a.listSk) < String(b.listSk) ? 1 : String(a.listSk) > String(b.listSk) ? -1 : 0))
    .slice(0, limit + 1);
  return pageOf(merged, limit, auditOf, auditPosition);
}
