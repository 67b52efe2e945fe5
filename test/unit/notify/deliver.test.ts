import type { LoadedConfig } from '../../../src/config/load';
import type { RequestRecord } from '../../../src/domain/account-request';
import { StaleRecordError } from '../../../src/domain/errors';
import { WebhookRefusedError, type WebhookPort, type WebhookPost } from '../../../src/domain/ports/webhook';
import { deliveryState } from '../../../src/workflow/notify/delivery-state';
import { DELIVERY_JOB, persistWithEvents } from '../../../src/workflow/notify/outbox';
import { deliverDue, deliveryJob } from '../../support/deliveries';
import { createRequest } from '../../../src/workflow/request-writes';
import { appendEvent, MAX_EVENTS_KEPT } from '../../../src/workflow/notify/request-events';
import { verifyWebhookSignature } from '../../../src/workflow/notify/webhook-signature';
import { redeliverEvents } from '../../../src/workflow/notify/redeliver';
import { EXAMPLE_CONFIG, harness, type Harness } from '../workflow/harness';
import { makeRequestRecord } from '../../support/fixtures';
import { retryAccountRequest } from '../../../src/workflow/intake/request-actions';

const SECRET = 'a-secret-of-32-characters-------';

/** A webhook endpoint the test scripts: answers from `answers` in turn (then 204), records every post. */
class ScriptedEndpoint implements WebhookPort {
  readonly posts: WebhookPost[] = [];
  constructor(public answers: Array<number | Error> = []) {}
  post(request: WebhookPost) {
    this.posts.push(request);
    const next = this.answers.shift() ?? 204;
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve({ status: next, excerpt: next >= 300 ? 'endpoint says no' : '' });
  }
  /** The event types and statuses delivered, decoded from the signed bodies. */
  delivered(): string[] {
    return this.posts.map((p) => {
      const body = JSON.parse(p.body) as { type: string; detail: { status?: string; state?: string } };
      return `${body.type}: ${body.detail.status ?? body.detail.state ?? ''}`;
    });
  }
}

function withEvents(config: LoadedConfig, patch: Partial<LoadedConfig['config']['events']>): LoadedConfig {
  return {
    ...config,
    config: { ...config.config, events: { ...config.config.events, ...patch } },
  };
}

async function setUp(options: { bus?: boolean; answers?: Array<number | Error> } = {}) {
  const h = await harness();
  const endpoint = new ScriptedEndpoint(options.answers);
  h.deps.webhooks = endpoint;
  h.deps.config = withEvents(EXAMPLE_CONFIG, {
    ...(options.bus ? { busName: 'avf-events' } : {}),
    webhooks: { ...EXAMPLE_CONFIG.config.events.webhooks, maxAttempts: 3, firstRetrySeconds: 10 },
  });
  return { h, endpoint };
}

/** A request with a webhook, created as the intake creates one (its first status is its first event). */
async function submitWithWebhook(h: Harness, overrides: Partial<RequestRecord> = {}): Promise<RequestRecord> {
  const record = makeRequestRecord({
    nextCheckAt: h.clock.now().toISOString(),
    webhook: { url: 'https://hooks.example.com/avf', secret: SECRET },
    ...overrides,
    spec: {
      organizationalUnit: 'Workloads/NonProd',
      access: [{ group: 'payments-developers', permissionSet: 'Developer' }],
      tags: { environment: 'dev' },
    },
  });
  return createRequest(h.deps, record, () => h.store.create(record));
}

/** Three delivery passes an hour apart: with maxAttempts 3, a failing event is given up. */
async function attemptUntilGivenUp(h: Harness): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await deliverDue(h.deps, 'w1');
    h.clock.advance(3_600_000);
  }
}

/** Ticks the worker and the deliverer until the request ends, then drains the deliveries. */
async function vendAndDeliver(h: Harness, id: string): Promise<RequestRecord> {
  for (let i = 0; i < 200; i++) {
    await h.worker.tick();
    await deliverDue(h.deps, 'w1');
    h.clock.advance(60_000);
    const record = await h.store.get(id);
    if (record?.status === 'READY' || record?.status === 'FAILED') break;
  }
  for (let i = 0; i < 5; i++) await deliverDue(h.deps, 'w1');
  const record = await h.store.get(id);
  if (!record) throw new Error('gone');
  return record;
}

