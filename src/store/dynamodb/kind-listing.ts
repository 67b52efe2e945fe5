import type { DynamoTable, Item } from '../../aws/dynamodb-table';
import type { Page } from '../../domain/ports/request-store';
import { decodeDocumentCursor, documentPage, pageSize } from '../store-rules';

/**
 * One page of the items of a kind (documents, jobs), ascending by id: a Query on the `all` index
 * under the kind's partition, resumed after the cursor's id.
 */
export async function listKind<Row extends { id: string }>(
  table: DynamoTable,
  kind: { partition: string; keyOf: (id: string) => Item; rowOf: (item: Item) => Row },
  query: { cursor?: string; limit: number },
): Promise<Page<Row>> {
  const limit = pageSize(query.limit);
  const after = query.cursor === undefined ? undefined : decodeDocumentCursor(query.cursor);
  const page = await table.query({
    index: 'all',
    keyCondition: { expression: 'allPk = :kind', values: { ':kind': kind.partition } },
    limit: limit + 1,
    ...(after === undefined
      ? {}
      : { startKey: { ...kind.keyOf(after), allPk: kind.partition, listSk: after } }),
  });
  return documentPage(page.items.map(kind.rowOf), limit);
}

/**
 * How many items a kind has, or (`below`) how many with an id before that one: a counting Query
 * (with `limit`, one that stops after that many).
 */
export function countKind(
  table: DynamoTable,
  partition: string,
  { below, limit }: { below?: string; limit?: number },
): Promise<number> {
  return table.count({
    ...(limit === undefined ? {} : { limit }),
    index: 'all',
    keyCondition:
      below === undefined
        ? { expression: 'allPk = :kind', values: { ':kind': partition } }
        : {
            expression: 'allPk = :kind AND listSk < :below',
            values: { ':kind': partition, ':below': below },
          },
  });
}
