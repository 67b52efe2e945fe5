import { IdentityCenterCatalog } from '../../src/workflow/intake';
import { bootstrapFake } from '../support/bootstrap-fake';
import { FakeAws } from '../support/fake-aws';
import { FakeClock, EXAMPLE_CONFIG } from '../unit/workflow/harness';
import { errorOf, fixture, requestBody, storedRequests, submit, type Fixture } from './fixture';
import { lifecycleFixture } from './lifecycle-fixture';

/** The API over the example config, its pre-flight asking an in-memory Identity Center bootstrapped with the example groups. */
async function withIdentityCenter(): Promise<Fixture & { aws: FakeAws }> {
  const aws = new FakeAws();
  await bootstrapFake(aws, EXAMPLE_CONFIG);
  for (const method of Object.keys(aws.calls)) delete aws.calls[method];
  const catalog = new IdentityCenterCatalog(aws.identityCenter, new FakeClock());
  return { ...(await fixture({ accessCatalog: catalog })), aws };
}

describe('Identity Center pre-flight at submission', () => {
  let f: Fixture & { aws: FakeAws };
  beforeEach(async () => {
    f = await withIdentityCenter();
  });
  afterEach(() => f.app.close());

  it('refuses a group Identity Center lacks with 400 naming the grant, and stores nothing', async () => {
    f.aws.identityCenter.groups.delete('payments-developers');
    const res = await submit(f.app, f.tokens.payments, requestBody());
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).problems).toEqual([
      {
        path: 'body.access[0].group',
        message:
          'group payments-developers does not exist in IAM Identity Center; create it in the identity provider (or its sync) first',
      },
    ]);
    expect(await storedRequests(f.store)).toBe(0);
    // AWS was only read: Identity Center's instance, the group, the permission sets
    expect(f.aws.calls).toEqual({ getInstance: 1, findGroupId: 1, listPermissionSets: 1 });
  });

  it('names every missing group and permission set at once, beside the config rules', async () => {
    f.aws.identityCenter.groups.delete('payments-developers');
    for (const [arn, p] of f.aws.identityCenter.permissionSets)
      if (p.name === 'ReadOnly') f.aws.identityCenter.permissionSets.delete(arn);
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({
        accountName: 'Bad Name',
        access: [
          { group: 'payments-developers', permissionSet: 'ReadOnly' },
          { group: 'payments-developers', permissionSet: 'Developer' },
        ],
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).problems?.map((p) => p.path)).toEqual([
      'body.accountName',
      'body.access[0].group',
      'body.access[0].permissionSet',
      'body.access[1].group',
    ]);
  });

  it("checks the team's default access when the request grants none", async () => {
    f.aws.identityCenter.groups.delete('payments-developers');
    const body = requestBody();
    delete body.access;
    const res = await submit(f.app, f.tokens.payments, body);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).problems).toEqual([
      {
        path: 'body.access',
        message: expect.stringContaining(
          "group payments-developers (team payments's default access in the config) does not exist",
        ) as unknown,
      },
    ]);
  });

  it('reports the same problems from /check, storing nothing', async () => {
    f.aws.identityCenter.groups.delete('payments-developers');
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/account-requests/check',
      headers: { authorization: `Bearer ${f.tokens.payments}` },
      payload: requestBody(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      valid: false,
      problems: [expect.objectContaining({ path: 'body.access[0].group' })],
    });
  });

  it('answers 503 when Identity Center cannot be asked, and stores nothing', async () => {
    f.aws.throttle('findGroupId', 1);
    const res = await submit(f.app, f.tokens.payments, requestBody());
    expect(res.statusCode).toBe(503);
    expect(errorOf(res)).toEqual({
      code: 'IDENTITY_CENTER_UNAVAILABLE',
      message: expect.stringMatching(
        /^IAM Identity Center could not be asked .*ThrottlingException.*nothing was stored, try again later$/,
      ) as unknown,
    });
    expect(await storedRequests(f.store)).toBe(0);
    // the next submission asks again (a failure is not cached) and is accepted
    expect((await submit(f.app, f.tokens.payments, requestBody())).statusCode).toBe(202);
  });

  it('accepts a request whose groups and permission sets exist', async () => {
    const res = await submit(f.app, f.tokens.payments, requestBody());
    expect(res.statusCode).toBe(202);
  });
});

describe('Identity Center pre-flight on PATCH of access', () => {
  it('refuses a group Identity Center lacks with 400, and changes nothing in AWS', async () => {
    const f = await lifecycleFixture();
    try {
      const { accountId } = await f.vend();
      f.h.aws.identityCenter.groups.delete('payments-developers');
      const before = f.h.aws.mutatingCalls();
      const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
        access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).problems).toEqual([
        expect.objectContaining({
          path: 'body.access[0].group',
          message: expect.stringContaining('does not exist in IAM Identity Center') as unknown,
        }),
      ]);
      expect(f.h.aws.mutatingCalls()).toEqual(before);
    } finally {
      await f.app.close();
    }
  });
});
