import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { AwsError } from '../../domain/errors';
import type { EncryptionKey } from '../../domain/ports/org-services';
import { call, callTolerating } from '../errors';

/** KMS in the management account: the key that encrypts the organisation trail. */
export class KmsAdapter {
  constructor(private readonly client: KMSClient) {}

  /** kms:DescribeKey — undefined when the alias does not exist. */
  async findKeyByAlias(alias: string): Promise<EncryptionKey | undefined> {
    const out = await callTolerating('kms:DescribeKey', ['NotFoundException'], () =>
      this.client.send(new DescribeKeyCommand({ KeyId: alias })),
    );
    const meta = out?.KeyMetadata;
    return meta?.KeyId && meta.Arn ? { keyId: meta.KeyId, arn: meta.Arn } : undefined;
  }

  /** kms:CreateKey, kms:EnableKeyRotation, kms:CreateAlias — a symmetric key with rotation on. */
  async createKey(input: { alias: string; description: string; policy: string }): Promise<EncryptionKey> {
    const out = await call('kms:CreateKey', () =>
      this.client.send(new CreateKeyCommand({ Description: input.description, Policy: input.policy })),
    );
    const meta = out.KeyMetadata;
    if (!meta?.KeyId || !meta.Arn)
      throw new AwsError('kms:CreateKey', 'MissingKey', 'CreateKey returned no key id', false);
    const keyId = meta.KeyId;
    await call('kms:EnableKeyRotation', () =>
      this.client.send(new EnableKeyRotationCommand({ KeyId: keyId })),
    );
    await call('kms:CreateAlias', () =>
      this.client.send(new CreateAliasCommand({ AliasName: input.alias, TargetKeyId: keyId })),
    );
    return { keyId, arn: meta.Arn };
  }
}
