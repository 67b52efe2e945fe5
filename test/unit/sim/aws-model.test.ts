import { ApiRateLimiter } from '../../../src/aws/rate-limited';
import { AwsError } from '../../../src/domain/errors';
import { meteredAws } from '../../../scripts/sim/model/metered-aws';
import { defaultParams } from '../../../scripts/sim/model/params';
import { pagesOf, type Listings } from '../../../scripts/sim/model/pages';
import { TimedAws } from '../../../scripts/sim/model/timed-aws';
import { VirtualTime } from '../../../scripts/sim/virtual-time';
import { bootstrapFake } from '../../support/bootstrap-fake';
import { FakeAws, INSTANCE } from '../../support/fake-aws';
import { EXAMPLE_CONFIG } from '../workflow/harness';

async function model(overrides: Parameters<typeof defaultParams>[0] = {}) {
  const fake = new FakeAws();
  await bootstrapFake(fake, EXAMPLE_CONFIG);
  const time = new VirtualTime(0);
  const params = defaultParams(overrides);
  const timed = new TimedAws(fake, time, params);
  return { fake, time, params, aws: timed.ports(), timed, listings: timed.listings() };
}

const listingsOf = (emails: string[]): Listings => ({
  accountEmails: () => emails,
  createAccountStatuses: () => 0,
});

const create = (aws: Awaited<ReturnType<typeof model>>['aws'], i: number) =>
  aws.organizations.startCreateAccount({
    email: `aws+m${i}@example.com`,
    accountName: `m${i}`,
    roleName: 'OrganizationAccountAccessRole',
    tags: {},
  });

describe('the AWS model', () => {
  it('keeps a CreateAccount IN_PROGRESS for its duration and refuses a sixth at once', async () => {
    const { aws, time } = await model();
    const started = await Promise.all([0, 1, 2, 3, 4].map((i) => create(aws, i)));
    await expect(create(aws, 5)).rejects.toMatchObject({
      awsCode: 'TooManyRequestsException',
      retryable: true,
    });
    const first = started[0]!.requestId;
    expect((await aws.organizations.getCreateAccountStatus(first)).state).toBe('IN_PROGRESS');
    await time.run(time.sleep(60_000));
    const done = await aws.organizations.getCreateAccountStatus(first);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.accountId).toBeDefined();
    await expect(create(aws, 5)).resolves.toMatchObject({ state: 'IN_PROGRESS' });
  });

  it('allows ten CreateAccount at once when the organisation has them', async () => {
    const { aws } = await model({ createConcurrency: 10 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => create(aws, i)));
    await expect(create(aws, 10)).rejects.toBeInstanceOf(AwsError);
  });

  it('runs one StackSet operation at a time, a T_op per hundred stack instances, the rest QUEUED', async () => {
    const { aws, time, fake } = await model();
    const accounts = await Promise.all([0, 1].map((i) => create(aws, i)));
    await time.run(time.sleep(60_000));
    const ids = await Promise.all(
      accounts.map(async (a) => (await aws.organizations.getCreateAccountStatus(a.requestId)).accountId!),
    );
    const root = (await fake.organizations.getRoot()).id;
    const stackSetName = EXAMPLE_CONFIG.config.stackSets[0]!.name;
    const start = (accountIds: string[], operationId: string) =>
      aws.stackSets.createStackInstances({
        stackSetName,
        organizationalUnitIds: [root],
        accountIds,
        regions: ['us-east-1'],
        operationId,
      });
    await start([ids[0]!], 'op-1');
    await start([ids[1]!], 'op-2');
    expect((await aws.stackSets.getOperation(stackSetName, 'op-1')).status).toBe('RUNNING');
    expect((await aws.stackSets.getOperation(stackSetName, 'op-2')).status).toBe('QUEUED');
    await time.run(time.sleep(90_000));
    expect((await aws.stackSets.getOperation(stackSetName, 'op-1')).status).toBe('SUCCEEDED');
    expect((await aws.stackSets.getOperation(stackSetName, 'op-2')).status).toBe('RUNNING');
    await time.run(time.sleep(90_000));
    expect((await aws.stackSets.getOperation(stackSetName, 'op-2')).status).toBe('SUCCEEDED');
  });

  it('throttles an eleventh outstanding account assignment', async () => {
    const { aws, fake } = await model();
    const permissionSetArn = [...fake.identityCenter.permissionSets.keys()][0]!;
    const groupId = [...fake.identityCenter.groups.values()][0]!;
    const assign = (accountId: string) =>
      aws.identityCenter.startAccountAssignment({
        instanceArn: INSTANCE.instanceArn,
        accountId,
        permissionSetArn,
        groupId,
      });
    for (let i = 0; i < 10; i++) await assign(`1000000000${String(i).padStart(2, '0')}`);
    await expect(assign('100000000099')).rejects.toMatchObject({ awsCode: 'ThrottlingException' });
  });
});

