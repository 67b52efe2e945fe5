import {
  queueKey,
  serveTurn,
  takeTurn,
  type QueueEntry,
  type Turns,
} from '../../../src/workflow/coordination/fair-queue';
import {
  CREATE_ACCOUNT_SLOTS,
  lastAccountExpectedAt,
} from '../../../src/workflow/coordination/create-account-slots';
import { putTicket } from '../../../src/workflow/coordination/create-account-queue';
import { readDocument } from '../../../src/workflow/coordination/document';
import { Worker } from '../../../src/workflow/worker';
import { harness, submit, type Harness } from './harness';

const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();

/** The queue order of `arrivals` queued one after another. */
function order(arrivals: QueueEntry[], turns: Turns = { served: 0, teams: {} }) {
  const keyed = arrivals.map((e) => ({ e, key: queueKey(takeTurn(turns, e.team), e) }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : 1)).map((k) => k.e.requestId);
}

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
    expect(order(waiting)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('counts the turns a team was just granted as turns taken', () => {
    const turns: Turns = { served: 0, teams: {} };
    // a1..a3 queued and were granted their slots
    for (let i = 1; i <= 3; i++) serveTurn(turns, takeTurn(turns, 'a'));
    const waiting = [
      { requestId: 'a6', team: 'a', since: at(1) },
      { requestId: 'b1', team: 'b', since: at(2) },
    ];
    expect(order(waiting, turns)).toEqual(['b1', 'a6']);
  });

  it('puts a team arriving late beside, not behind, a long-waiting team', () => {
    const turns: Turns = { served: 0, teams: {} };
    const early = Array.from({ length: 10 }, (_, i) => ({ requestId: `a${i}`, team: 'a', since: at(i) }));
    const keys = early.map((e) => queueKey(takeTurn(turns, 'a'), e));
    // a0..a3 are served; then team b queues two requests
    serveTurn(turns, 3);
    const late = [0, 1].map((i) => ({ requestId: `b${i}`, team: 'b', since: at(100 + i) }));
    const lateKeys = late.map((e) => queueKey(takeTurn(turns, 'b'), e));
    const queue = [...keys.slice(4), ...lateKeys].sort().map((k) => k.split('|')[2]);
    expect(queue.slice(0, 5)).toEqual(['b0', 'a4', 'b1', 'a5', 'a6']);
    // teams with nothing left behind the served turn are forgotten
    serveTurn(turns, 9);
    expect(turns.teams).toEqual({ a: 9 });
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
    // after a quarter of a CreateAccount, 15 s) sees everyone who queued.
    h.clock.advance(15_000);
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
    expect((await slotsOf(h)).holders).toEqual([]);
    expect(await h.store.countDocuments('create-account-queue')).toBe(0);
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
    // No release came (the holder died): the next in line finds the dead holder when it looks
    // again, a quarter of a CreateAccount later.
    h.clock.advance(15_000);
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

describe('CreateAccount queue tickets', () => {
  const QUEUE = 'create-account-queue';
  const submitAt = async (h: Harness, team: string) => {
    const record = await submit(h, { team, createdAt: h.clock.now().toISOString() });
    h.clock.advance(1000);
    return record;
  };

  /** Seven requests of one team: five hold the slots, two wait. */
  const sevenQueued = async () => {
    const h = await harness();
    h.aws.createAccountPolls = 50;
    const reqs = [];
    for (let i = 0; i < 7; i++) reqs.push(await submitAt(h, 'payments'));
    await h.worker.tick();
    return { h, reqs };
  };

  it('keeps one ticket per waiting request and reports places by count, in fair order', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 50;
    const a = [];
    for (let i = 0; i < 40; i++) a.push(await submitAt(h, 'payments'));
    const b = await submitAt(h, 'data');
    const worker = new Worker(h.deps, { id: 'w1', leaseMs: 30_000, batchSize: 100 });
    await worker.tick();
    // A place is as of the request's last look; by the second look everyone has queued.
    h.clock.advance(7 * 60_000);
    await worker.tick();
    expect(await h.store.countDocuments(QUEUE)).toBe(36);
    const late = await h.store.get(b.id);
    // data's one request queued after 40 of payments', yet is next: it takes the turn being served
    expect(late?.queue).toEqual({ position: 1, of: 36, slotsInUse: 5, slots: 5 });
    expect((await h.store.get(a[39]!.id))?.queue?.position).toBe(36);
    expect((await h.store.get(a[5]!.id))?.handles.createAccountTicket).toMatch(/\|/);
  });

  it('drops the ticket of a request that failed without giving it back, when it stands in the way', async () => {
    const { h, reqs } = await sevenQueued();
    // the head of the queue fails and no release comes (a crash); the first holder then finishes
    const head = (await h.store.get(reqs[5]!.id))!;
    await h.store.save({ ...head, status: 'FAILED' });
    const holder = (await h.store.get(reqs[0]!.id))!;
    await h.store.save({ ...holder, status: 'FAILED' });
    h.clock.advance(5 * 60_000);
    await h.worker.tick();
    h.clock.advance(5 * 60_000);
    await h.worker.tick();
    expect((await h.store.get(reqs[6]!.id))?.handles.createAccountIntentAt).toBeDefined();
    expect(await h.store.countDocuments(QUEUE)).toBe(0);
  });

  it('is not misled by a listing that still shows a ticket already taken out (an index that lags)', async () => {
    const { h, reqs } = await sevenQueued();
    const holder = reqs[0]!.id;
    // a ticket of a request that now holds a slot, deleted but still listed first
    const ghost = {
      kind: QUEUE,
      id: `000000000000|2000-01-01T00:00:00.000Z|${holder}`,
      version: 1,
      body: { requestId: holder, team: 'payments', since: '2000-01-01T00:00:00.000Z', turn: 0 },
      updatedAt: h.clock.now().toISOString(),
    };
    const list = h.store.listDocuments.bind(h.store);
    jest.spyOn(h.store, 'listDocuments').mockImplementation(async (kind, query) => {
      const page = await list(kind, query);
      return kind === QUEUE ? { ...page, items: [ghost, ...page.items] } : page;
    });
    const first = (await h.store.get(reqs[1]!.id))!;
    await h.store.save({ ...first, status: 'FAILED' });
    h.clock.advance(5 * 60_000);
    await h.worker.tick();
    expect((await h.store.get(reqs[5]!.id))?.handles.createAccountIntentAt).toBeDefined();
  });

  it('does not let the ticket of an earlier attempt jump the queue', async () => {
    const { h, reqs } = await sevenQueued();
    const first = (await h.store.get(reqs[5]!.id))!;
    const stale = first.handles.createAccountTicket!;
    // the request failed while queued (its ticket dropped), and is retried later, behind others
    await h.store.save({ ...first, status: 'FAILED' });
    await h.deps.store.deleteDocument(QUEUE, stale, 1);
    for (let i = 0; i < 3; i++) reqs.push(await submitAt(h, 'data'));
    const failed = (await h.store.get(first.id))!;
    await h.store.save({ ...failed, status: 'QUEUED', nextCheckAt: h.clock.now().toISOString() });
    await h.worker.tick();
    const retried = await h.store.get(first.id);
    expect(retried?.handles.createAccountTicket).not.toBe(stale);
    expect(retried?.queue?.position).toBeGreaterThan(1);
  });

  it('moves requests that waited in the slots document before tickets into the queue', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 50;
    const reqs = [];
    for (let i = 0; i < 6; i++) reqs.push(await submitAt(h, 'payments'));
    const waiting = reqs.map((r) => ({ requestId: r.id, team: r.team, since: r.createdAt }));
    const later = h.clock.now();
    h.clock.advance(1000);
    // an older factory left them waiting in the document, each due for a look only much later
    await h.store.putDocument('limiter', 'create-account', { holders: [], waiting }, 0, later);
    for (const r of reqs) {
      const stored = (await h.store.get(r.id))!;
      await h.store.save({ ...stored, nextCheckAt: new Date(later.getTime() + 3_600_000).toISOString() });
    }
    const newcomer = await submitAt(h, 'data');
    await h.worker.tick();
    expect((await slotsOf(h)).waiting).toBeUndefined();
    await h.worker.tick();
    const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
    expect(states.filter((r) => r?.handles.createAccountIntentAt)).toHaveLength(4);
    expect(states.filter((r) => r?.handles.createAccountTicket)).toHaveLength(2);
    expect((await h.store.get(newcomer.id))?.handles.createAccountIntentAt).toBeDefined();
  });

  const slotsOf = async (h: Harness) =>
    (await readDocument(h.store, CREATE_ACCOUNT_SLOTS, 'create-account')).body;
});

describe('when the last account being created should exist', () => {
  it('lets each waiting request take the slot that frees first', async () => {
    const h = await harness();
    const now = h.clock.now();
    const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
    const holders = [50, 40, 30, 20, 10].map((s, i) => ({ requestId: `r${i}`, team: 't', since: ago(s) }));
    await h.store.putDocument('limiter', 'create-account', { holders, served: 0, teams: {} }, 0, now);
    // the holders' creates end 10 … 50 s from now (a usual CreateAccount: 60 s)
    expect((await lastAccountExpectedAt(h.deps, now, 3_600_000))?.getTime()).toBe(now.getTime() + 50_000);
    await putTicket(h.store, { requestId: 'w1', team: 't', since: ago(5) }, 0, now);
    await putTicket(h.store, { requestId: 'w2', team: 't', since: ago(4) }, 0, now);
    // w1 takes the slot freed in 10 s, w2 the one freed in 20 s: the last exists 80 s from now
    expect((await lastAccountExpectedAt(h.deps, now, 3_600_000))?.getTime()).toBe(now.getTime() + 80_000);
    // read only as far as the horizon: a queue longer than that answers beyond it
    const within = await lastAccountExpectedAt(h.deps, now, 1_000);
    expect(within!.getTime()).toBeGreaterThan(now.getTime() + 1_000);
  });

  it('counts at most 100 waiting requests, however long the queue and the horizon', async () => {
    const h = await harness();
    const now = h.clock.now();
    for (let i = 0; i < 150; i++)
      await putTicket(h.store, { requestId: `w${i}`, team: 't', since: now.toISOString() }, 0, now);
    // 5 free slots, a usual CreateAccount 60 s: the 100th waiting exists after 20 rounds, 1,200 s
    expect((await lastAccountExpectedAt(h.deps, now, 3_600_000))?.getTime()).toBe(now.getTime() + 1_200_000);
    // a shorter horizon counts less: 3 rounds (+1) of 5 slots
    expect((await lastAccountExpectedAt(h.deps, now, 180_000))?.getTime()).toBe(now.getTime() + 240_000);
  });
});
