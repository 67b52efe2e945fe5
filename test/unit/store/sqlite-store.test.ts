import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../../src/store/sqlite/migrations';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { makeRequestRecord } from '../../support/fixtures';
import { describeJobStoreContract } from './job-store.contract';
import { describeDocumentStoreContract } from './document-store.contract';
import { describeIdempotencyAndAuditContract } from './idempotency-audit.contract';
import { describeRequestStoreContract } from './request-store.contract';
import { describeStoreWritesContract } from './store-writes.contract';

const run = promisify(execFile);

let dir: string;
let files = 0;
const newFile = () => join(dir, `store-${++files}.db`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'avf-sqlite-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeRequestStoreContract('SqliteStore', () => Promise.resolve(new SqliteStore(newFile())));
describeIdempotencyAndAuditContract('SqliteStore', () => Promise.resolve(new SqliteStore(newFile())));
describeDocumentStoreContract('SqliteStore', () => Promise.resolve(new SqliteStore(newFile())));
describeJobStoreContract('SqliteStore', () => Promise.resolve(new SqliteStore(newFile())));
describeStoreWritesContract('SqliteStore', () => Promise.resolve(new SqliteStore(newFile())));

describe('SqliteStore on a shared file', () => {
  const past = '2025-01-01T00:00:00.000Z';

  it('never lets two connections lease the same record', async () => {
    const file = newFile();
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    for (let i = 0; i < 30; i++) await a.create(makeRequestRecord({ nextCheckAt: past }));
    const claim = (store: SqliteStore, owner: string) =>
      store.claimDue({ now: new Date(), owner, leaseMs: 60_000, limit: 4 });
    const rounds = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(i % 2 ? a : b, `w${i % 2}`)));
    const ids = rounds.flat().map((r) => r.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await b.get(ids[0]!))?.leaseOwner).toMatch(/^w[01]$/);
    await Promise.all([a.close(), b.close()]);
  });

  it('never lets two processes lease the same record', async () => {
    const file = newFile();
    const seed = new SqliteStore(file);
    for (let i = 0; i < 150; i++) await seed.create(makeRequestRecord({ nextCheckAt: past }));
    await seed.close();
    const startAt = String(Date.now() + 3000);
    const worker = join(__dirname, 'claim-worker.ts');
    const outputs = await Promise.all(
      ['p1', 'p2', 'p3'].map((owner) =>
        run(process.execPath, ['--import', 'tsx', worker, file, owner, startAt]),
      ),
    );
    const perProcess = outputs.map((o) => JSON.parse(o.stdout) as string[]);
    const ids = perProcess.flat();
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
  });

  it('answers a claim with nothing due without the write lock another connection holds', async () => {
    const file = newFile();
    const store = new SqliteStore(file, { busyTimeoutMs: 50 });
    const future = '2999-01-01T00:00:00.000Z';
    await store.create(makeRequestRecord({ nextCheckAt: future }));
    await store.jobs.createJob({
      kind: 'k',
      id: 'j',
      version: 1,
      attempts: 0,
      nextCheckAt: future,
      createdAt: past,
      updatedAt: past,
      state: {},
    });
    const writer = new Database(file);
    writer.exec('BEGIN IMMEDIATE');
    const now = new Date();
    const claim = { now, owner: 'w', leaseMs: 60_000, limit: 5 };
    expect(await store.claimDue(claim)).toEqual([]);
    expect(await store.jobs.claimJobs({ ...claim, kind: 'k' })).toEqual([]);
    // something due: the claim takes it once the other connection lets go of the lock
    writer.exec('ROLLBACK');
    await store.create(makeRequestRecord({ nextCheckAt: past }));
    expect(await store.claimDue(claim)).toHaveLength(1);
    writer.close();
    await store.close();
  });

  it('keeps records when the file is reopened', async () => {
    const file = newFile();
    const first = new SqliteStore(file);
    const record = await first.create(makeRequestRecord());
    await first.close();
    const second = new SqliteStore(file);
    expect(await second.get(record.id)).toEqual(record);
    await second.close();
  });

  it('fails when a stored record does not match the schema', async () => {
    const file = newFile();
    const store = new SqliteStore(file);
    const record = await store.create(makeRequestRecord());
    const raw = new Database(file);
    raw
      .prepare('UPDATE requests SET record = ? WHERE id = ?')
      .run(JSON.stringify({ ...record, schemaVersion: 99 }), record.id);
    raw.close();
    await expect(store.get(record.id)).rejects.toMatchObject({ code: 'STORE_RECORD_INVALID' });
    await store.close();
  });
});

describe('SQLite audit retention', () => {
  it('deletes the entries whose retention ended when a later entry is appended', async () => {
    const store = new SqliteStore(newFile());
    const entry = (id: string, at: string, expiresAt?: string) => ({
      schemaVersion: 1 as const,
      id,
      at,
      actor: 'ci',
      action: 'account-request.submit',
      outcome: 'success' as const,
      status: 202,
      ...(expiresAt ? { expiresAt } : {}),
    });
    await store.appendAudit(entry('aud-old', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'));
    await store.appendAudit(entry('aud-kept', '2025-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z'));
    await store.appendAudit(entry('aud-forever', '2025-01-03T00:00:00.000Z'));
    expect((await store.listAudit({ limit: 10 })).items.map((e) => e.id)).toEqual([
      'aud-forever',
      'aud-kept',
      'aud-old',
    ]);
    await store.appendAudit(entry('aud-new', '2025-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'));
    expect((await store.listAudit({ limit: 10 })).items.map((e) => e.id)).toEqual([
      'aud-new',
      'aud-forever',
      'aud-kept',
    ]);
    await store.close();
  });
});

describe('SQLite migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('run once, and reopening applies nothing', () => {
    const db = new Database(newFile());
    expect(migrate(db).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('make token names unique on a store written before migration 6, keeping every token', async () => {
    const file = newFile();
    const db = new Database(file);
    migrate(db, MIGRATIONS.slice(0, 5));
    const insert = db.prepare(
      'INSERT INTO tokens (hash, role, team, name, created_at) VALUES (?, ?, NULL, ?, ?)',
    );
    insert.run('a'.repeat(64), 'auditor', 'ops', '2025-01-01T00:00:00.000Z');
    insert.run('b'.repeat(64), 'auditor', 'ops', '2025-01-02T00:00:00.000Z');
    db.close();
    const store = new SqliteStore(file);
    expect((await store.listTokens()).map((t) => t.name)).toEqual(['ops', `ops-${'b'.repeat(8)}`]);
    await store.close();
  });

  it('open the file in WAL mode', async () => {
    const file = newFile();
    const store = new SqliteStore(file);
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await store.close();
  });

  it('fails when the file has a newer schema than this build knows', () => {
    const db = new Database(newFile());
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(`schema version ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
  });
});
