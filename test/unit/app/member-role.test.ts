import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createRuntime, type Runtime } from '../../../src/app/runtime';

const sts = mockClient(STSClient);

/** STS answers: the runtime reads its own identity (the store's tag) as it starts; every AssumeRole succeeds. */
function answerAsSts(): void {
  sts.on(GetCallerIdentityCommand).resolves({
    Account: '123456789012',
    Arn: 'arn:aws:iam::123456789012:role/avf-worker',
  });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'AKIAEXAMPLE',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
}

describe('the runtime assumes the configured access role in member accounts', () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    sts.reset();
  });

  it('organization.accessRoleName, not the default, for every member session', async () => {
    answerAsSts();
    runtime = await createRuntime({
      storeSpec: 'memory',
      configure: (c) => ({ ...c, organization: { ...c.organization, accessRoleName: 'AVFAccess' } }),
    });
    await runtime.aws.memberAccount('210987654321', 'us-east-1');
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::210987654321:role/AVFAccess',
    });
  });

  it('names each session after what it is for, and keeps one per account and activity for every region', async () => {
    answerAsSts();
    runtime = await createRuntime({ storeSpec: 'memory' });
    const account = '210987654321';
    await runtime.aws.memberAccount(account, 'us-east-1', 'req-0123456789abcdef');
    await runtime.aws.memberAccount(account, 'eu-west-1', 'req-0123456789abcdef');
    await runtime.aws.memberAccount(account, 'us-east-1', 'drift');
    await runtime.aws.memberAccount(account, 'us-east-1');
    await runtime.aws.memberAccount(account, 'us-east-1', `rollout/${'x'.repeat(80)}`);
    const names = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleSessionName);
    expect(names).toEqual([
      'avf-req-0123456789abcdef',
      'avf-drift',
      'avf-account-settings',
      // AssumeRole's characters only, 64 at most
      `avf-rollout-${'x'.repeat(52)}`,
    ]);
  });
});