describe('the metered AWS', () => {
  it('counts every attempt, retries a throttle as the SDK does, and surfaces it after three', async () => {
    const { aws, time, params, listings } = await model();
    const strict = { ...params, rates: { ...params.rates, organizations: 0.01 } };
    const metered = meteredAws(aws, time, strict, () => 0.5, listings);
    // The bucket starts with one call's worth, then refills far slower than the retries come.
    await time.run(metered.aws.organizations.getRoot());
    await expect(time.run(metered.aws.organizations.getRoot())).rejects.toMatchObject({
      awsCode: 'TooManyRequestsException',
      retryable: true,
    });
    expect(metered.log.calls.get('organizations:getRoot')).toBe(4);
    expect(metered.log.throttles.get('organizations:getRoot')).toBe(3);
    expect(time.ms()).toBeGreaterThan(0);
  });

  describe('counts the pages a paginated listing fetches', () => {
    /** The model with `existing` accounts already in the organisation, metered without throttles. */
    async function withAccounts(existing: number) {
      const m = await model();
      for (let i = 0; i < existing; i++)
        m.fake.organizations.addAccount({ name: `old-${i}`, email: `old-${i}@example.com` });
      const params = { ...m.params, throttleRate: 0, rates: { ...m.params.rates, organizations: 1000 } };
      const metered = meteredAws(m.aws, m.time, params, () => 0.5, m.listings);
      const calls = (name: string) => metered.log.calls.get(name) ?? 0;
      return { ...m, metered, calls };
    }

    it('ListAccounts: a miss reads every page of 20, a find stops at its page', async () => {
      const { metered, time, calls, fake } = await withAccounts(95);
      const total = fake.organizations.accounts.size;
      expect(total).toBeGreaterThan(95);
      const orgs = metered.aws.organizations;
      const startedAt = time.ms();
      await expect(time.run(orgs.findAccountByEmail('nobody@example.com'))).resolves.toBeUndefined();
      expect(calls('organizations:findAccountByEmail')).toBe(Math.ceil(total / 20));
      // every page is a round trip on the virtual clock
      expect(time.ms() - startedAt).toBe(Math.ceil(total / 20) * 120);

      const emails = [...fake.organizations.accounts.values()].map((a) => a.email);
      const first = emails[0]!;
      const twentyFirst = emails[20]!;
      await time.run(orgs.findAccountByEmail(first.toUpperCase()));
      expect(calls('organizations:findAccountByEmail')).toBe(Math.ceil(total / 20) + 1);
      await expect(time.run(orgs.findAccountByEmail(twentyFirst))).resolves.toMatchObject({
        email: twentyFirst,
      });
      expect(calls('organizations:findAccountByEmail')).toBe(Math.ceil(total / 20) + 1 + 2);
    });

    it('ListCreateAccountStatus lists every request, whatever the name asked for', async () => {
      const { metered, time, calls, aws } = await withAccounts(0);
      for (let i = 0; i < 5; i++) await create(aws, i);
      await time.run(time.sleep(60_000));
      for (let i = 5; i < 10; i++) await create(aws, i);
      await time.run(time.sleep(60_000));
      for (let i = 10; i < 15; i++) await create(aws, i);
      await time.run(time.sleep(60_000));
      for (let i = 15; i < 20; i++) await create(aws, i);
      await time.run(time.sleep(60_000));
      await create(aws, 20);
      await time.run(metered.aws.organizations.listCreateAccountStatusesByName('m3'));
      expect(calls('organizations:listCreateAccountStatusesByName')).toBe(2);
    });

    it("a default VPC's removal: every request it sends, in the round trips the adapter takes", async () => {
      const { metered, time, calls, params } = await withAccounts(0);
      const member = await time.run(metered.aws.memberAccount('210987654321', 'us-east-1'));
      const [vpcId] = await time.run(member.listDefaultVpcIds());
      const startedAt = time.ms();
      const removal = await time.run(member.deleteDefaultVpc(vpcId!));
      // us-east-1: a subnet in each of its six zones, and a gateway
      expect(removal).toMatchObject({ subnets: 6, internetGateways: 1 });
      // three listings, detach and delete the gateway, six subnets, the VPC
      expect(calls('member:deleteDefaultVpc')).toBe(3 + 2 + 6 + 1);
      // the listings together, the gateway's two beside the subnets', then the VPC
      expect(time.ms() - startedAt).toBe(4 * params.latencyMs.member);
    });

    it("assumes a member account's role once for all its regions, and once more for another account", async () => {
      const { metered, time, calls } = await withAccounts(0);
      await time.run(
        Promise.all([
          metered.aws.memberAccount('210987654321', 'us-east-1'),
          metered.aws.memberAccount('210987654321', 'eu-west-1'),
        ]),
      );
      await time.run(metered.aws.memberAccount('210987654321', 'us-east-1'));
      expect(calls('sts:assumeAccountRole')).toBe(1);
      await time.run(metered.aws.orgServices.listOrganizationAnalyzers('222233334444', 'us-east-1'));
      expect(calls('sts:assumeAccountRole')).toBe(2);
    });

    it('a listing of 100 a page costs a page per hundred items, at least one', async () => {
      const { metered, time, calls } = await withAccounts(0);
      await time.run(metered.aws.budgets.listBudgetSpend('000000000000'));
      expect(calls('budgets:listBudgetSpend')).toBe(1);
      expect(pagesOf('budgets:listBudgetSpend', [], new Array(250), listingsOf([]))).toBe(3);
      expect(pagesOf('stackSets:listStackInstances', [], new Array(100), listingsOf([]))).toBe(1);
      expect(pagesOf('organizations:listAccountsForParent', [], new Array(41), listingsOf([]))).toBe(3);
      // not a listing: one call whatever it answers
      expect(pagesOf('organizations:describeAccount', [], new Array(41), listingsOf([]))).toBe(1);
      // a budget is read with its notifications: two requests, one when there is no budget
      expect(pagesOf('budgets:findBudget', [], { name: 'b' }, listingsOf([]))).toBe(2);
      expect(pagesOf('budgets:findBudget', [], undefined, listingsOf([]))).toBe(1);
    });

    it("every page waits for the factory's own bucket; CreateAccount is asked for by its AWS name", async () => {
      const m = await model();
      while (m.fake.organizations.accounts.size < 100)
        m.fake.organizations.addAccount({
          name: `old-${m.fake.organizations.accounts.size}`,
          email: `old-${m.fake.organizations.accounts.size}@example.com`,
        });
      // AWS's side lets everything through; the factory keeps Organizations to 2 a second
      const params = { ...m.params, throttleRate: 0, rates: { ...m.params.rates, organizations: 1000 } };
      const limiter = new ApiRateLimiter(
        { organizations: 2 },
        { nowMs: () => m.time.ms(), sleep: (ms) => m.time.sleep(ms) },
      );
      const take = jest.spyOn(limiter, 'take');
      const metered = meteredAws(m.aws, m.time, params, () => 0.5, m.listings, limiter);
      await m.time.run(metered.aws.organizations.findAccountByEmail('nobody@example.com'));
      // five pages of 20, each taking a token: two from the burst, then one each 500 ms; the
      // last page leaves at 1.5 s and is back 120 ms later
      expect(metered.log.calls.get('organizations:findAccountByEmail')).toBe(5);
      expect(take).toHaveBeenCalledTimes(5);
      expect(take).toHaveBeenLastCalledWith('organizations', 'organizations:findAccountByEmail');
      expect(m.time.ms()).toBe(1_620);
      // CreateAccount is asked for by AWS's name, which the limiter serves first
      await m.time.run(create(metered.aws, 0));
      expect(take).toHaveBeenLastCalledWith('organizations', 'CreateAccount');
      // a family the factory does not limit passes at once
      const before = m.time.ms();
      await m.time.run(metered.aws.sts.callerAccountId());
      expect(take).toHaveBeenLastCalledWith(undefined, 'sts:callerAccountId');
      expect(m.time.ms() - before).toBe(params.latencyMs.sts);
    });

    it('a throttled attempt retried by the SDK takes another token from the factory', async () => {
      const { aws, time, params, listings } = await model();
      const strict = { ...params, rates: { ...params.rates, organizations: 0.01 } };
      const limiter = new ApiRateLimiter(
        { organizations: 10 },
        { nowMs: () => time.ms(), sleep: (ms) => time.sleep(ms) },
      );
      const take = jest.spyOn(limiter, 'take');
      const metered = meteredAws(aws, time, strict, () => 0.5, listings, limiter);
      await time.run(metered.aws.organizations.getRoot());
      await expect(time.run(metered.aws.organizations.getRoot())).rejects.toMatchObject({ retryable: true });
      expect(metered.log.calls.get('organizations:getRoot')).toBe(4);
      expect(take).toHaveBeenCalledTimes(4);
    });

    it('a page throttled past the SDK retries fails the listing', async () => {
      const { aws, time, params, listings, fake } = await model();
      for (let i = 0; i < 60; i++)
        fake.organizations.addAccount({ name: `old-${i}`, email: `old-${i}@example.com` });
      // one call's burst, then one call a minute: the second page meets an empty bucket three times
      const slow = { ...params, throttleRate: 0, rates: { ...params.rates, organizations: 1 / 60 } };
      const metered = meteredAws(aws, time, slow, () => 0.5, listings);
      await expect(
        time.run(metered.aws.organizations.findAccountByEmail('nobody@example.com')),
      ).rejects.toMatchObject({ awsCode: 'TooManyRequestsException' });
      expect(metered.log.calls.get('organizations:findAccountByEmail')).toBe(1 + 3);
    });
  });
});