describe('the event outbox', () => {
  it('delivers every status change of a vend, in order, to the webhook and to EventBridge, signed', async () => {
    const { h, endpoint } = await setUp({ bus: true });
    const submitted = await submitWithWebhook(h);
    const ready = await vendAndDeliver(h, submitted.id);
    expect(ready.status).toBe('READY');

    expect(endpoint.delivered()).toEqual([
      'Account Request Status Changed: QUEUED',
      'Account Request Status Changed: IN_PROGRESS',
      'Account Request Status Changed: READY',
    ]);
    for (const post of endpoint.posts) {
      expect(post.url).toBe('https://hooks.example.com/avf');
      expect(
        verifyWebhookSignature(SECRET, post.headers['x-avf-signature'] ?? '', post.body, h.clock.now(), 1e9),
      ).toBe(true);
    }
    const ids = endpoint.posts.map((p) => p.headers['x-avf-event-id']);
    expect(ids).toEqual([`${submitted.id}:1`, `${submitted.id}:2`, `${submitted.id}:3`]);

    const onBus = h.aws.published.filter((e) => e.detailType === 'Account Request Status Changed');
    expect(onBus.map((e) => (e.detail as { status: string }).status)).toEqual([
      'QUEUED',
      'IN_PROGRESS',
      'READY',
    ]);
    expect(onBus.every((e) => e.busName === 'avf-events')).toBe(true);
    expect(onBus[2]?.detail).toMatchObject({
      eventId: `${submitted.id}:3`,
      requestId: submitted.id,
      accountId: ready.accountId,
      previousStatus: 'IN_PROGRESS',
      phase: 'release-quarantine',
    });

    // caught up: the delivery job is gone, the state says what was delivered
    expect((await h.store.jobs.listJobs(DELIVERY_JOB, { limit: 10 })).items).toEqual([]);
    const state = await deliveryState(h.deps, submitted.id);
    expect(state?.webhook).toMatchObject({ through: 3, delivered: 3, attempts: 0 });
    expect(state?.eventbridge).toMatchObject({ through: 3, delivered: 3 });
    expect(state?.failedTotal).toBe(0);
  });

  it('retries a failing webhook with growing waits and keeps the order', async () => {
    const { h, endpoint } = await setUp({ answers: [500, new Error('connect ECONNREFUSED')] });
    const submitted = await submitWithWebhook(h);

    await deliverDue(h.deps, 'w1');
    let job = await deliveryJob(h.deps, submitted.id);
    const firstRetry = Date.parse(job?.nextCheckAt ?? '') - h.clock.now().getTime();
    expect((await deliveryState(h.deps, submitted.id))?.webhook).toMatchObject({
      attempts: 1,
      lastError: 'HTTP 500: endpoint says no',
    });

    // not due yet: nothing is posted
    await deliverDue(h.deps, 'w1');
    expect(endpoint.posts).toHaveLength(1);

    h.clock.advance(firstRetry);
    await deliverDue(h.deps, 'w1');
    expect(endpoint.posts).toHaveLength(2);
    job = await deliveryJob(h.deps, submitted.id);
    const secondRetry = Date.parse(job?.nextCheckAt ?? '') - h.clock.now().getTime();
    expect(secondRetry).toBeGreaterThan(firstRetry);

    h.clock.advance(secondRetry);
    await deliverDue(h.deps, 'w1');
    expect(endpoint.delivered()).toEqual([
      'Account Request Status Changed: QUEUED',
      'Account Request Status Changed: QUEUED',
      'Account Request Status Changed: QUEUED',
    ]);
    expect((await deliveryState(h.deps, submitted.id))?.webhook).toMatchObject({ delivered: 1, attempts: 0 });
    expect(await deliveryJob(h.deps, submitted.id)).toBeUndefined();
  });

  it('gives an event up after maxAttempts, records it, and goes on with the next', async () => {
    const { h, endpoint } = await setUp({ answers: [503, 503, 503] });
    const submitted = await submitWithWebhook(h);
    await attemptUntilGivenUp(h);
    const state = await deliveryState(h.deps, submitted.id);
    expect(state?.failedTotal).toBe(1);
    expect(state?.failed[0]).toMatchObject({
      seq: 1,
      target: 'webhook',
      attempts: 3,
      error: 'HTTP 503: endpoint says no',
    });

    await h.worker.tick(); // QUEUED → IN_PROGRESS: a new event, delivered at once
    await deliverDue(h.deps, 'w1');
    expect(endpoint.delivered().at(-1)).toBe('Account Request Status Changed: IN_PROGRESS');
    expect((await deliveryState(h.deps, submitted.id))?.webhook).toMatchObject({ through: 2, delivered: 1 });
  });

  it('gives up at once on a URL the factory refuses to post to', async () => {
    const { h } = await setUp({
      answers: [new WebhookRefusedError('hooks.example.com resolves to 10.0.0.7, a private address')],
    });
    const submitted = await submitWithWebhook(h);
    await deliverDue(h.deps, 'w1');
    const state = await deliveryState(h.deps, submitted.id);
    expect(state?.failed).toEqual([
      expect.objectContaining({
        seq: 1,
        attempts: 1,
        error: 'hooks.example.com resolves to 10.0.0.7, a private address',
      }),
    ]);
    expect(await deliveryJob(h.deps, submitted.id)).toBeUndefined();
  });

  it('lets two workers share the work without delivering an event twice', async () => {
    const { h, endpoint } = await setUp();
    const ids = await Promise.all([1, 2, 3, 4].map(() => submitWithWebhook(h).then((r) => r.id)));
    await Promise.all([deliverDue(h.deps, 'w1'), deliverDue(h.deps, 'w2')]);
    await Promise.all([deliverDue(h.deps, 'w1'), deliverDue(h.deps, 'w2')]);
    const delivered = endpoint.posts.map((p) => p.headers['x-avf-event-id']).sort();
    expect(delivered).toEqual(ids.map((id) => `${id}:1`).sort());
  });

  it('makes no job without a target, and a job left by a crash before the save delivers nothing', async () => {
    const { h, endpoint } = await setUp();
    const plain = makeRequestRecord({ nextCheckAt: h.clock.now().toISOString() });
    await createRequest(h.deps, plain, () => h.store.create(plain));
    expect(await deliveryJob(h.deps, plain.id)).toBeUndefined();
    expect((await h.store.get(plain.id))?.events).toEqual([
      expect.objectContaining({
        seq: 1,
        type: 'Account Request Status Changed',
        detail: expect.objectContaining({ status: 'QUEUED' }),
      }),
    ]);

    // made due, then the process died before the record was written
    const lost = makeRequestRecord({ webhook: { url: 'https://hooks.example.com/x', secret: SECRET } });
    await expect(createRequest(h.deps, lost, () => Promise.reject(new Error('killed')))).rejects.toThrow(
      'killed',
    );
    expect(await deliveryJob(h.deps, lost.id)).toBeDefined();
    await deliverDue(h.deps, 'w1'); // the save it announced may still land: the job waits a while
    h.clock.advance(60_000);
    await deliverDue(h.deps, 'w1');
    expect(endpoint.posts).toEqual([]);
    expect(await deliveryJob(h.deps, lost.id)).toBeUndefined();
  });

  it('reports a failed vend with its error, and the retry that follows', async () => {
    const { h, endpoint } = await setUp();
    h.aws.identityCenter.failNextAssignment('the permission set is not provisioned');
    const submitted = await submitWithWebhook(h);
    const failed = await vendAndDeliver(h, submitted.id);
    expect(failed.status).toBe('FAILED');
    const last = JSON.parse(endpoint.posts.at(-1)?.body ?? '{}') as { detail: Record<string, unknown> };
    expect(last.detail).toMatchObject({
      status: 'FAILED',
      previousStatus: 'IN_PROGRESS',
      phase: 'identity-center',
      error: {
        code: expect.any(String),
        message: expect.stringContaining('the permission set is not provisioned'),
      },
    });

    await retryAccountRequest(h.deps, { role: 'platform', name: 'ops' }, submitted.id);
    const again = await vendAndDeliver(h, submitted.id);
    expect(again.status).toBe('READY');
    expect(endpoint.delivered().slice(-3)).toEqual([
      'Account Request Status Changed: FAILED',
      'Account Request Status Changed: IN_PROGRESS',
      'Account Request Status Changed: READY',
    ]);
    expect(JSON.parse(endpoint.posts.at(-2)?.body ?? '{}')).toMatchObject({
      detail: { status: 'IN_PROGRESS', previousStatus: 'FAILED' },
    });
  });
});

