import { BLOCK_ALL_PUBLIC_ACCESS, differences } from '../../domain/hardening';
import { changed, unchanged, type Ensure } from './ensure';

/** D-1: S3 Block Public Access for the whole account, all four switches on. */
export const s3PublicAccessBlock: Ensure = {
  setting: 's3-account-public-access-block',
  scope: 'account',
  async apply({ port, writeWithoutReading }) {
    if (!writeWithoutReading) {
      const diff = differences(await port.getS3AccountPublicAccessBlock(), BLOCK_ALL_PUBLIC_ACCESS);
      if (diff.length === 0) return unchanged('S3 account public access already blocked');
    }
    await port.putS3AccountPublicAccessBlock(BLOCK_ALL_PUBLIC_ACCESS);
    return changed('S3 account public access blocked');
  },
};
