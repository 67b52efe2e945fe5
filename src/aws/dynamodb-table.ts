import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  TransactionCanceledException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ClientFactory } from './clients';
import { call, hasAwsCode, toAwsError } from './errors';

/** An item as plain JavaScript values (the document client marshals them). */
export type Item = Record<string, unknown>;

/** Where the table's key schema is declared once: used by `ensureExists` and by the CDK table. */
export interface TableDefinition {
  /** String partition and sort key attribute names of the table. */
  partitionKey: string;
  sortKey: string;
  /** Global secondary indexes (string keys, every attribute projected). */
  indexes: readonly { name: string; partitionKey: string; sortKey?: string }[];
  /** Epoch-seconds attribute after which DynamoDB deletes an item. */
  ttlAttribute: string;
}

/** A condition or filter expression with its placeholders. */
export interface Expression {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface QueryInput {
  index?: string;
  keyCondition: Expression;
  filter?: Expression;
  /** Descending sort key order. */
  descending?: boolean;
  limit?: number;
  startKey?: Item;
}

export type TransactionResult = { committed: true } | { committed: false; failed: number[] };

/** One write of a transaction: an item to put, or (`delete`) the key of an item to delete. */
export type TransactionWrite =
  { item: Item; condition?: Expression } | { delete: Item; condition?: Expression };

/**
 * One DynamoDB table in plain operations, so the store speaks items and expressions and never
 * the SDK. IAM: dynamodb:GetItem, PutItem, DeleteItem, Query, ConditionCheckItem (transactions);
 * `ensureExists` also DescribeTable, CreateTable, UpdateTimeToLive.
 */
export class DynamoTable {
  private readonly raw: DynamoDBClient;
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    clients: ClientFactory,
    readonly name: string,
  ) {
    this.raw = clients.dynamoDb();
    this.doc = DynamoDBDocumentClient.from(this.raw, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /**
   * dynamodb:GetItem, strongly consistent: the whole item, or only the `attributes` named (the
   * read costs the same capacity, but less comes back to be unmarshalled).
   */
  async get(key: Item, attributes?: readonly string[]): Promise<Item | undefined> {
    const out = await call('dynamodb:GetItem', () =>
      this.doc.send(
        new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true, ...projectionOf(attributes) }),
      ),
    );
    return out.Item;
  }

  /** dynamodb:PutItem — false when the condition did not hold (nothing was written). */
  put(item: Item, condition?: Expression): Promise<boolean> {
    return this.conditional('dynamodb:PutItem', () =>
      this.doc.send(new PutCommand({ TableName: this.name, Item: item, ...conditionOf(condition) })),
    );
  }

  /** dynamodb:DeleteItem — false when the condition did not hold (nothing was deleted). */
  delete(key: Item, condition?: Expression): Promise<boolean> {
    return this.conditional('dynamodb:DeleteItem', () =>
      this.doc.send(new DeleteCommand({ TableName: this.name, Key: key, ...conditionOf(condition) })),
    );
  }

