import type { RecordedDynamoCall } from './recorder';

type AttributeValue = Record<string, unknown>;
type WireItem = Record<string, AttributeValue>;

/** An attribute value's size by DynamoDB's rules (strings in UTF-8 bytes, numbers ~1 byte per 2 digits). */
function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(v));
    case 'N':
      return Math.ceil(String(v).replace(/^-|\./g, '').length / 2) + 1;
    case 'B':
      return Buffer.from(String(v), 'base64').length;
    case 'M':
      return 3 + itemSize(v as WireItem);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((sum, e) => sum + 1 + valueSize(e), 0);
    case 'SS':
    case 'NS':
      return (v as string[]).reduce((sum, e) => sum + Buffer.byteLength(e), 0);
    default:
      return 1;
  }
}

/** An item's size: every attribute name plus its value. */
export function itemSize(item: WireItem): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value),
    0,
  );
}

const KB = 1024;
const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

export interface CapacityEstimate {
  read: number;
  write: number;
}

/**
 * The read and write units a call costs on DynamoDB on-demand, from the items it carried, by the
 * published rules: reads in 4 KB units (half for eventually consistent ones, a Query summing its
 * items before rounding), writes in 1 KB units, both doubled in a transaction, and one more write
 * per global secondary index (all attributes projected) the written item is in. moto's own
 * ConsumedCapacity is a fixed figure per call, not sized, so both are reported.
 */
export function estimateCapacity(call: RecordedDynamoCall, indexKeys: readonly string[]): CapacityEstimate {
  const indexWrites = (item: WireItem) =>
    indexKeys.filter((key) => item[key] !== undefined).length * writeUnits(itemSize(item));
  const r = call.request;
  switch (call.operation) {
    case 'GetItem': {
      const item = call.response.Item as WireItem | undefined;
      return { read: readUnits(item ? itemSize(item) : 0, r.ConsistentRead === true), write: 0 };
    }
    case 'Query': {
      const items = (call.response.Items as WireItem[] | undefined) ?? [];
      const bytes = items.reduce((sum, i) => sum + itemSize(i), 0);
      return { read: readUnits(bytes, r.ConsistentRead === true), write: 0 };
    }
    case 'PutItem': {
      const item = r.Item as WireItem;
      return { read: 0, write: writeUnits(itemSize(item)) + indexWrites(item) };
    }
    case 'DeleteItem':
      return { read: 0, write: 1 + indexKeys.length };
    case 'TransactWriteItems': {
      let write = 0;
      for (const entry of r.TransactItems as Array<Record<string, { Item?: WireItem }>>) {
        const item = entry.Put?.Item;
        write += item ? 2 * writeUnits(itemSize(item)) + indexWrites(item) : 2;
      }
      return { read: 0, write };
    }
    default:
      return { read: 0, write: 0 };
  }
}
