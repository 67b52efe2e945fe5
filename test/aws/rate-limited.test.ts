import { rateLimited, ratesAt, TokenBucket } from '../../src/aws/rate-limited';
import type { AwsPorts } from '../../src/domain/ports/aws';
import { FakeAws } from '../support/fake-aws';
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

  it('paces the calls of one family, shared by its ports, and leaves member-account calls alone', async () => {
    const fake = new FakeAws();
    const time = new VirtualTime(0);
    const aws: AwsPorts = rateLimited(
      fake,
      { organizations: 10, budgets: 5 },
      { nowMs: () => time.ms(), sleep: (ms) => time.sleep(ms) },
    );
    const at: Record<string, number[]> = { org: [], member: [] };
    const org = async () => {
      await aws.organizations.getRoot();
      at.org!.push(time.ms());
    };
    const orgServices = async () => {
      await aws.orgServices.listOrganizationAnalyzers('111111111111', 'us-east-1');
      at.org!.push(time.ms());
    };
    const member = async () => {
      await (await aws.memberAccount('111111111111', 'us-east-1')).getEbsEncryptionByDefault();
      at.member!.push(time.ms());
    };
    await time.run(
      Promise.all([
        ...Array.from({ length: 20 }, org),
        ...Array.from({ length: 10 }, orgServices),
        ...Array.from({ length: 30 }, member),
      ]),
    );
    // 30 Organizations-family calls at 10/s with a burst of 10: the last goes at 2 s.
    expect(Math.max(...at.org!)).toBe(2_000);
    expect(at.org!.filter((t) => t === 0)).toHaveLength(10);
    expect(at.member!.every((t) => t === 0)).toBe(true);
  });
});
