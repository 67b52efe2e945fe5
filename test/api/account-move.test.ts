import {
  REDEPLOY_JOB,
  RedeploySchema,
  scheduleRedeploy,
  type Redeploy,
} from '../../src/workflow/lifecycle/redeploys';
import { ROLLOUT_KIND, RolloutSchema } from '../../src/workflow/rollout/rollout-document';
import { errorOf, problemPaths } from './fixture';
import { lifecycleFixture, parentPath, type LifecycleFixture } from './lifecycle-fixture';

const STACK_SETS = ['avf-baseline', 'avf-config-rules'];
const REGIONS = ['eu-west-1', 'us-east-1'];

/** Each StackSet's instances of the account: `stackSet@region → OU id`, sorted. */
async function instancesOf(f: LifecycleFixture, accountId: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of STACK_SETS) {
    for (const i of await f.h.aws.stackSets.listStackInstances(name, accountId))
      found.push(`${name}@${i.region} ${i.organizationalUnitId ?? '-'} ${i.status}`);
  }
  return found.sort();
}

const expected = (ouId: string) =>
  STACK_SETS.flatMap((s) => REGIONS.map((r) => `${s}@${r} ${ouId} CURRENT`)).sort();

/** The account's redeploy job's state, as stored. */
async function storedRedeploy(f: LifecycleFixture, accountId: string): Promise<Redeploy | undefined> {
  const job = await f.h.store.jobs.getJob(REDEPLOY_JOB, accountId);
  return job && RedeploySchema.parse(job.state);
}

async function redeployOf(f: LifecycleFixture, accountId: string) {
  return (await f.send('GET', `/v1/accounts/${accountId}`, f.tokens.auditor)).json().baselineRedeploy as
    { status: string; stage: string; detail?: string } | undefined;
}

/** Ticks until the account's redeploy has finished (at most 30 ticks). */
async function settle(f: LifecycleFixture, accountId: string) {
  for (let i = 0; i < 30 && (await redeployOf(f, accountId))?.status === 'IN_PROGRESS'; i++) await f.ticks(1);
  return redeployOf(f, accountId);
}

