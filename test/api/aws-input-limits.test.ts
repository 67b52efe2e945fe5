import type { LightMyRequestResponse } from 'fastify';
import {
  errorOf,
  fixturePerTest,
  problemPaths,
  requestBody,
  storedRequests,
  submit,
  viewOf,
} from './fixture';
import { lifecycleFixture, type LifecycleFixture } from './lifecycle-fixture';

/** `path: message` of every problem in a 400. */
const problems = (res: LightMyRequestResponse): string[] =>
  (errorOf(res).problems ?? []).map((p) => `${p.path}: ${p.message}`);

const manyTags = (n: number): Record<string, string> => {
  const tags: Record<string, string> = { environment: 'dev' };
  for (let i = 1; i < n; i++) tags[`tag${i}`] = 'x';
  return tags;
};

describe("AWS's input limits and the config's budget policy at submission (400, every problem, nothing stored)", () => {
  const f = fixturePerTest();

  it('refuses 61 tags: Organizations allows 50, the factory sets 4', async () => {
    const res = await submit(f.app, f.tokens.payments, requestBody({ tags: manyTags(61) }));

    expect(res.statusCode).toBe(400);
    expect(problems(res)).toEqual([
      'body.tags: 61 tags; Organizations allows 50 per account and the factory sets 4 (CostCenter, Owner, Team, avf:request-id), so at most 46',
    ]);
    expect(await storedRequests(f.store)).toBe(0);
  });

  it('accepts 46 tags, the most that fit beside the factory’s own', async () => {
    expect((await submit(f.app, f.tokens.payments, requestBody({ tags: manyTags(46) }))).statusCode).toBe(
      202,
    );
  });

  it('refuses an owner e-mail too long for the Owner tag, an AWS: key in any case, and tags shadowing the factory’s', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({
        owner: { team: 'payments', email: `${'a'.repeat(290)}@example.com` },
        tags: { environment: 'dev', 'AWS:cost': 'x' },
      }),
    );

    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual(['body.owner.email', 'body.tags.AWS:cost']);

    const shadow = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ tags: { environment: 'dev', Team: 'ledger', 'avf:request-id': 'req-0', owner: 'me' } }),
    );
    expect(shadow.statusCode).toBe(400);
    expect(problems(shadow)).toEqual([
      'body.tags.Team: Team is set by the factory (Team, from the request fields); choose another key',
      'body.tags.avf:request-id: avf:request-id is set by the factory (avf:request-id, from the request id); choose another key',
      'body.tags.owner: owner is set by the factory (Owner, from the request fields); choose another key',
    ]);
    expect(await storedRequests(f.store)).toBe(0);
  });

  it("refuses Organizations' account-name and e-mail limits", async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ accountName: `pay-${'é'.repeat(3)}`, email: `${'a'.repeat(60)}@example.com` }),
    );

    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual(['body.accountName', 'body.email']);
  });

  it('refuses amounts AWS Budgets would not take: 1e-9 USD, fractions of a cent', async () => {
    for (const monthlyLimitUsd of [1e-9, 10.005]) {
      const res = await submit(
        f.app,
        f.tokens.payments,
        requestBody({ budget: { monthlyLimitUsd, thresholdsPercent: [80, 100] } }),
      );
      expect(res.statusCode).toBe(400);
      expect(problemPaths(res)).toEqual(['body.budget.monthlyLimitUsd']);
    }
  });

  it('refuses 10,000,000 USD with its only alert at 1,000 %, naming the cap and the threshold range', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ budget: { monthlyLimitUsd: 10_000_000, thresholdsPercent: [1000] } }),
    );

    expect(res.statusCode).toBe(400);
    expect(problems(res)).toEqual([
      'body.budget.monthlyLimitUsd: 10,000,000 USD a month is above the cap: budgets.caps[1]: OU Workloads/NonProd caps the monthly limit at 10,000 USD',
      'body.budget.thresholdsPercent: every threshold must lie within 50-150 % (budgets.thresholdsPercent); received [1000]',
      'body.budget.thresholdsPercent: at least one threshold must be at or below 100 % so an alert comes before the limit is spent; received [1000]',
    ]);
  });

  it('refuses a Sandbox budget above its cap', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({
        organizationalUnit: 'Sandbox',
        budget: { monthlyLimitUsd: 2500, thresholdsPercent: [80, 100] },
      }),
    );

    expect(res.statusCode).toBe(400);
    expect(problems(res)).toEqual([
      'body.budget.monthlyLimitUsd: 2,500 USD a month is above the cap: budgets.caps[0]: OU Sandbox caps the monthly limit at 2,000 USD',
    ]);
  });

  it('holds a NonProd budget above the approval threshold for a platform approval', async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ budget: { monthlyLimitUsd: 4000, thresholdsPercent: [80, 100] } }),
    );

    expect(res.statusCode).toBe(202);
    expect(viewOf(res).status).toBe('PENDING_APPROVAL');
  });

  it("refuses another team's Identity Center group, naming it", async () => {
    const res = await submit(
      f.app,
      f.tokens.payments,
      requestBody({ access: [{ group: 'ledger-developers', permissionSet: 'Developer' }] }),
    );

    expect(res.statusCode).toBe(400);
    expect(problems(res)).toEqual([
      'body.access[0].group: group ledger-developers belongs to ledger; team payments may grant only its own groups (payments-developers)',
    ]);
    expect(await storedRequests(f.store)).toBe(0);
  });
});

describe('the same limits on PATCH /v1/accounts/{id}', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  it('refuses tags, budget and another team’s group at once, and changes nothing in AWS', async () => {
    const { accountId } = await f.vend();
    const before = f.h.aws.mutatingCalls();
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
      tags: { environment: 'dev', 'aws:x': 'y' },
      budget: { monthlyLimitUsd: 20_000, thresholdsPercent: [120] },
      access: [{ group: 'ledger-developers', permissionSet: 'ReadOnly' }],
    });

    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual(['body.tags.aws:x']);
    const second = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
      tags: { environment: 'dev', Team: 'x' },
      budget: { monthlyLimitUsd: 20_000, thresholdsPercent: [120] },
      access: [{ group: 'ledger-developers', permissionSet: 'ReadOnly' }],
    });
    expect(second.statusCode).toBe(400);
    expect(problemPaths(second)).toEqual([
      'body.access[0].group',
      'body.budget.monthlyLimitUsd',
      'body.budget.thresholdsPercent',
      'body.tags.Team',
    ]);
    expect(f.h.aws.mutatingCalls()).toEqual(before);
  });

  it('refuses a budget change above the approval threshold, naming the cap', async () => {
    const { accountId } = await f.vend();
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
      budget: { monthlyLimitUsd: 4000, thresholdsPercent: [80, 100] },
    });

    expect(res.statusCode).toBe(400);
    expect(problems(res)).toEqual([
      'body.budget.monthlyLimitUsd: 4,000 USD a month needs a platform approval (budgets.caps[1]: OU Workloads/NonProd caps the monthly limit at 3,000 USD without approval); request a new account or a lower limit',
    ]);
  });
});
