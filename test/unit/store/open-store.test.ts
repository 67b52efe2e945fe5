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

  it('fails when DynamoDB is asked for with no region (the table itself is tested against moto)', async () => {
    const saved = { region: process.env.AWS_REGION, fallback: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      await expect(openStore('dynamodb:avf-requests')).rejects.toMatchObject({
        code: 'STORE_SPEC_INVALID',
        message: expect.stringContaining('set AWS_REGION'),
      });
    } finally {
      if (saved.region !== undefined) process.env.AWS_REGION = saved.region;
      if (saved.fallback !== undefined) process.env.AWS_DEFAULT_REGION = saved.fallback;
    }
  });

  it.each(['', 'sqlite:', 'postgres://db', 'avf.db'])('fails when the spec is %j', async (spec) => {
    await expect(openStore(spec)).rejects.toMatchObject({ code: 'STORE_SPEC_INVALID' });
  });
});

describe('a SQLite store that cannot be used', () => {
  it('names the path and the cause when the directory is read-only (no stack trace, nothing stored)', async () => {
    const { mkdtempSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'avf-ro-'));
    chmodSync(dir, 0o500);
    const path = join(dir, 'sub', 'avf.db');
    const attempt = openStore(`sqlite:${path}`);
    if (process.getuid?.() === 0) {
      // root ignores directory permissions: a file where a directory should be instead
      const blocker = join(mkdtempSync(join(tmpdir(), 'avf-nd-')), 'file');
      (await import('node:fs')).writeFileSync(blocker, '');
      await attempt.then((s) => s.close()).catch(() => undefined);
      await expect(openStore(`sqlite:${join(blocker, 'avf.db')}`)).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining(join(blocker, 'avf.db')),
      });
    } else {
      await expect(attempt).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining(path),
      });
    }
  });
});
