import fc from 'fast-check';
import { driftStatus } from '../../../src/workflow/drift/drift-status';
import { startSweepNow } from '../../../src/workflow/drift/start-sweep';
import type { Sweep } from '../../../src/workflow/drift/sweep-document';
import { archiveSweep, getSweep, listSweeps } from '../../../src/workflow/drift/sweep-history';
import { newestFirstKey, newSweepId, SWEEP_ID_PATTERN } from '../../../src/workflow/drift/sweep-id';
import { harness } from '../workflow/harness';
import { auditor, platform, runSweep, stepSweep, vendAccounts, withDrift } from './drift-harness';

describe('drift sweep started by hand', () => {
  it('starts a sweep now whatever the interval, and refuses a second while it runs (naming it)', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, { sweepIntervalMinutes: 1440 });
    const first = await runSweep(h);
    h.clock.advance(60_000);
    expect(await stepSweep(h, 'w1')).toBe(false); // not due for a day

    const started = await startSweepNow(h.deps, platform);
    expect(started).toEqual(
      expect.objectContaining({ startedBy: 'platform-engineer', accountsChecked: 0, accountsDone: false }),
    );
    expect(started.id).toMatch(SWEEP_ID_PATTERN);
    expect(started.id).not.toBe(first.id);
    expect((await driftStatus(h.deps, auditor)).previous?.id).toBe(first.id);

    await expect(startSweepNow(h.deps, platform)).rejects.toMatchObject({
      code: 'DRIFT_SWEEP_RUNNING',
      message: expect.stringContaining(`drift sweep ${started.id} is running`),
    });
    // the workers pick it up like a scheduled one
    const second = await runSweep(h);
    expect(second).toEqual(expect.objectContaining({ id: started.id, accountsChecked: 1 }));
  });

  it('fails when an auditor or a requester asks to start one', async () => {
    const h = await harness();
    await expect(startSweepNow(h.deps, auditor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      startSweepNow(h.deps, { role: 'requester', team: 'payments', name: 'payments' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await driftStatus(h.deps, auditor)).sweep).toBeUndefined();
  });
});

describe('drift sweep history', () => {
  it('keeps every finished sweep with its findings, listed newest first, filtered by account', async () => {
    const h = await harness();
    const [clean = '', drifted = ''] = await vendAccounts(h, 2);
    withDrift(h, { remediate: false });
    delete h.aws.memberAccounts.account(drifted).passwordPolicy;
    const first = await runSweep(h);
    await startSweepNow(h.deps, platform);
    const second = await runSweep(h);

    const page1 = await listSweeps(h.deps, auditor, { limit: 1 });
    expect(page1.items.map((s) => s.id)).toEqual([second.id]);
    expect(page1.items[0]).not.toHaveProperty('findings');
    const page2 = await listSweeps(h.deps, auditor, { limit: 1, cursor: page1.nextCursor ?? '' });
    expect(page2.items.map((s) => s.id)).toEqual([first.id]);
    expect(page2.nextCursor).toBeUndefined();

    const archived = await getSweep(h.deps, auditor, first.id);
    expect(archived).toEqual(expect.objectContaining({ id: first.id, finishedAt: first.finishedAt }));
    expect(archived.findings).toEqual([expect.objectContaining({ accountId: drifted, controlId: 'IAM-4' })]);
    expect(archived).not.toHaveProperty('cursor');
    expect((await getSweep(h.deps, auditor, first.id, clean)).findings).toEqual([]);

    const forDrifted = await listSweeps(h.deps, platform, { limit: 10, accountId: drifted });
    expect(forDrifted.items.map((s) => [s.id, s.findings?.map((f) => f.controlId)])).toEqual([
      [second.id, ['IAM-4']],
      [first.id, ['IAM-4']],
    ]);
  });

  it('serves the running sweep by id, and a NotFoundError for one it never ran', async () => {
    const h = await harness();
    const started = await startSweepNow(h.deps, platform);
    expect(await getSweep(h.deps, auditor, started.id)).toEqual(
      expect.objectContaining({ id: started.id, accountsDone: false, findings: [] }),
    );
    expect((await listSweeps(h.deps, auditor, { limit: 10 })).items).toEqual([]);
    await expect(getSweep(h.deps, auditor, 'sw-20200101T000000000Z-abcd')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(getSweep(h.deps, auditor, 'not-a-sweep')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      listSweeps(h.deps, { role: 'finance', name: 'finance' }, { limit: 10 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('archives a sweep once: a step repeated after a crash keeps the first record', async () => {
    const h = await harness();
    const sweep: Sweep = {
      id: newSweepId(h.clock.now()),
      startedAt: h.clock.now().toISOString(),
      finishedAt: h.clock.now().toISOString(),
      accountsDone: true,
      accountsChecked: 3,
      accountsFailed: 0,
      errors: [],
      findingsTotal: 0,
      findings: [],
      stackSets: [],
    };
    await archiveSweep(h.store, sweep, h.clock.now(), 400);
    await archiveSweep(h.store, { ...sweep, accountsChecked: 4 }, h.clock.now(), 400);
    expect((await getSweep(h.deps, auditor, sweep.id)).accountsChecked).toBe(3);
  });

  it('keeps the newest `keep` sweeps and deletes older ones as new ones are archived', async () => {
    const h = await harness();
    const ids: string[] = [];
    for (let i = 0; i < 105; i++) {
      h.clock.advance(60_000);
      const at = h.clock.now().toISOString();
      const id = newSweepId(h.clock.now());
      ids.push(id);
      const sweep: Sweep = {
        id,
        startedAt: at,
        finishedAt: at,
        accountsDone: true,
        accountsChecked: i,
        accountsFailed: 0,
        errors: [],
        findingsTotal: 0,
        findings: [],
        stackSets: [],
      };
      await archiveSweep(h.store, sweep, h.clock.now(), 101);
    }
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listSweeps(h.deps, auditor, { limit: 100, ...(cursor ? { cursor } : {}) });
      listed.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toEqual(ids.slice(-101).reverse());
  });

  it('stores a later sweep under a smaller id, so the ascending store lists newest first', () => {
    const times = fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2999-12-31') });
    fc.assert(
      fc.property(times, times, (a, b) => {
        fc.pre(a !== b);
        const [earlier, later] = [new Date(Math.min(a, b)), new Date(Math.max(a, b))];
        const keyOf = (d: Date) => newestFirstKey(newSweepId(d)) ?? '';
        expect(keyOf(later) < keyOf(earlier)).toBe(true);
      }),
    );
  });
});
