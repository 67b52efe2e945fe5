import { PHASES } from '../../src/domain/account-request';
import {
  bearer,
  call,
  errorOf,
  fixture,
  fixturePerTest,
  problemPaths,
  requestBody,
  submit,
  viewOf,
} from './fixture';

describe('POST /v1/account-requests', () => {
  const f = fixturePerTest();

  const storedCount = async () => (await f.store.list({ limit: 100 })).items.length;

  it('queues a valid request: 202, Location and the request view', async () => {
    const res = await submit(f.app, f.tokens.payments, requestBody());
    expect(res.statusCode).toBe(202);
    const body = viewOf(res);
    expect(body.id).toMatch(/^req-[0-9a-f]{16}$/);
    expect(res.headers.location).toBe(`/v1/account-requests/${body.id}`);
    expect(body).toMatchObject({
      status: 'QUEUED',
      phase: 'create-account',
      team: 'payments',
      request: requestBody(),
    });
    expect(body.steps).toHaveLength(PHASES.length);
    expect(body.steps.every((s) => s.status === 'PENDING')).toBe(true);
    for (const internal of [
      'handles',
      'leaseOwner',
      'leaseUntil',
      'version',
      'attempts',
      'nextCheckAt',
      'spec',
    ]) {
      expect(body).not.toHaveProperty(internal);
    }
    const stored = await f.store.get(body.id);
    expect(stored).toMatchObject({
      status: 'QUEUED',
      attempts: 0,
      handles: {},
      createdBy: 'requester:payments',
    });
  });

  it('fills budget and access from the config when the request names none', async () => {
    const res = await submit(f.app, f.tokens.payments, {
      ...requestBody(),
      budget: undefined,
      access: undefined,
    });
    expect(res.statusCode).toBe(202);
    expect(viewOf(res).request).toMatchObject({
      budget: { monthlyLimitUsd: 100, thresholdsPercent: [80, 100] },
      access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
    });
  });

  it('holds a request into an OU that requires approval as PENDING_APPROVAL', async () => {
    const res = await submit(f.app, f.tokens.payments, requestBody({ organizationalUnit: 'Workloads/Prod' }));
    expect(res.statusCode).toBe(202);
    expect(viewOf(res).status).toBe('PENDING_APPROVAL');
  });

  it('fails with 400 listing every shape problem with its field path', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({
        email: 'not-an-email',
        costCenter: 'CC 1234!',
        budget: { monthlyLimitUsd: -5, thresholdsPercent: [80] },
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('VALIDATION_FAILED');
    expect(problemPaths(res)).toEqual(['body.budget.monthlyLimitUsd', 'body.costCenter', 'body.email']);
    expect(await storedCount()).toBe(0);
  });

  it('fails with 400 on an unknown field (the body is strict)', async () => {
    const res = await submit(f.app, f.tokens.payments, { ...requestBody(), colour: 'blue' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).problems).toEqual([{ path: 'body', message: expect.stringContaining('colour') }]);
  });

  it('fails with 400 listing every meaning problem against the config', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({
        accountName: 'Payments_Dev',
        email: 'aws+payments-dev@elsewhere.org',
        budget: { monthlyLimitUsd: 500, thresholdsPercent: [100, 80, 80] },
        access: [
          { group: 'payments-developers', permissionSet: 'Admin' },
          { group: 'no-such-group', permissionSet: 'ReadOnly' },
        ],
        tags: {},
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual([
      'body.access[0].permissionSet',
      'body.access[1].group',
      'body.accountName',
      'body.budget.thresholdsPercent',
      'body.email',
      'body.tags.environment',
    ]);
    const messages = (errorOf(res).problems ?? []).map((p) => p.message).join('\n');
    expect(messages).toContain(
      'group payments-developers may not receive Admin (may receive: ReadOnly, Developer)',
    );
    expect(await storedCount()).toBe(0);
  });

  it('fails with 400 when the OU is not configured', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ organizationalUnit: 'Workloads/Staging' }),
    );
    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual(['body.organizationalUnit']);
  });

  it('fails with 400 when platform files for a team into an OU the team may not use', async () => {
    const res = await submit(f.app, f.tokens.platform, requestBody({ organizationalUnit: 'Security' }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).problems).toEqual([
      {
        path: 'body.organizationalUnit',
        message: expect.stringContaining('team payments may not request accounts in Security'),
      },
    ]);
  });

  it('fails with 403 when a requester asks for an OU its team may not use', async () => {
    const res = await submit(f.app, f.tokens.payments, requestBody({ organizationalUnit: 'Infrastructure' }));
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('FORBIDDEN');
  });

  it('fails with 403 when a requester files for another team', async () => {
    const res = await submit(f.app, f.tokens.otherTeam, requestBody());
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).message).toContain('acts for team search only');
    expect(await storedCount()).toBe(0);
  });

  it.each(['auditor', 'finance'] as const)(
    'fails with 403 when a token with role %s submits',
    async (role) => {
      const res = await submit(f.app, f.tokens[role], requestBody());
      expect(res.statusCode).toBe(403);
    },
  );

  it('fails with 409 when the email is already used by a request, whatever its case', async () => {
    expect((await submit(f.app, f.tokens.payments, requestBody())).statusCode).toBe(202);
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ accountName: 'payments-dev2', email: 'AWS+Payments-Dev@Example.com' }),
    );
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('EMAIL_IN_USE');
    expect(await storedCount()).toBe(1);
    // its own team is told which request holds it (another team would read "another request")
    expect(errorOf(res).message).toMatch(/is already used by request req-/);
  });

  it('fails with 409 when an account in the organisation already has the email', async () => {
    const lookedUp: string[] = [];
    const g = await fixture({
      accountDirectory: {
        findAccountByEmail: (email) => {
          lookedUp.push(email);
          return Promise.resolve(
            email === 'aws+payments-dev@example.com' ? { id: '111122223333' } : undefined,
          );
        },
      },
    });
    const res = await submit(
      g.app,
      g.tokens.payments,
      requestBody({ email: 'AWS+payments-dev@example.com' }),
    );
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).message).toContain('already used by an account in the organisation');
    expect(lookedUp).toEqual(['aws+payments-dev@example.com']);
    expect(
      (await submit(g.app, g.tokens.payments, requestBody({ email: 'aws+other@example.com' }))).statusCode,
    ).toBe(202);
    await g.app.close();
  });

  it('fails with 400, not 500, on malformed JSON', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: { ...bearer(f.tokens.payments), 'content-type': 'application/json' },
      payload: '{"accountName": ',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('MALFORMED_JSON');
  });

  it('fails with 400 on a missing body', async () => {
    const res = await call(f.app, 'POST', '/v1/account-requests', f.tokens.payments);
    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual(['body']);
  });

  it('fails with 413 on a body over 64 KiB', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ tags: { environment: 'dev', big: 'x'.repeat(70_000) } }),
    );
    expect(res.statusCode).toBe(413);
    expect(errorOf(res).code).toBe('BODY_TOO_LARGE');
  });
});
