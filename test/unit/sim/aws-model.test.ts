import { AwsError } from '../../../src/domain/errors';
import { meteredAws } from '../../../scripts/sim/model/metered-aws';
import { defaultParams } from '../../../scripts/sim/model/params';
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
  return { fake, time, params, aws: timed.ports(), timed };
}

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
    const { aws, time, params } = await model();
    const strict = { ...params, rates: { ...params.rates, organizations: 0.01 } };
    const metered = meteredAws(aws, time, strict, () => 0.5);
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
});