describe('events replaced before delivery', () => {
  it('are counted as given up, not skipped silently', async () => {
    const { h, endpoint } = await setUp({ answers: [new Error('connect ECONNREFUSED')] });
    const submitted = await submitWithWebhook(h);
    await deliverDue(h.deps, 'w1'); // event 1 fails and waits for its retry
    const record = await h.store.get(submitted.id);
    if (!record) throw new Error('gone');
    for (let i = 0; i < MAX_EVENTS_KEPT + 3; i++) {
      appendEvent(record, 'Drift Finding', { controlId: `C-${i}` }, h.clock.now());
    }
    await persistWithEvents(h.deps, record, 1, () => h.store.save(record));
    h.clock.advance(3_600_000);
    await deliverDue(h.deps, 'w1');

    const state = await deliveryState(h.deps, submitted.id);
    expect(state?.failedTotal).toBe(4); // events 1-4 are no longer on the record
    expect(state?.failed[0]).toMatchObject({ seq: 1, type: 'replaced before delivery' });
    expect(state?.webhook).toMatchObject({ through: MAX_EVENTS_KEPT + 4, delivered: MAX_EVENTS_KEPT });
    expect(endpoint.posts).toHaveLength(1 + MAX_EVENTS_KEPT);
  });
});

describe('a step that dies after its checkpoint', () => {
  it('has its status change recorded with the checkpoint, once', async () => {
    const { h, endpoint } = await setUp();
    const submitted = await submitWithWebhook(h);
    // the CreateAccount intent is checkpointed (IN_PROGRESS), then the worker loses the record
    jest
      .spyOn(h.aws.organizations, 'startCreateAccount')
      .mockRejectedValueOnce(new StaleRecordError(submitted.id));
    await h.worker.tick();
    const checkpointed = await h.store.get(submitted.id);
    expect(checkpointed?.status).toBe('IN_PROGRESS');
    expect(checkpointed?.events?.map((e) => e.detail.status)).toEqual(['QUEUED', 'IN_PROGRESS']);

    h.clock.advance(60_000); // the lease runs out; the next tick goes on from the checkpoint
    const ready = await vendAndDeliver(h, submitted.id);
    expect(ready.status).toBe('READY');
    expect(endpoint.delivered()).toEqual([
      'Account Request Status Changed: QUEUED',
      'Account Request Status Changed: IN_PROGRESS',
      'Account Request Status Changed: READY',
    ]);
  });
});

