import { AccountClient, GetAlternateContactCommand } from '@aws-sdk/client-account';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import {
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetAccountPasswordPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Runtime } from '../../src/app/runtime';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { submitAccountRequest } from '../../src/workflow/intake';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

describe('hardening on moto: a vended account holds its settings, read back in the account', () => {
  let local: LocalFactory;
  let runtime: Runtime;
  const base = (region = 'us-east-1') => local.sdk(region);

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 11, workerId: 'hardening-worker' });
    runtime = local.runtime;
  });

  afterAll(() => local?.stop());

  it('removes a VPC that still holds an extra route table: DeleteVpc refuses, the table goes, the VPC then', async () => {
    const ec2 = new EC2Client(base('eu-west-1'));
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.9.1.0/24' }));
    await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const port = await runtime.aws.memberAccount('123456789012', 'eu-west-1');
    const removal = await port.deleteDefaultVpc(vpcId);
    expect(removal).toEqual({
      vpcId,
      subnets: 1,
      internetGateways: 0,
      securityGroups: 0,
      routeTables: 1,
      networkAcls: 0,
    });
    const left = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(left.Vpcs).toEqual([]);
  });

  it('applies every setting moto implements, in every governed region, and reports the gaps', async () => {
    const { config } = runtime.config;
    let record = await submitAccountRequest(
      runtime.deps,
      { role: 'platform', name: 'hardening-test' },
      SAMPLE_REQUEST,
    );
    for (let i = 0; i < 300 && record.status !== 'READY' && record.status !== 'FAILED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      record = (await runtime.store.get(record.id))!;
    }
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('READY');
    const step = record.steps.find((s) => s.name === 'harden')!;
    expect(step.status).toBe('SUCCEEDED');
    expect(step.detail).toMatch(/not applied, emulator lacks the API: .*imds-v2-defaults@us-east-1/);
    expect(step.detail).toMatch(/snapshot-block-public-access@eu-west-1/);

    const accountId = record.accountId!;
    const assumed = await new STSClient(base()).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${config.organization.accessRoleName}`,
        RoleSessionName: 'hardening-readback',
      }),
    );
    const c = assumed.Credentials!;
    const member = (region = 'us-east-1') => ({
      ...base(region),
      credentials: {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken,
      },
    });

    const policy = (await new IAMClient(member()).send(new GetAccountPasswordPolicyCommand({})))
      .PasswordPolicy;
    expect(policy).toEqual(
      expect.objectContaining({
        MinimumPasswordLength: 14,
        PasswordReusePrevention: 24,
        MaxPasswordAge: 90,
        RequireSymbols: true,
      }),
    );
    const s3control = new S3ControlClient({
      ...member(),
      endpointProvider: () => ({ url: new URL(local.moto.endpoint) }),
    });
    const bpa = await s3control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
    expect(bpa.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });

    for (const region of config.governedRegions) {
      const ec2 = new EC2Client(member(region));
      expect((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
      const vpcs = await ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }),
      );
      expect(vpcs.Vpcs).toEqual([]);

      const cfg = new ConfigServiceClient(member(region));
      const recorders = (await cfg.send(new DescribeConfigurationRecordersCommand({})))
        .ConfigurationRecorders;
      expect(recorders).toEqual([
        expect.objectContaining({
          name: 'default',
          recordingGroup: expect.objectContaining({
            allSupported: true,
            includeGlobalResourceTypes: region === config.homeRegion,
          }),
        }),
      ]);
      const status = (await cfg.send(new DescribeConfigurationRecorderStatusCommand({})))
        .ConfigurationRecordersStatus;
      expect(status?.[0]?.recording).toBe(true);
      const channels = (await cfg.send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels;
      expect(channels?.[0]?.s3BucketName).toMatch(/^avf-config-\d{12}$/);

      const gd = new GuardDutyClient(member(region));
      const ids = (await gd.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
      expect(ids).toHaveLength(1);
      expect((await gd.send(new GetDetectorCommand({ DetectorId: ids[0]! }))).Status).toBe('ENABLED');
      // kept for the verification, which reads that detector (GetDetector) rather than listing first
      expect(record.handles.threatDetectors?.[region]).toBe(ids[0]);
      const port = await runtime.aws.memberAccount(accountId, region, 'hardening-test');
      expect(await port.getThreatDetector(ids[0]!)).toEqual({ id: ids[0], enabled: true });
      // an id the account does not own: GuardDuty's BadRequestException, answered as none
      expect(await port.getThreatDetector('0'.repeat(32))).toBeUndefined();
    }

    // alternate contacts are set from the management account
    const contacts = new AccountClient(base());
    for (const [type, email] of [
      ['SECURITY', 'security@example.com'],
      ['BILLING', 'finance@example.com'],
      ['OPERATIONS', 'platform@example.com'],
    ] as const) {
      const got = await contacts.send(
        new GetAlternateContactCommand({ AccountId: accountId, AlternateContactType: type }),
      );
      expect(got.AlternateContact?.EmailAddress).toBe(email);
    }
  });
});
