import { changed, unchanged, type Ensure } from './ensure';

/** D-2: new EBS volumes are encrypted by default, per region. */
export const ebsEncryptionByDefault: Ensure = {
  setting: 'ebs-encryption-by-default',
  scope: 'region',
  async apply({ port, writeWithoutReading }) {
    if (!writeWithoutReading && (await port.getEbsEncryptionByDefault()))
      return unchanged('EBS encryption by default already on');
    await port.enableEbsEncryptionByDefault();
    return changed('EBS encryption by default enabled');
  },
};
