import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LogBucket } from '../../domain/ports/org-services';
import { call, callTolerating } from '../errors';

const MISSING = ['NotFound', 'NoSuchBucket'];

/** S3 in the log-archive account: the buckets the organisation's logs are delivered to. */
export class LogBucketAdapter {
  constructor(private readonly client: S3Client) {}

  /**
   * s3:ListBucket (HeadBucket), s3:GetBucketPolicy, s3:GetBucketPublicAccessBlock,
   * s3:GetEncryptionConfiguration — undefined when the bucket does not exist.
   */
  async findLogBucket(bucketName: string): Promise<LogBucket | undefined> {
    const Bucket = bucketName;
    const head = await callTolerating('s3:ListBucket', MISSING, () =>
      this.client.send(new HeadBucketCommand({ Bucket })),
    );
    if (head === undefined) return undefined;
    const policy = await callTolerating('s3:GetBucketPolicy', ['NoSuchBucketPolicy'], () =>
      this.client.send(new GetBucketPolicyCommand({ Bucket })),
    );
    const bpa = await callTolerating(
      's3:GetBucketPublicAccessBlock',
      ['NoSuchPublicAccessBlockConfiguration'],
      () => this.client.send(new GetPublicAccessBlockCommand({ Bucket })),
    );
    const encryption = await callTolerating(
      's3:GetEncryptionConfiguration',
      ['ServerSideEncryptionConfigurationNotFoundError'],
      () => this.client.send(new GetBucketEncryptionCommand({ Bucket })),
    );
    const c = bpa?.PublicAccessBlockConfiguration;
    const rules = encryption?.ServerSideEncryptionConfiguration?.Rules ?? [];
    return {
      ...(policy?.Policy ? { policy: policy.Policy } : {}),
      blockPublicAccess: Boolean(
        c?.BlockPublicAcls && c.IgnorePublicAcls && c.BlockPublicPolicy && c.RestrictPublicBuckets,
      ),
      kmsEncrypted: rules.some((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms'),
    };
  }

  /**
   * s3:CreateBucket, s3:PutBucketPublicAccessBlock, s3:PutEncryptionConfiguration,
   * s3:PutBucketPolicy — every call is idempotent; a bucket this account already owns is success.
   */
  async ensureLogBucket(bucketName: string, region: string, policy: string): Promise<void> {
    const Bucket = bucketName;
    await callTolerating('s3:CreateBucket', ['BucketAlreadyOwnedByYou'], () =>
      this.client.send(
        new CreateBucketCommand({
          Bucket,
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      ),
    );
    await call('s3:PutBucketPublicAccessBlock', () =>
      this.client.send(
        new PutPublicAccessBlockCommand({
          Bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      ),
    );
    await call('s3:PutEncryptionConfiguration', () =>
      this.client.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [
              { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
            ],
          },
        }),
      ),
    );
    await call('s3:PutBucketPolicy', () =>
      this.client.send(new PutBucketPolicyCommand({ Bucket, Policy: policy })),
    );
  }
}
