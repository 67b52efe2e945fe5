import { MANAGEMENT_ACCOUNT_ID } from '../support/fake-aws';
import { errorOf, problemPaths } from './fixture';
import {
  budgetOf,
  groupsWith,
  lifecycleFixture,
  parentPath,
  type LifecycleFixture,
} from './lifecycle-fixture';

describe('POST /v1/accounts/{id}/verify', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  it('answers 202 with a verification the worker runs: drifted settings re-applied, verified again, stored', async () => {
    const { accountId } = await f.vend();
    f.h.aws.memberAccounts.account(accountId).passwordPolicy = undefined;
    const res = await f.send('POST', `/v1/accounts/${accountId}/verify`, f.tokens.platform);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accountId, status: 'QUEUED', requestedBy: 'platform-engineer' });
    expect(res.headers.location).toBe(`/v1/accounts/${accountId}/verifications/${res.json().id}`);
    // stored first: nothing re-applied until the worker runs it
    expect(f.h.aws.memberAccounts.account(accountId).passwordPolicy).toBeUndefined();
    // a second POST while it waits answers that one
    const again = await f.send('POST', `/v1/accounts/${accountId}/verify`, f.tokens.platform);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(res.json().id);
    expect(again.headers.location).toBe(res.headers.location);
    await f.ticks(1);
    const job = await f.send('GET', String(res.headers.location), f.tokens.auditor);
    expect(job.statusCode).toBe(200);
    expect(job.json()).toMatchObject({
      status: 'SUCCEEDED',
      summary: { remediated: ['password-policy@account'] },
    });
    const stored = await f.send('GET', `/v1/accounts/${accountId}/compliance`, f.tokens.auditor);
    expect(stored.json().remediated).toEqual(['password-policy@account']);
    expect(stored.json().results).toContainEqual(expect.objectContaining({ id: 'IAM-4', status: 'PASS' }));
    expect(f.h.aws.memberAccounts.account(accountId).passwordPolicy).toBeDefined();
    expect(stored.json().verifiedAt).toBe(job.json().summary.verifiedAt);
    // the drift found is an event on the account, as a sweep's finding is
    const record = await f.h.store.findByAccountId(accountId);
    expect(record?.events?.at(-1)).toMatchObject({
      type: 'Drift Finding',
      detail: { accountId, controlId: 'IAM-4', remediated: true, requestedBy: 'platform-engineer' },
    });
    // once it has ended, a POST starts a new one
    const next = await f.send('POST', `/v1/accounts/${accountId}/verify`, f.tokens.platform);
    expect(next.statusCode).toBe(202);
    expect(next.json().id).not.toBe(res.json().id);
  });

  it('starts one verification for three POSTs sent at once: one 202, the others 200 with the same one', async () => {
    const { accountId } = await f.vend();
    const url = `/v1/accounts/${accountId}/verify`;
    const answers = await Promise.all([1, 2, 3].map(() => f.send('POST', url, f.tokens.platform)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 202]);
    expect(new Set(answers.map((a) => a.json<{ id: string }>().id)).size).toBe(1);
    const jobs = await f.h.store.jobs.listJobs('account-verification', { limit: 10 });
    expect(jobs.items.map((j) => j.id)).toEqual([answers[0]!.json<{ id: string }>().id]);
    await f.ticks(1);
    const done = await f.send('GET', String(answers[0]!.headers.location), f.tokens.platform);
    expect(done.json()).toMatchObject({ status: 'SUCCEEDED', summary: { blocking: [] } });
  });

  it('only reports drift when the config does not allow remediation', async () => {
    f = await lifecycleFixture((c) => ({
      ...c,
      config: { ...c.config, drift: { ...c.config.drift, remediate: false } },
    }));
    const { accountId } = await f.vend();
    f.h.aws.memberAccounts.account(accountId).passwordPolicy = undefined;
    const { verification, compliance } = await f.verify(accountId);
    expect(verification.json().status).toBe('SUCCEEDED');
    expect(verification.json().summary.remediated).toBeUndefined();
    expect(compliance.json().remediated).toBeUndefined();
    expect(compliance.json().results).toContainEqual(
      expect.objectContaining({ id: 'IAM-4', status: 'FAIL' }),
    );
    expect(compliance.json().blocking).toContain('IAM-4');
    expect(verification.json().summary.blocking).toContain('IAM-4');
    expect(f.h.aws.memberAccounts.account(accountId).passwordPolicy).toBeUndefined();
  });

  it('ends FAILED with a readable reason when the account is no longer settled when the worker runs it', async () => {
    const { accountId } = await f.vend();
    const res = await f.send('POST', `/v1/accounts/${accountId}/verify`, f.tokens.platform);
    const record = (await f.h.store.findByAccountId(accountId))!;
    await f.h.store.save({ ...record, status: 'IN_PROGRESS' });
    await f.ticks(1);
    const job = await f.send('GET', String(res.headers.location), f.tokens.platform);
    expect(job.json()).toMatchObject({
      status: 'FAILED',
      error: { code: 'ACCOUNT_NOT_SETTLED', reason: expect.stringContaining('it was not verified') },
    });
    // another team's requester cannot see it; an unknown id is 404
    expect((await f.send('GET', String(res.headers.location), f.tokens.otherTeam)).statusCode).toBe(404);
    const unknown = `/v1/accounts/${accountId}/verifications/vf-${accountId}-nothing`;
    expect((await f.send('GET', unknown, f.tokens.platform)).statusCode).toBe(404);
  });

  it('fails when the caller is not platform (403), the account unknown (404) or still vending (409)', async () => {
    const { accountId } = await f.vend();
    expect((await f.send('POST', `/v1/accounts/${accountId}/verify`, f.tokens.payments)).statusCode).toBe(
      403,
    );
    expect((await f.send('POST', `/v1/accounts/${accountId}/verify`, f.tokens.auditor)).statusCode).toBe(403);
    expect((await f.send('POST', '/v1/accounts/999999999999/verify', f.tokens.platform)).statusCode).toBe(
      404,
    );
    const record = (await f.h.store.findByAccountId(accountId))!;
    await f.h.store.save({ ...record, status: 'IN_PROGRESS' });
    const busy = await f.send('POST', `/v1/accounts/${accountId}/verify`, f.tokens.platform);
    expect(busy.statusCode).toBe(409);
    expect(errorOf(busy).code).toBe('ACCOUNT_NOT_SETTLED');
  });
});

