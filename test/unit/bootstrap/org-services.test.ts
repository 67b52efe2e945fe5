import { applyBootstrap, formatResult, planBootstrap } from '../../../src/bootstrap';
import {
  logBucketName,
  ORGANIZATION_ANALYZER_NAME,
  ORGANIZATION_TRAIL_NAME,
} from '../../../src/domain/names';
import { FakeAws } from '../../support/fake-aws';
import { example } from './config-fixture';

const noWait = { sleep: (): Promise<void> => Promise.resolve(), emulator: false };
const regions = example().config.governedRegions;

async function bootstrapped(aws = new FakeAws()) {
  const result = await applyBootstrap(example(), aws, noWait);
  const { logArchive = '', security = '' } = result.accounts;
  return { aws, result, logArchive, security };
}

describe('bootstrap sets up the organisation security services', () => {
  it('plans every service with a description line, after the foundation accounts', async () => {
    const plan = await planBootstrap(example(), new FakeAws(), { emulator: false });
    const lines = plan.actions.map((a) => a.description);
    const firstService = lines.findIndex((l) => l.startsWith('create the KMS key'));

    expect(firstService).toBeGreaterThan(
      lines.findIndex((l) => l.startsWith('create account security-tooling')),
    );
    expect(lines.slice(firstService)).toEqual([
      'create the KMS key alias/avf-organization-trail for the organisation trail',
      'create the CloudTrail log bucket avf-cloudtrail-<log-archive id> in the log-archive account (Block Public Access, SSE-KMS, write access for the service only)',
      'create the AWS Config log bucket avf-config-<log-archive id> in the log-archive account (Block Public Access, SSE-KMS, write access for the service only)',
      'create the organisation trail avf-organization-trail (all regions, log-file validation, KMS) and start logging',
      'register the security account as delegated administrator for access-analyzer.amazonaws.com',
      ...regions.flatMap((r) => [
        `make the security account the GuardDuty administrator in ${r}`,
        `auto-enable GuardDuty for every member account in ${r}`,
        `make the security account the Security Hub administrator in ${r}`,
        `auto-enable Security Hub for every member account in ${r}`,
        `enable AWS Foundational Security Best Practices in Security Hub in ${r}`,
      ]),
      'create the organisation analyzer avf-organization-analyzer in the security account (us-east-1)',
      'activate cost allocation tags CostCenter, Team, Owner',
      'create role avf-budget-actions for AWS Budgets actions (attach/detach spending-freeze)',
    ]);
  });

  it('creates the trail, its key, the log buckets and the administrators on the first run', async () => {
    const { aws, logArchive, security } = await bootstrapped();
    const svc = aws.orgServices;
    const trailBucket = logBucketName('cloudtrail', logArchive);

    expect(svc.trails.get(ORGANIZATION_TRAIL_NAME)).toEqual({
      name: ORGANIZATION_TRAIL_NAME,
      bucketName: trailBucket,
      kmsKeyId: svc.keys.get('alias/avf-organization-trail')?.arn,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      logFileValidationEnabled: true,
      isLogging: true,
    });
    const key = JSON.parse(svc.keys.get('alias/avf-organization-trail')?.policy ?? '{}') as {
      Statement: Array<{ Sid: string; Principal: unknown; Action: unknown }>;
    };
    expect(key.Statement.find((s) => s.Sid === 'CloudTrailEncrypt')).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
    });
    const trailPolicy = svc.buckets.get(`${logArchive}/${trailBucket}`)?.policy ?? '';
    expect(trailPolicy).toContain(`trail/${ORGANIZATION_TRAIL_NAME}`);
    expect(trailPolicy).toContain('"Service":"cloudtrail.amazonaws.com"');
    const configPolicy = svc.buckets.get(`${logArchive}/avf-config-${logArchive}`)?.policy ?? '';
    expect(configPolicy).toContain('"aws:SourceOrgID"');
    expect(configPolicy).toContain('"Service":"config.amazonaws.com"');

    for (const r of regions) {
      expect(svc.threatDetectionAdmins.get(r)).toBe(security);
      expect(svc.securityHubAdmins.get(r)).toBe(security);
      expect(svc.threatDetectionAutoEnabled.has(`${security}/${r}`)).toBe(true);
      expect(svc.securityHubAutoEnabled.has(`${security}/${r}`)).toBe(true);
      expect(svc.foundationalStandard.has(`${security}/${r}`)).toBe(true);
    }
    expect(svc.analyzers.get(`${security}/us-east-1`)).toEqual([ORGANIZATION_ANALYZER_NAME]);
    expect([...(svc.delegatedAdmins.get('access-analyzer.amazonaws.com') ?? [])]).toEqual([security]);
  });

  it('plans nothing and changes nothing on a second run', async () => {
    const { aws } = await bootstrapped();
    const before = aws.mutatingCalls();

    const again = await applyBootstrap(example(), aws, noWait);

    expect(again.actions).toEqual([]);
    expect(aws.mutatingCalls()).toBe(before);
  });

  it('repairs only what drifted: a stopped trail and a changed bucket policy', async () => {
    const { aws, logArchive } = await bootstrapped();
    const trail = aws.orgServices.trails.get(ORGANIZATION_TRAIL_NAME);
    if (trail) trail.isLogging = false;
    const bucket = aws.orgServices.buckets.get(`${logArchive}/avf-cloudtrail-${logArchive}`);
    if (bucket) bucket.policy = '{"Version":"2012-10-17","Statement":[]}';

    const plan = await planBootstrap(example(), aws, { emulator: false });

    expect(plan.actions.map((a) => a.description)).toEqual([
      `update the CloudTrail log bucket avf-cloudtrail-${logArchive} in the log-archive account (policy)`,
      'update the organisation trail avf-organization-trail (logging)',
    ]);
  });

  it('reports what an emulator lacks instead of failing, and plans it no more', async () => {
    const aws = new FakeAws();
    aws.orgServices.notImplemented.add('enableThreatDetectionAutoEnable');
    aws.orgServices.notImplemented.add('getThreatDetectionAutoEnable');

    const first = await applyBootstrap(example(), aws, { ...noWait, emulator: true });
    const second = await applyBootstrap(example(), aws, { ...noWait, emulator: true });

    expect(first.emulatorGaps).toEqual(
      regions.map(
        (r) =>
          `auto-enable GuardDuty for every member account in ${r}: enableThreatDetectionAutoEnable is not implemented by the emulator`,
      ),
    );
    expect(second.actions).toEqual([]);
    expect(second.emulatorGaps).toHaveLength(regions.length);
    expect(formatResult(second)).toContain('Not done on this emulator (done on real AWS):');
  });

  it('fails on real AWS when an operation is missing: the emulator rule applies only to emulators', async () => {
    const aws = new FakeAws();
    aws.orgServices.notImplemented.add('createOrganizationAnalyzer');

    await expect(applyBootstrap(example(), aws, noWait)).rejects.toMatchObject({ awsCode: 'NotImplemented' });
  });

  it('changes nothing on a dry run', async () => {
    const aws = new FakeAws();

    const result = await applyBootstrap(example(), aws, { dryRun: true, emulator: false });

    expect(result.actions.map((a) => a.kind)).toContain('create-trail');
    expect(aws.mutatingCalls()).toBe(0);
  });
});
