import { CHANGE_KIND } from '../../src/workflow/lifecycle/change-kind';
import { errorOf } from './fixture';
import { budgetOf, groupsWith, lifecycleFixture, type LifecycleFixture } from './lifecycle-fixture';

interface ChangeJson {
  id: string;
  status: string;
  stage: string;
  finishedAt: string;
  events: Array<{ type: string; at: string; by?: string }>;
}
const idOf = (res: { json(): unknown }) => (res.json() as ChangeJson).id;

/** Ticks until the change has ended (or `max` ticks); its view. */
async function settled(f: LifecycleFixture, url: string, max = 20): Promise<ChangeJson> {
  const read = async () => (await f.send('GET', url, f.tokens.platform)).json<ChangeJson>();
  for (let i = 0; i < max; i++) {
    const view = await read();
    if (['SUCCEEDED', 'FAILED', 'REJECTED'].includes(view.status)) return view;
    await f.ticks(1);
  }
  return read();
}

const changeUrl = (accountId: string, id: string) => `/v1/accounts/${accountId}/changes/${id}`;

describe('PATCH /v1/accounts/{id} as a change the worker applies', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  it('fails halfway (an assignment FAILED): AWS is put back, the inventory unchanged, the reason readable', async () => {
    const { accountId } = await f.vend({ spec: { tags: { environment: 'dev', project: 'x' } } });
    const record = await f.h.store.findByAccountId(accountId);
    const tagsBefore = await f.h.aws.organizations.listTags(accountId);
    const budgetBefore = budgetOf(f, accountId);
    const developersBefore = await groupsWith(f, accountId, 'Developer');
    f.h.aws.failNextAssignment('the permission set is not provisioned');

    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
      costCenter: 'CC-9',
      budget: { monthlyLimitUsd: 900, thresholdsPercent: [50, 100] },
      access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
    });
    expect(res.statusCode).toBe(202);
    const view = await settled(f, changeUrl(accountId, idOf(res)));

    expect(view).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        error: {
          code: 'ASSIGNMENT_FAILED',
          reason: expect.stringContaining(
            'granting payments-developers → ReadOnly failed: the permission set is not provisioned; AWS was put back',
          ),
        },
      }),
    );
    expect(view.events.map((e) => e.type)).toEqual(['REQUESTED', 'STARTED', 'ROLLED_BACK', 'FAILED']);
    // AWS as the inventory has it, and the inventory as it was
    expect(await f.h.aws.organizations.listTags(accountId)).toEqual(tagsBefore);
    expect(budgetOf(f, accountId)).toEqual(budgetBefore);
    expect(await groupsWith(f, accountId, 'Developer')).toEqual(developersBefore);
    expect(await groupsWith(f, accountId, 'ReadOnly')).toEqual([]);
    const after = await f.h.store.findByAccountId(accountId);
    expect(after?.spec).toEqual(record?.spec);
    const { compliance: verified } = await f.verify(accountId);
    expect(verified.json().blocking).toEqual([]);
  });

  it('serialises two PATCHes sent at once: both 202, applied one after the other, both in the end state', async () => {
    const { accountId } = await f.vend();
    const url = `/v1/accounts/${accountId}`;
    const [first, second] = await Promise.all([
      f.send('PATCH', url, f.tokens.payments, {
        costCenter: 'CC-1',
        access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
      }),
      f.send('PATCH', url, f.tokens.platform, {
        tags: { environment: 'test' },
        access: [
          { group: 'payments-developers', permissionSet: 'ReadOnly' },
          { group: 'payments-developers', permissionSet: 'Developer' },
        ],
      }),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    const views = [
      await settled(f, changeUrl(accountId, idOf(first))),
      await settled(f, changeUrl(accountId, idOf(second))),
    ];
    expect(views.map((v) => v.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // one after the other: the later one started only once the first had finished
    const [a, b] = views.sort((x, y) => x.finishedAt.localeCompare(y.finishedAt)) as [ChangeJson, ChangeJson];
    const started = b.events.find((e) => e.type === 'STARTED')?.at ?? '';
    expect(started >= a.finishedAt).toBe(true);

    const account = (await f.send('GET', url, f.tokens.platform)).json();
    expect(account).toEqual(expect.objectContaining({ costCenter: 'CC-1', tags: { environment: 'test' } }));
    const group = f.h.aws.identityCenter.groups.get('payments-developers')!;
    const expected = b.id === idOf(second) ? [group] : [];
    expect(await groupsWith(f, accountId, 'Developer')).toEqual(expected);
    expect(await groupsWith(f, accountId, 'ReadOnly')).toEqual([group]);
    // each applied change is an event on the account
    const record = await f.h.store.findByAccountId(accountId);
    const changed = record?.events?.filter((e) => e.type === 'Account Changed') ?? [];
    expect(changed.map((e) => e.detail.changeId)).toEqual([a.id, b.id]);
  });

  it('holds a second change of an account while a worker applies the first (the account lock)', async () => {
    const { accountId } = await f.vend();
    const url = `/v1/accounts/${accountId}`;
    const one = await f.send('PATCH', url, f.tokens.platform, { costCenter: 'CC-1' });
    const two = await f.send('PATCH', url, f.tokens.platform, { costCenter: 'CC-2' });
    const deps = f.h.deps;
    const claim = (owner: string) =>
      CHANGE_KIND.claim(deps, { now: f.h.clock.now(), owner, leaseMs: 60_000, limit: 1, excludeGroups: [] });
    // two workers, each holding one of the changes
    const [jobA] = await claim('worker-a');
    const [jobB] = await claim('worker-b');
    expect(new Set([jobA!.id, jobB!.id])).toEqual(new Set([idOf(one), idOf(two)]));
    const a = await CHANGE_KIND.advance(deps, jobA!);
    const b = await CHANGE_KIND.advance(deps, jobB!);
    expect(a?.state).toEqual(expect.objectContaining({ stage: 'APPLY' }));
    expect(b?.state).toEqual(expect.objectContaining({ stage: 'QUEUED' }));
    expect(b?.detail).toContain('waiting for another change of account');
    const views = [
      await settled(f, changeUrl(accountId, a!.id)),
      await settled(f, changeUrl(accountId, b!.id)),
    ];
    expect(views.map((v) => v.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const last = b!.id === idOf(two) ? 'CC-2' : 'CC-1';
    expect((await f.send('GET', url, f.tokens.platform)).json().costCenter).toBe(last);
  });

  it('plans again when the record changed between the AWS calls and the inventory write', async () => {
    const { accountId } = await f.vend();
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.platform, { costCenter: 'CC-5' });
    const url = changeUrl(accountId, idOf(res));
    for (let i = 0; i < 10 && (await f.send('GET', url, f.tokens.platform)).json().stage !== 'SAVE'; i++) {
      await f.ticks(1);
    }
    expect((await f.send('GET', url, f.tokens.platform)).json().stage).toBe('SAVE');
    // another writer (e.g. a verification) saves the record first
    const record = (await f.h.store.findByAccountId(accountId))!;
    await f.h.store.save({ ...record, updatedAt: f.h.clock.now().toISOString() });
    const view = await settled(f, url);
    expect(view.status).toBe('SUCCEEDED');
    expect((await f.h.store.findByAccountId(accountId))?.spec.costCenter).toBe('CC-5');
  });

  it('answers 404 for an unknown change, or one of another account or team', async () => {
    const { accountId } = await f.vend();
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, { costCenter: 'CC-1' });
    const url = changeUrl(accountId, idOf(res));
    expect((await f.send('GET', url, f.tokens.auditor)).statusCode).toBe(200);
    expect((await f.send('GET', url, f.tokens.otherTeam)).statusCode).toBe(404);
    const elsewhere = changeUrl('999999999999', idOf(res));
    expect((await f.send('GET', elsewhere, f.tokens.platform)).statusCode).toBe(404);
    const unknown = changeUrl(accountId, 'ch-unknown');
    expect((await f.send('GET', unknown, f.tokens.platform)).statusCode).toBe(404);
    expect((await f.send('GET', `/v1/accounts/${accountId}/changes/x`, f.tokens.platform)).statusCode).toBe(
      400,
    );
  });
});

describe('changes to an account in an OU that requires approval', () => {
  let f: LifecycleFixture;
  beforeEach(async () => {
    f = await lifecycleFixture();
  });
  afterEach(() => f.app.close());

  const prod = { spec: { organizationalUnit: 'Workloads/Prod', tags: { environment: 'prod' } } };

  it('waits for a platform approval, then applies, with the approver on the change and in the event', async () => {
    const { accountId } = await f.vend(prod);
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
      budget: { monthlyLimitUsd: 900 },
      access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual(
      expect.objectContaining({
        status: 'PENDING_APPROVAL',
        approvalReason: 'access and budget of an account in Workloads/Prod, which requires approval',
      }),
    );
    const url = changeUrl(accountId, idOf(res));
    const before = f.h.aws.mutatingCalls();
    await f.ticks(5);
    expect(f.h.aws.mutatingCalls()).toBe(before);
    expect((await f.send('GET', url, f.tokens.payments)).json().status).toBe('PENDING_APPROVAL');

    expect((await f.send('POST', `${url}/approve`, f.tokens.payments)).statusCode).toBe(403);
    const approved = await f.send('POST', `${url}/approve`, f.tokens.platform);
    expect(approved.statusCode).toBe(202);
    expect(approved.json()).toEqual(
      expect.objectContaining({
        status: 'QUEUED',
        decision: expect.objectContaining({ outcome: 'APPROVED', by: 'platform-engineer' }),
      }),
    );
    const again = await f.send('POST', `${url}/approve`, f.tokens.platform);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('NOT_PENDING_APPROVAL');

    const view = await settled(f, url);
    expect(view.status).toBe('SUCCEEDED');
    expect(view.events).toContainEqual(
      expect.objectContaining({ type: 'APPROVED', by: 'platform-engineer' }),
    );
    expect(budgetOf(f, accountId)?.monthlyLimitUsd).toBe(900);
    const record = await f.h.store.findByAccountId(accountId);
    expect(record?.events?.at(-1)).toMatchObject({
      type: 'Account Changed',
      detail: { changeId: view.id, approvedBy: 'platform-engineer', fields: ['budget', 'access'] },
    });
  });

  it('rejects with a reason: nothing applied, the change ends REJECTED naming who and why', async () => {
    const { accountId } = await f.vend(prod);
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, {
      access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
    });
    expect(res.statusCode).toBe(202);
    const url = changeUrl(accountId, idOf(res));
    expect((await f.send('POST', `${url}/reject`, f.tokens.platform, {})).statusCode).toBe(400);
    const before = f.h.aws.mutatingCalls();
    const rejected = await f.send('POST', `${url}/reject`, f.tokens.platform, {
      reason: 'no read-only grants in prod',
    });
    expect(rejected.statusCode).toBe(202);
    expect(rejected.json()).toEqual(
      expect.objectContaining({
        status: 'REJECTED',
        error: { code: 'REJECTED', reason: 'rejected by platform-engineer: no read-only grants in prod' },
        decision: expect.objectContaining({
          outcome: 'REJECTED',
          by: 'platform-engineer',
          reason: 'no read-only grants in prod',
        }),
      }),
    );
    await f.ticks(5);
    expect(f.h.aws.mutatingCalls()).toBe(before);
    expect((await f.send('POST', `${url}/approve`, f.tokens.platform)).statusCode).toBe(409);
  });

  it('applies changes of owner, cost centre or tags there without approval', async () => {
    const { accountId } = await f.vend(prod);
    const res = await f.send('PATCH', `/v1/accounts/${accountId}`, f.tokens.payments, { costCenter: 'CC-3' });
    expect(res.json().status).toBe('QUEUED');
    expect((await settled(f, changeUrl(accountId, idOf(res)))).status).toBe('SUCCEEDED');
  });
});
