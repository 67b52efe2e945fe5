import { call, fixturePerTest, VENDED_ACCOUNT as ACCOUNT, vended } from './fixture';

describe('accounts API', () => {
  const f = fixturePerTest();

  it('shows the inventory record of a vended account', async () => {
    const record = await f.store.create(vended());
    await f.store.save({ ...record, accountId: ACCOUNT });
    const res = await call(f.app, 'GET', `/v1/accounts/${ACCOUNT}`, f.tokens.payments);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(
      expect.objectContaining({
        accountId: ACCOUNT,
        organizationalUnit: record.spec.organizationalUnit,
        requestId: record.id,
        requestStatus: 'READY',
        controls: { passed: 2, failed: 0, error: 0 },
        lastVerifiedAt: '2025-06-01T10:00:00.000Z',
      }),
    );
  });

  it('shows the last verification, control by control with evidence, to auditors too', async () => {
    await f.store.create(vended());
    const res = await call(f.app, 'GET', `/v1/accounts/${ACCOUNT}/compliance`, f.tokens.auditor);
    expect(res.statusCode).toBe(200);
    expect(res.json().results).toEqual([
      expect.objectContaining({ id: 'O-1', status: 'PASS', evidence: 'parent ou-1 is Workloads/NonProd' }),
      expect.objectContaining({ id: 'D-2', region: 'eu-west-1', status: 'PASS' }),
    ]);
  });

  it('fails with 404 for an account not vended by the factory, or not verified yet', async () => {
    expect((await call(f.app, 'GET', `/v1/accounts/${ACCOUNT}`, f.tokens.platform)).statusCode).toBe(404);
    await f.store.create(vended({ lastVerification: undefined }));
    const res = await call(f.app, 'GET', `/v1/accounts/${ACCOUNT}/compliance`, f.tokens.platform);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/not verified yet/);
  });

  it("hides another team's account from a requester (404) and refuses a malformed id (400)", async () => {
    await f.store.create(vended());
    expect((await call(f.app, 'GET', `/v1/accounts/${ACCOUNT}`, f.tokens.otherTeam)).statusCode).toBe(404);
    const bad = await call(f.app, 'GET', '/v1/accounts/12ab/compliance', f.tokens.platform);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems).toEqual([expect.objectContaining({ path: 'params.accountId' })]);
  });

  it('fails with 401 without a token', async () => {
    expect((await call(f.app, 'GET', `/v1/accounts/${ACCOUNT}`)).statusCode).toBe(401);
  });
});
