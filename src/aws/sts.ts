import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsError } from '../domain/errors';
import type { AwsCredentials, StsPort } from '../domain/ports/aws';
import type { ClientFactory } from './clients';
import { call } from './errors';

interface CallerIdentity {
  accountId: string;
  /** aws, aws-cn, aws-us-gov…, read from the caller's ARN so no ARN is built with a literal partition. */
  partition: string;
}

/** AWS STS: who the factory runs as, and the way into each member account. */
export class StsAdapter implements StsPort {
  private readonly client: STSClient;
  private identity: Promise<CallerIdentity> | undefined;

  constructor(clients: ClientFactory) {
    this.client = clients.sts();
  }

  /** sts:GetCallerIdentity (needs no permission) */
  async callerAccountId(): Promise<string> {
    return (await this.callerIdentity()).accountId;
  }

  /** sts:GetCallerIdentity — the caller's partition (aws, aws-cn…), for building ARNs. */
  async partition(): Promise<string> {
    return (await this.callerIdentity()).partition;
  }

  /**
   * sts:AssumeRole — AccessDenied is retryable here: a new account's role takes a while to
   * become assumable.
   */
  async assumeAccountRole(accountId: string, roleName: string, sessionName: string): Promise<AwsCredentials> {
    const { partition } = await this.callerIdentity();
    const operation = 'sts:AssumeRole';
    const out = await call(operation, () =>
      this.client.send(
        new AssumeRoleCommand({
          RoleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
          RoleSessionName: sessionName,
        }),
      ),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new AwsError(operation, 'MissingCredentials', `no credentials returned for ${accountId}`, true);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }

  /** Asked once per adapter; a failed ask is asked again next time. */
  private callerIdentity(): Promise<CallerIdentity> {
    this.identity ??= call('sts:GetCallerIdentity', () =>
      this.client.send(new GetCallerIdentityCommand({})),
    ).then((out) => ({ accountId: out.Account ?? '', partition: out.Arn?.split(':')[1] || 'aws' }));
    this.identity.catch(() => (this.identity = undefined));
    return this.identity;
  }
}
