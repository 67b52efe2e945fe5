import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestViewBodies, VIEW_RECHECK_MS } from '../../../api/request-view-bodies';
import type { DocumentStore } from '../../../src/domain/ports/document-store';
import type { RequestStore } from '../../../src/domain/ports/request-store';
import type { Principal } from '../../../src/domain/principal';
import { MemoryStore } from '../../../src/store/memory-store';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { DELIVERY } from '../../../src/workflow/notify/delivery-state';
import { makeRequestRecord } from '../../support/fixtures';

const platform: Principal = { role: 'platform', name: 'ops', id: 'p' };
const payments: Principal = { role: 'requester', team: 'payments', name: 'pay', id: 'r1' };
const growth: Principal = { role: 'requester', team: 'growth', name: 'grow', id: 'r2' };
const now = new Date('2026-12-04T10:00:00.000Z');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'avf-views-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The API's store and another process's (a worker of its own) on one SQLite file, a request in it
 * with its view remembered, and RequestViewBodies on a hand-moved elapsed time.
 */
async function setup(name: string) {
  const file = join(dir, `${name}.db`);
  const api = new SqliteStore(file);
  const elsewhere = new SqliteStore(file);
  const record = await api.create(makeRequestRecord({ team: 'payments' }));
  let elapsed = 10_000;
  const views = new RequestViewBodies(api, () => elapsed);
  const getVersion = jest.spyOn(api, 'getVersion');
  views.remember(record, 'body v1');
  return {
    api,
    elsewhere,
    record,
    views,
    getVersion,
    wait: (ms: number) => (elapsed += ms),
    close: async () => {
      views.close();
      await Promise.all([api.close(), elsewhere.close()]);
    },
  };
}

describe('RequestViewBodies: a view found current is served for VIEW_RECHECK_MS without reading its version', () => {
  it('reads the version once, then serves from memory within the window and reads again after it', async () => {
    const s = await setup('window');
    await expect(s.views.find(platform, s.record.id)).resolves.toBe('body v1');
    expect(s.getVersion).toHaveBeenCalledTimes(1);
    s.wait(VIEW_RECHECK_MS - 1);
    await expect(s.views.find(platform, s.record.id)).resolves.toBe('body v1');
    expect(s.getVersion).toHaveBeenCalledTimes(1);
    s.wait(1);
    await expect(s.views.find(platform, s.record.id)).resolves.toBe('body v1');
    expect(s.getVersion).toHaveBeenCalledTimes(2);
    await s.close();
  });

  it("shows another process's change once the window has passed, not before", async () => {
    const s = await setup('elsewhere');
    await s.views.find(platform, s.record.id);
    await s.elsewhere.save(s.record);
    s.wait(VIEW_RECHECK_MS - 1);
    await expect(s.views.find(platform, s.record.id)).resolves.toBe('body v1');
    s.wait(1);
    await expect(s.views.find(platform, s.record.id)).resolves.toBeUndefined();
    await s.close();
  });

  it("drops the view at once on this process's own write of the request", async () => {
    const s = await setup('own-write');
    await s.views.find(platform, s.record.id);
    await s.api.save(s.record);
    await expect(s.views.find(platform, s.record.id)).resolves.toBeUndefined();
    expect(s.getVersion).toHaveBeenCalledTimes(1);
    await s.close();
  });

  it("drops the view at once on this process's own write of the request's delivery document", async () => {
    const s = await setup('own-delivery');
    await s.views.find(platform, s.record.id);
    await s.api.putDocument('limiter', s.record.id, {}, 0, now); // another kind: kept
    await expect(s.views.find(platform, s.record.id)).resolves.toBe('body v1');
    await s.api.putDocument(DELIVERY.kind, s.record.id, {}, 0, now);
    await expect(s.views.find(platform, s.record.id)).resolves.toBeUndefined();
    await s.close();
  });

  it("checks the caller's team on every call, within the window too", async () => {
    const s = await setup('team');
    await expect(s.views.find(payments, s.record.id)).resolves.toBe('body v1');
    await expect(s.views.find(growth, s.record.id)).resolves.toBeUndefined();
    await expect(s.views.find(payments, s.record.id)).resolves.toBe('body v1');
    expect(s.getVersion).toHaveBeenCalledTimes(1);
    await s.close();
  });

  it('reads the version of a view just built: a write may have been told while it was built', async () => {
    const s = await setup('just-built');
    await s.elsewhere.save(s.record);
    await expect(s.views.find(platform, s.record.id)).resolves.toBeUndefined();
    await s.close();
  });

  it('reads the version on every call when the store does not tell its writes', async () => {
    const store = new MemoryStore();
    const record = await store.create(makeRequestRecord());
    // The two reads RequestViewBodies makes, and no onWrite.
    const silent = {
      getVersion: jest.fn((id: string) => store.getVersion(id)),
      getDocument: jest.fn((kind: string, id: string) => store.getDocument(kind, id)),
    };
    const views = new RequestViewBodies(silent as unknown as RequestStore & DocumentStore, () => 0);
    views.remember(record, 'body');
    await expect(views.find(platform, record.id)).resolves.toBe('body');
    await expect(views.find(platform, record.id)).resolves.toBe('body');
    expect(silent.getVersion).toHaveBeenCalledTimes(2);
  });
});
