import type { RequestRecord } from '../../../src/domain/account-request';
import type { WebhookPort, WebhookPost } from '../../../src/domain/ports/webhook';
import { DELIVERY_KIND } from '../../../src/workflow/notify/delivery-kind';
import { DELIVERY, deliveryState } from '../../../src/workflow/notify/delivery-state';
import { DELIVERY_JOB, persistWithEvents } from '../../../src/workflow/notify/outbox';
import { redeliverEvents } from '../../../src/workflow/notify/redeliver';
import { appendEvent, lastSeq } from '../../../src/workflow/notify/request-events';
import { createRequest } from '../../../src/workflow/request-writes';
import { Worker } from '../../../src/workflow/worker';
import { deliverDue, deliveryJob, withWebhooks } from '../../support/deliveries';
import { makeRequestRecord } from '../../support/fixtures';
import { EXAMPLE_CONFIG, harness, type Harness } from '../workflow/harness';

const SECRET = 'a-secret-of-32-characters-------';

/** An endpoint that records each post's URL and event id, runs `during` inside a post, and can hold posts. */
class Endpoint implements WebhookPort {
  readonly posts: Array<{ url: string; id: string }> = [];
  during?: (post: WebhookPost) => Promise<void>;
  held?: (url: string) => boolean;
  private readonly waiting: Array<() => void> = [];
  async post(request: WebhookPost) {
    this.posts.push({ url: request.url, id: request.headers['x-avf-event-id'] ?? '' });
    const during = this.during;
    this.during = undefined;
    await during?.(request);
    if (this.held?.(request.url)) await new Promise<void>((r) => this.waiting.push(r));
    return { status: 204, excerpt: '' };
  }
  /** Lets the held posts answer, and holds none from now on. */
  release(): void {
    this.held = undefined;
    for (const r of this.waiting.splice(0)) r();
  }
  ids(): string[] {
    return this.posts.map((p) => p.id);
  }
}

async function setUp(perTeam = 2): Promise<{ h: Harness; endpoint: Endpoint }> {
  const h = await harness();
  const endpoint = new Endpoint();
  h.deps.webhooks = endpoint;
  h.deps.config = withWebhooks(EXAMPLE_CONFIG, { perTeam });
  return { h, endpoint };
}

async function submit(
  h: Harness,
  team = 'payments',
  url = 'https://hooks.example.com/avf',
): Promise<RequestRecord> {
  const record = makeRequestRecord({
    team,
    nextCheckAt: h.clock.now().toISOString(),
    webhook: { url, secret: SECRET },
  });
  return createRequest(h.deps, record, () => h.store.create(record));
}

/** Adds `count` events to the stored request through the outbox, as the reconciler's saves do. */
async function addEvents(h: Harness, id: string, count: number): Promise<void> {
  const record = await h.store.get(id);
  if (!record) throw new Error('gone');
  const before = lastSeq(record);
  for (let i = 0; i < count; i++)
    appendEvent(record, 'Drift Finding', { controlId: `C-${i}` }, h.clock.now());
  await persistWithEvents(h.deps, record, before, () => h.store.save(record));
}

/** Lets detached steps run until `ready` holds (the in-memory store and endpoint do no I/O). */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i++) await new Promise((r) => setImmediate(r));
  if (!ready()) throw new Error('never happened');
}

