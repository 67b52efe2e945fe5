import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createRuntime, type Runtime } from '../../../src/app/runtime';

const sts = mockClient(STSClient);

describe('the runtime assumes the configured access role in member accounts', () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    sts.reset();
  });

  it('organization.accessRoleName, not the default, for every member session', async () => {
    // the runtime reads its own identity (the store's tag) as it starts
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
    runtime = await createRuntime({
      storeSpec: 'memory',
      configure: (c) => ({ ...c, organization: { ...c.organization, accessRoleName: 'AVFAccess' } }),
    });
    await runtime.aws.memberAccount('210987654321', 'us-east-1');
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::210987654321:role/AVFAccess',
    });
  });
});
