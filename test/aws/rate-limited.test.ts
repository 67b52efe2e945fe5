import { ApiRateLimiter, apiFamilyOfService, ratesAt, TokenBucket } from '../../src/aws/rate-limited';
import { VirtualTime } from '../../scripts/sim/virtual-time';

describe('client-side rate limits per API family', () => {
  it('a token bucket lets a burst through, then one call per 1/rate seconds, in order', async () => {
    const time = new VirtualTime(0);
    const bucket = new TokenBucket(10, 10, { nowMs: () => time.ms(), sleep: (ms) => time.sleep(ms) });
    const at: number[] = [];
    const order: number[] = [];
    await time.run(
      Promise.all(
        Array.from({ length: 15 }, async (_, i) => {
          await bucket.take();
          at.push(time.ms());
          order.push(i);
        }),
      ),
    );
    expect(at).toEqual([...Array<number>(10).fill(0), 100, 200, 300, 400, 500]);
    expect(order).toEqual([...Array(15).keys()]);
    // a second later, ten tokens are there again
    await time.run(time.sleep(1_500));
    await time.run(Promise.all(Array.from({ length: 10 }, () => bucket.take())));
    expect(time.ms()).toBe(2_000);
  });

  it('serves an urgent caller before the others waiting, at the same rate', async () => {
    const time = new VirtualTime(0);
    const bucket = new TokenBucket(10, 10, { nowMs: () => time.ms(), sleep: (ms) => time.sleep(ms) });
    const at = new Map<string, number>();
    const call = async (name: string, urgent: boolean, after = 0) => {
      await time.sleep(after);
      await bucket.take(urgent);
      at.set(name, time.ms());
    };
    await time.run(
      Promise.all([
        ...Array.from({ length: 30 }, (_, i) => call(`read-${i}`, false)),
        call('create', true, 250),
      ]),
    );
    // ten at once, then one each 100 ms; the urgent call, arriving at 250 ms behind 17 waiting
    // reads, takes the next token (300 ms) and the reads move up by one
    expect(at.get('create')).toBe(300);
    expect(at.get('read-12')).toBe(400);
    expect(Math.max(...at.values())).toBe(2_100);
  });

  it('on a time-compressed emulator the rates grow as the delays shrink', () => {
    expect(ratesAt({ organizations: 10, budgets: 5, cloudformation: 0 }, 0.1)).toEqual({
      organizations: 100,
      budgets: 50,
      cloudformation: 0,
    });
    expect(ratesAt({ identityCenter: 20 }, 1)).toEqual({ identityCenter: 20 });
  });

  it('paces the requests of one family, shared by its clients, and leaves the others alone', async () => {
    const time = new VirtualTime(0);
    const limiter = new ApiRateLimiter(
      { organizations: 10, budgets: 5 },
      { nowMs: () => time.ms(), sleep: (ms) => time.sleep(ms) },
    );
    const at: Record<string, number[]> = { org: [], other: [] };
    const request = async (service: string, operation: string, log: number[]) => {
      await limiter.take(apiFamilyOfService(service), operation);
      log.push(time.ms());
    };
    await time.run(
      Promise.all([
        ...Array.from({ length: 20 }, () => request('organizations', 'DescribeOrganization', at.org!)),
        ...Array.from({ length: 10 }, () => request('organizations-no-retry', 'CreateAccount', at.org!)),
        ...Array.from({ length: 20 }, () => request('ec2', 'DescribeVpcs', at.other!)),
        ...Array.from({ length: 10 }, () => request('cloudformation', 'ListStackInstances', at.other!)),
      ]),
    );
    // 30 Organizations-family requests at 10/s with a burst of 10: the last goes at 2 s.
    expect(Math.max(...at.org!)).toBe(2_000);
    expect(at.org!.filter((t) => t === 0)).toHaveLength(10);
    // member-account APIs are not limited, nor is a family without a rate
    expect(at.other!.every((t) => t === 0)).toBe(true);
  });

  it('counts each client against its API family', () => {
    expect(apiFamilyOfService('organizations')).toBe('organizations');
    expect(apiFamilyOfService('organizations-no-retry')).toBe('organizations');
    expect(apiFamilyOfService('cloudformation')).toBe('cloudformation');
    expect(apiFamilyOfService('sso-admin')).toBe('identityCenter');
    expect(apiFamilyOfService('budgets')).toBe('budgets');
    expect(apiFamilyOfService('identitystore')).toBeUndefined();
    expect(apiFamilyOfService('sts')).toBeUndefined();
  });
});