  /** Runs a conditional write: true when written, false when its condition did not hold. */
  private async conditional(operation: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw toAwsError(operation, err);
    }
  }

  /**
   * dynamodb:PutItem (and DeleteItem) of several items in one transaction: all are written or
   * none. When a condition fails, `failed` lists the positions of the writes whose condition
   * failed; it is empty when a concurrent transaction on the same items cancelled this one.
   */
  async putAll(writes: readonly TransactionWrite[]): Promise<TransactionResult> {
    const command = new TransactWriteCommand({
      TransactItems: writes.map((w) =>
        'delete' in w
          ? { Delete: { TableName: this.name, Key: w.delete, ...conditionOf(w.condition) } }
          : { Put: { TableName: this.name, Item: w.item, ...conditionOf(w.condition) } },
      ),
    });
    try {
      await this.doc.send(command);
      return { committed: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) {
        throw toAwsError('dynamodb:PutItem', err);
      }
      const reasons = err.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
      if (failed.length > 0) return { committed: false, failed };
      // Another transaction on the same items was in flight: the caller reads again and retries.
      if (reasons.some((r) => r.Code === 'TransactionConflict')) return { committed: false, failed: [] };
      throw toAwsError('dynamodb:PutItem', err);
    }
  }

  /** dynamodb:Query — one page. */
  async query(input: QueryInput): Promise<{ items: Item[]; lastKey?: Item }> {
    const out = await call('dynamodb:Query', () => this.doc.send(this.queryCommand(input)));
    return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  /**
   * dynamodb:Query with `Select: COUNT`, every page: how many items match (none are read out). With
   * `limit` (and no filter), the pages stop once that many are counted.
   */
  async count(input: QueryInput): Promise<number> {
    const limit = input.limit ?? Infinity;
    let total = 0;
    let startKey = input.startKey;
    while (total < limit) {
      const left = limit - total;
      const out = await call('dynamodb:Query', () =>
        this.doc.send(
          this.queryCommand({ ...input, startKey, ...(left === Infinity ? {} : { limit: left }) }, 'COUNT'),
        ),
      );
      total += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
      if (startKey === undefined) break;
    }
    return total;
  }

  private queryCommand(input: QueryInput, select?: 'COUNT'): QueryCommand {
    const names = { ...input.keyCondition.names, ...input.filter?.names };
    const values = { ...input.keyCondition.values, ...input.filter?.values };
    return new QueryCommand({
      TableName: this.name,
      IndexName: input.index,
      KeyConditionExpression: input.keyCondition.expression,
      FilterExpression: input.filter?.expression,
      ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
      ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
      ScanIndexForward: !input.descending,
      Limit: input.limit,
      ExclusiveStartKey: input.startKey,
      ...(select ? { Select: select } : {}),
    });
  }

  /** Every page of a query, in order; `until` stops early once it returns true. */
  async *queryAll(input: QueryInput): AsyncGenerator<Item> {
    let startKey = input.startKey;
    do {
      const page = await this.query({ ...input, startKey });
      yield* page.items;
      startKey = page.lastKey;
    } while (startKey !== undefined);
  }

  /**
   * Creates the table as `definition` describes when it does not exist (on-demand billing,
   * encrypted by default, TTL on), and waits until it is ACTIVE. Several processes may race.
   */
  async ensureExists(definition: TableDefinition): Promise<'exists' | 'created'> {
    if (await this.exists()) return 'exists';
    const attributes = new Set([definition.partitionKey, definition.sortKey]);
    for (const i of definition.indexes) {
      attributes.add(i.partitionKey);
      if (i.sortKey) attributes.add(i.sortKey);
    }
    try {
      await this.raw.send(
        new CreateTableCommand({
          TableName: this.name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attributes].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: definition.partitionKey, KeyType: 'HASH' },
            { AttributeName: definition.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: definition.indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: 'HASH' },
              ...(i.sortKey ? [{ AttributeName: i.sortKey, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
    } catch (err) {
      // Another process created it first: wait for it like our own.
      if (!(err instanceof ResourceInUseException)) throw toAwsError('dynamodb:CreateTable', err);
    }
    await call('dynamodb:DescribeTable', () =>
      waitUntilTableExists({ client: this.raw, maxWaitTime: 300 }, { TableName: this.name }),
    );
    try {
      await call('dynamodb:UpdateTimeToLive', () =>
        this.raw.send(
          new UpdateTimeToLiveCommand({
            TableName: this.name,
            TimeToLiveSpecification: { AttributeName: definition.ttlAttribute, Enabled: true },
          }),
        ),
      );
    } catch (err) {
      // "TimeToLive is already enabled": a racing process got there first.
      if (!hasAwsCode(err, 'ValidationException')) throw err;
    }
    return 'created';
  }

  /** dynamodb:DescribeTable */
  private async exists(): Promise<boolean> {
    try {
      await this.raw.send(new DescribeTableCommand({ TableName: this.name }));
      return true;
    } catch (err) {
      if (err instanceof ResourceNotFoundException) return false;
      throw toAwsError('dynamodb:DescribeTable', err);
    }
  }
}

function conditionOf(condition: Expression | undefined) {
  if (!condition) return {};
  return {
    ConditionExpression: condition.expression,
    ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
    ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
  };
}

/** A ProjectionExpression reading only `attributes` (by placeholder: any name may be a reserved word). */
function projectionOf(attributes: readonly string[] | undefined) {
  if (!attributes) return {};
  return {
    ProjectionExpression: attributes.map((_, i) => `#p${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name])),
  };
}
