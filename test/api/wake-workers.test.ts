import { call, fixture, requestBody, submit, viewOf, type Fixture } from './fixture';

describe('waking the worker function after a mutating call (the Lambda API)', () => {
  let wakes = 0;
  let failing = false;
  let f: Fixture;
  beforeEach(async () => {
    wakes = 0;
    failing = false;
    f = await fixture({
      wakeWorkers: () => {
        wakes += 1;
        return failing ? Promise.reject(new Error('table unreachable')) : Promise.resolve();
      },
    });
  });
  afterEach(() => f.app.close());

  it('wakes once per successful mutating call, never for a read or a refused call', async () => {
    const posted = await submit(f.app, f.tokens.payments, requestBody());
    expect(posted.statusCode).toBe(202);
    expect(wakes).toBe(1);
    // a retry of a failed request: work the table's stream of new requests does not see
    const id = viewOf(posted).id;
    const record = (await f.store.get(id))!;
    await f.store.save({
      ...record,
      status: 'FAILED',
      phase: 'baseline',
      error: { code: 'STACK_INSTANCE_FAILED', message: 'avf-baseline failed', phase: 'baseline' },
    });
    const retried = await call(f.app, 'POST', `/v1/account-requests/${id}/retry`, f.tokens.payments);
    expect(retried.statusCode).toBe(202);
    expect(wakes).toBe(2);

    expect(
      (await call(f.app, 'GET', `/v1/account-requests/${viewOf(posted).id}`, f.tokens.payments)).statusCode,
    ).toBe(200);
    expect((await call(f.app, 'GET', '/v1/account-requests', f.tokens.payments)).statusCode).toBe(200);
    expect((await submit(f.app, f.tokens.payments, { accountName: '' })).statusCode).toBe(400);
    expect((await submit(f.app, 'not-a-token', requestBody())).statusCode).toBe(401);
    expect(wakes).toBe(2);
  });

  it('answers as it would have when the wake fails: the work is stored, the schedule finds it', async () => {
    failing = true;
    const posted = await submit(f.app, f.tokens.payments, requestBody());
    expect(posted.statusCode).toBe(202);
    expect(wakes).toBe(1);
    expect(await f.store.get(viewOf(posted).id)).toMatchObject({ status: 'QUEUED' });
  });
});
