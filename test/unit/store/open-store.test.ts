import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../../src/store/memory-store';
import { openStore } from '../../../src/store/open-store';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';

describe('openStore', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'avf-open-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a SQLite file, creating its directory', async () => {
    const file = join(dir, 'nested', 'deeper', 'avf.db');
    const store = await openStore(`sqlite:${file}`);
    expect(store).toBeInstanceOf(SqliteStore);
    expect(existsSync(file)).toBe(true);
    await store.close();
  });

  it('opens an in-memory store', async () => {
    expect(await openStore('memory:')).toBeInstanceOf(MemoryStore);
  });

  it('fails when asked for DynamoDB, which comes later', async () => {
    await expect(openStore('dynamodb:avf-requests')).rejects.toMatchObject({
      code: 'STORE_UNSUPPORTED',
      message: expect.stringContaining('DynamoDB store comes later'),
    });
  });

  it.each(['', 'sqlite:', 'postgres://db', 'avf.db'])('fails when the spec is %j', async (spec) => {
    await expect(openStore(spec)).rejects.toMatchObject({ code: 'STORE_SPEC_INVALID' });
  });
});
