import { fairOrder } from '../../../src/workflow/coordination/fair-queue';
import { CREATE_ACCOUNT_SLOTS } from '../../../src/workflow/coordination/create-account-slots';
import { readDocument } from '../../../src/workflow/coordination/document';
import { Worker } from '../../../src/workflow/worker';
import { harness, submit, type Harness } from './harness';

const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();

describe('fair queue order', () => {
  it('lets the teams take turns, each keeping its arrival order', () => {
    const waiting = [
      { requestId: 'a1', team: 'a', since: at(1) },
      { requestId: 'a2', team: 'a', since: at(2) },
      { requestId: 'a3', team: 'a', since: at(3) },
      { requestId: 'b1', team: 'b', since: at(4) },
      { requestId: 'c1', team: 'c', since: at(5) },
      { requestId: 'b2', team: 'b', since: at(6) },
    ];
    expect(fairOrder(waiting).map((w) => w.requestId)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('counts the slots a team already holds as turns taken', () => {
    const waiting = [
      { requestId: 'a6', team: 'a', since: at(1) },
      { requestId: 'b1', team: 'b', since: at(2) },
    ];
    const holding = [1, 2, 3].map((i) => ({ requestId: `a${i}`, team: 'a', since: at(0) }));
    expect(fairOrder(waiting, holding).map((w) => w.requestId)).toEqual(['b1', 'a6']);
  });
});

describe('CreateAccount slots', () => {
  const slotsOf = async (h: Harness) =>
    (await readDocument(h.store, CREATE_ACCOUNT_SLOTS, 'create-account')).body;
  const submitAt = async (h: Harness, team: string, n: number) => {
    const record = await submit(h, { team, createdAt: h.clock.now().toISOString() });
    h.clock.advance(1000);
    return { ...record, n };
  };

  it('shows each queued request its place in the fair queue, another team first', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 50;
    const payments = [];
    for (let i = 0; i < 7; i++) payments.push(await submitAt(h, 'payments', i));
    const data = await submitAt(h, 'data', 0);
    await h.worker.tick();
    // A place is as of the request's last look; the second look (the next in line look again
    // after 5 s) sees everyone who queued.
    h.clock.advance(5_000);
    await h.worker.tick();

    const states = await Promise.all([...payments, data].map((r) => h.store.get(r.id)));
    expect(states.filter((r) => r?.handles.createAccountIntentAt)).toHaveLength(5);
    const queued = states.filter((r) => r?.status === 'QUEUED');
    expect(queued).toHaveLength(3);
    const dataState = await h.store.get(data.id);
    expect(dataState?.queue).toEqual({ position: 1, of: 3, slotsInUse: 5, slots: 5 });
    expect((await h.store.get(payments[5]!.id))?.queue?.position).toBe(2);
    expect((await h.store.get(payments[6]!.id))?.queue?.position).toBe(3);
    expect(dataState?.steps[0]?.detail).toBe(
      'queued for a CreateAccount slot: 1 of 3 waiting (5 of 5 slots in use)',
    );
    expect((await slotsOf(h)).holders).toHaveLength(5);
  });

  it('hands a freed slot to the head of the queue and never runs more than 5', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 2;
    const reqs = [];
    for (let i = 0; i < 12; i++) reqs.push(await submitAt(h, i % 2 ? 'payments' : 'data', i));
    let most = 0;
    // Each CreateAccount is first checked a minute after it started: three rounds of slots take ~4 min.
    for (let i = 0; i < 80; i++) {
      await h.worker.tick();
      const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
      const inFlight = states.filter((r) => r?.phase === 'create-account' && r.handles.createAccountIntentAt);
      most = Math.max(most, inFlight.length);
      h.clock.advance(5_000);
    }
    expect(most).toBe(5);
    const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
    expect(states.every((r) => r?.phase !== 'create-account')).toBe(true);
    expect(h.aws.calls.startCreateAccount).toBe(12);
    expect(await slotsOf(h)).toEqual({ holders: [], waiting: [] });
  });

  it('holds the limit across workers that share the store', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 50;
    const reqs = [];
    for (let i = 0; i < 10; i++) reqs.push(await submitAt(h, 'payments', i));
    const workers = ['a', 'b', 'c'].map((id) => new Worker(h.deps, { id, leaseMs: 30_000, batchSize: 4 }));
    await Promise.all(workers.map((w) => w.tick()));
    await Promise.all(workers.map((w) => w.tick()));
    expect(h.aws.calls.startCreateAccount).toBe(5);
  });

  it('drops a holder whose request has left the phase (a crash before it gave the slot back)', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 50;
    const reqs = [];
    for (let i = 0; i < 6; i++) reqs.push(await submitAt(h, 'payments', i));
    await h.worker.tick();
    const holder = (await h.store.get(reqs[0]!.id))!;
    await h.store.save({ ...holder, status: 'FAILED' });
    // No release came (the holder died): the next in line finds the dead holder when it looks again.
    h.clock.advance(5_000);
    await h.worker.tick();
    expect((await h.store.get(reqs[5]!.id))?.handles.createAccountIntentAt).toBeDefined();
    expect((await slotsOf(h)).holders.map((e) => e.requestId)).not.toContain(reqs[0]!.id);
  });

  it('does not time a queued request out while it waits for a slot, however long the queue', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 100_000;
    const reqs = [];
    for (let i = 0; i < 6; i++) reqs.push(await submitAt(h, 'payments', i));
    await h.worker.tick();
    expect((await h.store.get(reqs[5]!.id))?.status).toBe('QUEUED');
    // The holders' CreateAccount outlives the phase deadline (60 min); the queued one has waited as long.
    h.clock.advance(61 * 60_000);
    await h.worker.tick();
    const holder = await h.store.get(reqs[0]!.id);
    expect(holder?.status).toBe('FAILED');
    expect(holder?.error?.code).toBe('PHASE_TIMEOUT');
    h.clock.advance(5_000);
    await h.worker.tick();
    const queued = await h.store.get(reqs[5]!.id);
    expect(queued?.status).not.toBe('FAILED');
    expect(queued?.handles.createAccountIntentAt).toBeDefined();
  });
});
