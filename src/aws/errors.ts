import { ConflictException as SsoAdminConflictException } from '@aws-sdk/client-sso-admin';
import { AwsError } from '../domain/errors';

/**
 * The one error mapping of the AWS adapters: every SDK failure becomes an AwsError whose
 * `retryable` says whether the reconciler may try the step again. Operations are named by their
 * IAM action (`organizations:CreateAccount`).
 */

/** Throttling names, as the SDK's own classifier lists them. */
const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'RequestLimitExceeded',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

/** Conflicts that clear by themselves; the SDK does not retry these, the reconciler does. */
const TRANSIENT_CONFLICTS = new Set([
  'ConcurrentModificationException',
  'OperationInProgressException',
  'FinalizingOrganizationException',
  'StaleRequestException',
]);

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

/**
 * Codes that mean something different for one operation:
 * - moto answers an unknown create-account request id with AccountNotFoundException, AWS with
 *   CreateAccountStatusNotFoundException; callers see only the latter.
 * - AssumeRole into a freshly created account is denied until its role has propagated.
 */
const PER_OPERATION: Record<string, Record<string, { awsCode?: string; retryable?: boolean }>> = {
  'organizations:DescribeCreateAccountStatus': {
    AccountNotFoundException: { awsCode: 'CreateAccountStatusNotFoundException', retryable: false },
  },
  'sts:AssumeRole': { AccessDenied: { retryable: true }, AccessDeniedException: { retryable: true } },
};

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

function shapeOf(err: unknown): ErrorShape {
  return typeof err === 'object' && err !== null ? err : { message: String(err) };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** moto answers unimplemented operations with an HTML page the SDK cannot parse. */
function isDeserializationError(name: string, message: string): boolean {
  return (
    name === 'SyntaxError' ||
    message.includes('not valid JSON') ||
    message.includes('XML parse error') ||
    message.includes('Deserialization error')
  );
}

/** Whether AWS answered with throttling (by the error's name, or HTTP 429). */
export function isThrottling(err: unknown): boolean {
  const shape = shapeOf(err);
  return THROTTLING.has(text(shape.name)) || shape.$metadata?.httpStatusCode === 429;
}

function classify(err: unknown): { awsCode: string; message: string; retryable: boolean } {
  const shape = shapeOf(err);
  const name = text(shape.name) || 'UnknownError';
  const code = text(shape.code);
  const message = text(shape.message) || name;
  const status = shape.$metadata?.httpStatusCode ?? 0;
  // A 502/503/504 often has an HTML body (a front end, not the service): unreadable, but transient.
  if (isDeserializationError(name, message) && ![502, 503, 504].includes(status))
    return {
      awsCode: 'NotImplemented',
      // The SDK's parse error says nothing useful to a person; keep only its first line.
      message: `the endpoint does not implement this operation (HTTP ${status}; ${message.split('\n')[0] ?? ''})`,
      retryable: false,
    };
  if (err instanceof SsoAdminConflictException) return { awsCode: name, message, retryable: true };
  // The SDK's credential chain found nothing: no call was sent, and none will succeed until an
  // operator gives the process credentials.
  if (name === 'CredentialsProviderError')
    return { awsCode: 'NoCredentials', message: 'no AWS credentials were found', retryable: false };
  const retryable =
    THROTTLING.has(name) ||
    TRANSIENT_CONFLICTS.has(name) ||
    NETWORK.has(name) ||
    NETWORK.has(code) ||
    status === 429 ||
    status >= 500 ||
    shape.$retryable !== undefined;
  const awsCode = NETWORK.has(code) ? code : name;
  return { awsCode, message, retryable };
}

/** Maps any failure of `operation` to an AwsError; an AwsError passes through unchanged. */
export function toAwsError(operation: string, err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  const base = classify(err);
  const override = PER_OPERATION[operation]?.[base.awsCode];
  const awsCode = override?.awsCode ?? base.awsCode;
  const retryable = override?.retryable ?? base.retryable;
  return new AwsError(operation, awsCode, base.message, retryable, err);
}

/** Runs one AWS call; every failure leaves as an AwsError. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toAwsError(operation, err);
  }
}

/**
 * Runs one AWS call whose listed error codes mean the desired state already holds
 * ("already attached", "not found"): those resolve to undefined, anything else is thrown.
 */
export async function callTolerating<T>(
  operation: string,
  tolerated: readonly string[],
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call(operation, fn);
  } catch (err) {
    if (err instanceof AwsError && tolerated.includes(err.awsCode)) return undefined;
    throw err;
  }
}

/** True when `err` is an AwsError with one of these codes. */
export function hasAwsCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof AwsError && codes.includes(err.awsCode);
}
