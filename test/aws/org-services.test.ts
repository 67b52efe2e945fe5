import {
  AccessAnalyzerClient,
  ConflictException,
  CreateAnalyzerCommand,
  ListAnalyzersCommand,
} from '@aws-sdk/client-accessanalyzer';
import {
  CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
  TrailAlreadyExistsException,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateDetectorCommand,
  DescribeOrganizationConfigurationCommand as GdDescribeOrgConfig,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  UpdateOrganizationConfigurationCommand as GdUpdateOrgConfig,
} from '@aws-sdk/client-guardduty';
import {
  BatchEnableStandardsCommand,
  EnableSecurityHubCommand,
  GetEnabledStandardsCommand,
  ResourceConflictException,
  SecurityHubClient,
  UpdateOrganizationConfigurationCommand as ShUpdateOrgConfig,
} from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createClientFactory } from '../../src/aws/clients';
import { OrgServicesAdapter } from '../../src/aws/org-services';
import { StsAdapter } from '../../src/aws/sts';

/** The paths moto cannot produce: GuardDuty auto-enable, Security Hub standards, Access Analyzer. */

const $metadata = {};
const clients = createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const sts = new StsAdapter(clients);
const member = () => Promise.resolve(clients);
const adapter = new OrgServicesAdapter(clients, member, sts);
const SECURITY = '222233334444';

const guardDuty = mockClient(GuardDutyClient);
const securityHub = mockClient(SecurityHubClient);
const analyzer = mockClient(AccessAnalyzerClient);
const cloudTrail = mockClient(CloudTrailClient);
const stsMock = mockClient(STSClient);

beforeEach(() => {
  for (const m of [guardDuty, securityHub, analyzer, cloudTrail, stsMock]) m.reset();
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: '123456789012', Arn: 'arn:aws-cn:iam::123456789012:root' });
  stsMock.on(AssumeRoleCommand).resolves({});
});

describe('GuardDuty organisation configuration (moto has no UpdateOrganizationConfiguration)', () => {
  test('auto-enables every member from the administrator, creating its detector first', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    guardDuty.on(CreateDetectorCommand).resolves({ DetectorId: 'd-1' });
    guardDuty.on(GdUpdateOrgConfig).resolves({});

    await adapter.enableThreatDetectionAutoEnable(SECURITY, 'eu-west-1');

    expect(guardDuty.commandCalls(GdUpdateOrgConfig)[0]?.args[0].input).toEqual({
      DetectorId: 'd-1',
      AutoEnableOrganizationMembers: 'ALL',
    });
  });

  test('reads auto-enable as on only for ALL members', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
    guardDuty.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'r' });
    guardDuty.on(GdDescribeOrgConfig).resolvesOnce({ AutoEnableOrganizationMembers: 'NEW' }).resolves({
      AutoEnableOrganizationMembers: 'ALL',
    });

    expect(await adapter.getThreatDetectionAutoEnable(SECURITY, 'us-east-1')).toBe(false);
    expect(await adapter.getThreatDetectionAutoEnable(SECURITY, 'us-east-1')).toBe(true);
  });

  test('fails with a typed, non-retryable error when AWS refuses', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
    guardDuty.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'r' });
    guardDuty
      .on(GdUpdateOrgConfig)
      .rejects(Object.assign(new Error('not admin'), { name: 'BadRequestException' }));

    await expect(adapter.enableThreatDetectionAutoEnable(SECURITY, 'us-east-1')).rejects.toMatchObject({
      operation: 'guardduty:UpdateOrganizationConfiguration',
      awsCode: 'BadRequestException',
      retryable: false,
    });
  });
});

