import { baselineVersionOf } from '../../src/workflow/rollout/baseline-version';
import { makeRequestRecord } from '../support/fixtures';
import { bearer, call, exampleConfig, fixturePerTest } from './fixture';

const f = fixturePerTest();
const current = baselineVersionOf(exampleConfig).version;

async function readyAccount(n: number, version?: string): Promise<void> {
  await f.store.create(
    makeRequestRecord({
      status: 'READY',
      accountId: `1000000000${String(n).padStart(2, '0')}`,
      team: 'payments',
      spec: { email: `aws+acct-${n}@example.com`, accountName: `acct-${n}` },
      ...(version ? { baseline: { version, appliedAt: '2025-06-01T00:00:00Z' } } : {}),
    }),
  );
}

describe('GET /v1/baselines', () => {
  it('shows the current version, its parts and accounts per version', async () => {
    await readyAccount(1, current);
    await readyAccount(2);
    const res = await call(f.app, 'GET', '/v1/baselines', f.tokens.platform);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      current: { version: string; parts: { stackSets: unknown[] } };
      accountsByVersion: object;
    }>();
    expect(body.current.version).toBe(current);
    expect(body.current.parts.stackSets).toHaveLength(2);
    expect(body.accountsByVersion).toEqual({ [current]: 1, unrecorded: 1 });
  });

  it('fails when a requester asks (403)', async () => {
    const res = await call(f.app, 'GET', '/v1/baselines', f.tokens.payments);
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /v1/accounts', () => {
  it('filters the inventory by baseline version', async () => {
    await readyAccount(1, current);
    await readyAccount(2);
    const res = await call(f.app, 'GET', '/v1/accounts?baselineVersion=unrecorded', f.tokens.platform);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: Array<{ accountId: string }> }>().items.map((a) => a.accountId)).toEqual([
      '100000000002',
    ]);
  });

  it('fails on an unknown compliance filter (400)', async () => {
    const res = await call(f.app, 'GET', '/v1/accounts?compliance=maybe', f.tokens.platform);
    expect(res.statusCode).toBe(400);
  });
});

describe('rollouts', () => {
  const post = (url: string, body: object | undefined, token = f.tokens.platform) =>
    f.app.inject({ method: 'POST', url, headers: bearer(token), ...(body ? { payload: body } : {}) });

  it('plans without writing on dryRun, then starts, halts and resumes', async () => {
    await readyAccount(1);
    await readyAccount(2);
    const plan = await post('/v1/rollouts', { dryRun: true, waves: { canary: 1, percentages: [100] } });
    expect(plan.statusCode).toBe(200);
    expect(plan.json<{ waves: Array<{ accounts: string[] }> }>().waves.map((w) => w.accounts.length)).toEqual(
      [1, 1],
    );
    const list = await call(f.app, 'GET', '/v1/rollouts', f.tokens.auditor);
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(0);

    const started = await post('/v1/rollouts', { waves: { canary: 1, percentages: [100] } });
    expect(started.statusCode).toBe(202);
    const id = started.json<{ id: string }>().id;
    expect(started.headers.location).toBe(`/v1/rollouts/${id}`);
    expect((await post('/v1/rollouts', {})).statusCode).toBe(409);
    expect((await post(`/v1/rollouts/${id}/halt`, undefined)).json<{ status: string }>().status).toBe(
      'HALTED',
    );
    expect((await post(`/v1/rollouts/${id}/halt`, undefined)).statusCode).toBe(409);
    expect((await post(`/v1/rollouts/${id}/resume`, undefined)).json<{ status: string }>().status).toBe(
      'RUNNING',
    );
    const got = await call(f.app, 'GET', `/v1/rollouts/${id}`, f.tokens.auditor);
    expect(got.json<{ waves: unknown[] }>().waves).toHaveLength(2);
  });

  it('fails when the body is invalid, naming each field (400)', async () => {
    const res = await post('/v1/rollouts', {
      waves: { percentages: [50] },
      failureThresholdPercent: 120,
      typo: 1,
    });
    expect(res.statusCode).toBe(400);
  });

  it('fails when toVersion is not the config version (400)', async () => {
    const res = await post('/v1/rollouts', { toVersion: 'b-000000000000' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('toVersion');
  });

  it('fails when a requester starts one (403) or the rollout is unknown (404)', async () => {
    expect((await post('/v1/rollouts', {}, f.tokens.payments)).statusCode).toBe(403);
    const res = await call(f.app, 'GET', '/v1/rollouts/ro-nope', f.tokens.platform);
    expect(res.statusCode).toBe(404);
  });
});
