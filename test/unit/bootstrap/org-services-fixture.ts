import type { DesiredFoundation } from '../../../src/bootstrap/desired';
import { logBucketName, ORGANIZATION_TRAIL_NAME } from '../../../src/domain/names';
import { logBucketPolicy, type OrgContext } from '../../../src/bootstrap/org-service-policies';
import { DELEGATED_ADMIN_PRINCIPALS, type ActualOrgServices } from '../../../src/bootstrap/org-services';

export const CONTEXT: OrgContext = {
  partition: 'aws',
  homeRegion: 'us-east-1',
  organizationId: 'o-example',
  managementAccountId: '123456789012',
  logArchiveAccountId: '100000000000',
  securityAccountId: '100000000001',
};

/** Organisation services already exactly as `d` wants them. */
export function matchingOrgServices(d: DesiredFoundation, ctx: OrgContext = CONTEXT): ActualOrgServices {
  const key = { keyId: 'key-1', arn: 'arn:key-1' };
  const bucket = (purpose: 'cloudtrail' | 'config') => ({
    policy: logBucketPolicy(purpose, logBucketName(purpose, ctx.logArchiveAccountId), ctx),
    blockPublicAccess: true,
    kmsEncrypted: true,
  });
  const perRegion = (f: (r: string) => string[]) => d.regions.flatMap(f);
  return {
    context: ctx,
    trailKey: key,
    trail: {
      name: ORGANIZATION_TRAIL_NAME,
      bucketName: logBucketName('cloudtrail', ctx.logArchiveAccountId),
      kmsKeyId: key.arn,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      logFileValidationEnabled: true,
      isLogging: true,
    },
    buckets: { cloudtrail: bucket('cloudtrail'), config: bucket('config') },
    delegatedAdmins: Object.fromEntries(DELEGATED_ADMIN_PRINCIPALS.map((p) => [p, [ctx.securityAccountId]])),
    admins: Object.fromEntries(
      perRegion((r) => [`guardduty:${r}`, `securityhub:${r}`]).map((k) => [k, ctx.securityAccountId]),
    ),
    autoEnabled: perRegion((r) => [`guardduty:${r}`, `securityhub:${r}`]),
    standards: [...d.regions],
    analyzers: [d.homeRegion],
    emulatorGaps: {},
  };
}
