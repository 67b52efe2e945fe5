import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { checkAwsAccess } from '../../../src/app/access-check';
import { createAwsPorts } from '../../../src/aws';
import type { AwsPorts } from '../../../src/domain/ports/aws';

const sts = mockClient(STSClient);
const orgs = mockClient(OrganizationsClient);
const error = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

const ports = (): AwsPorts =>
  createAwsPorts({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });

const identity = (account: string) =>
  sts.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: `arn:aws:iam::${account}:user/ops` });
const organization = (management: string) =>
  orgs
    .on(DescribeOrganizationCommand)
    .resolves({ Organization: { Id: 'o-abc123', MasterAccountId: management } });

beforeEach(() => {
  sts.reset();
  orgs.reset();
});

describe('the start-up check of AWS access', () => {
  it("passes for the organisation's management account and says who it is", async () => {
    identity('111111111111');
    organization('111111111111');
    await expect(checkAwsAccess(ports(), { purpose: 'factory' })).resolves.toEqual({
      accountId: '111111111111',
      organizationId: 'o-abc123',
      managementAccountId: '111111111111',
    });
  });

  it('says there are no credentials when the SDK finds none', async () => {
    sts.on(GetCallerIdentityCommand).rejects(error('CredentialsProviderError', 'Could not load credentials'));
    await expect(checkAwsAccess(ports(), { purpose: 'factory' })).rejects.toThrow(
      /^no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
  });

  it('says the credentials were refused when STS does not know them', async () => {
    sts.on(GetCallerIdentityCommand).rejects(error('InvalidClientTokenId'));
    await expect(checkAwsAccess(ports(), { purpose: 'bootstrap' })).rejects.toThrow(
      'the AWS credentials were refused (InvalidClientTokenId): renew them or pick another profile',
    );
  });

  it('names the account and the action it may not call', async () => {
    identity('222222222222');
    orgs.on(DescribeOrganizationCommand).rejects(error('AccessDeniedException', 'not authorized'));
    await expect(checkAwsAccess(ports(), { purpose: 'factory' })).rejects.toThrow(
      /^account 222222222222 is not allowed to call organizations:DescribeOrganization: grant it/,
    );
  });

  it('refuses a member account, naming the management account', async () => {
    identity('333333333333');
    organization('111111111111');
    await expect(checkAwsAccess(ports(), { purpose: 'bootstrap' })).rejects.toThrow(
      "account 333333333333 is not the management account of o-abc123 (that is 111111111111): use the management account's credentials",
    );
    await expect(checkAwsAccess(ports(), { purpose: 'factory' })).rejects.toThrow(
      /or a delegated administrator with AVF_STACKSETS_CALL_AS=DELEGATED_ADMIN$/,
    );
  });

  it('lets a delegated administrator run the factory', async () => {
    identity('333333333333');
    organization('111111111111');
    await expect(
      checkAwsAccess(ports(), { purpose: 'factory', stackSetsCallAs: 'DELEGATED_ADMIN' }),
    ).resolves.toMatchObject({ accountId: '333333333333', managementAccountId: '111111111111' });
  });

  it('needs an organisation to serve, but not to bootstrap (bootstrap creates it)', async () => {
    identity('111111111111');
    orgs.on(DescribeOrganizationCommand).rejects(error('AWSOrganizationsNotInUseException'));
    await expect(checkAwsAccess(ports(), { purpose: 'bootstrap' })).resolves.toEqual({
      accountId: '111111111111',
    });
    await expect(checkAwsAccess(ports(), { purpose: 'factory' })).rejects.toThrow(
      /^account 111111111111 is in no organization: run `avf bootstrap`/,
    );
  });

  it('has every failure end as an expected error (the CLI prints one line and exits 2)', async () => {
    sts.on(GetCallerIdentityCommand).rejects(error('CredentialsProviderError'));
    await expect(checkAwsAccess(ports(), { purpose: 'factory' })).rejects.toMatchObject({
      code: 'AWS_ACCESS',
    });
  });
});