describe('delivery jobs', () => {
  it('a request saving new events while its delivery step runs loses nothing and repeats nothing', async () => {
    const { h, endpoint } = await setUp();
    const submitted = await submit(h);
    // while event 1 is being posted, the request gains event 2: the job is made due again, so the
    // step's own save (its job ended: caught up with event 1) loses, and the job runs again at once
    endpoint.during = () => addEvents(h, submitted.id, 1);
    await deliverDue(h.deps);
    expect(endpoint.ids()).toEqual([`${submitted.id}:1`, `${submitted.id}:2`]);
    expect((await deliveryState(h.deps, submitted.id))?.webhook).toMatchObject({ through: 2, delivered: 2 });
    expect(await deliveryJob(h.deps, submitted.id)).toBeUndefined();
  });

  it('a step between making the job due and the save that adds the events leaves the job open for them', async () => {
    const { h, endpoint } = await setUp();
    const submitted = await submit(h);
    await deliverDue(h.deps);
    const record = await h.store.get(submitted.id);
    if (!record) throw new Error('gone');
    appendEvent(record, 'Drift Finding', { controlId: 'IAM-4' }, h.clock.now());
    await persistWithEvents(h.deps, record, 1, async () => {
      await deliverDue(h.deps); // the job is due, the record does not hold event 2 yet
      return h.store.save(record);
    });
    expect(await deliveryJob(h.deps, submitted.id)).toBeDefined();
    h.clock.advance(60_000);
    await deliverDue(h.deps);
    expect(endpoint.ids()).toEqual([`${submitted.id}:1`, `${submitted.id}:2`]);
    expect(await deliveryJob(h.deps, submitted.id)).toBeUndefined();
  });

  it('a lost write of the delivery state repeats only the event in flight and skips none', async () => {
    const { h, endpoint } = await setUp();
    const submitted = await submit(h);
    await addEvents(h, submitted.id, 2);
    // another writer writes the delivery state while event 1 is posted: the step's checkpoint loses
    endpoint.during = async () => {
      const doc = await h.store.getDocument(DELIVERY.kind, submitted.id);
      await h.store.putDocument(DELIVERY.kind, submitted.id, doc?.body, doc?.version ?? 0, h.clock.now());
    };
    await deliverDue(h.deps);
    const id = (seq: number) => `${submitted.id}:${seq}`;
    expect(endpoint.ids()).toEqual([id(1), id(1), id(2), id(3)]);
    expect((await deliveryState(h.deps, submitted.id))?.webhook).toMatchObject({ through: 3, delivered: 3 });
    expect(await deliveryJob(h.deps, submitted.id)).toBeUndefined();
  });

  it('one team’s hanging endpoint holds only its own team’s deliveries (events.webhooks.perTeam)', async () => {
    const { h, endpoint } = await setUp(1);
    endpoint.held = (url) => url.includes('slow');
    const slow = [
      await submit(h, 'payments', 'https://slow.example.com/a'),
      await submit(h, 'payments', 'https://slow.example.com/b'),
    ];
    const other = await submit(h, 'search');
    const worker = new Worker(h.deps, { id: 'w1', kinds: [DELIVERY_KIND] });

    await worker.tick();
    await until(() => endpoint.ids().includes(`${other.id}:1`));
    // one payments delivery hangs; the other was claimed past the team's share and given back
    expect(endpoint.posts.filter((p) => p.url.includes('slow'))).toHaveLength(1);
    const jobs = await Promise.all(slow.map((r) => deliveryJob(h.deps, r.id)));
    expect(jobs.filter((j) => j?.leaseUntil === undefined)).toHaveLength(1);

    // while it hangs, the team gets no second slot, and a new search request is delivered at once
    const later = await submit(h, 'search');
    await worker.tick();
    await until(() => endpoint.ids().includes(`${later.id}:1`));
    expect(endpoint.posts.filter((p) => p.url.includes('slow'))).toHaveLength(1);

    endpoint.release();
    await worker.settled();
    await deliverDue(h.deps);
    expect(endpoint.posts.filter((p) => p.url.includes('slow'))).toHaveLength(2);
    expect((await h.store.jobs.listJobs(DELIVERY_JOB, { limit: 10 })).items).toEqual([]);
  });

  it('refuses a redelivery while a worker holds the delivery job, and schedules one after', async () => {
    const { h, endpoint } = await setUp();
    const submitted = await submit(h);
    endpoint.during = () => Promise.reject(new Error('connect ECONNREFUSED'));
    h.deps.config = withWebhooks(h.deps.config, { maxAttempts: 1 });
    await deliverDue(h.deps); // event 1 is given up at its first failure
    expect((await deliveryState(h.deps, submitted.id))?.failedTotal).toBe(1);

    await addEvents(h, submitted.id, 1);
    const [leased] = await h.store.jobs.claimJobs({
      kind: DELIVERY_JOB,
      now: h.clock.now(),
      owner: 'w9',
      leaseMs: 60_000,
      limit: 1,
    });
    expect(leased?.id).toBe(submitted.id);
    const owner = { role: 'requester' as const, team: 'payments', name: 'requester:payments' };
    await expect(redeliverEvents(h.deps, owner, submitted.id)).rejects.toMatchObject({
      code: 'DELIVERY_IN_PROGRESS',
    });

    h.clock.advance(60_001); // the worker died: its lease runs out
    await redeliverEvents(h.deps, owner, submitted.id);
    await deliverDue(h.deps);
    expect(endpoint.ids()).toEqual([`${submitted.id}:1`, `${submitted.id}:1`, `${submitted.id}:2`]);
    expect(await deliveryState(h.deps, submitted.id)).toMatchObject({
      failedTotal: 0,
      webhook: { through: 2 },
    });
  });

  it('moves a notify-due mark of an older store to a delivery job at its retry time, then deletes it', async () => {
    const { h, endpoint } = await setUp();
    const record = makeRequestRecord({ webhook: { url: 'https://hooks.example.com/old', secret: SECRET } });
    appendEvent(record, 'Account Request Status Changed', { status: 'QUEUED' }, h.clock.now());
    await h.store.create(record); // stored before deliveries were jobs: only the mark says it is due
    const retryAt = new Date(h.clock.now().getTime() + 30_000).toISOString();
    await h.store.putDocument(
      'notify-due',
      record.id,
      { from: 1, markedAt: h.clock.now().toISOString(), retryAt },
      0,
      h.clock.now(),
    );

    await deliverDue(h.deps);
    expect(await h.store.getDocument('notify-due', record.id)).toBeUndefined();
    expect(await deliveryJob(h.deps, record.id)).toMatchObject({ nextCheckAt: retryAt, group: record.team });
    expect(endpoint.posts).toEqual([]);

    h.clock.advance(30_000);
    await deliverDue(h.deps);
    expect(endpoint.ids()).toEqual([`${record.id}:1`]);
    expect(await deliveryJob(h.deps, record.id)).toBeUndefined();
  });
});
