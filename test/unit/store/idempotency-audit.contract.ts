import type {
  AuditEntry,
  AuditLogStore,
  IdempotencyStore,
  RequestStore,
} from '../../../src/domain/ports/request-store';
import { ConflictError } from '../../../src/domain/errors';
import { makeRequestRecord } from '../../support/fixtures';

export type IdempotencyAuditStore = RequestStore & IdempotencyStore & AuditLogStore;

const T0 = new Date('2025-03-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const later = (ms: number) => new Date(T0.getTime() + ms);
const keyOf = (key: string, bodyHash = 'hash-a', scope = 'token-a') => ({
  scope,
  key,
  bodyHash,
  createdAt: T0.toISOString(),
  expiresAt: later(DAY).toISOString(),
});

function entry(i: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    schemaVersion: 1,
    id: `aud-${String(i).padStart(4, '0')}`,
    at: later(Math.min(i, 20) * 1000).toISOString(),
    actor: 'ci',
    role: 'requester',
    team: 'payments',
    action: 'account-request.submit',
    target: `req-${i}`,
    outcome: i % 2 ? 'failure' : 'success',
    status: i % 2 ? 400 : 202,
    ...overrides,
  };
}

/** Idempotency-Keys and the audit log: the behaviour every store adapter must have. */
export function describeIdempotencyAndAuditContract(
  name: string,
  makeStore: () => Promise<IdempotencyAuditStore>,
): void {
  describe(`${name} (IdempotencyStore and AuditLogStore contract)`, () => {
    let store: IdempotencyAuditStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(() => store.close());

    describe('createWithIdempotencyKey', () => {
      it('stores the request and the key together', async () => {
        const record = makeRequestRecord();
        const result = await store.createWithIdempotencyKey(record, keyOf('k1'), T0);
        expect(result).toEqual({ outcome: 'created', record: { ...record, version: 1 } });
        expect(await store.findIdempotencyKey('token-a', 'k1', T0)).toEqual({
          ...keyOf('k1'),
          requestId: record.id,
        });
      });

      it('replays the same request for the same key and body, storing nothing', async () => {
        const first = makeRequestRecord();
        await store.createWithIdempotencyKey(first, keyOf('k1'), T0);
        const result = await store.createWithIdempotencyKey(makeRequestRecord(), keyOf('k1'), later(1000));
        expect(result).toMatchObject({ outcome: 'replayed', record: { id: first.id } });
        expect((await store.list({ limit: 10 })).items).toHaveLength(1);
      });

      it('reports a key reused with a different body, storing nothing', async () => {
        const first = makeRequestRecord();
        await store.createWithIdempotencyKey(first, keyOf('k1'), T0);
        const result = await store.createWithIdempotencyKey(makeRequestRecord(), keyOf('k1', 'hash-b'), T0);
        expect(result).toMatchObject({
          outcome: 'key-reused',
          held: { requestId: first.id, bodyHash: 'hash-a' },
        });
        expect((await store.list({ limit: 10 })).items).toHaveLength(1);
      });

      it('keeps keys of different scopes apart', async () => {
        await store.createWithIdempotencyKey(makeRequestRecord(), keyOf('k1'), T0);
        const other = await store.createWithIdempotencyKey(
          makeRequestRecord(),
          keyOf('k1', 'hash-a', 'token-b'),
          T0,
        );
        expect(other.outcome).toBe('created');
        expect((await store.list({ limit: 10 })).items).toHaveLength(2);
      });

      it('forgets a key once it expires, and then accepts it again', async () => {
        await store.createWithIdempotencyKey(makeRequestRecord(), keyOf('k1'), T0);
        expect(await store.findIdempotencyKey('token-a', 'k1', later(DAY - 1))).toBeDefined();
        expect(await store.findIdempotencyKey('token-a', 'k1', later(DAY))).toBeUndefined();
        const again = await store.createWithIdempotencyKey(
          makeRequestRecord(),
          { ...keyOf('k1', 'hash-b'), expiresAt: later(2 * DAY).toISOString() },
          later(DAY),
        );
        expect(again.outcome).toBe('created');
      });

      it('creates one request when the same key is posted concurrently', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            store.createWithIdempotencyKey(makeRequestRecord(), keyOf('k1'), T0),
          ),
        );
        expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
        const ids = new Set(results.map((r) => (r.outcome === 'key-reused' ? '' : r.record.id)));
        expect(ids.size).toBe(1);
        expect((await store.list({ limit: 10 })).items).toHaveLength(1);
      });

      it('fails with ConflictError and claims no key when the email is used', async () => {
        await store.create(makeRequestRecord({ spec: { email: 'dup@example.com' } }));
        const attempt = store.createWithIdempotencyKey(
          makeRequestRecord({ spec: { email: 'DUP@example.com' } }),
          keyOf('k1'),
          T0,
        );
        await expect(attempt).rejects.toThrow(ConflictError);
        expect(await store.findIdempotencyKey('token-a', 'k1', T0)).toBeUndefined();
      });
    });

    describe('audit log', () => {
      it('pages through every entry exactly once, newest first', async () => {
        // Five share a time so the tie-break on id is exercised too.
        for (let i = 0; i < 25; i++) await store.appendAudit(entry(i));
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listAudit({ limit: 10, cursor });
          ids.push(...page.items.map((e) => e.id));
          cursor = page.nextCursor;
        } while (cursor !== undefined);
        expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `aud-${String(24 - i).padStart(4, '0')}`));
      });

      it('round-trips an entry, with and without the optional fields', async () => {
        const full = entry(2, { detail: 'replayed' });
        const anonymous: AuditEntry = {
          schemaVersion: 1,
          id: 'aud-anon',
          at: T0.toISOString(),
          actor: '(unauthenticated)',
          action: 'account-request.approve',
          outcome: 'failure',
          status: 401,
        };
        await store.appendAudit(full);
        await store.appendAudit(anonymous);
        expect((await store.listAudit({ limit: 10 })).items).toEqual([full, anonymous]);
      });

      it("keeps an entry's expiry with it", async () => {
        const kept = entry(3, { expiresAt: later(365 * DAY).toISOString() });
        await store.appendAudit(kept);
        expect((await store.listAudit({ limit: 10 })).items).toEqual([kept]);
      });

      it('fails when an entry does not match the schema', async () => {
        const bad = { ...entry(1), outcome: 'maybe' } as unknown as AuditEntry;
        await expect(store.appendAudit(bad)).rejects.toThrow();
        expect((await store.listAudit({ limit: 10 })).items).toEqual([]);
      });

      it('fails when the cursor was not issued by the store', async () => {
        await expect(store.listAudit({ limit: 10, cursor: 'nope' })).rejects.toThrow(/cursor/);
      });
    });
  });
}
