import { AvfError, AwsError } from '../domain/errors';
import type { AwsPorts } from '../domain/ports/aws';

/** The factory cannot work with the AWS credentials it was given; the message says what to do. */
export class AwsAccessError extends AvfError {
  constructor(message: string, cause?: unknown) {
    super('AWS_ACCESS', message, { cause });
  }
}

export interface AccessCheckOptions {
  /**
   * `bootstrap`: the organisation may not exist yet (bootstrap creates it), but the caller must be
   * its management account. `factory` (serve, worker): the organisation must exist and the caller
   * must be its management account, or a delegated administrator (AVF_STACKSETS_CALL_AS=DELEGATED_ADMIN).
   */
  purpose: 'bootstrap' | 'factory';
  /** AVF_STACKSETS_CALL_AS, as the StackSets adapter reads it. */
  stackSetsCallAs?: string;
}

export interface AccessCheckResult {
  accountId: string;
  organizationId?: string;
  managementAccountId?: string;
}

const INVALID_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/** One line for a failed call: no credentials, bad credentials, not allowed, or AWS unreachable. */
function explain(error: unknown, who: string): AwsAccessError {
  if (!(error instanceof AwsError)) return new AwsAccessError(String(error), error);
  const { operation, awsCode } = error;
  if (awsCode === 'NoCredentials')
    return new AwsAccessError(
      'no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, for the management account (locally: the values the demo prints)',
      error,
    );
  if (INVALID_CREDENTIALS.has(awsCode))
    return new AwsAccessError(
      `the AWS credentials were refused (${awsCode}): renew them or pick another profile`,
      error,
    );
  if (DENIED.has(awsCode))
    return new AwsAccessError(
      `${who} is not allowed to call ${operation}: grant it (README, "IAM actions") or use the management account's credentials`,
      error,
    );
  return new AwsAccessError(
    `${operation} failed (${awsCode}: ${error.message.split('\n')[0] ?? ''}); check AWS_REGION, AWS_ENDPOINT_URL and the network`,
    error,
  );
}

/**
 * Before a start: who the credentials are (sts:GetCallerIdentity, allowed to everyone) and one
 * cheap read the factory cannot work without (organizations:DescribeOrganization). Throws an
 * AwsAccessError with one actionable line; `avf` prints it and exits 2.
 */
export async function checkAwsAccess(aws: AwsPorts, options: AccessCheckOptions): Promise<AccessCheckResult> {
  const accountId = await aws.sts.callerAccountId().catch((e: unknown) => {
    throw explain(e, 'these credentials');
  });
  const who = `account ${accountId}`;
  const org = await aws.organizations.describeOrganization().catch((e: unknown) => {
    throw explain(e, who);
  });
  if (!org) {
    if (options.purpose === 'bootstrap') return { accountId };
    throw new AwsAccessError(
      `${who} is in no organization: run \`avf bootstrap\` with the management account's credentials first, or use the credentials of the account it created the organization in`,
    );
  }
  const result = { accountId, organizationId: org.id, managementAccountId: org.managementAccountId };
  if (org.managementAccountId === accountId) return result;
  const delegated = options.purpose === 'factory' && options.stackSetsCallAs === 'DELEGATED_ADMIN';
  if (delegated) return result;
  throw new AwsAccessError(
    `${who} is not the management account of ${org.id} (that is ${org.managementAccountId}): use the management account's credentials` +
      (options.purpose === 'factory'
        ? ', or a delegated administrator with AVF_STACKSETS_CALL_AS=DELEGATED_ADMIN'
        : ''),
  );
}
