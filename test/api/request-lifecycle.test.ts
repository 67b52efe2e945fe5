import type { RequestRecord } from '../../src/domain/account-request';
import { call, errorOf, fixturePerTest, idsOf, problemPaths, requestBody, submit, viewOf } from './fixture';

describe('following, approving and retrying requests', () => {
  const f = fixturePerTest();

  const get = (url: string, token: string) => call(f.app, 'GET', url, token);
  const post = (url: string, token: string) => call(f.app, 'POST', url, token);

  async function created(overrides: Parameters<typeof requestBody>[0] = {}): Promise<string> {
    const res = await submit(f.app, f.tokens.payments, requestBody(overrides));
    expect(res.statusCode).toBe(202);
    return viewOf(res).id;
  }

  /** Puts a request in the state the reconciler leaves after a failed phase. */
  async function failedAt(id: string, phase: RequestRecord['phase']): Promise<void> {
    const record = await f.store.get(id);
    if (!record) throw new Error(`no request ${id}`);
    await f.store.save({
      ...record,
      status: 'FAILED',
      phase,
      attempts: 7,
      accountId: '111122223333',
      handles: { createAccountRequestId: 'car-123', stackSetOperations: { 'avf-baseline': 'op-1' } },
      error: { code: 'STACK_INSTANCE_FAILED', message: 'avf-baseline failed in eu-west-1', phase },
      steps: record.steps.map((s) =>
        s.name === 'create-account' || s.name === 'place-account' || s.name === 'await-access'
          ? { ...s, status: 'SUCCEEDED' }
          : s.name === phase
            ? { ...s, status: 'FAILED', startedAt: '2025-06-01T09:10:00.000Z', detail: 'eu-west-1: FAILED' }
            : s,
      ),
    });
  }

  describe('GET /v1/account-requests/:id', () => {
    it('shows the request to its team and to read-only roles, without internals', async () => {
      const id = await created();
      await failedAt(id, 'baseline');
      for (const token of [f.tokens.payments, f.tokens.auditor, f.tokens.finance, f.tokens.platform]) {
        const res = await get(`/v1/account-requests/${id}`, token);
        expect(res.statusCode).toBe(200);
        const view = viewOf(res);
        expect(view).toMatchObject({
          id,
          status: 'FAILED',
          phase: 'baseline',
          accountId: '111122223333',
          request: { accountName: 'payments-dev', email: 'aws+payments-dev@example.com' },
          error: { code: 'STACK_INSTANCE_FAILED', message: 'avf-baseline failed in eu-west-1' },
        });
        expect(view).not.toHaveProperty('handles');
        expect(JSON.stringify(view)).not.toContain('car-123');
      }
    });

    it('fails with 404 for an unknown id', async () => {
      const res = await get('/v1/account-requests/req-doesnotexist', f.tokens.platform);
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    });

    it("fails with 404 when a requester asks for another team's request", async () => {
      const id = await created();
      expect((await get(`/v1/account-requests/${id}`, f.tokens.otherTeam)).statusCode).toBe(404);
    });

    it('answers a request asked again with the same body and headers, until the request changes', async () => {
      const id = await created();
      const first = await get(`/v1/account-requests/${id}`, f.tokens.payments);
      const again = await get(`/v1/account-requests/${id}`, f.tokens.payments);
      expect(again.statusCode).toBe(200);
      expect(again.body).toBe(first.body);
      expect({ ...again.headers, date: undefined }).toEqual({ ...first.headers, date: undefined });
      expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
      await failedAt(id, 'baseline');
      const changed = await get(`/v1/account-requests/${id}`, f.tokens.payments);
      expect(viewOf(changed)).toMatchObject({ id, status: 'FAILED', phase: 'baseline' });
    });

    it("keeps another team's request hidden after its own team has read it", async () => {
      const id = await created();
      expect((await get(`/v1/account-requests/${id}`, f.tokens.payments)).statusCode).toBe(200);
      const res = await get(`/v1/account-requests/${id}`, f.tokens.otherTeam);
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    });
  });

  describe('GET /v1/account-requests', () => {
    it('pages through the requests newest first', async () => {
      const ids = [
        await created({ accountName: 'payments-a', email: 'aws+a@example.com' }),
        await created({ accountName: 'payments-b', email: 'aws+b@example.com' }),
        await created({ accountName: 'payments-c', email: 'aws+c@example.com' }),
      ];
      const first = await get('/v1/account-requests?limit=2', f.tokens.auditor);
      expect(first.statusCode).toBe(200);
      expect(idsOf(first)).toEqual([ids[2], ids[1]]);
      const cursor = first.json<{ nextCursor: string }>().nextCursor;
      const second = await get(
        `/v1/account-requests?limit=2&cursor=${encodeURIComponent(cursor)}`,
        f.tokens.auditor,
      );
      expect(idsOf(second)).toEqual([ids[0]]);
      expect(second.json()).not.toHaveProperty('nextCursor');
    });

    it('filters by status', async () => {
      await created();
      const prod = await created({
        accountName: 'payments-prod',
        email: 'aws+prod@example.com',
        organizationalUnit: 'Workloads/Prod',
      });
      const res = await get('/v1/account-requests?status=PENDING_APPROVAL', f.tokens.platform);
      expect(idsOf(res)).toEqual([prod]);
    });

    it("shows a requester only its own team's requests", async () => {
      await created();
      expect((await get('/v1/account-requests', f.tokens.payments)).json().items).toHaveLength(1);
      expect((await get('/v1/account-requests', f.tokens.otherTeam)).json().items).toHaveLength(0);
      expect((await get('/v1/account-requests?team=payments', f.tokens.otherTeam)).statusCode).toBe(403);
    });

    it('fails with 400 naming each bad query parameter', async () => {
      const res = await get('/v1/account-requests?status=DONE&limit=0&colour=red', f.tokens.platform);
      expect(res.statusCode).toBe(400);
      expect(problemPaths(res)).toEqual(['querystring', 'querystring.limit', 'querystring.status']);
    });

    it('fails with 400 on a cursor it did not issue', async () => {
      const res = await get('/v1/account-requests?cursor=bm9wZQ', f.tokens.platform);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).problems).toEqual([{ path: 'querystring.cursor', message: expect.any(String) }]);
    });
  });

  describe('POST /v1/account-requests/:id/approve', () => {
    it('queues a Workloads/Prod request once platform approves it', async () => {
      const id = await created({ organizationalUnit: 'Workloads/Prod' });
      expect((await get(`/v1/account-requests/${id}`, f.tokens.payments)).json().status).toBe(
        'PENDING_APPROVAL',
      );
      expect(
        (await f.store.claimDue({ now: new Date('2030-01-01'), owner: 'w', leaseMs: 1000, limit: 10 }))
          .length,
      ).toBe(0);

      const res = await post(`/v1/account-requests/${id}/approve`, f.tokens.platform);
      expect(res.statusCode).toBe(202);
      expect(viewOf(res).status).toBe('QUEUED');
      expect((await f.store.get(id))?.status).toBe('QUEUED');
    });

    it.each(['payments', 'auditor', 'finance'] as const)(
      'fails with 403 when the %s token approves',
      async (who) => {
        const id = await created({ organizationalUnit: 'Workloads/Prod' });
        expect((await post(`/v1/account-requests/${id}/approve`, f.tokens[who])).statusCode).toBe(403);
        expect((await f.store.get(id))?.status).toBe('PENDING_APPROVAL');
      },
    );

    it('fails with 409 when the request is not waiting for approval', async () => {
      const id = await created();
      const res = await post(`/v1/account-requests/${id}/approve`, f.tokens.platform);
      expect(res.statusCode).toBe(409);
      expect(errorOf(res).code).toBe('NOT_PENDING_APPROVAL');
    });

    it('fails with 404 for an unknown id', async () => {
      expect((await post('/v1/account-requests/req-nope/approve', f.tokens.platform)).statusCode).toBe(404);
    });
  });

  describe('POST /v1/account-requests/:id/retry', () => {
    it('resumes a FAILED request at the phase that failed', async () => {
      const id = await created();
      await failedAt(id, 'baseline');
      const res = await post(`/v1/account-requests/${id}/retry`, f.tokens.payments);
      expect(res.statusCode).toBe(202);
      const view = viewOf(res);
      expect(view).toMatchObject({ status: 'IN_PROGRESS', phase: 'baseline' });
      expect(view).not.toHaveProperty('error');
      expect(view.steps.find((s) => s.name === 'baseline')).toEqual({ name: 'baseline', status: 'PENDING' });
      expect(view.steps.find((s) => s.name === 'place-account')?.status).toBe('SUCCEEDED');

      const stored = await f.store.get(id);
      expect(stored).toMatchObject({
        attempts: 0,
        accountId: '111122223333',
        handles: { createAccountRequestId: 'car-123' },
      });
      expect(stored?.error).toBeUndefined();
      expect(stored?.nextCheckAt).toBe(stored?.updatedAt);
    });

    it('fails with 409 when the request has not failed', async () => {
      const id = await created();
      const res = await post(`/v1/account-requests/${id}/retry`, f.tokens.platform);
      expect(res.statusCode).toBe(409);
      expect(errorOf(res).code).toBe('NOT_FAILED');
    });

    it.each(['auditor', 'finance'] as const)('fails with 403 when the %s token retries', async (who) => {
      const id = await created();
      await failedAt(id, 'budget');
      expect((await post(`/v1/account-requests/${id}/retry`, f.tokens[who])).statusCode).toBe(403);
    });

    it("fails with 404 when a requester retries another team's request", async () => {
      const id = await created();
      await failedAt(id, 'budget');
      expect((await post(`/v1/account-requests/${id}/retry`, f.tokens.otherTeam)).statusCode).toBe(404);
      expect((await f.store.get(id))?.status).toBe('FAILED');
    });
  });
});
