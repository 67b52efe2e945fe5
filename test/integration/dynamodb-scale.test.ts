import { startDynamoRecorder, type DynamoRecorder } from '../../scripts/dynamodb/recorder';
import { exerciseReads, seededRecord, seedRequests, type SeedShape } from '../../scripts/dynamodb/scale';
import { startMoto, type LocalAws } from '../../src/local/moto';
import { TABLE } from '../../src/store/dynamodb/table-schema';
import { openStore, type Store } from '../../src/store/open-store';
import { makeRequestRecord } from '../support/fixtures';

/**
 * The DynamoDB store on a table of some size, every call it sends recorded on the wire: listings
 * and lookups are Queries on a key or an index, never a Scan, and pagination holds while writes
 * happen. ``npm run bench:dynamodb`` runs the same at 100,000 requests and 10,000 accounts.
 */
const SHAPE: SeedShape = { requests: 1_500, accounts: 150, teams: 10 };
const TABLE_NAME = 'avf-scale';

describe('DynamoDB store at scale: Queries only, stable pages', () => {
  let moto: LocalAws;
  let recorder: DynamoRecorder;
  let store: Store;
  const saved = { ...process.env };

  beforeAll(async () => {
    moto = await startMoto();
    recorder = await startDynamoRecorder(moto.endpoint);
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    store = await openStore(`dynamodb:${TABLE_NAME}`, { endpoint: recorder.endpoint });
    await seedRequests(moto.endpoint, TABLE_NAME, SHAPE);
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    await recorder?.stop();
    await moto?.stop();
    process.env = saved;
  });

  it('answers every listing, filter and lookup with Query or GetItem on a key or an index; no Scan', async () => {
    recorder.reset();
    const pages = await exerciseReads(store, SHAPE);
    expect(pages).toBeGreaterThan(20);
    const operations = new Set(recorder.calls.map((c) => c.operation));
    expect(operations.has('Scan')).toBe(false);
    // The lease writes of claimDue aside, only keyed reads.
    expect([...operations].sort()).toEqual(['GetItem', 'PutItem', 'Query']);
    const indexes = TABLE.indexes.map((i) => i.name);
    for (const query of recorder.calls.filter((c) => c.operation === 'Query')) {
      expect(indexes).toContain(query.index);
      expect(query.request.KeyConditionExpression).toEqual(expect.any(String));
      // A page is read by its key range: never more than a page (and one to see if there is a next).
      expect(query.request.Limit).toBeLessThanOrEqual(101);
    }
    for (const get of recorder.calls.filter((c) => c.operation === 'GetItem'))
      expect(Object.keys(get.request.Key as object).sort()).toEqual(['pk', 'sk']);
  }, 240_000);

  it('lists every stored request exactly once while new ones are submitted and others change', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let written = 0;
    do {
      const page = await store.list({ limit: 100, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      // Between pages: a new request (newest, so before the cursor) and a save of one further on.
      await store.create(makeRequestRecord({ createdAt: new Date().toISOString() }));
      const ahead = await store.get(seededRecord(Math.max(0, SHAPE.requests - seen.length - 50), SHAPE).id);
      if (ahead)
        await store.save({ ...ahead, updatedAt: new Date().toISOString(), attempts: ahead.attempts + 1 });
      written++;
    } while (cursor);
    expect(written).toBeGreaterThanOrEqual(SHAPE.requests / 100);
    expect(new Set(seen).size).toBe(seen.length);
    const expected = Array.from({ length: SHAPE.requests }, (_, i) => seededRecord(i, SHAPE).id);
    // Newest first: the seeded ones (the newly submitted are newer than the cursor, so not in later pages).
    expect(seen.filter((id) => id.startsWith('seed-'))).toEqual(expected.reverse());
  }, 240_000);
});
