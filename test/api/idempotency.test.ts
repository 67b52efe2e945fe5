import { hashToken } from '../../api/auth';
import { errorOf, fixturePerTest, requestBody, storedRequests, submit, viewOf } from './fixture';

describe('POST /v1/account-requests with an Idempotency-Key', () => {
  const f = fixturePerTest();

  it('returns the same request for the same key and body, storing nothing new', async () => {
    const first = await submit(f.app, f.tokens.payments, requestBody(), 'key-1');
    expect(first.statusCode).toBe(202);
    // The same body written in another key order is the same body.
    const reordered = Object.fromEntries(Object.entries(requestBody()).reverse());
    const again = await submit(f.app, f.tokens.payments, reordered, 'key-1');
    expect(again.statusCode).toBe(202);
    expect(viewOf(again).id).toBe(viewOf(first).id);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await storedRequests(f.store)).toBe(1);
  });

  it('fails with 422 naming the key when the same key comes with a different body', async () => {
    await submit(f.app, f.tokens.payments, requestBody(), 'key-1');
    const res = await submit(f.app, f.tokens.payments, requestBody({ costCenter: 'CC-9999' }), 'key-1');
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(errorOf(res).message).toContain('"key-1"');
    expect(await storedRequests(f.store)).toBe(1);
  });

  it('creates one request when the same key is posted concurrently', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => submit(f.app, f.tokens.payments, requestBody(), 'key-race')),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(202));
    expect(new Set(responses.map((r) => viewOf(r).id)).size).toBe(1);
    expect(await storedRequests(f.store)).toBe(1);
  });

  it("keeps two principals' keys apart", async () => {
    await submit(f.app, f.tokens.payments, requestBody(), 'shared-key');
    const other = await submit(
      f.app,
      f.tokens.platform,
      requestBody({ email: 'aws+platform-filed@example.com' }),
      'shared-key',
    );
    expect(other.statusCode).toBe(202);
    expect(await storedRequests(f.store)).toBe(2);
  });

  it('still fails with 409 when a new key reuses an email', async () => {
    await submit(f.app, f.tokens.payments, requestBody(), 'key-1');
    const res = await submit(f.app, f.tokens.payments, requestBody(), 'key-2');
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('EMAIL_IN_USE');
  });

  it('stores no key for a rejected body, so the key stays usable', async () => {
    const bad = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ organizationalUnit: 'Nowhere' }),
      'key-1',
    );
    expect(bad.statusCode).toBe(400);
    expect((await submit(f.app, f.tokens.payments, requestBody(), 'key-1')).statusCode).toBe(202);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with spaces', 'two words'],
  ])('fails with 400 on an Idempotency-Key that is %s', async (_case, key) => {
    const res = await submit(f.app, f.tokens.payments, requestBody(), key);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).problems?.[0]?.path).toBe('headers.idempotency-key');
  });

  it('keeps the key, scoped to the token, for at least 24 hours', async () => {
    const first = await submit(f.app, f.tokens.payments, requestBody(), 'key-1');
    const scope = hashToken(f.tokens.payments);
    const held = await f.store.findIdempotencyKey(scope, 'key-1', new Date('2025-06-02T08:59:00Z'));
    expect(held?.requestId).toBe(viewOf(first).id);
    expect(Date.parse(held!.expiresAt) - Date.parse(held!.createdAt)).toBe(24 * 3600 * 1000);
  });
});
