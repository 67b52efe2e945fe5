import { rateLimited, ratesAt, TokenBucket } from '../../src/aws/rate-limited';
import type { AwsPorts } from '../../src/domain/ports/aws';
import { FakeAws } from '../support/fake-aws';
import { VirtualTime } from '../../scripts/sim/virtual-time';

describe('client-side rate limits per API family', () => {
  it('a token bucket lets a burst through, then one call per 1/rate seconds, in order', () => {
    const bucket = new TokenBucket(10, 10, 0);
    const waits = Array.from({ length: 15 }, () => bucket.reserve(0));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits.slice(10)).toEqual([100, 200, 300, 400, 500]);
    // a second later, ten more tokens (minus the five reserved) are there again
    expect(bucket.reserve(1_500)).toBe(0);
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
