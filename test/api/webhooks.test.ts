import { DELIVERY } from '../../src/workflow/notify/delivery-state';
import { DELIVERY_JOB } from '../../src/workflow/notify/outbox';
import {
  call,
  errorOf,
  fixturePerTest,
  problemPaths,
  requestBody,
  storedRequests,
  submit,
  viewOf,
} from './fixture';

const SECRET = 'a-webhook-secret-0123456789';

describe('a request with a webhook', () => {
  const f = fixturePerTest();

  it('is accepted with an https URL; the secret is stored for signing and never shown', async () => {
    const res = await submit(f.app, f.tokens.payments, {
      ...requestBody(),
      webhook: { url: 'https://hooks.example.com/avf?team=payments', secret: SECRET },
    });
    expect(res.statusCode).toBe(202);
    const view = viewOf(res);
    expect(view.webhook).toEqual({ url: 'https://hooks.example.com/avf?team=payments' });
    expect(res.body).not.toContain(SECRET);

    const stored = await f.store.get(view.id);
    expect(stored?.webhook).toEqual({ url: 'https://hooks.example.com/avf?team=payments', secret: SECRET });
    expect(await f.store.jobs.getJob(DELIVERY_JOB, view.id)).toBeDefined();

    const read = await call(f.app, 'GET', `/v1/account-requests/${view.id}`, f.tokens.payments);
    expect(read.body).not.toContain(SECRET);
    expect(viewOf(read).events).toEqual([
      expect.objectContaining({
        seq: 1,
        type: 'Account Request Status Changed',
        detail: expect.objectContaining({ status: 'QUEUED', requestId: view.id }),
      }),
    ]);
    const list = await call(f.app, 'GET', '/v1/account-requests', f.tokens.payments);
    expect(list.body).not.toContain(SECRET);
  });

  it('is read again with the same body until a delivery is recorded, then with it', async () => {
    const res = await submit(f.app, f.tokens.payments, {
      ...requestBody(),
      webhook: { url: 'https://hooks.example.com/avf', secret: SECRET },
    });
    const id = viewOf(res).id;
    const read = () => call(f.app, 'GET', `/v1/account-requests/${id}`, f.tokens.payments);
    const first = await read();
    expect(viewOf(first).deliveries).toBeUndefined();
    expect((await read()).body).toBe(first.body);
    const delivered = { webhook: { through: 1, delivered: 1 } };
    const doc = await f.store.putDocument(DELIVERY.kind, id, delivered, 0, new Date());
    const second = await read();
    expect(viewOf(second).deliveries?.webhook).toMatchObject({ through: 1, delivered: 1 });
    expect((await read()).body).toBe(second.body);
    await f.store.putDocument(DELIVERY.kind, id, { ...delivered, failedTotal: 2 }, doc.version, new Date());
    expect(viewOf(await read()).deliveries?.failedTotal).toBe(2);
  });

  it('is refused with every webhook problem named, and nothing is written', async () => {
    const cases: Array<[object, string[], RegExp]> = [
      [{ url: 'http://hooks.example.com/avf', secret: SECRET }, ['body.webhook.url'], /must use https/],
      [{ url: 'https://169.254.169.254/latest', secret: SECRET }, ['body.webhook.url'], /link-local/],
      [{ url: 'https://10.0.0.8/hook', secret: SECRET }, ['body.webhook.url'], /private/],
      [{ url: 'https://198.18.0.1/hook', secret: SECRET }, ['body.webhook.url'], /special-purpose/],
      [{ url: 'https://[64:ff9b::a00:1]/hook', secret: SECRET }, ['body.webhook.url'], /NAT64/],
      [{ url: 'https://[fec0::1]/hook', secret: SECRET }, ['body.webhook.url'], /site-local/],
      [{ url: 'https://224.0.0.1/hook', secret: SECRET }, ['body.webhook.url'], /multicast/],
      [{ url: 'https://user:pw@hooks.example.com/', secret: SECRET }, ['body.webhook.url'], /credentials/],
      [
        { url: 'ftp://hooks.example.com/', secret: 'short' },
        ['body.webhook.url', 'body.webhook.secret'],
        /http/,
      ],
      [{ url: 'https://hooks.example.com/' }, ['body.webhook.secret'], /./],
    ];
    for (const [webhook, paths, message] of cases) {
      const res = await submit(f.app, f.tokens.payments, { ...requestBody(), webhook });
      expect(res.statusCode).toBe(400);
      expect(problemPaths(res).sort()).toEqual(paths.sort());
      expect(JSON.stringify(errorOf(res).problems)).toMatch(message);
    }
    expect(await storedRequests(f.store)).toBe(0);
    expect((await f.store.jobs.listJobs(DELIVERY_JOB, { limit: 10 })).items).toEqual([]);
  });

  it('answers 409 DELIVERY_IN_PROGRESS to a redelivery while a worker holds its delivery job', async () => {
    const res = await submit(f.app, f.tokens.payments, {
      ...requestBody(),
      webhook: { url: 'https://hooks.example.com/avf', secret: SECRET },
    });
    const { id } = viewOf(res);
    const [leased] = await f.store.jobs.claimJobs({
      kind: DELIVERY_JOB,
      now: new Date(),
      owner: 'worker-1',
      leaseMs: 60_000,
      limit: 1,
    });
    expect(leased?.id).toBe(id);
    const redeliver = await call(f.app, 'POST', `/v1/account-requests/${id}/redeliver`, f.tokens.payments);
    expect(redeliver.statusCode).toBe(409);
    expect(errorOf(redeliver).code).toBe('DELIVERY_IN_PROGRESS');
  });
});
