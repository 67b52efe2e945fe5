import type { LogBucketPurpose } from './actions';
import { ORGANIZATION_TRAIL_NAME } from '../domain/names';

/** Where the organisation-level documents point: known once the organisation and accounts exist. */
export interface OrgContext {
  partition: string;
  homeRegion: string;
  organizationId: string;
  managementAccountId: string;
  logArchiveAccountId: string;
  securityAccountId: string;
}

/** The partition of a region, so no ARN is written with a literal one. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function trailArn(ctx: OrgContext): string {
  return `arn:${ctx.partition}:cloudtrail:${ctx.homeRegion}:${ctx.managementAccountId}:trail/${ORGANIZATION_TRAIL_NAME}`;
}

/** Trails of the management account, as CloudTrail names them in the encryption context. */
const managementTrails = (ctx: OrgContext): string =>
  `arn:${ctx.partition}:cloudtrail:*:${ctx.managementAccountId}:trail/*`;

const document = (statements: unknown[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** The trail key: administered by the management account, used by CloudTrail, read in the org. */
export function trailKeyPolicy(ctx: OrgContext): string {
  const context = { 'kms:EncryptionContext:aws:cloudtrail:arn': managementTrails(ctx) };
  return document([
    {
      Sid: 'KeyAdministration',
      Effect: 'Allow',
      Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.managementAccountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'CloudTrailEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': trailArn(ctx) }, StringLike: context },
    },
    {
      Sid: 'CloudTrailDescribeKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
    },
    {
      Sid: 'OrganizationLogReaders',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ctx.organizationId }, StringLike: context },
    },
  ]);
}

/** Only the service may write, only for this organisation; nothing over plain HTTP. */
export function logBucketPolicy(purpose: LogBucketPurpose, bucketName: string, ctx: OrgContext): string {
  const bucket = `arn:${ctx.partition}:s3:::${bucketName}`;
  const service = purpose === 'cloudtrail' ? 'cloudtrail.amazonaws.com' : 'config.amazonaws.com';
  const source =
    purpose === 'cloudtrail' ? { 'aws:SourceArn': trailArn(ctx) } : { 'aws:SourceOrgID': ctx.organizationId };
  const prefixes =
    purpose === 'cloudtrail'
      ? [`${bucket}/AWSLogs/${ctx.managementAccountId}/*`, `${bucket}/AWSLogs/${ctx.organizationId}/*`]
      : [`${bucket}/AWSLogs/*`];
  return document([
    {
      Sid: 'ServiceAclCheck',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Resource: bucket,
      Condition: { StringEquals: source },
    },
    {
      Sid: 'ServiceWrite',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 's3:PutObject',
      Resource: prefixes,
      Condition: { StringEquals: { ...source, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucket, `${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}
