import type { Sweep } from '../../src/workflow/drift/sweep-document';
import { archiveSweep } from '../../src/workflow/drift/sweep-history';
import { newSweepId, SWEEP_ID_PATTERN } from '../../src/workflow/drift/sweep-id';
import { call, errorOf, fixturePerTest } from './fixture';

const f = fixturePerTest();

const DRIFTED = '111111111111';
const CLEAN = '222222222222';

/** A finished sweep in the history, started at `at`, with one finding on DRIFTED. */
async function finishedSweep(at: string): Promise<Sweep> {
  const sweep: Sweep = {
    id: newSweepId(new Date(at)),
    startedAt: at,
    finishedAt: at,
    accountsDone: true,
    accountsChecked: 2,
    accountsFailed: 1,
    errors: [{ accountId: CLEAN, message: 'sts:AssumeRole: AccessDenied' }],
    findingsTotal: 1,
    findings: [
      {
        accountId: DRIFTED,
        controlId: 'IAM-4',
        title: 'IAM password policy',
        evidence: 'no password policy',
        detectedAt: at,
      },
    ],
    stackSets: [{ stackSet: 'avf-baseline', operationId: 'op-1', status: 'IN_SYNC' }],
  };
  await archiveSweep(f.store, sweep, new Date(at), 400);
  return sweep;
}

describe('POST /v1/drift/sweeps', () => {
  const start = (token = f.tokens.platform) => call(f.app, 'POST', '/v1/drift/sweeps', token);

  it('starts a sweep now: 202 with the sweep, a Location, and an audit entry', async () => {
    const res = await start();
    expect(res.statusCode).toBe(202);
    const sweep = res.json<{ id: string; startedBy: string; accountsChecked: number; findings?: unknown }>();
    expect(sweep.id).toMatch(SWEEP_ID_PATTERN);
    expect(sweep).toEqual(expect.objectContaining({ startedBy: 'platform-engineer', accountsChecked: 0 }));
    expect(sweep.findings).toBeUndefined();
    expect(res.headers.location).toBe(`/v1/drift/sweeps/${sweep.id}`);
    const audit = (await f.store.listAudit({ limit: 10 })).items;
    expect(audit).toEqual([
      expect.objectContaining({ action: 'drift.sweep.start', target: sweep.id, status: 202 }),
    ]);
    const current = await call(f.app, 'GET', '/v1/drift', f.tokens.auditor);
    expect(current.json<{ sweep: { id: string } }>().sweep.id).toBe(sweep.id);
  });

  it('fails with 409 naming the running sweep while one runs', async () => {
    const running = (await start()).json<{ id: string }>().id;
    const res = await start();
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('DRIFT_SWEEP_RUNNING');
    expect(errorOf(res).message).toContain(`drift sweep ${running} is running`);
  });

  it('fails with 403 for an auditor and a requester', async () => {
    expect((await start(f.tokens.auditor)).statusCode).toBe(403);
    expect((await start(f.tokens.payments)).statusCode).toBe(403);
    expect((await call(f.app, 'GET', '/v1/drift', f.tokens.auditor)).json()).not.toHaveProperty('sweep');
  });
});

describe('GET /v1/drift/sweeps', () => {
  it('lists finished sweeps newest first with a cursor, in short', async () => {
    const older = await finishedSweep('2025-05-01T00:00:00.000Z');
    const newer = await finishedSweep('2025-05-02T00:00:00.000Z');
    const first = await call(f.app, 'GET', '/v1/drift/sweeps?limit=1', f.tokens.auditor);
    expect(first.statusCode).toBe(200);
    const page = first.json<{ items: Array<Record<string, unknown>>; nextCursor?: string }>();
    expect(page.items.map((s) => s.id)).toEqual([newer.id]);
    expect(page.items[0]).toEqual(expect.objectContaining({ accountsChecked: 2, findingsTotal: 1 }));
    expect(page.items[0]).not.toHaveProperty('findings');
    const next = await call(
      f.app,
      'GET',
      `/v1/drift/sweeps?limit=1&cursor=${page.nextCursor ?? ''}`,
      f.tokens.platform,
    );
    expect(next.json<{ items: Array<{ id: string }> }>().items.map((s) => s.id)).toEqual([older.id]);
  });

  it("adds each sweep's findings of one account when asked", async () => {
    await finishedSweep('2025-05-01T00:00:00.000Z');
    const drifted = await call(f.app, 'GET', `/v1/drift/sweeps?accountId=${DRIFTED}`, f.tokens.auditor);
    expect(drifted.json<{ items: Array<{ findings: Array<{ controlId: string }> }> }>().items).toEqual([
      expect.objectContaining({ findings: [expect.objectContaining({ controlId: 'IAM-4' })] }),
    ]);
    const clean = await call(f.app, 'GET', `/v1/drift/sweeps?accountId=${CLEAN}`, f.tokens.auditor);
    expect(clean.json<{ items: Array<{ findings: unknown[] }> }>().items[0]?.findings).toEqual([]);
  });

  it('fails with 400 on a bad cursor, limit or account id, and 403 for a requester', async () => {
    const bad = await call(f.app, 'GET', '/v1/drift/sweeps?cursor=nope', f.tokens.auditor);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).problems).toEqual([expect.objectContaining({ path: 'querystring.cursor' })]);
    const limit = await call(f.app, 'GET', '/v1/drift/sweeps?limit=500', f.tokens.auditor);
    expect(limit.statusCode).toBe(400);
    const account = await call(f.app, 'GET', '/v1/drift/sweeps?accountId=123', f.tokens.auditor);
    expect(account.statusCode).toBe(400);
    expect((await call(f.app, 'GET', '/v1/drift/sweeps', f.tokens.payments)).statusCode).toBe(403);
  });
});

describe('GET /v1/drift/sweeps/{id}', () => {
  it('answers a finished sweep with its findings and errors, filtered by account when asked', async () => {
    const sweep = await finishedSweep('2025-05-01T00:00:00.000Z');
    const res = await call(f.app, 'GET', `/v1/drift/sweeps/${sweep.id}`, f.tokens.auditor);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(sweep);
    const clean = await call(
      f.app,
      'GET',
      `/v1/drift/sweeps/${sweep.id}?accountId=${CLEAN}`,
      f.tokens.platform,
    );
    expect(clean.json()).toEqual(expect.objectContaining({ findings: [], errors: sweep.errors }));
  });

  it('answers the running sweep (Location of the POST)', async () => {
    const started = await call(f.app, 'POST', '/v1/drift/sweeps', f.tokens.platform);
    const res = await call(f.app, 'GET', started.headers.location as string, f.tokens.auditor);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(
      expect.objectContaining({ id: started.json<{ id: string }>().id, accountsDone: false, findings: [] }),
    );
  });

  it('fails with 404 for an unknown sweep and 400 for something that is not a sweep id', async () => {
    const missing = await call(
      f.app,
      'GET',
      '/v1/drift/sweeps/sw-20200101T000000000Z-abcd',
      f.tokens.auditor,
    );
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).message).toBe('drift sweep sw-20200101T000000000Z-abcd was not found');
    const invalid = await call(f.app, 'GET', '/v1/drift/sweeps/current', f.tokens.auditor);
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid).problems).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });
});
