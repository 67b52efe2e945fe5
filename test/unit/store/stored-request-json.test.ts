import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { parseStoredRequest } from '../../../src/store/stored-request-json';
import { makeRequestRecord } from '../../support/fixtures';

let dir: string;
let files = 0;
const newFile = () => join(dir, `store-${++files}.db`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'avf-stored-json-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Rewrites a stored record's JSON behind the store's back, version untouched. */
function overwrite(file: string, id: string, json: string): void {
  const raw = new Database(file);
  raw.prepare('UPDATE requests SET record = ? WHERE id = ?').run(json, id);
  raw.close();
}

describe('reading a stored request a second time (schema check skipped for unchanged text)', () => {
  it('serves a record another writer changed between two reads as changed', async () => {
    const file = newFile();
    const reader = new SqliteStore(file);
    const writer = new SqliteStore(file);
    const created = await writer.create(makeRequestRecord());
    expect(await reader.get(created.id)).toEqual(created);
    expect(await reader.get(created.id)).toEqual(created);
    const saved = await writer.save({ ...created, status: 'IN_PROGRESS', awsCalls: 3 });
    expect(await reader.get(created.id)).toEqual(saved);
    expect(await reader.get(created.id)).toMatchObject({ status: 'IN_PROGRESS', awsCalls: 3, version: 2 });
    await reader.close();
    await writer.close();
  });

  it('serves changed text as changed even when the version did not move', async () => {
    const file = newFile();
    const store = new SqliteStore(file);
    const created = await store.create(makeRequestRecord());
    await store.get(created.id);
    overwrite(file, created.id, JSON.stringify({ ...created, team: 'platform' }));
    expect(await store.get(created.id)).toMatchObject({ team: 'platform', version: created.version });
    await store.close();
  });

  it('still refuses a record changed to one the schema rejects after a valid read', async () => {
    const file = newFile();
    const store = new SqliteStore(file);
    const created = await store.create(makeRequestRecord());
    await store.get(created.id);
    overwrite(file, created.id, JSON.stringify({ ...created, status: 'NOT_A_STATUS' }));
    await expect(store.get(created.id)).rejects.toMatchObject({ code: 'STORE_RECORD_INVALID' });
    await store.close();
  });

  it('gives every read its own object, so a caller changing one changes no later read', () => {
    const record = makeRequestRecord();
    const json = JSON.stringify(parseStoredRequest(JSON.stringify(record)));
    const first = parseStoredRequest(json);
    first.status = 'FAILED';
    first.steps[0]!.status = 'FAILED';
    const second = parseStoredRequest(json);
    expect(second).not.toBe(first);
    expect(second.status).toBe('QUEUED');
    expect(second.steps[0]!.status).not.toBe('FAILED');
  });

  it('applies the schema on every read of text it does not return unchanged (a default to fill in)', () => {
    const assignment = { group: 'payments-devs', permissionSet: 'Developer' };
    const json = JSON.stringify({ ...makeRequestRecord(), handles: { assignments: [assignment] } });
    const filled = [{ ...assignment, status: 'PENDING' }];
    expect(parseStoredRequest(json).handles.assignments).toEqual(filled);
    expect(parseStoredRequest(json).handles.assignments).toEqual(filled);
  });
});
