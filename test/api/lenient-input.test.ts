import { bearer, errorOf, fixturePerTest, requestBody, submit, viewOf } from './fixture';

/** What costs nothing to accept is accepted: no body where none is needed, defaults from the config. */
describe('lenient input', () => {
  const f = fixturePerTest();

  const emptyJsonPost = (url: string, token: string) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '',
    });

  it('accepts content-type application/json with no body on a route that needs none', async () => {
    const submitted = viewOf(
      await submit(f.app, f.tokens.payments, requestBody({ organizationalUnit: 'Workloads/Prod' })),
    );
    expect(submitted.status).toBe('PENDING_APPROVAL');
    const approved = await emptyJsonPost(`/v1/account-requests/${submitted.id}/approve`, f.tokens.platform);
    expect(approved.statusCode).toBe(202);
    expect(viewOf(approved).status).toBe('QUEUED');
  });

  it("starts a rollout from no body at all: every field's default (the config's version, default waves)", async () => {
    const res = await emptyJsonPost('/v1/rollouts', f.tokens.platform);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ failureThresholdPercent: 0, createdBy: 'platform-engineer' });
  });

  it('still refuses an empty body where one is needed, and malformed JSON, naming the problem', async () => {
    const empty = await emptyJsonPost('/v1/account-requests', f.tokens.payments);
    expect(empty.statusCode).toBe(400);
    expect(errorOf(empty).problems?.[0]?.path).toBe('body');
    const broken = await f.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: { ...bearer(f.tokens.payments), 'content-type': 'application/json' },
      payload: '{"accountName":',
    });
    expect(broken.statusCode).toBe(400);
    expect(errorOf(broken).code).toBe('MALFORMED_JSON');
  });

  it('fills the thresholds of a partial budget from the config', async () => {
    const res = await submit(f.app, f.tokens.payments, {
      ...requestBody(),
      budget: { monthlyLimitUsd: 2000 },
    });
    expect(res.statusCode).toBe(202);
    expect(viewOf(res).request.budget).toEqual({ monthlyLimitUsd: 2000, thresholdsPercent: [80, 100] });
  });
});