describe('POST /v1/accounts/{id}/move', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  it('answers 202; the worker moves the account, then its stack instances follow it to the new OU and it is verified', async () => {
    const { accountId } = await f.vend();
    const nonProd = await f.h.deps.directory.ouId('Workloads/NonProd');
    const sandbox = await f.h.deps.directory.ouId('Sandbox');
    expect(await instancesOf(f, accountId)).toEqual(expected(nonProd));

    const res = await f.send('POST', `/v1/accounts/${accountId}/move`, f.tokens.platform, {
      organizationalUnit: 'Sandbox',
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual(
      expect.objectContaining({
        organizationalUnit: 'Workloads/NonProd',
        baselineRedeploy: expect.objectContaining({
          status: 'IN_PROGRESS',
          stage: 'MOVE',
          fromOrganizationalUnit: 'Workloads/NonProd',
          toOrganizationalUnit: 'Sandbox',
          requestedBy: 'platform-engineer',
        }),
      }),
    );
    // the API changed nothing in AWS; the worker's first step moves the account
    expect(parentPath(f, accountId)).toBe('Workloads/NonProd');
    await f.h.worker.tick();
    expect((await f.send('GET', `/v1/accounts/${accountId}`, f.tokens.auditor)).json()).toEqual(
      expect.objectContaining({
        organizationalUnit: 'Sandbox',
        baselineRedeploy: expect.objectContaining({ status: 'IN_PROGRESS', stage: 'CREATE' }),
      }),
    );
    expect(parentPath(f, accountId)).toBe('Sandbox');
    const record = await f.h.store.findByAccountId(accountId);
    expect(record?.events?.at(-1)).toMatchObject({
      type: 'Account Moved',
      detail: { accountId, organizationalUnit: 'Sandbox', previousOrganizationalUnit: 'Workloads/NonProd' },
    });

    const done = await settle(f, accountId);
    expect(done).toEqual(expect.objectContaining({ status: 'SUCCEEDED', stage: 'SUCCEEDED' }));
    expect(done?.detail).toMatch(/StackSet instances under Sandbox only; \d+ controls passed/);
    expect(await instancesOf(f, accountId)).toEqual(expected(sandbox));

    // created through the new OU, then deleted through the old one: both INTERSECTION with the account
    expect(f.h.aws.calls.deleteStackInstances).toBe(STACK_SETS.length);
    const compliance = (await f.send('GET', `/v1/accounts/${accountId}/compliance`, f.tokens.auditor)).json();
    expect(compliance.blocking).toEqual([]);
    expect(compliance.results).toContainEqual(expect.objectContaining({ id: 'O-1', status: 'PASS' }));
    expect(compliance.results).toContainEqual(expect.objectContaining({ id: 'S-1', status: 'PASS' }));

    // the same OU again changes nothing
    const again = await f.send('POST', `/v1/accounts/${accountId}/move`, f.tokens.platform, {
      organizationalUnit: 'Sandbox',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().baselineRedeploy.status).toBe('SUCCEEDED');
  });

  it('writes every operation id down before starting it, so a worker that dies mid-stage is resumed', async () => {
    const { accountId } = await f.vend();
    await f.send('POST', `/v1/accounts/${accountId}/move`, f.tokens.platform, {
      organizationalUnit: 'Sandbox',
    });
    await f.h.worker.tick(); // moves the account
    f.h.clock.advance(1_000);
    await f.h.worker.tick(); // plans the CreateStackInstances
    const planned = (await storedRedeploy(f, accountId))!;
    expect(planned.operations.map((o) => [o.action, o.stackSet, o.status])).toEqual([
      ['CREATE', 'avf-baseline', undefined],
      ['CREATE', 'avf-config-rules', undefined],
    ]);

    // this worker leases the redeploy and starts the operations, then dies before it writes that down
    const vended = f.h.aws.calls.createStackInstances ?? 0;
    const saveJob = f.h.store.jobs.saveJob.bind(f.h.store.jobs);
    jest.spyOn(f.h.store.jobs, 'saveJob').mockImplementation((job) => {
      if (job.kind === REDEPLOY_JOB) return Promise.reject(new Error('killed'));
      return saveJob(job);
    });
    f.h.clock.advance(60_000);
    await expect(f.h.worker.tick()).rejects.toThrow('killed');
    jest.restoreAllMocks();
    expect(f.h.aws.calls.createStackInstances).toBe(vended + 2);
    const leased = (await storedRedeploy(f, accountId))!;
    expect(leased.operations.map((o) => o.status)).toEqual([undefined, undefined]);

    f.h.clock.advance(5 * 60_000); // its lease runs out; the next tick starts them again, same ids
    expect(await settle(f, accountId)).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    expect(f.h.aws.calls.createStackInstances).toBe(vended + 4);
    for (const [i, name] of STACK_SETS.entries()) {
      const operations = [...f.h.aws.stackSets.stackSets.get(name)!.operations.keys()];
      // AWS's idempotency: the repeat with the same id returned the operation already running
      expect(operations.filter((id) => id.includes('-create-'))).toEqual([
        planned.operations[i]!.operationId,
      ]);
    }
  });

  it('moves the account only when its redeploy is due, then finishes it (the worker moves it)', async () => {
    const { accountId, id: requestId } = await f.vend();
    const now = f.h.clock.now().toISOString();
    // a redeploy due a minute from now (a move written down, not yet due)
    await scheduleRedeploy(
      f.h.deps,
      {
        id: `rd-${accountId}-crashed`,
        accountId,
        requestId,
        fromOrganizationalUnit: 'Workloads/NonProd',
        fromOuId: await f.h.deps.directory.ouId('Workloads/NonProd'),
        toOrganizationalUnit: 'Sandbox',
        toOuId: await f.h.deps.directory.ouId('Sandbox'),
        requestedAt: now,
        requestedBy: 'platform-engineer',
        stage: 'MOVE',
        generation: 0,
        operations: [],
      },
      new Date(Date.parse(now) + 60_000),
    );
    await f.ticks(1); // not due yet: nothing happens
    expect(parentPath(f, accountId)).toBe('Workloads/NonProd');
    expect(await settle(f, accountId)).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    expect(parentPath(f, accountId)).toBe('Sandbox');
    expect((await f.h.store.get(requestId))?.spec.organizationalUnit).toBe('Sandbox');
    expect(await instancesOf(f, accountId)).toEqual(expected(await f.h.deps.directory.ouId('Sandbox')));
  });

  it('fails the redeploy when an instance fails under the new OU; the same move again restarts it', async () => {
    const { accountId } = await f.vend();
    f.h.aws.failStackInstances(accountId, 'Account gate failed');
    const res = await f.send('POST', `/v1/accounts/${accountId}/move`, f.tokens.platform, {
      organizationalUnit: 'Sandbox',
    });
    expect(res.statusCode).toBe(202);
    const failed = await settle(f, accountId);
    expect(failed).toEqual(expect.objectContaining({ status: 'FAILED', stage: 'FAILED' }));
    expect(failed?.detail).toContain('not deployed under Sandbox: ');
    expect(failed?.detail).toContain('avf-baseline@eu-west-1: OUTDATED/FAILED Account gate failed');

    f.h.aws.stackSets.failingAccounts.delete(accountId);
    const retried = await f.send('POST', `/v1/accounts/${accountId}/move`, f.tokens.platform, {
      organizationalUnit: 'Sandbox',
    });
    expect(retried.statusCode).toBe(202);
    expect(retried.json().baselineRedeploy).toEqual(
      expect.objectContaining({ status: 'IN_PROGRESS', fromOrganizationalUnit: 'Workloads/NonProd' }),
    );
    expect(await settle(f, accountId)).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    expect(await instancesOf(f, accountId)).toEqual(expected(await f.h.deps.directory.ouId('Sandbox')));
  });

  it('creates the new OU’s instances again when deleting the old OU’s took them too', async () => {
    const { accountId } = await f.vend();
    await f.send('POST', `/v1/accounts/${accountId}/move`, f.tokens.platform, {
      organizationalUnit: 'Sandbox',
    });
    const set = f.h.aws.stackSets.stackSets.get('avf-baseline')!;
    const deleteInstances = f.h.aws.stackSets.deleteStackInstances.bind(f.h.aws.stackSets);
    // AWS keeping one stack per account and region: the deletion takes the whole instance
    jest.spyOn(f.h.aws.stackSets, 'deleteStackInstances').mockImplementation(async (input) => {
      const id = await deleteInstances(input);
      if (input.stackSetName === set.name)
        for (const region of input.regions) {
          set.instances.delete(`${accountId}/${region}`);
          set.targets.delete(`${accountId}/${region}`);
        }
      return id;
    });
    expect(await settle(f, accountId)).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    expect(await instancesOf(f, accountId)).toEqual(expected(await f.h.deps.directory.ouId('Sandbox')));
    expect((await storedRedeploy(f, accountId))?.generation).toBe(1);
  });

  it('refuses a second move while the first redeploy runs, and any while a running rollout holds the account (409)', async () => {
    const { accountId, id: requestId } = await f.vend();
    const url = `/v1/accounts/${accountId}/move`;
    expect((await f.send('POST', url, f.tokens.platform, { organizationalUnit: 'Sandbox' })).statusCode).toBe(
      202,
    );
    const busy = await f.send('POST', url, f.tokens.platform, { organizationalUnit: 'Workloads/NonProd' });
    expect(busy.statusCode).toBe(409);
    expect(errorOf(busy).code).toBe('BASELINE_REDEPLOY_IN_PROGRESS');
    await settle(f, accountId);
    expect(parentPath(f, accountId)).toBe('Sandbox');

    const rollout = RolloutSchema.parse({
      schemaVersion: 1,
      id: 'ro-1',
      toVersion: 'b-000000000002',
      fromVersions: {},
      createdAt: f.h.clock.now().toISOString(),
      createdBy: 'platform-engineer',
      status: 'RUNNING',
      failureThresholdPercent: 0,
      waves: [
        {
          index: 1,
          label: 'canary',
          status: 'PENDING',
          accounts: [{ accountId, requestId, ou: 'Sandbox' }],
        },
      ],
    });
    await f.h.store.putDocument(ROLLOUT_KIND.kind, rollout.id, rollout, 0, f.h.clock.now());
    const held = await f.send('POST', url, f.tokens.platform, { organizationalUnit: 'Workloads/NonProd' });
    expect(held.statusCode).toBe(409);
    expect(errorOf(held).code).toBe('ROLLOUT_IN_PROGRESS');
    expect(parentPath(f, accountId)).toBe('Sandbox');
  });

  it('refuses an OU the team may not use (400), a requester (403), and an unknown account (404)', async () => {
    const { accountId } = await f.vend();
    const url = `/v1/accounts/${accountId}/move`;
    const denied = await f.send('POST', url, f.tokens.platform, { organizationalUnit: 'Security' });
    expect(denied.statusCode).toBe(400);
    expect(problemPaths(denied)).toEqual(['body.organizationalUnit']);
    expect(errorOf(denied).problems?.[0]?.message).toMatch(/may not request accounts in Security/);
    expect((await f.send('POST', url, f.tokens.platform, { organizationalUnit: 'Nowhere' })).statusCode).toBe(
      400,
    );
    expect((await f.send('POST', url, f.tokens.payments, { organizationalUnit: 'Sandbox' })).statusCode).toBe(
      403,
    );
    expect(
      (
        await f.send('POST', '/v1/accounts/999999999999/move', f.tokens.platform, {
          organizationalUnit: 'Sandbox',
        })
      ).statusCode,
    ).toBe(404);
    expect(parentPath(f, accountId)).toBe('Workloads/NonProd');
    expect(await f.h.store.jobs.listJobs(REDEPLOY_JOB, { limit: 10 })).toEqual({ items: [] });
  });
});
