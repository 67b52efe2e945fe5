import type { Item } from '../../aws/dynamodb-table';
import type { RequestRecord } from '../../domain/account-request';
import { AvfError } from '../../domain/errors';
import type { ListQuery, RequestVersion } from '../../domain/ports/request-store';
import { CLAIMABLE_STATUSES, type CursorPosition } from '../store-rules';
import { parseStoredRequest } from '../stored-request-json';
import { ALL_REQUESTS, DUE, TABLE, dueSortKey, listSortKey, requestKey } from './table-schema';

/**
 * A request as a table item: the record as JSON (the source of truth, validated on the way out)
 * and the attributes the indexes and conditions read.
 */
export function requestItem(record: RequestRecord): Item {
  const claimable = (CLAIMABLE_STATUSES as readonly string[]).includes(record.status);
  return {
    ...requestKey(record.id),
    record: JSON.stringify(record),
    version: record.version,
    leaseUntil: record.leaseUntil,
    accountPk: record.accountId,
    allPk: ALL_REQUESTS,
    statusPk: record.status,
    teamPk: record.team,
    teamStatusPk: `${record.team}#${record.status}`,
    listSk: listSortKey(record.createdAt, record.id),
    ...(claimable ? { duePk: DUE, dueSk: dueSortKey(record.nextCheckAt, record.id) } : {}),
  };
}

export function recordOf(item: Item): RequestRecord {
  return parseStoredRequest(typeof item.record === 'string' ? item.record : 'null');
}

/** The attributes of a request item that `versionOf` reads. */
export const VERSION_ATTRIBUTES = ['version', 'teamPk'] as const;

/** The version and team of a request item read with only VERSION_ATTRIBUTES. */
export function versionOf(id: string, item: Item): RequestVersion {
  const { version, teamPk } = item;
  if (typeof version !== 'number' || typeof teamPk !== 'string')
    throw new AvfError('STORE_DAMAGED', `request ${id}: its item has no version or team attribute`);
  return { team: teamPk, version };
}

/** Written only if the stored version is still `expected` (optimistic locking). */
export function versionIs(expected: number) {
  return { expression: 'version = :expected', values: { ':expected': expected } };
}

/** The listing index, and its partition value, that answers a list query without filtering. */
export function listingIndex(query: Pick<ListQuery, 'status' | 'team'>): {
  name: string;
  key: string;
  value: string;
} {
  const pick = (name: string, value: string) => {
    const index = TABLE.indexes.find((i) => i.name === name);
    if (!index) throw new AvfError('STORE_SCHEMA', `index ${name} is not in the table schema`);
    return { name, key: index.partitionKey, value };
  };
  if (query.status !== undefined && query.team !== undefined)
    return pick('byTeamStatus', `${query.team}#${query.status}`);
  if (query.status !== undefined) return pick('byStatus', query.status);
  if (query.team !== undefined) return pick('byTeam', query.team);
  return pick('all', ALL_REQUESTS);
}

/**
 * The ExclusiveStartKey of a listing index at a cursor position: the table key of the item
 * there (`itemKey`) and its index key. The cursor stays the stores' shared (createdAt, id) one.
 */
export function listingStartKey(
  index: { key: string; value: string },
  position: CursorPosition,
  itemKey: (id: string) => Item = requestKey,
): Item {
  return {
    ...itemKey(position.id),
    [index.key]: index.value,
    listSk: listSortKey(position.createdAt, position.id),
  };
}