describe('PATCH /v1/accounts/{id}', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  it('applies owner, cost centre, tags, budget and access to AWS, then to the inventory', async () => {
    const { accountId } = await f.vend({ spec: { tags: { environment: 'dev', project: 'x' } } });
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
      owner: { team: 'payments', email: 'new-lead@example.com' },
      costCenter: 'CC-9',
      tags: { environment: 'test' },
      budget: { monthlyLimitUsd: 900, thresholdsPercent: [50, 100] },
      access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual(expect.objectContaining({ accountId, status: 'QUEUED' }));
    const changeUrl = `/v1/accounts/${accountId}/changes/${res.json().id}`;
    expect(res.headers.location).toBe(changeUrl);
    // stored first: nothing in AWS until the worker applies it
    expect((await f.h.aws.organizations.listTags(accountId)).CostCenter).not.toBe('CC-9');
    await f.ticks(8);
    const change = await f.send('GET', changeUrl, f.tokens.payments);
    expect(change.json()).toEqual(expect.objectContaining({ status: 'SUCCEEDED', stage: 'SUCCEEDED' }));
    const account = await f.send('GET', `/v1/accounts/${accountId}`, f.tokens.payments);
    expect(account.json()).toEqual(
      expect.objectContaining({ costCenter: 'CC-9', tags: { environment: 'test' }, status: 'ACTIVE' }),
    );
    const tags = await f.h.aws.organizations.listTags(accountId);
    expect(tags).toEqual(
      expect.objectContaining({ environment: 'test', CostCenter: 'CC-9', Owner: 'new-lead@example.com' }),
    );
    expect(tags.project).toBeUndefined();
    expect(budgetOf(f, accountId)).toEqual(
      expect.objectContaining({ monthlyLimitUsd: 900, thresholdsPercent: [50, 100] }),
    );
    expect(budgetOf(f, accountId)?.emails).toContain('new-lead@example.com');
    const group = f.h.aws.identityCenter.groups.get('payments-developers')!;
    expect(await groupsWith(f, accountId, 'ReadOnly')).toEqual([group]);
    expect(await groupsWith(f, accountId, 'Developer')).toEqual([]);
    // and the account still verifies clean against its new spec
    const { compliance: verified } = await f.verify(accountId);
    expect(verified.json().blocking).toEqual([]);
  });

  it('fails with 400 listing every problem, and changes nothing in AWS', async () => {
    const { accountId } = await f.vend();
    const before = f.h.aws.mutatingCalls();
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.platform, {
      owner: { team: 'search', email: 'x@example.com' },
      tags: { project: 'x' },
      budget: { monthlyLimitUsd: 10, thresholdsPercent: [100, 50] },
      access: [
        { group: 'payments-developers', permissionSet: 'Admin' },
        { group: 'nobody', permissionSet: 'ReadOnly' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual([
      // payments-developers is owned by payments, not by the team the patch names
      'body.access[0].group',
      'body.access[0].permissionSet',
      'body.access[1].group',
      'body.budget.thresholdsPercent',
      'body.owner.team',
      'body.owner.team',
      'body.tags.environment',
    ]);
    expect(f.h.aws.mutatingCalls()).toBe(before);
  });

  it('fails with 400 for an empty or unknown body field, 403 for auditor and finance, 404 for another team', async () => {
    const { accountId } = await f.vend();
    const url = `/v1/accounts/${accountId}`;
    expect((await f.send('PATCH', url, f.tokens.platform, {})).statusCode).toBe(400);
    const typo = await f.send('PATCH', url, f.tokens.platform, { costCentre: 'CC-1' });
    expect(typo.statusCode).toBe(400);
    expect((await f.send('PATCH', url, f.tokens.auditor, { costCenter: 'CC-1' })).statusCode).toBe(403);
    expect((await f.send('PATCH', url, f.tokens.finance, { costCenter: 'CC-1' })).statusCode).toBe(403);
    expect((await f.send('PATCH', url, f.tokens.otherTeam, { costCenter: 'CC-1' })).statusCode).toBe(404);
  });
});

describe('POST /v1/accounts/{id}/close', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  it('decommissions and closes at once without a grace period', async () => {
    const { accountId } = await f.vend();
    const res = await f.send('POST', `/v1/accounts/${accountId}/close`, f.tokens.platform, {});
    expect(res.statusCode).toBe(202);
    expect(res.json().status).toBe('CLOSING');
    await f.ticks(10);
    const view = await f.send('GET', `/v1/accounts/${accountId}`, f.tokens.platform);
    expect(view.json()).toEqual(
      expect.objectContaining({ status: 'CLOSED', organizationalUnit: 'Suspended' }),
    );
    expect(parentPath(f, accountId)).toBe('Suspended');
    expect(await groupsWith(f, accountId, 'Developer')).toEqual([]);
    expect(budgetOf(f, accountId)).toBeUndefined();
    expect(f.h.aws.organizations.accounts.get(accountId)?.status).toBe('SUSPENDED');
    // and nothing more can be done with it
    expect((await f.send('POST', `/v1/accounts/${accountId}/close`, f.tokens.platform, {})).statusCode).toBe(
      409,
    );
    expect(
      (await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.platform, { costCenter: 'X' })).statusCode,
    ).toBe(409);
  });

  it('waits out the grace period, during which a cancel leaves the account as it was', async () => {
    const { accountId } = await f.vend();
    const res = await f.send('POST', `/v1/accounts/${accountId}/close`, f.tokens.platform, { graceDays: 7 });
    expect(res.json()).toEqual(
      expect.objectContaining({ status: 'CLOSING', closeAfter: expect.any(String) }),
    );
    await f.ticks(3);
    expect(await groupsWith(f, accountId, 'Developer')).not.toEqual([]);
    const cancelled = await f.send('POST', `/v1/accounts/${accountId}/close/cancel`, f.tokens.platform);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('ACTIVE');
    f.h.clock.advance(8 * 24 * 3600_000);
    await f.ticks(5);
    expect(parentPath(f, accountId)).toBe('Workloads/NonProd');
    expect(f.h.aws.organizations.accounts.get(accountId)?.status).toBe('ACTIVE');
    expect((await f.send('DELETE', `/v1/accounts/${accountId}/close`, f.tokens.platform)).statusCode).toBe(
      409,
    );
  });

  it('refuses to cancel once the decommission has started (409)', async () => {
    const { accountId } = await f.vend();
    f.h.aws.closeAccountPolls = 100;
    await f.send('POST', `/v1/accounts/${accountId}/close`, f.tokens.platform, { graceDays: 0 });
    await f.ticks(6);
    const res = await f.send('DELETE', `/v1/accounts/${accountId}/close`, f.tokens.platform);
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('CLOSE_IN_PROGRESS');
    const view = await f.send('GET', `/v1/accounts/${accountId}`, f.tokens.platform);
    expect(view.json().status).toBe('SUSPENDED');
  });

  it('keeps at most 3 closures in progress; the fourth waits for a slot', async () => {
    const accounts: string[] = [];
    for (let i = 0; i < 4; i++) accounts.push((await f.vend()).accountId);
    f.h.aws.closeAccountPolls = 3;
    for (const id of accounts) {
      expect((await f.send('POST', `/v1/accounts/${id}/close`, f.tokens.platform)).statusCode).toBe(202);
    }
    await f.ticks(30);
    expect(f.h.aws.organizations.peakClosuresInFlight).toBe(3);
    for (const id of accounts) expect(f.h.aws.organizations.accounts.get(id)?.status).toBe('SUSPENDED');
    expect(f.h.aws.calls.closeAccount).toBe(4);
  });

  it('writes each call to the audit log with the account as its target', async () => {
    const { accountId } = await f.vend();
    await f.send('POST', `/v1/accounts/${accountId}/close`, f.tokens.payments, {});
    await f.send('POST', `/v1/accounts/${accountId}/close`, f.tokens.platform, { graceDays: 1 });
    await f.send('DELETE', `/v1/accounts/${accountId}/close`, f.tokens.platform);
    const entries = (await f.h.store.listAudit({ limit: 10 })).items;
    // (the harness clock stands still between calls: the order of equal times is not defined)
    expect(entries.map((e) => [e.action, e.target, e.status, e.actor]).sort()).toEqual([
      ['account.close', accountId, 202, 'platform-engineer'],
      ['account.close', accountId, 403, 'requester:payments'],
      ['account.close.cancel', accountId, 200, 'platform-engineer'],
    ]);
  });

  it('fails with 400 for a bad grace period, 403 for a requester, 404 for an unknown account', async () => {
    const { accountId } = await f.vend();
    const url = `/v1/accounts/${accountId}/close`;
    const bad = await f.send('POST', url, f.tokens.platform, { graceDays: -1, extra: true });
    expect(bad.statusCode).toBe(400);
    expect((await f.send('POST', url, f.tokens.payments, {})).statusCode).toBe(403);
    expect((await f.send('POST', '/v1/accounts/999999999999/close', f.tokens.platform, {})).statusCode).toBe(
      404,
    );
    const view = await f.send('GET', `/v1/accounts/${accountId}`, f.tokens.platform);
    expect(view.json().status).toBe('ACTIVE');
  });
});

