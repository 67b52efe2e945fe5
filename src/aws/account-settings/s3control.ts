import {
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import type { PublicAccessBlock } from '../../domain/ports/account-settings';
import { call, callTolerating } from '../errors';

/** S3 Control in a member account: the account-level Block Public Access switches. */
export class MemberS3ControlAdapter {
  constructor(
    private readonly client: S3ControlClient,
    private readonly accountId: string,
  ) {}

  /** s3:GetAccountPublicAccessBlock — none set (the default) is undefined. */
  async getS3AccountPublicAccessBlock(): Promise<PublicAccessBlock | undefined> {
    const out = await callTolerating(
      's3:GetAccountPublicAccessBlock',
      ['NoSuchPublicAccessBlockConfiguration'],
      () => this.client.send(new GetPublicAccessBlockCommand({ AccountId: this.accountId })),
    );
    const c = out?.PublicAccessBlockConfiguration;
    if (!c) return undefined;
    return {
      blockPublicAcls: c.BlockPublicAcls ?? false,
      ignorePublicAcls: c.IgnorePublicAcls ?? false,
      blockPublicPolicy: c.BlockPublicPolicy ?? false,
      restrictPublicBuckets: c.RestrictPublicBuckets ?? false,
    };
  }

  /** s3:PutAccountPublicAccessBlock */
  async putS3AccountPublicAccessBlock(block: PublicAccessBlock): Promise<void> {
    await call('s3:PutAccountPublicAccessBlock', () =>
      this.client.send(
        new PutPublicAccessBlockCommand({
          AccountId: this.accountId,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: block.blockPublicAcls,
            IgnorePublicAcls: block.ignorePublicAcls,
            BlockPublicPolicy: block.blockPublicPolicy,
            RestrictPublicBuckets: block.restrictPublicBuckets,
          },
        }),
      ),
    );
  }
}
