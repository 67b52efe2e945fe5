import { ORGANIZATION_ANALYZER_NAME, ORGANIZATION_TRAIL_NAME, trailBucketName } from '../../domain/names';
import type { ControlResult } from '../../domain/compliance';
import { errored, ORGANISATION_LEVEL, type Control, type ControlContext } from '../verifier';

/**
 * Controls set once for the whole organisation at bootstrap (the first layer of the baseline), reported
 * for each account because each account relies on them.
 */

type Result = Omit<ControlResult, 'id' | 'title'>;

const foundationAccount = (ctx: ControlContext, key: 'logArchive' | 'security'): Promise<string> =>
  ctx.directory.accountIdByEmail(ctx.config.config.organization[key].email);

const verdict = (problems: string[], ok: string, region?: string): Result => ({
  ...(region === undefined ? {} : { region }),
  ...(problems.length === 0
    ? { status: 'PASS', evidence: ok }
    : { status: 'FAIL', evidence: problems.join('; ') }),
});

/** A check that could not be made (e.g. an operation the emulator lacks) is ERROR, with the reason. */
async function attempt(region: string, check: () => Promise<Result>): Promise<Result> {
  try {
    return await check();
  } catch (e) {
    return { region, ...errored(e) };
  }
}

const trailControl: Control = {
  id: 'L-1',
  title:
    'organisation CloudTrail: logging, multi-region, log-file validation, KMS, logs in the log-archive account',
  seeds: ['001', '003'],
  enforcedBy: 'org',
  settledBy: ORGANISATION_LEVEL,
  async evaluate(ctx) {
    const svc = ctx.aws.orgServices;
    const trail = await svc.findTrail(ORGANIZATION_TRAIL_NAME);
    if (!trail)
      return [{ status: 'FAIL', evidence: `no trail ${ORGANIZATION_TRAIL_NAME} (run avf bootstrap)` }];
    const logArchive = await foundationAccount(ctx, 'logArchive');
    const expectedBucket = trailBucketName(logArchive);
    const bucket =
      trail.bucketName === expectedBucket ? await svc.findLogBucket(logArchive, expectedBucket) : undefined;
    const problems = [
      ...(trail.isOrganizationTrail ? [] : ['not an organisation trail']),
      ...(trail.isMultiRegionTrail ? [] : ['not multi-region']),
      ...(trail.logFileValidationEnabled ? [] : ['log-file validation off']),
      ...(trail.kmsKeyId ? [] : ['not encrypted with a KMS key']),
      ...(trail.isLogging ? [] : ['not logging']),
      ...(trail.bucketName === expectedBucket
        ? []
        : [`delivers to ${trail.bucketName}, not ${expectedBucket} in the log-archive account`]),
      ...(trail.bucketName !== expectedBucket || bucket?.policy
        ? []
        : [`bucket ${expectedBucket} is missing from the log-archive account or has no policy`]),
    ];
    return [
      verdict(
        problems,
        `${trail.name}: organisation, multi-region, validation on, KMS ${trail.kmsKeyId ?? ''}, logging to ${trail.bucketName} (${logArchive})`,
      ),
    ];
  },
};

const securityHubControl: Control = {
  id: 'L-4',
  title: 'Security Hub administered by the security account, auto-enabled, foundational best practices on',
  seeds: ['004'],
  enforcedBy: 'org',
  settledBy: ORGANISATION_LEVEL,
  emulatorGap:
    'moto has no Security Hub ListOrganizationAdminAccounts, GetEnabledStandards or BatchEnableStandards',
  async evaluate(ctx) {
    const svc = ctx.aws.orgServices;
    const security = await foundationAccount(ctx, 'security');
    // every region's three reads at once (each is one call): results in region, then check order
    return Promise.all(
      ctx.config.config.governedRegions.flatMap((region) => {
        const check = (problems: () => Promise<string[]>, ok: string) =>
          attempt(region, async () => verdict(await problems(), ok, region));
        return [
          check(async () => {
            const found = await svc.getSecurityHubAdmin(region);
            return found === security ? [] : [`administrator is ${found ?? 'nobody'}, not ${security}`];
          }, `administered by the security account ${security}`),
          check(
            async () =>
              (await svc.getSecurityHubAutoEnable(security, region)) ? [] : ['members are not auto-enabled'],
            'hub enabled in the administrator, members auto-enabled',
          ),
          check(
            async () =>
              (await svc.getFoundationalStandardEnabled(security, region))
                ? []
                : ['AWS Foundational Security Best Practices is not enabled'],
            'AWS Foundational Security Best Practices enabled',
          ),
        ];
      }),
    );
  },
};

const analyzerControl: Control = {
  id: 'L-6',
  title: 'IAM Access Analyzer: organisation analyzer in the security account',
  seeds: ['004'],
  enforcedBy: 'org',
  settledBy: ORGANISATION_LEVEL,
  emulatorGap: 'moto has no IAM Access Analyzer service',
  async evaluate(ctx) {
    const security = await foundationAccount(ctx, 'security');
    const region = ctx.config.config.homeRegion;
    const analyzers = await ctx.aws.orgServices.listOrganizationAnalyzers(security, region);
    return [
      verdict(
        analyzers.includes(ORGANIZATION_ANALYZER_NAME)
          ? []
          : [
              `no organisation analyzer ${ORGANIZATION_ANALYZER_NAME} (found: ${analyzers.join(', ') || 'none'})`,
            ],
        `${ORGANIZATION_ANALYZER_NAME} analyses the organisation from ${security}`,
        region,
      ),
    ];
  },
};

export const ORG_SERVICE_CONTROLS: Control[] = [trailControl, securityHubControl, analyzerControl];