describe('POST /v1/accounts/import', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  const body = (accountId: string) => ({
    accountId,
    organizationalUnit: 'Workloads/NonProd',
    owner: { team: 'payments', email: 'payments-lead@example.com' },
    costCenter: 'CC-7',
    tags: { environment: 'prod' },
  });

  it('brings a member account through baseline, hardening, access, budget and verify to READY', async () => {
    const accountId = f.h.aws.organizations.addAccount({ name: 'legacy-app', email: 'legacy@example.com' });
    const res = await f.send('POST', '/v1/accounts/import', f.tokens.platform, body(accountId));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual(
      expect.objectContaining({ status: 'QUEUED', phase: 'place-account', accountId }),
    );
    const done = await f.h.runToEnd(res.json().id as string);
    expect(done.status).toBe('READY');
    expect(done.steps.every((s) => s.status === 'SUCCEEDED')).toBe(true);
    expect(parentPath(f, accountId)).toBe('Workloads/NonProd');
    expect(budgetOf(f, accountId)).toBeDefined();
    const view = await f.send('GET', `/v1/accounts/${accountId}`, f.tokens.payments);
    expect(view.json()).toEqual(
      expect.objectContaining({ accountName: 'legacy-app', importedAt: expect.any(String) }),
    );
  });

  it('refuses accounts already managed (409), not in the organisation or foundational (400), and non-platform callers (403)', async () => {
    const { accountId } = await f.vend();
    const again = await f.send('POST', '/v1/accounts/import', f.tokens.platform, body(accountId));
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('ACCOUNT_ALREADY_MANAGED');
    const missing = await f.send('POST', '/v1/accounts/import', f.tokens.platform, {
      ...body('999999999999'),
      organizationalUnit: 'Security',
    });
    expect(missing.statusCode).toBe(400);
    expect(problemPaths(missing)).toEqual(['body.accountId', 'body.organizationalUnit']);
    const management = await f.send(
      'POST',
      '/v1/accounts/import',
      f.tokens.platform,
      body(MANAGEMENT_ACCOUNT_ID),
    );
    expect(management.statusCode).toBe(400);
    const other = f.h.aws.organizations.addAccount({ name: 'other', email: 'other@example.com' });
    expect((await f.send('POST', '/v1/accounts/import', f.tokens.payments, body(other))).statusCode).toBe(
      403,
    );
  });
});
