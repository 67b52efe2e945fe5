import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startMoto, type LocalAws } from '../../src/local/moto';
import { DynamoDbStore } from '../../src/store/dynamodb/dynamodb-store';
import { TABLE, WAKE_KEY } from '../../src/store/dynamodb/table-schema';
import type { ClientFactory } from '../../src/aws/clients';
import { DynamoTable } from '../../src/aws/dynamodb-table';
import { openStore, type Store } from '../../src/store/open-store';
import { makeRequestRecord } from '../support/fixtures';
import { describeJobStoreContract } from '../unit/store/job-store.contract';
import { describeDocumentStoreContract } from '../unit/store/document-store.contract';
import { describeIdempotencyAndAuditContract } from '../unit/store/idempotency-audit.contract';
import { describeRequestStoreContract } from '../unit/store/request-store.contract';
import { describeStoreWritesContract } from '../unit/store/store-writes.contract';

let moto: LocalAws;
const saved = { ...process.env };
let tables = 0;

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
  });
});
afterAll(async () => {
  await moto?.stop();
  process.env = saved;
});

/** A new, empty table per test: the store creates it from the schema on opening. */
const newStore = (): Promise<Store> => openStore(`dynamodb:avf-${++tables}`, { endpoint: moto.endpoint });

describeRequestStoreContract('DynamoDbStore (moto)', newStore);
describeIdempotencyAndAuditContract('DynamoDbStore (moto)', newStore);
describeDocumentStoreContract('DynamoDbStore (moto)', newStore);
describeJobStoreContract('DynamoDbStore (moto)', newStore);
describeStoreWritesContract('DynamoDbStore (moto)', newStore);

describe('DynamoDbStore table', () => {
  const client = () =>
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });

  it('wakes workers by rewriting its one wake item with a new value each time', async () => {
    const store = await openStore('dynamodb:avf-wake', { endpoint: moto.endpoint });
    const wakeValue = async () => {
      const { Item } = await client().send(
        new GetItemCommand({
          TableName: 'avf-wake',
          Key: { pk: { S: WAKE_KEY.pk }, sk: { S: WAKE_KEY.sk } },
        }),
      );
      return Item?.wake?.S;
    };
    expect(await wakeValue()).toBeUndefined();
    await store.wakeWorkers?.();
    const first = await wakeValue();
    await store.wakeWorkers?.();
    const second = await wakeValue();
    // DynamoDB writes no stream record for a put that changes nothing: each wake must change the item
    expect(first).toEqual(expect.any(String));
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);
    await store.close();
  });

  it('creates the table from the one schema, with TTL on, when it does not exist', async () => {
    const store = await openStore('dynamodb:avf-schema', { endpoint: moto.endpoint });
    expect(store).toBeInstanceOf(DynamoDbStore);
    const { Table } = await client().send(new DescribeTableCommand({ TableName: 'avf-schema' }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      TABLE.indexes.map((i) => i.name).sort(),
    );
    const ttl = await client().send(new DescribeTimeToLiveCommand({ TableName: 'avf-schema' }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: TABLE.ttlAttribute,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('opens an existing table as it is, keeping its items', async () => {
    const first = await openStore('dynamodb:avf-reopen', { endpoint: moto.endpoint });
    const record = await first.create(makeRequestRecord());
    const second = await openStore('dynamodb:avf-reopen', { endpoint: moto.endpoint });
    expect(await second.get(record.id)).toEqual(record);
  });

  it('lets several processes open a new table at once', async () => {
    const stores = await Promise.all(
      [1, 2, 3].map(() => openStore('dynamodb:avf-race', { endpoint: moto.endpoint })),
    );
    const record = await stores[0]!.create(makeRequestRecord());
    expect((await stores[2]!.get(record.id))?.id).toBe(record.id);
  });

  it('leaves a request out of the due index once it is finished', async () => {
    const store = await newStore();
    const record = await store.create(makeRequestRecord({ nextCheckAt: '2025-01-01T00:00:00.000Z' }));
    await store.save({ ...record, status: 'READY' });
    expect(await store.claimDue({ now: new Date(), owner: 'w', leaseMs: 1000, limit: 5 })).toEqual([]);
  });

  it('spreads audit entries over the index partitions, with a TTL at the end of their retention', async () => {
    const store = await newStore();
    for (let i = 0; i < 40; i++) {
      await store.appendAudit({
        schemaVersion: 1,
        id: `aud-${String(i).padStart(4, '0')}`,
        at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
        actor: 'ci',
        action: 'account-request.submit',
        outcome: 'success',
        status: 202,
        expiresAt: '2026-01-01T00:00:00.000Z',
      });
    }
    const table = new DynamoTable({ dynamoDb: client } as unknown as ClientFactory, `avf-${tables}`);
    const item = await table.get({ pk: 'AUDIT#aud-0000', sk: 'AUDIT' });
    expect(item?.expiresAt).toBe(Date.parse('2026-01-01T00:00:00.000Z') / 1000);
    const partitions = new Set<unknown>();
    for (let i = 0; i < 40; i++) {
      partitions.add(
        (await table.get({ pk: `AUDIT#aud-${String(i).padStart(4, '0')}`, sk: 'AUDIT' }))?.allPk,
      );
    }
    expect(partitions.size).toBeGreaterThan(4);
    expect([...partitions].every((p) => /^AUDIT#[0-7]$/.test(String(p)))).toBe(true);
  });

  it.each(['dynamodb:', 'dynamodb:a', 'dynamodb:has space'])('fails when the spec is %j', async (spec) => {
    await expect(openStore(spec)).rejects.toMatchObject({ code: 'STORE_SPEC_INVALID' });
  });
});
