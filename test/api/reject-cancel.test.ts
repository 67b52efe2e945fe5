import { bearer, errorOf, fixturePerTest, requestBody, submit, viewOf } from './fixture';

describe('POST /v1/account-requests/{id}/reject and /cancel', () => {
  const f = fixturePerTest();

  const post = (url: string, token: string, payload?: object) =>
    f.app.inject({ method: 'POST', url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const pending = async () =>
    viewOf(await submit(f.app, f.tokens.payments, requestBody({ organizationalUnit: 'Workloads/Prod' })));

  it('rejects a pending request with its reason (platform only): FAILED REJECTED, never retried', async () => {
    const { id } = await pending();
    expect(
      (await post(`/v1/account-requests/${id}/reject`, f.tokens.payments, { reason: 'no' })).statusCode,
    ).toBe(403);
    const missing = await post(`/v1/account-requests/${id}/reject`, f.tokens.platform, {});
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).problems).toEqual([{ path: 'body.reason', message: expect.any(String) }]);

    const rejected = await post(`/v1/account-requests/${id}/reject`, f.tokens.platform, {
      reason: 'use the sandbox OU',
    });
    expect(rejected.statusCode).toBe(202);
    expect(viewOf(rejected)).toMatchObject({
      status: 'FAILED',
      error: { code: 'REJECTED', message: 'rejected by platform-engineer: use the sandbox OU' },
    });
    const retry = await post(`/v1/account-requests/${id}/retry`, f.tokens.platform);
    expect(retry.statusCode).toBe(409);
    expect(errorOf(retry).code).toBe('NOT_RETRYABLE');
    const again = await post(`/v1/account-requests/${id}/reject`, f.tokens.platform, { reason: 'twice' });
    expect(errorOf(again).code).toBe('NOT_PENDING_APPROVAL');
  });

  it("cancels its own team's pending or queued request, with or without a reason; not another team's", async () => {
    const { id } = await pending();
    expect((await post(`/v1/account-requests/${id}/cancel`, f.tokens.otherTeam)).statusCode).toBe(404);
    const cancelled = await post(`/v1/account-requests/${id}/cancel`, f.tokens.payments);
    expect(cancelled.statusCode).toBe(202);
    expect(viewOf(cancelled)).toMatchObject({
      status: 'FAILED',
      error: { code: 'CANCELLED', message: 'cancelled by requester:payments' },
    });

    const queued = viewOf(
      await submit(f.app, f.tokens.payments, requestBody({ email: 'other@example.com' })),
    );
    expect(queued.status).toBe('QUEUED');
    const withReason = await post(`/v1/account-requests/${queued.id}/cancel`, f.tokens.platform, {
      reason: 'typo',
    });
    expect(viewOf(withReason).error).toMatchObject({
      code: 'CANCELLED',
      message: 'cancelled by platform-engineer: typo',
    });
    expect(errorOf(await post(`/v1/account-requests/${queued.id}/cancel`, f.tokens.platform)).code).toBe(
      'NOT_CANCELLABLE',
    );
  });

  it('refuses to cancel once the account creation has started', async () => {
    const { id } = viewOf(await submit(f.app, f.tokens.payments, requestBody()));
    const record = (await f.store.get(id))!;
    await f.store.save({ ...record, handles: { createAccountIntentAt: '2025-06-01T09:00:05Z' } });
    const res = await post(`/v1/account-requests/${id}/cancel`, f.tokens.payments);
    expect(res.statusCode).toBe(409);
    expect(errorOf(res)).toMatchObject({
      code: 'NOT_CANCELLABLE',
      message: expect.stringMatching(/has not started/),
    });
    expect((await f.store.get(id))!.status).toBe('QUEUED');
  });
});
