import { PHASES, type RequestRecord } from '../../../src/domain/account-request';
import { ConflictError, StaleRecordError, ValidationError } from '../../../src/domain/errors';
import type { RequestStore, TokenStore } from '../../../src/domain/ports/request-store';
import { makeRequestRecord } from '../../support/fixtures';

export type ContractStore = RequestStore & TokenStore;

const T0 = new Date('2025-03-01T12:00:00.000Z');
const at = (offsetMs: number): string => new Date(T0.getTime() + offsetMs).toISOString();
const claimAt = (offsetMs: number, owner = 'worker-a', limit = 10) =>
  ({ now: new Date(T0.getTime() + offsetMs), owner, leaseMs: 60_000, limit }) as const;

async function listAll(
  store: RequestStore,
  query: { status?: RequestRecord['status']; team?: string; limit: number },
) {
  const pages: RequestRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ ...query, cursor });
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

/**
 * The behaviour every RequestStore adapter must have. Each adapter's test file calls this with a
 * factory for an empty store.
 */
export function describeRequestStoreContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`${name} (RequestStore contract)`, () => {
    let store: ContractStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('create and get', () => {
      it('round-trips a record, starting at version 1', async () => {
        const record = makeRequestRecord({ version: 7, handles: { createAccountRequestId: 'car-1' } });
        const created = await store.create(record);
        expect(created).toEqual({ ...record, version: 1 });
        expect(await store.get(record.id)).toEqual(created);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await store.get('no-such-id')).toBeUndefined();
      });

      it('reads the version and team alone (getVersion)', async () => {
        const created = await store.create(makeRequestRecord({ team: 'payments' }));
        expect(await store.getVersion(created.id)).toEqual({ team: 'payments', version: 1 });
        await store.save(created);
        expect(await store.getVersion(created.id)).toEqual({ team: 'payments', version: 2 });
        expect(await store.getVersion('no-such-id')).toBeUndefined();
      });

      it('finds a record by email, whatever its case', async () => {
        const record = await store.create(makeRequestRecord({ spec: { email: 'Team.Lead@Example.com' } }));
        expect((await store.findByEmail(' team.lead@EXAMPLE.com '))?.id).toBe(record.id);
        expect(await store.findByEmail('nobody@example.com')).toBeUndefined();
      });

      it('finds a record by the account it vended, once saved with one', async () => {
        const created = await store.create(makeRequestRecord());
        expect(await store.findByAccountId('111122223333')).toBeUndefined();
        await store.save({ ...created, accountId: '111122223333' });
        expect((await store.findByAccountId('111122223333'))?.id).toBe(created.id);
      });

      it('keeps stored state safe from callers mutating what they passed in or got back', async () => {
        const record = makeRequestRecord();
        const created = await store.create(record);
        record.spec.tags.mutated = 'in';
        created.steps.length = 0;
        const fetched = await store.get(record.id);
        fetched!.handles.budgetName = 'mutated';
        const again = await store.get(record.id);
        expect(again?.spec.tags).toEqual({ env: 'dev' });
        expect(again?.steps).toHaveLength(PHASES.length);
        expect(again?.handles).toEqual({});
      });

      it('fails when the email is already used, ignoring case', async () => {
        const first = await store.create(makeRequestRecord({ spec: { email: 'dup@example.com' } }));
        const attempt = store.create(makeRequestRecord({ spec: { email: 'DUP@Example.COM' } }));
        await expect(attempt).rejects.toThrow(ConflictError);
        await expect(attempt).rejects.toMatchObject({ code: 'EMAIL_IN_USE' });
        // the holder may be another team's request: its id is not told (issue 14)
        await expect(attempt).rejects.toThrow('email DUP@Example.COM is already used by another request');
        await expect(attempt).rejects.not.toThrow(first.id);
      });

      it('fails when the id is already used', async () => {
        const first = await store.create(makeRequestRecord());
        await expect(store.create(makeRequestRecord({ id: first.id }))).rejects.toThrow(ConflictError);
      });
    });

    describe('list', () => {
      it('pages through every record exactly once, newest first', async () => {
        // Five share a createdAt so the tie-break on id is exercised too.
        for (let i = 0; i < 25; i++) {
          await store.create(
            makeRequestRecord({
              id: `req-${String(i).padStart(2, '0')}`,
              createdAt: at(Math.min(i, 20) * 1000),
            }),
          );
        }
        const pages = await listAll(store, { limit: 10 });
        expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
        const ids = pages.flat().map((r) => r.id);
        expect(new Set(ids).size).toBe(25);
        const expected = Array.from({ length: 25 }, (_, i) => `req-${String(24 - i).padStart(2, '0')}`);
        expect(ids).toEqual(expected);
      });

      it('filters by status and by team', async () => {
        const make = (i: number, status: RequestRecord['status'], team: string) =>
          store.create(makeRequestRecord({ status, team, createdAt: at(i * 1000) }));
        await make(1, 'QUEUED', 'payments');
        const ready = await make(2, 'READY', 'payments');
        const data = await make(3, 'READY', 'data');
        await make(4, 'FAILED', 'data');

        const readyAll = (await listAll(store, { status: 'READY', limit: 1 })).flat();
        expect(readyAll.map((r) => r.id)).toEqual([data.id, ready.id]);
        const dataTeam = (await store.list({ team: 'data', limit: 10 })).items;
        expect(dataTeam.map((r) => r.team)).toEqual(['data', 'data']);
        const both = (await store.list({ team: 'payments', status: 'READY', limit: 10 })).items;
        expect(both.map((r) => r.id)).toEqual([ready.id]);
      });

      it('caps the page size at 100', async () => {
        for (let i = 0; i < 101; i++) await store.create(makeRequestRecord({ createdAt: at(i) }));
        const page = await store.list({ limit: 1000 });
        expect(page.items).toHaveLength(100);
        expect(page.nextCursor).toBeDefined();
      });

      it('fails when the cursor was not issued by the store', async () => {
        await expect(store.list({ limit: 10, cursor: 'not-a-cursor' })).rejects.toThrow(ValidationError);
      });
    });

    describe('countByStatus', () => {
      it('counts the records of a status, past one page, and follows their saves', async () => {
        expect(await store.countByStatus('READY')).toBe(0);
        for (let i = 0; i < 105; i++)
          await store.create(makeRequestRecord({ status: 'READY', createdAt: at(i * 1000) }));
        const queued = await store.create(makeRequestRecord({ status: 'QUEUED', createdAt: at(200_000) }));
        await store.create(makeRequestRecord({ status: 'FAILED', createdAt: at(201_000) }));
        expect(await store.countByStatus('READY')).toBe(105);
        expect(await store.countByStatus('QUEUED')).toBe(1);
        expect(await store.countByStatus('IN_PROGRESS')).toBe(0);

        await store.save({ ...queued, status: 'READY' });
        expect(await store.countByStatus('READY')).toBe(106);
        expect(await store.countByStatus('QUEUED')).toBe(0);
        expect(await store.countByStatus('FAILED')).toBe(1);
      });
    });

    describe('save', () => {
      it('bumps the version on every write', async () => {
        const created = await store.create(makeRequestRecord());
        const saved = await store.save({ ...created, status: 'IN_PROGRESS', attempts: 1 });
        expect(saved.version).toBe(2);
        expect(await store.get(created.id)).toEqual(saved);
        expect((await store.save(saved)).version).toBe(3);
      });

      it('fails with StaleRecordError when the record changed since it was read', async () => {
        const created = await store.create(makeRequestRecord());
        await store.save({ ...created, attempts: 1 });
        await expect(store.save({ ...created, attempts: 2 })).rejects.toThrow(StaleRecordError);
        expect((await store.get(created.id))?.attempts).toBe(1);
      });

      it('fails with StaleRecordError when the record does not exist', async () => {
        await expect(store.save(makeRequestRecord())).rejects.toThrow(StaleRecordError);
      });
    });

    describe('claimDue', () => {
      it('leases due QUEUED and IN_PROGRESS records and bumps their version', async () => {
        const queued = await store.create(makeRequestRecord({ status: 'QUEUED', nextCheckAt: at(0) }));
        const running = await store.create(
          makeRequestRecord({ status: 'IN_PROGRESS', nextCheckAt: at(-5000) }),
        );
        for (const status of ['PENDING_APPROVAL', 'READY', 'FAILED'] as const) {
          await store.create(makeRequestRecord({ status, nextCheckAt: at(-5000) }));
        }
        const claimed = await store.claimDue(claimAt(0));
        // Oldest nextCheckAt first.
        expect(claimed.map((r) => r.id)).toEqual([running.id, queued.id]);
        for (const r of claimed) {
          expect(r).toMatchObject({ leaseOwner: 'worker-a', leaseUntil: at(60_000), version: 2 });
          expect(await store.get(r.id)).toEqual(r);
        }
      });

      it('does not claim records whose nextCheckAt is in the future', async () => {
        await store.create(makeRequestRecord({ nextCheckAt: at(1) }));
        expect(await store.claimDue(claimAt(0))).toEqual([]);
        expect(await store.claimDue(claimAt(1))).toHaveLength(1);
      });

      it('does not claim a leased record until its lease expires', async () => {
        const record = await store.create(makeRequestRecord({ nextCheckAt: at(0) }));
        expect(await store.claimDue(claimAt(0, 'worker-a'))).toHaveLength(1);
        expect(await store.claimDue(claimAt(59_999, 'worker-b'))).toEqual([]);
        const reclaimed = await store.claimDue(claimAt(60_000, 'worker-b'));
        expect(reclaimed).toEqual([
          expect.objectContaining({ id: record.id, leaseOwner: 'worker-b', version: 3 }),
        ]);
      });

      it('skips the records the claiming worker is still stepping, though their lease ran out', async () => {
        const a = await store.create(makeRequestRecord({ nextCheckAt: at(0) }));
        const b = await store.create(makeRequestRecord({ nextCheckAt: at(1) }));
        expect((await store.claimDue(claimAt(1))).map((r) => r.id)).toEqual([a.id, b.id]);
        const again = await store.claimDue({ ...claimAt(60_001), excludeIds: [a.id] });
        expect(again.map((r) => r.id)).toEqual([b.id]);
      });

      it('makes the pre-claim copy stale', async () => {
        const record = await store.create(makeRequestRecord({ nextCheckAt: at(0) }));
        const [claimed] = await store.claimDue(claimAt(0));
        await expect(store.save(record)).rejects.toThrow(StaleRecordError);
        const released = await store.save({
          ...claimed!,
          leaseOwner: undefined,
          leaseUntil: undefined,
          nextCheckAt: at(0),
        });
        expect(released.leaseOwner).toBeUndefined();
        expect(await store.claimDue(claimAt(0, 'worker-b'))).toHaveLength(1);
      });

      it('claims at most `limit` records', async () => {
        for (let i = 0; i < 5; i++) await store.create(makeRequestRecord({ nextCheckAt: at(-i) }));
        expect(await store.claimDue(claimAt(0, 'worker-a', 3))).toHaveLength(3);
        expect(await store.claimDue(claimAt(0, 'worker-b', 3))).toHaveLength(2);
      });

      it('never gives two concurrent claimers the same record', async () => {
        for (let i = 0; i < 20; i++) await store.create(makeRequestRecord({ nextCheckAt: at(-i) }));
        const results = await Promise.all(
          ['w1', 'w2', 'w3', 'w4'].map((w) => store.claimDue(claimAt(0, w, 8))),
        );
        const ids = results.flat().map((r) => r.id);
        expect(ids).toHaveLength(20);
        expect(new Set(ids).size).toBe(20);
      });
    });

    describe('anyDue', () => {
      const when = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

      it('answers whether an open record is due by the time asked, settled ones never', async () => {
        expect(await store.anyDue(when(0))).toBe(false);
        for (const status of ['PENDING_APPROVAL', 'READY', 'FAILED'] as const)
          await store.create(makeRequestRecord({ status, nextCheckAt: at(-5000) }));
        expect(await store.anyDue(when(0))).toBe(false);
        await store.create(makeRequestRecord({ status: 'IN_PROGRESS', nextCheckAt: at(30_000) }));
        expect(await store.anyDue(when(29_999))).toBe(false);
        expect(await store.anyDue(when(30_000))).toBe(true);
      });

      it('is true by the time a lease runs out', async () => {
        await store.create(makeRequestRecord({ nextCheckAt: at(0) }));
        expect(await store.claimDue(claimAt(0))).toHaveLength(1);
        expect(await store.anyDue(when(60_000))).toBe(true);
      });
    });

    describe('tokens', () => {
      it('finds a stored token by hash, and replaces it when put again', async () => {
        const token = {
          hash: 'a'.repeat(64),
          role: 'requester',
          team: 'payments',
          name: 'ci',
          createdAt: at(0),
        } as const;
        await store.putToken(token);
        await store.putToken({ hash: 'b'.repeat(64), role: 'platform', name: 'ops', createdAt: at(1) });
        expect(await store.findToken(token.hash)).toEqual(token);
        expect(await store.findToken('b'.repeat(64))).toEqual({
          hash: 'b'.repeat(64),
          role: 'platform',
          name: 'ops',
          createdAt: at(1),
        });
        expect(await store.findToken('c'.repeat(64))).toBeUndefined();
        await store.putToken({ ...token, name: 'ci-rotated' });
        expect((await store.findToken(token.hash))?.name).toBe('ci-rotated');
      });

      const tokenAt = (letter: string, name: string, offsetMs: number) =>
        ({
          hash: letter.repeat(64),
          role: 'auditor',
          name,
          createdAt: at(offsetMs),
          expiresAt: at(offsetMs + 90 * 86_400_000),
        }) as const;

      it('keeps names unique: another token with a held name is refused, a renamed one frees its old name', async () => {
        await store.putToken(tokenAt('a', 'ci', 0));
        await expect(store.putToken(tokenAt('b', 'ci', 1))).rejects.toMatchObject({
          constructor: ConflictError,
          code: 'TOKEN_NAME_IN_USE',
        });
        expect(await store.findToken('b'.repeat(64))).toBeUndefined();
        await store.putToken(tokenAt('a', 'ci-old', 0));
        await store.putToken(tokenAt('b', 'ci', 1));
        expect((await store.listTokens()).map((t) => [t.hash[0], t.name])).toEqual([
          ['a', 'ci-old'],
          ['b', 'ci'],
        ]);
      });

      it('lists tokens oldest first with expiry and last use, and deletes one (its name is free again)', async () => {
        await store.putToken(tokenAt('b', 'second', 1000));
        await store.putToken(tokenAt('a', 'first', 0));
        await store.touchToken('a'.repeat(64), at(5000));
        await store.touchToken('c'.repeat(64), at(5000)); // unknown: nothing happens
        expect(await store.listTokens()).toEqual([
          { ...tokenAt('a', 'first', 0), lastUsedAt: at(5000) },
          tokenAt('b', 'second', 1000),
        ]);
        expect(await store.deleteToken('a'.repeat(64))).toBe(true);
        expect(await store.deleteToken('a'.repeat(64))).toBe(false);
        expect(await store.findToken('a'.repeat(64))).toBeUndefined();
        await store.touchToken('a'.repeat(64), at(6000)); // revoked: not brought back
        expect(await store.findToken('a'.repeat(64))).toBeUndefined();
        await store.putToken(tokenAt('c', 'first', 2000));
        expect((await store.listTokens()).map((t) => t.name)).toEqual(['second', 'first']);
      });
    });
  });
}
