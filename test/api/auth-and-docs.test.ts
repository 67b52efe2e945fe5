import { createToken, hashToken } from '../../api/auth';
import { ValidationError } from '../../src/domain/errors';
import { MemoryStore } from '../../src/store/memory-store';
import { ADMIN_TOKEN, bearer, call, errorOf, fixturePerTest, requestBody, submit, viewOf } from './fixture';

describe('authentication', () => {
  const f = fixturePerTest();

  it.each([
    ['no Authorization header', {}],
    ['an unknown token', bearer('avf_not-a-real-token')],
    ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('fails with 401 for %s', async (_case, headers) => {
    const res = await f.app.inject({ method: 'GET', url: '/v1/account-requests', headers });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(errorOf(res).code).toBe('UNAUTHORIZED');
  });

  it('fails with 401 before looking at the body', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      payload: { nonsense: true },
    });
    expect(res.statusCode).toBe(401);
  });

  it('fails with 401 on unknown routes without a token, 404 with one', async () => {
    expect((await call(f.app, 'GET', '/v1/nothing')).statusCode).toBe(401);
    const res = await call(f.app, 'GET', '/v1/nothing', f.tokens.auditor);
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });

  it('accepts AVF_ADMIN_TOKEN as a platform token', async () => {
    const res = await submit(f.app, ADMIN_TOKEN, requestBody({ organizationalUnit: 'Sandbox' }));
    expect(res.statusCode).toBe(202);
    expect(viewOf(res).createdBy).toBe('AVF_ADMIN_TOKEN');
  });

  it('sets security headers on every response', async () => {
    for (const res of [
      await call(f.app, 'GET', '/healthz'),
      await call(f.app, 'GET', '/v1/account-requests'),
      await submit(f.app, f.tokens.payments, requestBody()),
    ]) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
    }
  });
});

describe('createToken', () => {
  it('returns an avf_ token once and stores only its hash', async () => {
    const store = new MemoryStore();
    const token = await createToken(
      store,
      { role: 'requester', team: 'payments', name: 'ci' },
      new Date('2025-01-01T00:00:00Z'),
    );
    expect(token).toMatch(/^avf_[A-Za-z0-9_-]{43}$/);
    const stored = await store.findToken(hashToken(token));
    expect(stored).toEqual({
      hash: hashToken(token),
      role: 'requester',
      team: 'payments',
      name: 'ci',
      createdAt: '2025-01-01T00:00:00.000Z',
      expiresAt: '2025-04-01T00:00:00.000Z',
    });
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
  });

  it('makes a different token every time', async () => {
    const store = new MemoryStore();
    const a = await createToken(store, { role: 'auditor' });
    const b = await createToken(store, { role: 'auditor' });
    expect(a).not.toBe(b);
  });

  it('fails when a requester token has no team', async () => {
    await expect(createToken(new MemoryStore(), { role: 'requester' })).rejects.toThrow(ValidationError);
  });

  it('fails when a platform token names a team', async () => {
    await expect(createToken(new MemoryStore(), { role: 'platform', team: 'payments' })).rejects.toThrow(
      /drop --team/,
    );
  });
});

describe('health and documentation', () => {
  const f = fixturePerTest();

  it('serves /healthz without a token', async () => {
    const res = await call(f.app, 'GET', '/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document listing the routes', async () => {
    const res = await call(f.app, 'GET', '/openapi.json', f.tokens.auditor);
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/metrics',
      '/v1/account-requests',
      '/v1/account-requests/check',
      '/v1/account-requests/{id}',
      '/v1/account-requests/{id}/approve',
      '/v1/account-requests/{id}/cancel',
      '/v1/account-requests/{id}/redeliver',
      '/v1/account-requests/{id}/reject',
      '/v1/account-requests/{id}/retry',
      '/v1/accounts',
      '/v1/accounts/{accountId}',
      '/v1/accounts/{accountId}/compliance',
      '/v1/audit',
      '/v1/baselines',
      '/v1/costs',
      '/v1/costs/report',
      '/v1/drift',
      '/v1/drift/sweeps',
      '/v1/drift/sweeps/{id}',
      '/v1/rollouts',
      '/v1/rollouts/{id}',
      '/v1/rollouts/{id}/halt',
      '/v1/rollouts/{id}/resume',
      '/v1/tokens',
      '/v1/tokens/{id}',
    ]);
    expect(Object.keys(doc.paths['/v1/account-requests'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/healthz']?.get?.security).toEqual([]);
  });

  it('opens /openapi.json and /docs without a token (a browser sends none), while the API still needs one', async () => {
    expect((await call(f.app, 'GET', '/openapi.json')).statusCode).toBe(200);
    expect((await call(f.app, 'GET', '/docs/')).statusCode).toBe(200);
    expect((await call(f.app, 'GET', '/v1/account-requests')).statusCode).toBe(401);
  });

  it('serves the Swagger UI at /docs', async () => {
    const res = await call(f.app, 'GET', '/docs/', f.tokens.auditor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('unexpected failures', () => {
  const f = fixturePerTest();

  it('answers 500 with a generic message and leaks nothing', async () => {
    jest
      .spyOn(f.store, 'get')
      .mockRejectedValue(new Error('SQLITE_IOERR: disk I/O error at /var/lib/avf/avf.db'));
    const res = await call(f.app, 'GET', '/v1/account-requests/req-0123456789abcdef', f.tokens.platform);
    expect(res.statusCode).toBe(500);
    expect(errorOf(res)).toEqual({
      code: 'INTERNAL',
      message: 'an internal error occurred; it has been logged',
    });
    expect(res.body).not.toContain('SQLITE');
  });
});