describe('Security Hub (moto has no BatchEnableStandards)', () => {
  const fsbp =
    'arn:aws-cn:securityhub:cn-north-1::standards/aws-foundational-security-best-practices/v/1.0.0';

  test('enables the foundational standard with the ARN of the caller partition and region', async () => {
    securityHub.on(BatchEnableStandardsCommand).resolves({});

    await adapter.enableFoundationalStandard(SECURITY, 'cn-north-1');

    expect(securityHub.commandCalls(BatchEnableStandardsCommand)[0]?.args[0].input).toEqual({
      StandardsSubscriptionRequests: [{ StandardsArn: fsbp }],
    });
  });

  test('reads the standard as enabled unless its subscription failed', async () => {
    securityHub
      .on(GetEnabledStandardsCommand)
      .resolvesOnce({ StandardsSubscriptions: [{ StandardsArn: fsbp, StandardsStatus: 'FAILED' } as never] })
      .resolves({ StandardsSubscriptions: [{ StandardsArn: fsbp, StandardsStatus: 'READY' } as never] });

    expect(await adapter.getFoundationalStandardEnabled(SECURITY, 'cn-north-1')).toBe(false);
    expect(await adapter.getFoundationalStandardEnabled(SECURITY, 'cn-north-1')).toBe(true);
  });

  test('auto-enables members, a hub already enabled in the administrator being success', async () => {
    securityHub
      .on(EnableSecurityHubCommand)
      .rejects(new ResourceConflictException({ message: 'already', $metadata }));
    securityHub.on(ShUpdateOrgConfig).resolves({});

    await adapter.enableSecurityHubAutoEnable(SECURITY, 'us-east-1');

    expect(securityHub.commandCalls(ShUpdateOrgConfig)[0]?.args[0].input).toEqual({
      AutoEnable: true,
      AutoEnableStandards: 'DEFAULT',
    });
  });
});

describe('IAM Access Analyzer (moto has none)', () => {
  test('creates an organisation analyzer; one of that name existing is success', async () => {
    analyzer
      .on(CreateAnalyzerCommand)
      .resolvesOnce({ arn: 'arn:a' })
      .rejects(
        new ConflictException({ message: 'exists', resourceId: 'a', resourceType: 'Analyzer', $metadata }),
      );

    await adapter.createOrganizationAnalyzer(SECURITY, 'us-east-1', 'avf-organization-analyzer');
    await adapter.createOrganizationAnalyzer(SECURITY, 'us-east-1', 'avf-organization-analyzer');

    expect(analyzer.commandCalls(CreateAnalyzerCommand)[0]?.args[0].input).toEqual({
      analyzerName: 'avf-organization-analyzer',
      type: 'ORGANIZATION',
    });
  });

  test('lists only active organisation analyzers', async () => {
    analyzer.on(ListAnalyzersCommand).resolves({
      analyzers: [
        { name: 'a', status: 'ACTIVE', arn: 'x', type: 'ORGANIZATION', createdAt: new Date() },
        { name: 'b', status: 'FAILED', arn: 'y', type: 'ORGANIZATION', createdAt: new Date() },
      ],
    });

    expect(await adapter.listOrganizationAnalyzers(SECURITY, 'us-east-1')).toEqual(['a']);
    expect(analyzer.commandCalls(ListAnalyzersCommand)[0]?.args[0].input).toMatchObject({
      type: 'ORGANIZATION',
    });
  });
});

describe('CloudTrail organisation trail', () => {
  const settings = { name: 'avf-organization-trail', bucketName: 'b', kmsKeyArn: 'arn:k' };

  test('creates an organisation, multi-region, validated, encrypted trail and starts logging', async () => {
    cloudTrail.on(CreateTrailCommand).resolves({});
    cloudTrail.on(StartLoggingCommand).resolves({});

    await adapter.createOrganizationTrail(settings);

    expect(cloudTrail.commandCalls(CreateTrailCommand)[0]?.args[0].input).toEqual({
      Name: 'avf-organization-trail',
      S3BucketName: 'b',
      KmsKeyId: 'arn:k',
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    });
    expect(cloudTrail.commandCalls(StartLoggingCommand)).toHaveLength(1);
  });

  test('updates a trail that already exists instead of failing', async () => {
    cloudTrail
      .on(CreateTrailCommand)
      .rejects(new TrailAlreadyExistsException({ message: 'exists', $metadata }));
    cloudTrail.on(UpdateTrailCommand).resolves({});
    cloudTrail.on(StartLoggingCommand).resolves({});

    await adapter.createOrganizationTrail(settings);

    expect(cloudTrail.commandCalls(UpdateTrailCommand)).toHaveLength(1);
    expect(cloudTrail.commandCalls(StartLoggingCommand)).toHaveLength(1);
  });
});