describe('redelivering given-up events', () => {
  it('delivers them again in order once the endpoint is mended, and says when there is nothing to redeliver', async () => {
    const { h, endpoint } = await setUp({ answers: [503, 503, 503] });
    const submitted = await submitWithWebhook(h);
    await attemptUntilGivenUp(h);
    await h.worker.tick(); // IN_PROGRESS: delivered, after the given-up QUEUED
    await deliverDue(h.deps, 'w1');
    expect((await deliveryState(h.deps, submitted.id))?.failedTotal).toBe(1);

    const owner = { role: 'requester' as const, team: 'payments', name: 'requester:payments' };
    await redeliverEvents(h.deps, owner, submitted.id);
    await deliverDue(h.deps, 'w1');
    expect(endpoint.delivered().slice(-3)).toEqual([
      'Account Request Status Changed: IN_PROGRESS',
      'Account Request Status Changed: QUEUED',
      'Account Request Status Changed: IN_PROGRESS',
    ]);
    const state = await deliveryState(h.deps, submitted.id);
    expect(state).toMatchObject({ failed: [], failedTotal: 0, webhook: { through: 2, attempts: 0 } });

    await expect(redeliverEvents(h.deps, owner, submitted.id)).rejects.toMatchObject({
      code: 'NOTHING_TO_REDELIVER',
    });
    await expect(
      redeliverEvents(h.deps, { role: 'requester', team: 'search', name: 'requester:search' }, submitted.id),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
